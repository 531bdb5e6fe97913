"""The area hierarchy: one table, three levels, each row with its administrative code."""

from __future__ import annotations

from typing import Optional

from sqlalchemy import CheckConstraint, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from transparency.core.area_levels import AREA_LEVEL_LABELS, AreaLevel
from transparency.core.db import Base, enum_column

__all__ = ["AREA_LEVEL_LABELS", "Area", "AreaLevel"]  # the levels live in core, shared with accounts


class Area(Base):
    __tablename__ = "area"
    __table_args__ = (CheckConstraint("length(code) = 12", name="code_has_12_digits"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(12), unique=True)
    name: Mapped[str] = mapped_column(String(60), index=True)
    level: Mapped[AreaLevel] = mapped_column(enum_column(AreaLevel))
    parent_id: Mapped[Optional[int]] = mapped_column(ForeignKey("area.id"), index=True)

    parent: Mapped[Optional[Area]] = relationship(remote_side=[id], back_populates="children")
    children: Mapped[list[Area]] = relationship(back_populates="parent", order_by="Area.code")

    def __repr__(self) -> str:
        return f"<Area {self.code} {self.name}>"

    @property
    def full_name(self) -> str:
        names = []
        area: Area | None = self
        while area is not None:
            names.append(area.name)
            area = area.parent
        return "".join(reversed(names))

    def contains(self, other: Area) -> bool:
        """True when `other` is this area or lies inside it."""
        area: Area | None = other
        while area is not None:
            if area.id == self.id:
                return True
            area = area.parent
        return False

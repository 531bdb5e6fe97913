"""Staff accounts. Villagers never have one."""

from __future__ import annotations

import datetime as dt
import enum
from typing import Any, Optional

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from transparency.core.area_levels import AreaLevel
from transparency.core.db import Base, UTCDateTime, UTCTime, enum_column, utcnow
from transparency.core.translations import lazy_gettext as _l


class Role(enum.StrEnum):
    CLERK = "clerk"  # 村务公开员 / 报账员, bound to one village
    REVIEWER = "reviewer"  # 村务监督委员会 / 民主理财小组 member, bound to one village
    INSPECTOR = "inspector"  # 乡镇 / 县纪检监察, bound to a township or the county
    ADMIN = "admin"  # 系统管理员: areas and accounts, never history

    @property
    def label(self) -> str:
        return str(ROLE_LABELS[self])

    @property
    def area_level(self) -> tuple[AreaLevel, ...]:
        """The levels of area an account of this role may be bound to."""
        return ROLE_AREA_LEVELS[self]


ROLE_LABELS = {
    Role.CLERK: _l("村务公开员"),
    Role.REVIEWER: _l("村务监督委员会成员"),
    Role.INSPECTOR: _l("纪检监察员"),
    Role.ADMIN: _l("系统管理员"),
}

ROLE_AREA_LEVELS = {
    Role.CLERK: (AreaLevel.VILLAGE,),
    Role.REVIEWER: (AreaLevel.VILLAGE,),
    Role.INSPECTOR: (AreaLevel.TOWNSHIP, AreaLevel.COUNTY),
    Role.ADMIN: (),
}


class Account(Base):
    __tablename__ = "account"

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(40), unique=True)
    display_name: Mapped[str] = mapped_column(String(40))
    password_hash: Mapped[str] = mapped_column(String(200))
    role: Mapped[Role] = mapped_column(enum_column(Role))
    area_id: Mapped[Optional[int]] = mapped_column(ForeignKey("area.id"), index=True)
    active: Mapped[bool] = mapped_column(default=True)
    failed_logins: Mapped[int] = mapped_column(default=0)
    locked_until: Mapped[Optional[dt.datetime]] = mapped_column(UTCDateTime)
    # Bumped on password change or deactivation; a session cookie from before stops working.
    session_epoch: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[UTCTime] = mapped_column(default=utcnow)

    # By name: people and places stand side by side, so accounts does not import areas.
    area: Mapped[Optional[Area]] = relationship("Area")  # noqa: F821

    def __repr__(self) -> str:
        return f"<Account {self.username} {self.role}>"

    def covers(self, area: Any) -> bool:
        """True when this account's jurisdiction includes `area` (admins have none)."""
        return self.area is not None and self.area.contains(area)


class LoginFailure(Base):
    """Failed logins of one account from one client (a keyed digest of its address, never the address).

    The lock this row carries applies to that client only: a stranger who guesses wrong locks
    themselves out, not the clerk (issue 12). The account's own `failed_logins` and `locked_until`
    are the slower account-wide back-off, which a client with no failures is never held to.
    """

    __tablename__ = "login_failure"

    account_id: Mapped[int] = mapped_column(ForeignKey("account.id", ondelete="CASCADE"), primary_key=True)
    client: Mapped[str] = mapped_column(String(64), primary_key=True)
    failures: Mapped[int] = mapped_column(default=0)
    locked_until: Mapped[Optional[dt.datetime]] = mapped_column(UTCDateTime)

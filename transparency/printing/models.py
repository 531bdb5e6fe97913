"""Prints waiting to be laid out in the background: one row per published version and paper size.

The row is written in the publication's own transaction (printing/subscriptions.py), so a
publication that rolls back queues nothing and one that commits cannot lose its row; the
renderer (printing/background.py) deletes it only after the kept copy is on disk.
"""

from __future__ import annotations

from typing import Optional

from sqlalchemy import ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from transparency.core.db import Base, UTCTime, utcnow
from transparency.disclosures.models import DisclosureVersion


class PendingRender(Base):
    """The A4 or A3 print of one published version, still to be rendered and kept."""

    __tablename__ = "pending_renders"
    __table_args__ = (
        UniqueConstraint("version_id", "size"),
        Index("ix_pending_renders_due", "next_attempt_at", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    version_id: Mapped[int] = mapped_column(ForeignKey("disclosure_version.id", ondelete="CASCADE"))
    size: Mapped[str] = mapped_column(String(2))  # "a4" or "a3" (services.PaperSize)
    queued_at: Mapped[UTCTime] = mapped_column(default=utcnow)
    # Not before then: the next try after a failure, or the lease of the renderer working on it.
    next_attempt_at: Mapped[UTCTime] = mapped_column(default=utcnow)
    attempts: Mapped[int] = mapped_column(default=0)
    last_error: Mapped[Optional[str]] = mapped_column(Text)

    version: Mapped[DisclosureVersion] = relationship()

    def __repr__(self) -> str:
        return f"<PendingRender version={self.version_id} {self.size} attempts={self.attempts}>"

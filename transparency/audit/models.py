"""The append-only, hash-chained audit log and its checkpoints.

The database refuses UPDATE and DELETE on both tables (triggers, see the migration);
`transparency audit verify` recomputes every hash and compares the chain with the checkpoints.
"""

from __future__ import annotations

import enum
from typing import Optional

from sqlalchemy import BigInteger, Index, SmallInteger, String, Text, false, true
from sqlalchemy.orm import Mapped, mapped_column

from transparency.core.db import Base, UTCTime, enum_column
from transparency.core.translations import lazy_gettext as _l


class AuditEntry(Base):
    __tablename__ = "audit_entry"
    __table_args__ = (Index("ix_audit_entry_object", "object_type", "object_id"),)

    # Gap-free: each entry takes the previous one's number plus one, under the write lock.
    seq: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    at: Mapped[UTCTime] = mapped_column(index=True)
    actor_id: Mapped[Optional[int]] = mapped_column(index=True)
    actor_role: Mapped[str] = mapped_column(String(30))
    action: Mapped[str] = mapped_column(String(60), index=True)
    object_type: Mapped[str] = mapped_column(String(40))
    object_id: Mapped[Optional[str]] = mapped_column(String(40))
    # The area (usually a village) the entry concerns: inspectors see only their jurisdiction's.
    area_code: Mapped[Optional[str]] = mapped_column(String(12), index=True)
    payload: Mapped[str] = mapped_column(Text)  # canonical JSON
    # Said by the caller: False for entries about a matter not shown publicly, which the public
    # export gives as their digest alone. Not hashed (old chains verify); the triggers fix it.
    is_public: Mapped[bool] = mapped_column(default=True, server_default=true())
    # Said by the caller on the entry that publishes its object (a disclosure's publication): the
    # object's earlier private entries (drafts, returns, corrections awaiting review) become public.
    releases: Mapped[bool] = mapped_column(default=False, server_default=false())
    # Format version. 1: free texts inside the payload. 2: the payload holds only their digests,
    # under "texts" (public with the entry) and "staff_texts" (never public); `v` is hashed.
    v: Mapped[int] = mapped_column(SmallInteger, default=1, server_default="1")
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64), unique=True)


class AuditText(Base):
    """A free text an entry names by its SHA-256. Only the redaction update is allowed (triggers)."""

    __tablename__ = "audit_text"

    digest: Mapped[str] = mapped_column(String(64), primary_key=True)
    body: Mapped[Optional[str]] = mapped_column(Text)  # None once redacted
    redacted_at: Mapped[Optional[UTCTime]]
    redaction_reason: Mapped[Optional[str]] = mapped_column(Text)
    redaction_entry_seq: Mapped[Optional[int]] = mapped_column(BigInteger)


class CheckpointReason(enum.StrEnum):
    DAILY = "daily"
    PUBLICATION = "publication"
    RESTORE = "restore"  # the head a restore opened its epoch with

    @property
    def label(self) -> str:
        return str(CHECKPOINT_REASON_LABELS[self])


CHECKPOINT_REASON_LABELS = {
    CheckpointReason.DAILY: _l("每日"),
    CheckpointReason.PUBLICATION: _l("公开发布"),
    CheckpointReason.RESTORE: _l("从备份恢复"),
}


class AuditCheckpoint(Base):
    """The chain head as it was at one moment: later history must still contain this entry."""

    __tablename__ = "audit_checkpoint"

    id: Mapped[int] = mapped_column(primary_key=True)
    seq: Mapped[int] = mapped_column(BigInteger, index=True)
    hash: Mapped[str] = mapped_column(String(64))
    at: Mapped[UTCTime] = mapped_column(index=True)
    reason: Mapped[CheckpointReason] = mapped_column(enum_column(CheckpointReason))

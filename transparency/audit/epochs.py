"""Epochs: a restore from backup opens a new one on the record instead of forking silently.

A site's log starts in epoch 1. `transparency restore` appends, as the first entry after the
restored head, an `audit.epoch` entry saying which head the backup held; whatever the previous
run appended after that head is lost, and the log says so. The chain stays one chain (the epoch
entry links to the restored head), so old heads up to the restored one still verify, and a head
published after the backup is shown by `audit compare` as missing rather than quietly replaced.

Epoch numbers only grow: the restore takes one above every epoch it knows of (the backup's, and
any restore of the same backup recorded beside it), so other packages can derive from it what
must never repeat across runs (the complaints' number series).
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import select, text
from sqlalchemy.orm import Session

from transparency.audit.models import AuditEntry, CheckpointReason
from transparency.audit.services import record, record_checkpoint

EPOCH_ACTION = "audit.epoch"
FIRST_EPOCH = 1


@dataclass(frozen=True)
class Epoch:
    """One run of the site's log: from `first_seq` on, after a restore of `restored_seq`/`restored_hash`."""

    number: int
    first_seq: int  # the epoch entry itself (1 for the first epoch)
    restored_seq: int = 0
    restored_hash: str = ""
    backup_taken_at: str = ""
    opened_at: dt.datetime | None = None

    @property
    def is_first(self) -> bool:
        return self.number == FIRST_EPOCH and self.restored_seq == 0

    def statement(self) -> str:
        """What the epoch entry records, in words."""
        if self.is_first:
            return _("第 %(n)s 个时期：日志从第 1 条开始。", n=self.number)
        return _(
            "第 %(n)s 个时期自第 %(first)s 条起：从链头为第 %(seq)s 条（哈希 %(hash)s）的备份恢复；"
            "上一次运行中在这之后的记录均已丢失。",
            n=self.number,
            first=self.first_seq,
            seq=self.restored_seq,
            hash=self.restored_hash,
        )


def epoch_from_row(seq: int, payload: str, at: Any = None) -> Epoch:
    """An Epoch from an epoch entry's number and payload (verify reads rows, not models)."""
    values = json.loads(payload)
    return Epoch(
        number=int(values["epoch"]),
        first_seq=seq,
        restored_seq=int(values["restored_seq"]),
        restored_hash=str(values["restored_hash"]),
        backup_taken_at=str(values.get("backup_taken_at", "")),
        opened_at=at,
    )


def epochs(session: Session) -> list[Epoch]:
    """Every epoch of the log, oldest first (the first one is implied: it has no entry)."""
    query = select(AuditEntry.seq, AuditEntry.payload, AuditEntry.at).where(AuditEntry.action == EPOCH_ACTION)
    found = [epoch_from_row(row.seq, row.payload, row.at) for row in session.execute(query.order_by(AuditEntry.seq))]
    return [Epoch(number=FIRST_EPOCH, first_seq=1), *found]


def current_epoch(session: Session) -> Epoch:
    """The epoch new entries belong to. Raises nothing."""
    row = session.execute(
        select(AuditEntry.seq, AuditEntry.payload, AuditEntry.at)
        .where(AuditEntry.action == EPOCH_ACTION)
        .order_by(AuditEntry.seq.desc())
        .limit(1)
    ).first()
    return Epoch(number=FIRST_EPOCH, first_seq=1) if row is None else epoch_from_row(row.seq, row.payload, row.at)


def current_epoch_number(connection: Any) -> int:
    """The current epoch's number, read on a plain connection (a backup's snapshot)."""
    row = connection.execute(
        text("SELECT payload FROM audit_entry WHERE action = :action ORDER BY seq DESC LIMIT 1"),
        {"action": EPOCH_ACTION},
    ).first()
    return FIRST_EPOCH if row is None else int(json.loads(row.payload)["epoch"])


class EpochRefused(ValueError):
    """The epoch asked for would not be newer than the log's, or the log is empty."""


def open_epoch(session: Session, *, number: int, backup_taken_at: str) -> Epoch:
    """Append the epoch entry after the restored head, and a checkpoint of it. In a write transaction.

    Raises EpochRefused when `number` is not above the current epoch's, or the log is empty
    (nothing was restored).
    """
    last = session.execute(select(AuditEntry.seq, AuditEntry.hash).order_by(AuditEntry.seq.desc()).limit(1)).first()
    if last is None:
        raise EpochRefused(_("审计日志是空的：没有可以接续的链头。"))
    current = current_epoch(session).number
    if number <= current:
        raise EpochRefused(_("新时期的编号 %(n)s 必须大于当前的 %(current)s。", n=number, current=current))
    entry = record(
        session,
        actor=None,
        action=EPOCH_ACTION,
        object_type="audit_log",
        object_id=str(number),
        epoch=number,
        previous_epoch=current,
        restored_seq=last.seq,
        restored_hash=last.hash,
        backup_taken_at=backup_taken_at,
    )
    record_checkpoint(session, CheckpointReason.RESTORE)
    return epoch_from_row(entry.seq, entry.payload, entry.at)


def check_epoch_entry(seq: int, payload: str, previous_seq: int, previous_hash: str) -> str | None:
    """Why an epoch entry does not fit where it stands (its restored head must be the entry before it)."""
    try:
        epoch = epoch_from_row(seq, payload)
    except (ValueError, KeyError, TypeError):
        return _("第 %(seq)s 条时期记录的内容无法读取", seq=seq)
    if epoch.restored_seq != previous_seq or epoch.restored_hash != previous_hash:
        return _("第 %(seq)s 条时期记录所说的恢复链头与它前面的第 %(prev)s 条不符", seq=seq, prev=previous_seq)
    return None

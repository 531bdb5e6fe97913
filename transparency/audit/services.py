"""Appending to the audit log, in the caller's transaction."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from typing import Any

from sqlalchemy import select, text
from sqlalchemy.orm import Session

from transparency.audit.models import AuditEntry

GENESIS_HASH = "0" * 64
# Any constant will do: it names the lock that serialises appends on PostgreSQL.
_PG_APPEND_LOCK = 0x43574B47


def canonical_json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def entry_hash(entry: AuditEntry) -> str:
    material = canonical_json(
        {
            "seq": entry.seq,
            "at": entry.at.isoformat(),
            "actor_id": entry.actor_id,
            "actor_role": entry.actor_role,
            "action": entry.action,
            "object_type": entry.object_type,
            "object_id": entry.object_id,
            "payload": entry.payload,
            "prev_hash": entry.prev_hash,
        }
    )
    return hashlib.sha256(material.encode()).hexdigest()


def record(
    session: Session,
    *,
    actor: Any | None,
    action: str,
    object_type: str,
    object_id: Any = None,
    **payload: Any,
) -> AuditEntry:
    """Append one entry. The caller's transaction must be a write transaction.

    `actor` is an Account or None (the public, or the system). Never pass a complainant's
    contact details in `payload`.
    """
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _PG_APPEND_LOCK})
    last = session.execute(select(AuditEntry.seq, AuditEntry.hash).order_by(AuditEntry.seq.desc()).limit(1)).first()
    entry = AuditEntry(
        seq=(last.seq + 1) if last else 1,
        at=dt.datetime.now(dt.UTC),  # real time, whatever the domain clock says
        actor_id=actor.id if actor is not None else None,
        actor_role=str(actor.role) if actor is not None else "public",
        action=action,
        object_type=object_type,
        object_id=None if object_id is None else str(object_id),
        payload=canonical_json(payload),
        prev_hash=last.hash if last else GENESIS_HASH,
    )
    entry.hash = entry_hash(entry)
    session.add(entry)
    session.flush()
    return entry

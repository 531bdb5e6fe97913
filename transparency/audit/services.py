"""Appending to the audit log and recording checkpoints, in the caller's transaction.

Checkpoints: one at every publication (the disclosures service calls `record_checkpoint`),
and at least one a day — `transparency audit checkpoint` from cron, and lazily here: an
append that finds the newest checkpoint older than a day records one after itself, so a
site with any activity never goes a day without one even if cron is forgotten.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Mapping
from typing import Any

from sqlalchemy import func, select, text
from sqlalchemy.orm import Session

from transparency.audit.models import AuditCheckpoint, AuditEntry, AuditText, CheckpointReason
from transparency.core import clock

GENESIS_HASH = "0" * 64
# Any constant will do: it names the lock that serialises appends on PostgreSQL.
_PG_APPEND_LOCK = 0x43574B47
DAILY = dt.timedelta(days=1)

# Keys that would carry a complainant's (or anyone's) contact details: the log is public.
FORBIDDEN_PAYLOAD_KEYS = frozenset(
    {"phone", "mobile", "telephone", "email", "address", "contact", "id_number", "wechat", "qq", "secret"}
)
# The fields an entry's hash covers, in the order exports write them (the hash sorts keys anyway):
# the one list that the append, the chain check and the export all read entries by.
HASHED_FIELDS = (
    "seq",
    "at",
    "actor_id",
    "actor_role",
    "action",
    "object_type",
    "object_id",
    "area_code",
    "payload",
    "prev_hash",
)
# The format new entries are written in (see AuditEntry.v); older ones verify by their own.
CURRENT_VERSION = 2
# Where a v2 payload names its free texts by digest: shown with a public entry, or never public.
TEXTS, STAFF_TEXTS = "texts", "staff_texts"


class UnsafePayload(ValueError):
    """A payload key would put contact details into the public log."""


# Built once: json.dumps with options would build a new encoder on every call (verify makes a million).
_CANONICAL = json.JSONEncoder(ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def canonical_json(value: Any) -> str:
    """Keys sorted, no spaces, non-ASCII as is: the encoding every entry hash is computed over."""
    return _CANONICAL.encode(value)


def body_digest(fields: dict[str, Any]) -> str:
    """SHA-256 of everything in an entry but its number and link (`area_code` left out when empty).

    The entry hash covers this digest rather than the fields themselves, so the public export can
    show a private matter's entries as their digest alone and still be verified end to end.
    """
    body = {key: value for key, value in fields.items() if key not in ("seq", "prev_hash", "hash")}
    if body.get("area_code") is None:
        body.pop("area_code", None)
    return hashlib.sha256(canonical_json(body).encode()).hexdigest()


def link_hash(seq: int, prev_hash: str, body_sha256: str) -> str:
    return hashlib.sha256(
        canonical_json({"body_sha256": body_sha256, "prev_hash": prev_hash, "seq": seq}).encode()
    ).hexdigest()


def hash_fields(fields: dict[str, Any]) -> str:
    """An entry's SHA-256: over its number, the previous hash and its body digest (`at` in ISO 8601).

    scripts/verify_audit_export.py repeats this in a few lines of the standard library;
    tests/audit/test_public.py keeps the two identical.
    """
    return link_hash(fields["seq"], fields["prev_hash"], body_digest(fields))


def at_text(value: object) -> str:
    """The entry's time as it was hashed: datetime.isoformat() with the UTC offset.

    SQLite returns text ('2026-11-22 03:25:56.123456'); rewriting it is much faster than parsing.
    """
    if isinstance(value, str) and len(value) == 26 and value[10] == " ":
        if value.endswith(".000000"):  # isoformat() leaves out zero microseconds
            value = value[:-7]
        return value.replace(" ", "T", 1) + "+00:00"
    moment = value if isinstance(value, dt.datetime) else dt.datetime.fromisoformat(str(value))
    return moment.replace(tzinfo=dt.UTC).isoformat()


def hashed_fields(entry: Any) -> dict[str, Any]:
    """The hashed fields of an AuditEntry, or of a row read by them, with `at` as it was hashed.

    Version 1 entries hash HASHED_FIELDS; later ones hash their version `v` too.
    """
    fields = {name: getattr(entry, name) for name in HASHED_FIELDS}
    fields["at"] = at_text(fields["at"])
    version = getattr(entry, "v", None) or 1
    if version > 1:
        fields["v"] = version
    return fields


def text_digest(body: str) -> str:
    return hashlib.sha256(body.encode()).hexdigest()


def store_text(session: Session, body: str) -> str:
    """Keep a free text once, under its SHA-256 (a redacted text stays redacted). Returns the digest."""
    digest = text_digest(body)
    if session.get(AuditText, digest) is None:
        session.add(AuditText(digest=digest, body=body))
        session.flush()
    return digest


def text_digests(payload: Mapping[str, Any]) -> dict[str, dict[str, str]]:
    """A v2 payload's text digests by kind: {"texts": {key: digest}, "staff_texts": {...}}."""
    return {kind: dict(payload.get(kind) or {}) for kind in (TEXTS, STAFF_TEXTS)}


def entry_hash(entry: AuditEntry) -> str:
    return hash_fields(hashed_fields(entry))


def _check_payload(payload: dict[str, Any]) -> None:
    unsafe = sorted(key for key in payload if key.lower() in FORBIDDEN_PAYLOAD_KEYS)
    if unsafe:
        raise UnsafePayload(f"audit payload must not carry contact details: {', '.join(unsafe)}")


def _lock(session: Session) -> None:
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _PG_APPEND_LOCK})


def record(
    session: Session,
    *,
    actor: Any | None,
    action: str,
    object_type: str,
    object_id: Any = None,
    area_code: str | None = None,
    is_public: bool = True,
    releases: bool = False,
    texts: Mapping[str, str] | None = None,
    staff_texts: Mapping[str, str] | None = None,
    **payload: Any,
) -> AuditEntry:
    """Append one entry. The caller's transaction must be a write transaction.

    `actor` is an Account or None (the public, or the system). `area_code` is the area the entry
    concerns (usually the object's village), said by the caller since the log imports no one it
    records; when None, the actor's area. `is_public=False` for an entry about something not shown
    publicly (yet): the public export gives it as its digest alone, until a later entry about the
    same object with `releases=True` (its publication) makes it public.
    `payload` holds structured values only. Free texts a person typed go in `texts` (shown with the
    entry once it is public) or `staff_texts` (never public, e.g. account names): each is stored
    once in `audit_text` and the payload, hence the hash, carries only its SHA-256.
    Never pass a complainant's contact details: raises UnsafePayload for the usual keys.
    """
    _check_payload({**payload, **(texts or {}), **(staff_texts or {})})
    for kind, given in ((TEXTS, texts), (STAFF_TEXTS, staff_texts)):
        if kind in payload:
            raise UnsafePayload(f"audit payload key {kind!r} is reserved for text digests")
        if given:
            payload[kind] = {key: store_text(session, body) for key, body in given.items()}
    if staff_texts:
        is_public = False  # a digest of a short text (a username) could be guessed: keep it whole
    _lock(session)
    # The head and the newest checkpoint's time in one statement (a filing's hot path).
    newest_checkpoint = select(func.max(AuditCheckpoint.at)).scalar_subquery()
    last = session.execute(
        select(AuditEntry.seq, AuditEntry.hash, newest_checkpoint.label("checkpoint_at"))
        .order_by(AuditEntry.seq.desc())
        .limit(1)
    ).first()
    object_key = None if object_id is None else str(object_id)
    entry = AuditEntry(
        seq=(last.seq + 1) if last else 1,
        at=clock.wall_clock(),  # real time, whatever the domain clock says
        actor_id=actor.id if actor is not None else None,
        actor_role=str(actor.role) if actor is not None else "public",
        action=action,
        object_type=object_type,
        object_id=object_key,
        area_code=area_code if area_code is not None or actor is None or actor.area is None else actor.area.code,
        payload=canonical_json(payload),
        is_public=is_public,
        releases=releases,
        v=CURRENT_VERSION,
        prev_hash=last.hash if last else GENESIS_HASH,
    )
    entry.hash = entry_hash(entry)
    session.add(entry)
    session.flush()
    newest = last.checkpoint_at if last else session.scalar(select(func.max(AuditCheckpoint.at)))
    if _daily_checkpoint_due(newest, entry.at):
        record_checkpoint(session, CheckpointReason.DAILY)
    return entry


def _daily_checkpoint_due(newest: dt.datetime | None, now: dt.datetime) -> bool:
    return newest is None or newest.replace(tzinfo=dt.UTC) <= now - DAILY


def head(session: Session) -> AuditEntry | None:
    """The newest entry: the chain head."""
    return session.scalar(select(AuditEntry).order_by(AuditEntry.seq.desc()).limit(1))


def record_checkpoint(session: Session, reason: CheckpointReason) -> AuditCheckpoint | None:
    """Write down the current head (None while the log is empty). Call inside a write transaction."""
    _lock(session)
    newest = head(session)
    if newest is None:
        return None
    checkpoint = AuditCheckpoint(seq=newest.seq, hash=newest.hash, at=clock.wall_clock(), reason=reason)
    session.add(checkpoint)
    session.flush()
    return checkpoint


def record_publication_checkpoint(session: Session) -> AuditCheckpoint | None:
    """The hook the publish path calls after its audit entry."""
    return record_checkpoint(session, CheckpointReason.PUBLICATION)


def checkpoints(session: Session, *, limit: int, offset: int = 0) -> list[AuditCheckpoint]:
    """Newest first."""
    query = select(AuditCheckpoint).order_by(AuditCheckpoint.id.desc()).limit(limit).offset(offset)
    return list(session.scalars(query))


def checkpoint_count(session: Session) -> int:
    return session.scalar(select(func.count()).select_from(AuditCheckpoint)) or 0

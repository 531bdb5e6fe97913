"""The public log export: JSON Lines, one entry per line, verifiable offline with
scripts/verify_audit_export.py and nothing but the standard library.

Payloads never hold contact details (services.record refuses them) nor, from format 2 on, any
free text: only the texts' digests. An entry is shown in full when its caller recorded it as
public, or when a later entry about the same object released it (a disclosure's publication
releases its drafts, returns and corrections). Any other entry (a matter not shown publicly,
unpublished work, failed logins, accounts) is exported as its number, link, body digest and hash
only: the chain still verifies, and nobody learns what is not public (DESIGN rules 3, 4 and 6).
A shown entry carries its public texts beside the hashed fields, under "texts" (not hashed), as
"［已删除：原因］" once redacted.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

from sqlalchemy import Connection, Engine, select, text

from transparency.audit.chain import CHUNK, ENTRY_ROWS
from transparency.audit.models import AuditText
from transparency.audit.services import TEXTS, body_digest, canonical_json, hashed_fields
from transparency.audit.texts import shown
from transparency.core.personal_data import mask_personal_data


def holds_personal_data(line: dict[str, Any]) -> bool:
    """Whether an entry holds an unmasked ID, mobile or card number (written before the gate).

    Such an entry is exported as its digest, like a non-public one: the chain still verifies and
    the number is not published.
    """
    return any(isinstance(value, str) and mask_personal_data(value) != value for value in _strings(line))


def _strings(value: Any) -> Iterator[Any]:
    if isinstance(value, dict):
        for item in value.values():
            yield from _strings(item)
    elif isinstance(value, list | tuple):
        for item in value:
            yield from _strings(item)
    else:
        yield value


RELEASES = text(
    "SELECT object_type, object_id, max(seq) AS seq FROM audit_entry "
    "WHERE releases AND object_id IS NOT NULL AND seq <= :head GROUP BY object_type, object_id"
)


def released_through(connection: Connection, head: int) -> dict[tuple[str, str], int]:
    """For each released object, the last entry its release made public."""
    return {(row.object_type, row.object_id): row.seq for row in connection.execute(RELEASES, {"head": head})}


def is_visible(row: Any, releases: dict[tuple[str, str], int]) -> bool:
    """Whether the public sees the entry in full: public when recorded, or released since."""
    return bool(row.is_public) or releases.get((row.object_type, row.object_id), 0) >= row.seq


def public_texts(row: Any, texts: dict[str, AuditText]) -> dict[str, str]:
    """A shown v2 entry's public texts by payload key (staff texts never)."""
    if (row.v or 1) < 2:
        return {}
    digests = json.loads(row.payload).get(TEXTS) or {}
    return {key: shown(texts.get(digest)) for key, digest in digests.items()}


def public_row(row: Any, visible: bool, texts: dict[str, AuditText]) -> dict[str, Any]:
    """The one place an exported line is built: every public value of an entry passes here."""
    line = hashed_fields(row)
    if not visible:
        return {"seq": row.seq, "prev_hash": row.prev_hash, "body_sha256": body_digest(line), "hash": row.hash}
    if row.area_code is None:
        del line["area_code"]
    shown_texts = {key: mask_personal_data(value) for key, value in public_texts(row, texts).items()}
    return {**line, "hash": row.hash, **({"texts": shown_texts} if shown_texts else {})}


def _texts_of(connection: Connection, rows: list[Any]) -> dict[str, AuditText]:
    digests = {d for row in rows if (row.v or 1) >= 2 for d in (json.loads(row.payload).get(TEXTS) or {}).values()}
    if not digests:
        return {}
    result = connection.execute(select(AuditText).where(AuditText.digest.in_(digests)))
    return {t.digest: t for t in result}


def export_lines(engine: Engine, after: int = 0, chunk: int = CHUNK) -> Iterator[str]:
    """Entries after `after` up to the head at the start, one canonical JSON line each."""
    with engine.connect() as connection:
        head = connection.execute(text("SELECT max(seq) FROM audit_entry")).scalar() or 0
        releases = released_through(connection, head)
        while after < head:
            rows = connection.execute(ENTRY_ROWS, {"after": after, "head": head, "chunk": chunk}).all()
            if not rows:
                return
            visible = {row.seq: is_visible(row, releases) for row in rows}
            texts = _texts_of(connection, [row for row in rows if visible[row.seq]])
            for row in rows:
                yield (
                    canonical_json(
                        public_row(row, visible[row.seq] and not holds_personal_data(hashed_fields(row)), texts)
                    )
                    + "\n"
                )
            after = rows[-1].seq

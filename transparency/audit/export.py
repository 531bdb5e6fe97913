"""The public log export: JSON Lines, one entry per line, verifiable offline with
scripts/verify_audit_export.py and nothing but the standard library.

Payloads never hold contact details (services.record refuses them). Entries about a matter that
is not shown publicly (a report, a matter naming officials, one the complainant kept private),
which their caller recorded with `is_public=False`, are exported as their number, link, body
digest and hash only: the chain still verifies, and a village learns nothing of a matter routed
around it (DESIGN rules 3 and 6).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from sqlalchemy import Engine, text

from transparency.audit.chain import CHUNK, ENTRY_ROWS
from transparency.audit.services import body_digest, canonical_json, hashed_fields
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


def export_lines(engine: Engine, after: int = 0, chunk: int = CHUNK) -> Iterator[str]:
    """Entries after `after` up to the head at the start, one canonical JSON line each."""
    with engine.connect() as connection:
        head = connection.execute(text("SELECT max(seq) FROM audit_entry")).scalar() or 0
        while after < head:
            rows = connection.execute(ENTRY_ROWS, {"after": after, "head": head, "chunk": chunk}).all()
            if not rows:
                return
            for row in rows:
                line = hashed_fields(row)
                if not row.is_public or holds_personal_data(line):
                    line = {"seq": row.seq, "prev_hash": row.prev_hash, "body_sha256": body_digest(line)}
                elif row.area_code is None:
                    del line["area_code"]
                yield canonical_json({**line, "hash": row.hash}) + "\n"
            after = rows[-1].seq

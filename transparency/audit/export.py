"""The public log export: JSON Lines, one entry per line, exactly the hashed fields plus the hash.

Payloads are public by construction (services.record refuses contact details), so the export
can be verified offline with scripts/verify_audit_export.py and nothing but the standard library.
"""

from __future__ import annotations

from collections.abc import Iterator

from sqlalchemy import Engine, text

from transparency.audit.chain import CHUNK, ENTRY_ROWS, at_text
from transparency.audit.services import canonical_json


def export_lines(engine: Engine, after: int = 0, chunk: int = CHUNK) -> Iterator[str]:
    """Entries after `after` up to the head at the start, one canonical JSON line each."""
    with engine.connect() as connection:
        head = connection.execute(text("SELECT max(seq) FROM audit_entry")).scalar() or 0
        while after < head:
            rows = connection.execute(ENTRY_ROWS, {"after": after, "head": head, "chunk": chunk}).all()
            if not rows:
                return
            for row in rows:
                line = {
                    "seq": row.seq,
                    "at": at_text(row.at),
                    "actor_id": row.actor_id,
                    "actor_role": row.actor_role,
                    "action": row.action,
                    "object_type": row.object_type,
                    "object_id": row.object_id,
                    "payload": row.payload,
                    "prev_hash": row.prev_hash,
                    "hash": row.hash,
                }
                if row.area_code is not None:
                    line["area_code"] = row.area_code
                yield canonical_json(line) + "\n"
            after = rows[-1].seq

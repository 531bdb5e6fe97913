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

from sqlalchemy import Engine, text

from transparency.audit.chain import CHUNK, ENTRY_ROWS
from transparency.audit.services import body_digest, canonical_json, hashed_fields


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
                if not row.is_public:
                    line = {"seq": row.seq, "prev_hash": row.prev_hash, "body_sha256": body_digest(line)}
                elif row.area_code is None:
                    del line["area_code"]
                yield canonical_json({**line, "hash": row.hash}) + "\n"
            after = rows[-1].seq

"""The public log export: JSON Lines, one entry per line, verifiable offline with
scripts/verify_audit_export.py and nothing but the standard library.

Payloads never hold contact details (services.record refuses them). Entries about a matter that
is not shown publicly (a report, a matter naming officials, one the complainant kept private)
are exported as their number, link, body digest and hash only: the chain still verifies, and a
village learns nothing of a matter routed around it (DESIGN rules 3 and 6).
"""

from __future__ import annotations

from collections.abc import Iterator

from sqlalchemy import Engine, or_, select, text

from transparency.audit.chain import CHUNK, ENTRY_ROWS, at_text
from transparency.audit.services import body_digest, canonical_json
from transparency.complaints.models import Matter


def _private_matters(connection) -> set[str]:
    query = select(Matter.id).where(or_(Matter.wants_public.is_(False), Matter.conflict_of_interest.is_(True)))
    return {str(matter_id) for matter_id in connection.execute(query).scalars()}


def export_lines(engine: Engine, after: int = 0, chunk: int = CHUNK) -> Iterator[str]:
    """Entries after `after` up to the head at the start, one canonical JSON line each."""
    with engine.connect() as connection:
        head = connection.execute(text("SELECT max(seq) FROM audit_entry")).scalar() or 0
        private = _private_matters(connection)
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
                    "area_code": row.area_code,
                    "payload": row.payload,
                    "prev_hash": row.prev_hash,
                }
                if row.object_type == "matter" and row.object_id in private:
                    line = {"seq": row.seq, "prev_hash": row.prev_hash, "body_sha256": body_digest(line)}
                elif row.area_code is None:
                    del line["area_code"]
                yield canonical_json({**line, "hash": row.hash}) + "\n"
            after = rows[-1].seq

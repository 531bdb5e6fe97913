"""Verifying the whole chain: every hash, every link, gap-free numbering, every checkpoint.

Reads with plain SQL in chunks (no ORM objects) so a million entries take seconds, inside one
read snapshot so appends made meanwhile do not confuse it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from flask_babel import gettext as _
from sqlalchemy import Connection, Engine, text

from transparency.audit.services import GENESIS_HASH, HASHED_FIELDS, hash_fields, hashed_fields

CHUNK = 20_000
ENTRY_ROWS = text(
    f"SELECT {', '.join(HASHED_FIELDS)}, v, hash, is_public, releases "
    "FROM audit_entry WHERE seq > :after AND seq <= :head ORDER BY seq LIMIT :chunk"
)


@dataclass(frozen=True)
class Verdict:
    ok: bool
    entries: int
    checkpoints: int
    head_seq: int
    head_hash: str
    bad_seq: int | None = None
    problem: str = ""


Progress = Callable[[int], None]


def _fail(entries: int, checkpoints: int, head: tuple[int, str], seq: int, problem: str) -> Verdict:
    return Verdict(False, entries, checkpoints, head[0], head[1], seq, problem)


def verify_chain(engine: Engine, progress: Progress | None = None, chunk: int = CHUNK) -> Verdict:
    """Check the log end to end. Returns a Verdict naming the first bad entry; raises nothing."""
    options = {"isolation_level": "REPEATABLE READ"} if engine.dialect.name == "postgresql" else {}
    with engine.connect().execution_options(**options) as connection:
        return _verify(connection, progress, chunk)


def _verify(connection: Connection, progress: Progress | None, chunk: int) -> Verdict:
    top = connection.execute(text("SELECT seq, hash FROM audit_entry ORDER BY seq DESC LIMIT 1")).first()
    head = (top.seq, top.hash) if top else (0, GENESIS_HASH)
    expected: dict[int, list[tuple[int, str]]] = {}
    for row in connection.execute(text("SELECT id, seq, hash FROM audit_checkpoint ORDER BY id")):
        expected.setdefault(row.seq, []).append((row.id, row.hash))
    checkpoint_count = sum(len(v) for v in expected.values())
    beyond = [seq for seq in expected if seq > head[0]]
    previous_seq, previous_hash, checked = 0, GENESIS_HASH, 0
    while True:
        rows = connection.execute(ENTRY_ROWS, {"after": previous_seq, "head": head[0], "chunk": chunk}).all()
        if not rows:
            break
        for row in rows:
            seq, prev_hash, digest = row.seq, row.prev_hash, row.hash
            if seq != previous_seq + 1:
                missing = previous_seq + 1
                return _fail(
                    checked, checkpoint_count, head, missing, _("第 %(seq)s 条记录缺失（序号不连续）", seq=missing)
                )
            if prev_hash != previous_hash:
                problem = _("第 %(seq)s 条记录的“前一条哈希”与第 %(prev)s 条不符", seq=seq, prev=previous_seq)
                return _fail(checked, checkpoint_count, head, seq, problem)
            if hash_fields(hashed_fields(row)) != digest:
                problem = _("第 %(seq)s 条记录的内容与其哈希不符（被改动过）", seq=seq)
                return _fail(checked, checkpoint_count, head, seq, problem)
            for checkpoint_id, checkpoint_hash in expected.get(seq, ()):
                if checkpoint_hash != digest:
                    problem = _("第 %(seq)s 条记录与检查点 #%(id)s 记下的哈希不符", seq=seq, id=checkpoint_id)
                    return _fail(checked, checkpoint_count, head, seq, problem)
            previous_seq, previous_hash = seq, digest
            checked += 1
        if progress is not None:
            progress(len(rows))
    if beyond:
        first = min(beyond)
        checkpoint_id = expected[first][0][0]
        return _fail(
            checked,
            checkpoint_count,
            head,
            head[0] + 1,
            _(
                "检查点 #%(id)s 记下了第 %(seq)s 条，但日志只到第 %(head)s 条：末尾的记录被删除了",
                id=checkpoint_id,
                seq=first,
                head=head[0],
            ),
        )
    return Verdict(True, checked, checkpoint_count, head[0], head[1])

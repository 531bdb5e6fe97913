"""Verifying the whole chain: every hash, every link, gap-free numbering, every checkpoint.

Reads with plain SQL in chunks (no ORM objects) so a million entries take seconds, inside one
read snapshot so appends made meanwhile do not confuse it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from flask_babel import gettext as _
from sqlalchemy import Connection, Engine, Row, text

from transparency.audit.epochs import EPOCH_ACTION, FIRST_EPOCH, Epoch, check_epoch_entry, epoch_from_row
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
    # Where each restore opened a new epoch (audit/epochs.py), oldest first; empty for one run.
    boundaries: tuple[Epoch, ...] = field(default_factory=tuple)


Progress = Callable[[int], None]


def _fail(entries: int, checkpoints: int, head: tuple[int, str], seq: int, problem: str) -> Verdict:
    return Verdict(False, entries, checkpoints, head[0], head[1], seq, problem)


def _epoch_problem(row: Row, previous: tuple[int, str], boundaries: list[Epoch]) -> str | None:
    """An epoch entry must name the entry before it as the restored head, and count upwards."""
    problem = check_epoch_entry(row.seq, row.payload, *previous)
    if problem is not None:
        return problem
    epoch = epoch_from_row(row.seq, row.payload, row.at)
    if epoch.number <= (boundaries[-1].number if boundaries else FIRST_EPOCH):
        return _("第 %(seq)s 条时期记录的编号没有比上一个时期大", seq=row.seq)
    boundaries.append(epoch)
    return None


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
    boundaries: list[Epoch] = []
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
            if row.action == EPOCH_ACTION:
                problem = _epoch_problem(row, (previous_seq, previous_hash), boundaries)
                if problem is not None:
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
    return Verdict(True, checked, checkpoint_count, head[0], head[1], boundaries=tuple(boundaries))

"""`transparency audit compare HEAD`: does the running log contain a head someone kept?

A head is `seq:hash` (as /audit/head shows it), the JSON of /api/v1/audit/head saved to a file,
or a saved export (/audit/export.jsonl). With a head alone the log either holds that entry with
that hash or it does not; when it does not, the epochs say which stretch of the previous run was
lost in a restore. With an export every entry is compared, so the missing ones are named.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path

from flask_babel import gettext as _
from sqlalchemy import Connection, text

from transparency.audit.epochs import Epoch

HEAD_PATTERN = re.compile(r"^\s*(\d{1,18})\s*[:/ ]\s*([0-9a-fA-F]{64})\s*$")
CHUNK = 20_000


class UnreadableHead(ValueError):
    """Neither `seq:hash` nor a saved head or export file."""


@dataclass(frozen=True)
class KeptEntry:
    """An entry as someone kept it: its number, hash, and (from a shown export line) what it was."""

    seq: int
    hash: str
    action: str = ""
    object: str = ""


@dataclass(frozen=True)
class Comparison:
    head: KeptEntry
    contained: bool
    log_head_seq: int
    missing: list[KeptEntry] = field(default_factory=list)  # known entries absent from the log
    missing_from: int | None = None  # the first entry of the kept history the log does not hold
    missing_to: int | None = None
    restore: Epoch | None = None  # the restore that lost them, when one explains it


def _kept(value: dict) -> KeptEntry:
    try:
        seq, digest = int(value["seq"]), str(value["hash"])
    except (KeyError, TypeError, ValueError):
        raise UnreadableHead(_("文件中的链头缺少 seq 或 hash。")) from None
    obj = ":".join(str(value[k]) for k in ("object_type", "object_id") if value.get(k) is not None)
    return KeptEntry(seq, digest.lower(), str(value.get("action") or ""), obj)


def read_kept(given: str) -> list[KeptEntry]:
    """The kept entries, oldest first (one for a head). Raises UnreadableHead."""
    match = HEAD_PATTERN.match(given)
    if match:
        return [KeptEntry(int(match.group(1)), match.group(2).lower())]
    path = Path(given)
    if not path.is_file():
        raise UnreadableHead(_("“%(given)s”既不是“序号:哈希”形式的链头，也不是一个文件。", given=given))
    try:
        content = path.read_text(encoding="utf-8")
        try:
            document = json.loads(content)
        except json.JSONDecodeError:
            entries = [_kept(json.loads(line)) for line in content.splitlines() if line.strip()]  # an export
        else:
            if not isinstance(document, dict):
                raise UnreadableHead(_("文件里不是链头。"))
            entries = [_kept(document.get("head") or document)]  # /api/v1/audit/head, or one export line
    except (UnicodeDecodeError, json.JSONDecodeError, AttributeError):
        raise UnreadableHead(
            _("无法读取文件 %(path)s：应是链头 JSON 或导出的日志（JSON Lines）。", path=given)
        ) from None
    if not entries:
        raise UnreadableHead(_("文件 %(path)s 是空的。", path=given))
    return sorted(entries, key=lambda e: e.seq)


def _log_hashes(connection: Connection, low: int, high: int) -> dict[int, str]:
    rows = connection.execute(
        text("SELECT seq, hash FROM audit_entry WHERE seq >= :low AND seq <= :high"), {"low": low, "high": high}
    )
    return {row.seq: row.hash for row in rows}


def first_divergence(connection: Connection, kept: list[KeptEntry]) -> int | None:
    """The index of the first kept entry the log lacks or holds with another hash; None if none."""
    for start in range(0, len(kept), CHUNK):
        part = kept[start : start + CHUNK]
        hashes = _log_hashes(connection, part[0].seq, part[-1].seq)
        for offset, entry in enumerate(part):
            if hashes.get(entry.seq) != entry.hash:
                return start + offset
    return None


def compare(connection: Connection, kept: list[KeptEntry], boundaries: list[Epoch]) -> Comparison:
    """Whether the log holds the newest kept entry, and which kept history it lacks. Raises nothing."""
    head = kept[-1]
    log_head = connection.execute(text("SELECT max(seq) FROM audit_entry")).scalar() or 0
    index = first_divergence(connection, kept)
    if index is None:
        return Comparison(head, True, log_head)
    restores = [e for e in boundaries if not e.is_first and e.restored_seq < head.seq]
    restore = restores[-1] if restores else None
    if len(kept) > 1:  # an export: the divergence is known
        first = kept[index].seq
        restore = next((e for e in reversed(boundaries) if not e.is_first and e.restored_seq < first), restore)
        return Comparison(head, False, log_head, kept[index:], first, head.seq, restore)
    if restore is not None:
        first = restore.restored_seq + 1
    else:
        first = min(head.seq, log_head + 1)  # cut short, or rewritten at or before the head
    return Comparison(head, False, log_head, [], first, head.seq, restore)


def describe(result: Comparison, shown: int = 50) -> list[str]:
    """The comparison in words, one line each."""
    head = result.head
    if result.contained:
        after = result.log_head_seq - head.seq
        return [
            _(
                "本站日志包含这个链头（第 %(seq)s 条 %(hash)s），其后又有 %(after)s 条记录。",
                seq=head.seq,
                hash=head.hash,
                after=after,
            )
        ]
    lines = [_("本站日志不包含这个链头（第 %(seq)s 条 %(hash)s）。", seq=head.seq, hash=head.hash)]
    if result.restore is not None:
        lines.append(result.restore.statement())
    lines.append(
        _(
            "缺少的记录：第 %(first)s 条至第 %(last)s 条（共 %(n)s 条），本站日志现在到第 %(head)s 条。",
            first=result.missing_from,
            last=result.missing_to,
            n=(result.missing_to or 0) - (result.missing_from or 0) + 1,
            head=result.log_head_seq,
        )
    )
    if result.restore is None and head.seq <= result.log_head_seq:
        lines.append(_("这些序号在本站对应的是另一条记录：日志在这里被改写过，或链头来自另一个网站。"))
    for entry in result.missing[:shown]:
        what = " ".join(part for part in (entry.action, entry.object) if part) or _("（未公开的记录，只有摘要）")
        lines.append(f"  {entry.seq} {entry.hash} {what}")
    if len(result.missing) > shown:
        lines.append(_("  ……另有 %(n)s 条", n=len(result.missing) - shown))
    return lines

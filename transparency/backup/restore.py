"""Putting a backup back: into an empty site only, checked before and after, in a new epoch.

Refused before anything is written: a damaged backup (manifest checksums), a target that holds
data, a backup of the other database kind, a schema newer than this code, and keys under which
the backup's tracking codes would stop matching. After the copy: the chain is verified and must
end at the manifest's head; then the epoch entry is appended (audit/epochs.py) and the search
index rebuilt by the caller.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from flask import Flask
from flask_babel import gettext as _

from transparency.audit.chain import verify_chain
from transparency.audit.epochs import Epoch, open_epoch
from transparency.backup import keys, snapshot
from transparency.backup.manifest import read_facts
from transparency.core import clock, migrations
from transparency.core.db import db

RESTORES = "restores.json"  # beside the manifest: each restore made from this backup
# What a freshly created app leaves in an empty instance folder (config.load writes the demo key).
FRESH_INSTANCE = frozenset({"secret_key"})


class RestoreRefused(RuntimeError):
    """The restore was refused before anything was written; the message says why and what to do."""


class RestoredCopyBroken(RuntimeError):
    """The copy was put back but does not verify; no epoch was opened."""


def _database_is_empty(app: Flask) -> bool:
    url = app.config["DATABASE_URL"]
    if snapshot.dialect_of(url) == "sqlite":
        return snapshot.sqlite_is_empty(snapshot.sqlite_path(url))
    return snapshot.postgres_is_empty(db.engine)


def check_target(app: Flask, manifest: dict[str, Any], directory: Path) -> None:
    """Refuse a target that holds anything, another database kind, or the wrong keys. Raises RestoreRefused."""
    dialect = snapshot.dialect_of(app.config["DATABASE_URL"])
    if dialect != manifest["database"]["dialect"]:
        raise RestoreRefused(
            _(
                "备份来自 %(backup)s 数据库，而这里配置的是 %(target)s：请把 DATABASE_URL 设为同一种数据库。",
                backup=manifest["database"]["dialect"],
                target=dialect,
            )
        )
    if not _database_is_empty(app):
        raise RestoreRefused(
            _(
                "目标数据库不是空的（%(url)s）：恢复只写入空的数据库，绝不覆盖已有数据。"
                "请新建一个空数据库（或新的实例目录），再运行恢复。",
                url=snapshot.Libpq.from_url(app.config["DATABASE_URL"]).dsn
                if dialect != "sqlite"
                else app.config["DATABASE_URL"],
            )
        )
    instance = Path(app.instance_path)
    leftovers = sorted(p.name for p in instance.iterdir() if p.name not in FRESH_INSTANCE) if instance.is_dir() else []
    database_file = snapshot.sqlite_path(app.config["DATABASE_URL"]).name if dialect == "sqlite" else None
    leftovers = [name for name in leftovers if name != database_file]  # checked empty above
    if leftovers:
        raise RestoreRefused(
            _(
                "实例目录 %(dir)s 不是空的（有 %(files)s）：请指定一个新的空目录（TRANSPARENCY_INSTANCE_PATH）。",
                dir=instance,
                files="、".join(leftovers[:5]),
            )
        )
    revision = manifest["schema_revision"]
    if revision and not migrations.knows(revision):
        raise RestoreRefused(
            _("备份的数据库结构（%(rev)s）比本程序新：请先安装做备份时的版本或更新的版本。", rev=revision)
        )
    missing = keys.missing_tracking_keys(directory, manifest, app.config)
    if missing and missing[0] == manifest["keys"]["tracking_code_keys"][0]:
        raise RestoreRefused(
            _(
                "这里的密钥与备份时不同：恢复后所有查询码都会失效。请把备份中 keys/environment 里的设置"
                "（SECRET_KEY、TRACKING_CODE_KEY 等）放进本站的环境变量，再运行恢复。"
            )
        )


def new_epoch_number(directory: Path, manifest: dict[str, Any], asked: int | None) -> int:
    """One above every epoch known: the backup's, and each earlier restore of this same backup."""
    known = [int(manifest["epoch"]), *(int(r["epoch"]) for r in earlier_restores(directory))]
    lowest = max(known) + 1
    if asked is None:
        return lowest
    if asked < lowest:
        raise RestoreRefused(_("时期编号至少应为 %(n)s（已用过的时期不能再用）。", n=lowest))
    return asked


def earlier_restores(directory: Path) -> list[dict[str, Any]]:
    try:
        found = json.loads((directory / RESTORES).read_text(encoding="utf-8"))
    except (FileNotFoundError, ValueError):
        return []
    return [r for r in found if isinstance(r, dict) and "epoch" in r] if isinstance(found, list) else []


def note_restore(directory: Path, epoch: Epoch, target: str) -> bool:
    """Record beside the backup which epoch a restore of it opened, so the next one takes another.
    Returns False when the backup folder is read-only (the caller warns)."""
    entries = [
        *earlier_restores(directory),
        {"epoch": epoch.number, "at": clock.wall_clock().isoformat(timespec="seconds"), "target": target},
    ]
    try:
        (directory / RESTORES).write_text(json.dumps(entries, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    except OSError:
        return False
    return True


def put_back(app: Flask, directory: Path, manifest: dict[str, Any], progress: Callable[[int, int], None]) -> None:
    """Copy the keys and the database into the (checked, empty) target."""
    if keys.restore_key_file(directory, app.config):
        app.config["SECRET_KEY"] = (directory / keys.SECRET_KEY_FILE).read_text(encoding="utf-8").strip()
    url = app.config["DATABASE_URL"]
    source = directory / manifest["database"]["file"]
    if manifest["database"]["dialect"] == "sqlite":
        snapshot.restore_sqlite(source, snapshot.sqlite_path(url))
    else:
        snapshot.restore_postgres(db.engine, url, source, progress)


def check_restored(manifest: dict[str, Any], progress: Callable[[int], None] | None = None) -> int:
    """The copy must hold the manifest's head and verify end to end. Returns the entries checked.
    Raises RestoredCopyBroken."""
    with db.engine.connect() as connection:
        facts = read_facts(connection)
    if (facts.head_seq, facts.head_hash) != (manifest["head_seq"], manifest["head_hash"]):
        raise RestoredCopyBroken(
            _(
                "恢复出的日志链头（第 %(seq)s 条）与 manifest.json 记下的（第 %(expected)s 条）不同。",
                seq=facts.head_seq,
                expected=manifest["head_seq"],
            )
        )
    verdict = verify_chain(db.engine, progress=progress)
    if not verdict.ok:
        raise RestoredCopyBroken(_("恢复出的审计日志没有通过核验：%(problem)s", problem=verdict.problem))
    return verdict.entries


def open_new_epoch(manifest: dict[str, Any], number: int) -> Epoch:
    """Bring the schema to this code's head, then append the epoch entry, and commit."""
    migrations.upgrade()
    epoch = open_epoch(db.session, number=number, backup_taken_at=manifest["created_at"])
    db.session.commit()
    return epoch

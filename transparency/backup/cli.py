"""`transparency backup DIR` (nightly, while the site runs) and `transparency restore DIR`.

A backup folder holds the database copy, the key files (mode 0600), any deployer's files the
site reads (holiday schedule, complaint rules, synonyms) and, written last, manifest.json: a
folder without one is an unfinished backup and a restore refuses it.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import click
from flask import current_app
from flask.cli import with_appcontext
from flask_babel import gettext as _

from transparency.backup import keys, snapshot
from transparency.backup.manifest import DamagedBackup, check_files, read_manifest, total_size, write_manifest
from transparency.backup.restore import (
    RestoredCopyBroken,
    RestoreRefused,
    check_restored,
    check_target,
    new_epoch_number,
    note_restore,
    open_new_epoch,
    put_back,
)
from transparency.core.db import db

FILES_DIR = "files"
# Files a deployer keeps beside the database, by the setting naming them.
DEPLOYER_FILES = ("HOLIDAYS_FILE", "COMPLAINT_RULES_FILE", "SEARCH_SYNONYMS_PATH")


@contextmanager
def _bar(label: str, length: int = 0) -> Iterator[Callable[[int, int], None]]:
    """A progress bar on stderr fed with (done, total)."""
    with click.progressbar(length=max(length, 1), label=label, file=sys.stderr, show_pos=length > 0) as bar:

        def update(done: int, total: int) -> None:
            bar.length = max(total, 1)
            bar.update(done - bar.pos)

        yield update


def _prepare(directory: Path) -> None:
    if directory.exists() and any(directory.iterdir()):
        raise click.ClickException(
            _("备份目录 %(dir)s 已经存在且不是空的：请为每次备份指定一个新目录。", dir=directory)
        )
    directory.mkdir(mode=0o700, parents=True, exist_ok=True)
    directory.chmod(0o700)


def _copy_deployer_files(directory: Path, config: Any) -> list[str]:
    copied = []
    for setting in DEPLOYER_FILES:
        path = Path(config.get(setting) or "")
        if config.get(setting) and path.is_file():
            name = f"{FILES_DIR}/{setting}/{path.name}"
            (directory / name).parent.mkdir(parents=True, exist_ok=True)
            (directory / name).write_bytes(path.read_bytes())
            copied.append(name)
    return copied


@click.command("backup", help="在网站运行时把数据库、密钥和配置文件一致地备份到一个新目录（每晚运行）。")
@click.argument("directory", type=click.Path(file_okay=False, path_type=Path))
@with_appcontext
def backup_command(directory: Path) -> None:
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    url = app.config["DATABASE_URL"]
    dialect = snapshot.dialect_of(url)
    _prepare(directory)
    try:
        if dialect == "sqlite":
            database_file = snapshot.SQLITE_FILE
            with _bar(_("复制数据库")) as progress:
                snapshot.copy_sqlite(snapshot.sqlite_path(url), directory / database_file, progress)
            with snapshot.sqlite_facts(directory / database_file) as found:
                facts = found
        else:
            database_file = snapshot.POSTGRES_FILE
            with _bar(_("pg_dump 导出数据表")) as progress:
                facts = snapshot.dump_postgres(db.engine, url, directory / database_file, progress)
    except snapshot.CopyFailed as error:
        raise click.ClickException(str(error)) from None
    (directory / database_file).chmod(keys.PRIVATE)  # it holds complainants' contact details too
    files = [database_file, *keys.save_keys(directory, app.config), *_copy_deployer_files(directory, app.config)]
    size = sum((directory / name).stat().st_size for name in files)
    with click.progressbar(length=size, label=_("计算校验和"), file=sys.stderr) as bar:
        write_manifest(
            directory,
            dialect=dialect,
            database_file=database_file,
            facts=facts,
            keys=keys.fingerprints(app.config),
            files=files,
            progress=bar.update,
        )
    click.echo(
        _(
            "备份完成：%(dir)s。日志链头第 %(seq)s 条 %(hash)s，最大受理编号 %(number)s，共 %(n)s 件事项。"
            "备份里有密钥（keys/）：请存放在只有管理员能读的地方，不要与网站放在同一台机器上。",
            dir=directory,
            seq=facts.head_seq,
            hash=facts.head_hash,
            number=facts.highest_matter_number or "—",
            n=facts.matters,
        )
    )


def _restore_deployer_files(directory: Path, manifest: dict[str, Any], config: Any) -> None:
    for name in manifest["files"]:
        parts = Path(name).parts
        if len(parts) != 3 or parts[0] != FILES_DIR:
            continue
        target = Path(config.get(parts[1]) or "")
        if config.get(parts[1]) and not target.exists():
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes((directory / name).read_bytes())
            click.echo(_("已恢复 %(setting)s：%(path)s", setting=parts[1], path=target))
        else:
            click.echo(
                _(
                    "请把备份中的 %(name)s 放到 %(setting)s 所指的位置（本站现在没有设置它，或那里已有文件）。",
                    name=name,
                    setting=parts[1],
                )
            )


@click.command("restore", help="把 transparency backup 做的备份恢复到空的实例目录或空数据库，并开启新的时期。")
@click.argument("directory", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option(
    "--epoch", "asked_epoch", type=click.IntRange(min=2), default=None, help="新时期的编号（默认自动取下一个）"
)
@with_appcontext
def restore_command(directory: Path, asked_epoch: int | None) -> None:
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    try:
        manifest = read_manifest(directory)
        with click.progressbar(length=total_size(directory, manifest), label=_("核对校验和"), file=sys.stderr) as bar:
            check_files(directory, manifest, bar.update)
        check_target(app, manifest, directory)
        number = new_epoch_number(directory, manifest, asked_epoch)
    except (DamagedBackup, RestoreRefused) as error:
        raise click.ClickException(_("没有恢复：%(why)s", why=error)) from None
    try:
        with _bar(_("恢复数据库")) as progress:
            put_back(app, directory, manifest, progress)
    except snapshot.CopyFailed as error:
        raise click.ClickException(_("恢复失败：%(why)s", why=error)) from None
    _restore_deployer_files(directory, manifest, app.config)
    try:
        with click.progressbar(length=manifest["head_seq"], label=_("核验日志"), file=sys.stderr) as bar:
            check_restored(manifest, bar.update)
    except RestoredCopyBroken as error:
        raise click.ClickException(
            _(
                "数据已写入，但没有开启新时期，网站不应上线：%(why)s 请保留此副本供纪检监察核查，换一份备份再恢复。",
                why=error,
            )
        ) from None
    epoch = open_new_epoch(manifest, number)
    click.echo(epoch.statement())
    if not note_restore(directory, epoch, str(app.instance_path)):
        click.echo(
            _("备份目录是只读的，没能记下这次恢复：以后再从这份备份恢复时，请加 --epoch %(n)s。", n=epoch.number + 1),
            err=True,
        )
    from transparency.complaints.codes import number_for, series_for
    from transparency.complaints.deadlines import today
    from transparency.search.cli import rebuild_index

    indexed = rebuild_index()
    series = series_for(epoch.number)
    click.echo(
        _(
            "恢复完成：%(n)s 件事项，索引 %(docs)s 篇。新的受理编号带字母 %(series)s（例如 %(example)s），"
            "与以前发出的任何编号都不会重复。请公布新的链头：第 %(seq)s 条（/audit/head）。",
            n=manifest["matters"],
            docs=indexed,
            series=series,
            example=number_for(today().year, manifest["highest_matter_id"] + 1, series),
            seq=epoch.first_seq,
        )
    )


def init_app(app: Any) -> None:
    app.cli.add_command(backup_command)
    app.cli.add_command(restore_command)

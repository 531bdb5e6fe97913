"""`transparency import FILE` and `transparency export [DIR]`."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import click
from flask import Flask
from flask.cli import with_appcontext
from flask_babel import gettext as _
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from transparency.core import clock
from transparency.core.db import db


@click.command("import", help="导入历史公开内容（JSON、CSV 或 XLSX，格式见 docs/data-format.md），由管理员直接公开。")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--admin", "username", required=True, help="执行导入的管理员用户名（记入审计日志）")
@with_appcontext
def import_command(file: Path, username: str) -> None:
    from transparency.accounts.models import Account, Role
    from transparency.audit.services import record
    from transparency.dataio.importing import ImportRefused, load, read_import_file

    actor = db.session.scalar(select(Account).where(Account.username == username))
    if actor is None or actor.role is not Role.ADMIN:
        raise click.ClickException(_("没有用户名为 %(name)s 的管理员", name=username))
    data = file.read_bytes()
    try:
        with click.progressbar(length=_estimate(data), label=_("检查"), show_pos=True) as bar:
            specs = read_import_file(db.session, data, progress=_advance(bar))
        total = sum(spec.row_count + len(spec.versions) for spec in specs)
        with click.progressbar(length=total, label=_("写入"), show_pos=True) as bar:
            loaded = load(db.session, actor=actor, specs=specs, progress=bar.update)
        record(
            db.session,
            actor=actor,
            action="import.file",
            object_type="file",
            object_id=file.name,
            sha256=hashlib.sha256(data).hexdigest(),
            disclosures=len(loaded),
            versions=sum(len(spec.versions) for spec in specs),
            rows=sum(spec.row_count for spec in specs),
        )
        db.session.commit()
    except ImportRefused as error:
        db.session.rollback()
        click.echo(_("没有导入任何内容，原因如下："), err=True)
        for problem in error.problems:
            click.echo(f"  - {problem}", err=True)
        raise SystemExit(1) from None
    except BaseException:
        db.session.rollback()
        raise
    click.echo(_("已导入并公开 %(count)s 项：", count=len(loaded)))
    for spec, disclosure in zip(specs, loaded, strict=True):
        click.echo(
            _(
                "  - 第 %(id)s 号 %(label)s：%(versions)s 个版本，%(rows)s 行",
                id=disclosure.id,
                label=spec.label,
                versions=len(spec.versions),
                rows=spec.row_count,
            )
        )


def _estimate(data: bytes) -> int:
    """Roughly how many rows and versions the checks will count, to size the progress bar."""
    if data.lstrip()[:1] in (b"{", b"["):
        return max(data.count(b"{"), 1)  # every row and version is an object
    if data.startswith(b"PK"):
        return max(len(data) // 40, 1)  # a compressed row takes a few dozen bytes
    return max(data.count(b"\n"), 1)


def _advance(bar):
    """A progress callback fed with running totals, moving the bar by the difference."""
    done = 0

    def report(rows: int) -> None:
        nonlocal done
        bar.update(rows - done)
        done = rows

    return report


@click.command("export", help="导出全部公开数据（地区、已公开的村务及各版本明细，身份证号已遮盖）。")
@click.argument("directory", default="export", type=click.Path(file_okay=False, path_type=Path))
@with_appcontext
def export_command(directory: Path) -> None:
    from transparency.areas.models import Area, AreaLevel
    from transparency.areas.services import counties
    from transparency.audit.services import record
    from transparency.dataio.serialize import FORMAT, area_tree, disclosure_dump
    from transparency.dataio.writing import to_csv, version_rows
    from transparency.disclosures.models import Disclosure

    (directory / "disclosures").mkdir(parents=True, exist_ok=True)
    (directory / "tables").mkdir(exist_ok=True)
    session = db.session
    _write_json(directory / "areas.json", {"format": FORMAT, "areas": area_tree(counties(session))})
    villages = list(session.scalars(select(Area).where(Area.level == AreaLevel.VILLAGE).order_by(Area.code)))
    total = session.scalar(select(func.count(Disclosure.id)).where(Disclosure.first_published_at.is_not(None))) or 0
    counts = {"villages": 0, "disclosures": 0, "versions": 0}
    with click.progressbar(length=total, label=_("导出"), show_pos=True) as bar:
        for village in villages:
            disclosures = list(
                session.scalars(
                    select(Disclosure)
                    .where(Disclosure.village_id == village.id, Disclosure.first_published_at.is_not(None))
                    .options(selectinload(Disclosure.versions))
                    .order_by(Disclosure.period_start, Disclosure.id)
                )
            )
            if not disclosures:
                continue
            counts["villages"] += 1
            dumped = []
            for disclosure in disclosures:
                dumped.append(disclosure_dump(disclosure))
                for version in disclosure.published_versions:
                    path = directory / "tables" / f"{village.code}-{disclosure.id}-v{version.number}.csv"
                    path.write_bytes(to_csv(version_rows(version)))
                    counts["versions"] += 1
                counts["disclosures"] += 1
                bar.update(1)
            _write_json(directory / "disclosures" / f"{village.code}.json", {"format": FORMAT, "disclosures": dumped})
            session.expunge_all()  # keep memory flat over a whole county
    manifest = {"format": FORMAT, "exported_at": clock.wall_clock().isoformat(), **counts}
    _write_json(directory / "manifest.json", manifest)
    record(session, actor=None, action="export.dump", object_type="export", object_id=directory.name, **counts)
    session.commit()
    click.echo(
        _(
            "已导出 %(villages)s 个村的 %(disclosures)s 项公开（%(versions)s 个版本）到 %(directory)s",
            directory=str(directory),
            **counts,
        )
    )


def _write_json(path: Path, document: object) -> None:
    path.write_text(json.dumps(document, ensure_ascii=False, indent=1), encoding="utf-8")


def init_app(app: Flask) -> None:
    for command in (import_command, export_command):
        app.cli.add_command(command)

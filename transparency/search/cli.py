"""`transparency search sync | rebuild | check`: keep the index equal to the database."""

from __future__ import annotations

import click
from flask import current_app
from flask.cli import AppGroup
from flask_babel import gettext as _

from transparency.core.db import db
from transparency.search import backends, indexer
from transparency.search.base import IndexBusy
from transparency.search.documents import all_documents, count_documents

search_group = AppGroup("search", help="全文搜索索引：补做、重建、核对。")


@search_group.command("sync", help="把尚未写入索引的变更写进去（服务器中途退出后运行）。")
def sync_command() -> None:
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    pending = indexer.pending_count(db.session)
    db.session.rollback()  # the indexer takes its own write transaction
    try:
        applied = indexer.apply_pending(app)
    except IndexBusy:
        raise click.ClickException(_("索引正被其他进程写入，请稍后再试。")) from None
    click.echo(_("已写入索引：%(n)s 条变更（运行前待处理 %(pending)s 条）。", n=applied, pending=pending))


def rebuild_index() -> int:
    """Rebuild the whole index with a progress bar, and commit. Returns how many documents it holds.

    Raises click.ClickException while another process writes the index.
    """
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    total = count_documents(db.session)
    # Changes announced before the rebuild starts are in it; later ones stay in the outbox.
    pending = indexer.pending_ids(db.session)
    with click.progressbar(length=total, label=_("重建索引"), show_pos=True) as bar:
        try:
            count = backends.backend(app).rebuild(
                all_documents(db.session), bar.update, processes=backends.rebuild_processes(total)
            )
        except IndexBusy:
            raise click.ClickException(_("索引正被其他进程写入，请稍后再试。")) from None
    indexer.forget(db.session, pending)
    db.session.commit()
    return count


@search_group.command("rebuild", help="从数据库重建整个索引。")
def rebuild_command() -> None:
    click.echo(_("索引已重建：%(n)s 篇。", n=rebuild_index()))


@search_group.command("check", help="核对索引与数据库：缺少的、过期的、多余的。有差异时以非零状态退出。")
def check_command() -> None:
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    expected = {d.key: d.fingerprint for d in all_documents(db.session)}
    indexed = backends.backend(app).fingerprints()
    missing = sorted(expected.keys() - indexed.keys())
    extra = sorted(indexed.keys() - expected.keys())
    stale = sorted(k for k in expected.keys() & indexed.keys() if expected[k] != indexed[k])
    for label, keys in ((_("缺少"), missing), (_("过期"), stale), (_("多余"), extra)):
        for key in keys:
            click.echo(f"{label} {key}")
    pending = indexer.pending_count(db.session)
    click.echo(
        _(
            "数据库 %(db)s 篇，索引 %(index)s 篇；缺少 %(missing)s，过期 %(stale)s，多余 %(extra)s；"
            "待处理变更 %(pending)s 条。",
            db=len(expected),
            index=len(indexed),
            missing=len(missing),
            stale=len(stale),
            extra=len(extra),
            pending=pending,
        )
    )
    if missing or stale or extra:
        raise click.exceptions.Exit(1)

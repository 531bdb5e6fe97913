"""`transparency printing work | pending`: the background renderer's table, from the command line."""

from __future__ import annotations

import click
from flask import current_app
from flask.cli import AppGroup
from flask_babel import gettext as _

from transparency.core.db import db
from transparency.printing import background, queue

printing_group = AppGroup("printing", help="打印公示：在后台生成发布后的打印文件。")


@printing_group.command("work", help="生成所有到期待生成的打印文件（同一台机器上一次只生成一份）。")
def work_command() -> None:
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    outcome = background.drain(app)
    if outcome.busy:
        click.echo(_("本机另一个进程正在生成打印文件，这次不重复生成。"))
        return
    waiting = queue.pending_count(db.session)
    click.echo(
        _(
            "已生成 %(rendered)s 份，失败 %(failed)s 份（稍后重试），仍在排队 %(waiting)s 份。",
            rendered=outcome.rendered,
            failed=outcome.failed,
            waiting=waiting,
        )
    )
    if outcome.failed:
        raise SystemExit(1)

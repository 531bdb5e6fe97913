"""`transparency complaints …`: jobs for cron."""

from __future__ import annotations

import click
from flask import current_app
from flask.cli import AppGroup
from flask_babel import gettext as _

from transparency.complaints.deadlines import today
from transparency.complaints.services import escalate_one, open_matter_ids
from transparency.core.db import db


@click.group("complaints", cls=AppGroup, help="群众反映事项。")
def complaints_group() -> None:
    pass


@complaints_group.command("escalate", help="把逾期未办的事项提请乡镇纪检监察督办（建议每小时运行一次）。")
def escalate_command() -> None:
    """One transaction per matter, under its lock: a failure is reported and the run goes on."""
    session = db.session
    when = today()
    matter_ids = open_matter_ids(session)
    session.commit()  # the list is read; no lock is held while the matters are taken one by one
    escalated = failed = 0
    for matter_id in matter_ids:
        try:
            matter = escalate_one(session, matter_id=matter_id, today=when)
            number = matter.number if matter is not None else None
            session.commit()
        except Exception:  # noqa: BLE001 (one matter's failure must not stop the others)
            session.rollback()
            current_app.logger.exception("escalating matter %s failed", matter_id)
            click.echo(_("事项 %(id)s 督办失败，下次运行时重试", id=matter_id), err=True)
            failed += 1
            continue
        if number is not None:
            escalated += 1
            click.echo(_("%(number)s 已逾期，已提请督办", number=number))
    click.echo(_("共 %(count)s 件逾期事项提请督办。", count=escalated))
    if failed:
        raise SystemExit(1)

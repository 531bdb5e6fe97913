"""`transparency complaints …`: jobs for cron."""

from __future__ import annotations

import click
from flask.cli import AppGroup
from flask_babel import gettext as _

from transparency.complaints.deadlines import today
from transparency.complaints.services import escalate_overdue
from transparency.core.db import db


@click.group("complaints", cls=AppGroup, help="群众反映事项。")
def complaints_group() -> None:
    pass


@complaints_group.command("escalate", help="把逾期未办的事项提请乡镇纪检监察督办（建议每小时运行一次）。")
def escalate_command() -> None:
    session = db.session
    escalated = escalate_overdue(session, today=today())
    session.commit()
    for matter in escalated:
        click.echo(_("%(number)s 已逾期，已提请督办", number=matter.number))
    click.echo(_("共 %(count)s 件逾期事项提请督办。", count=len(escalated)))

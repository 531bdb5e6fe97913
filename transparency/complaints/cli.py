"""`transparency complaints …`: the escalation job for cron, and the deployer's check of the clock."""

from __future__ import annotations

import datetime as dt

import click
from flask import current_app
from flask.cli import AppGroup
from flask_babel import gettext as _

from transparency.complaints.deadlines import Step, rules, today
from transparency.complaints.models import MatterKind
from transparency.complaints.services import escalate_one, open_matter_ids
from transparency.core.db import db
from transparency.core.holidays_cli import IsoDates


class IsoDate(IsoDates):
    """Exactly one ISO date."""

    name = "YYYY-MM-DD"
    runs = False

    def convert(self, value: object, param: click.Parameter | None, ctx: click.Context | None) -> dt.date:
        return value if isinstance(value, dt.date) else super().convert(value, param, ctx)[0]


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


@complaints_group.command("clock", help="按规则计算一件事项的各项期限（日期和依据），便于对照日历核对。")
@click.option("--kind", required=True, type=click.Choice([str(k) for k in MatterKind]), help="事项类别。")
@click.option("--registered", required=True, type=IsoDate(), help="登记日期 YYYY-MM-DD。")
@click.option("--accepted", type=IsoDate(), help="受理日期。")
@click.option("--replied", type=IsoDate(), help="答复日期。")
@click.option("--extension", type=click.IntRange(min=0), default=0, help="批准延期的天数。")
@click.option("--on-disclosure", is_flag=True, help="从公开内容页面提出的咨询。")
@click.option("--review-answered", type=IsoDate(), help="复查答复日期（信访）。")
@click.option("--real-name", is_flag=True, help="实名举报（告知受理情况和办理结果）。")
@click.option("--closed", type=IsoDate(), help="办结日期（实名举报反馈办理结果）。")
def clock_command(
    kind: str,
    registered: dt.date,
    accepted: dt.date | None,
    replied: dt.date | None,
    extension: int,
    on_disclosure: bool,
    review_answered: dt.date | None,
    real_name: bool,
    closed: dt.date | None,
) -> None:
    table = rules(MatterKind(kind))
    if extension > table[Step.EXTENSION].days:
        raise click.BadParameter(_("延期最多 %(days)s 天", days=table[Step.EXTENSION].days), param_hint="--extension")
    if extension and accepted is None:
        raise click.BadParameter(_("延期只能在受理之后"), param_hint="--extension")
    asks_question = on_disclosure and kind == MatterKind.QUESTION
    reply = Step.REPLY_ON_DISCLOSURE if asks_question else Step.REPLY
    notices = real_name and Step.ACCEPT_NOTICE in table
    starts = [
        (Step.ACCEPT, registered, 0),
        (Step.ACCEPT_NOTICE, registered if notices else None, 0),
        (reply, accepted, extension),
        (Step.RESULT_NOTICE, closed if notices else None, 0),
        (Step.REVIEW_REQUEST, replied, 0),
        (Step.RE_REVIEW_REQUEST, review_answered, 0),
    ]
    for step, start, extra in starts:
        if start is None or step not in table:
            continue
        rule = table[step]
        due = rule.due(start, extra)
        line = f"{step.label} {due.date.isoformat()} " + _("依据%(basis)s", basis=rule.basis)
        if due.rolled_from is not None:
            line += " " + _("（%(day)s 是节假日，顺延）", day=due.rolled_from.isoformat())
        if due.depends_on_unofficial_year:
            line += " " + _("节假日安排未经核实")
        click.echo(line)

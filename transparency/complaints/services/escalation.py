"""Overdue is escalated on the record (DESIGN rule 2): the township takes over a missed deadline."""

from __future__ import annotations

import datetime as dt

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import Session

from transparency.complaints.deadlines import deadlines
from transparency.complaints.models import EventKind, HandlerLevel, Matter
from transparency.complaints.services.timeline import OPEN_STATUSES, append_event


def escalate(session: Session, *, matter: Matter, today: dt.date) -> bool:
    """Hand an overdue matter to the township, on the record: one event per missed deadline.

    Answers whether anything was escalated. Raises nothing.
    """
    done = {e.step for e in matter.events if e.kind is EventKind.ESCALATED}
    escalated = False
    for deadline in deadlines(matter):
        if deadline.open_and_passed(today) and str(deadline.step) not in done:
            matter.handler_level = HandlerLevel.TOWNSHIP
            text = _("“%(step)s”期限 %(due)s 已过", step=deadline.step.label, due=deadline.due.isoformat())
            append_event(session, matter, EventKind.ESCALATED, None, text, step=deadline.step)
            escalated = True
    return escalated


def escalate_overdue(session: Session, *, today: dt.date) -> list[Matter]:
    """The cron job: escalate every open matter with a handler deadline passed. Raises nothing."""
    matters = session.scalars(select(Matter).where(Matter.status.in_(OPEN_STATUSES)).order_by(Matter.id))
    return [matter for matter in matters if escalate(session, matter=matter, today=today)]

"""Overdue is escalated on the record (DESIGN rule 2): the township takes over a missed deadline.

The hourly job escalates one matter per transaction, each under the matter's row lock (FOR UPDATE
on PostgreSQL; SQLite's IMMEDIATE writer transaction), so a handler acting during the run queues
behind it instead of colliding, and one matter that fails leaves the others escalated.
"""

from __future__ import annotations

import datetime as dt

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import Session

from transparency.complaints.deadlines import deadlines
from transparency.complaints.models import EventKind, HandlerLevel, Matter
from transparency.complaints.services.filing import lock
from transparency.complaints.services.timeline import OPEN_STATUSES, append_event


def escalate(session: Session, *, matter: Matter, today: dt.date) -> bool:
    """Hand an overdue matter to the township, on the record: one event per missed deadline.

    The caller holds the matter's lock. Answers whether anything was escalated. Raises nothing.
    """
    done = {e.step for e in matter.events if e.kind is EventKind.ESCALATED}
    escalated = False
    for deadline in deadlines(matter):
        if deadline.open_and_passed(today) and str(deadline.step) not in done:
            if matter.handler_level is HandlerLevel.VILLAGE:  # a higher level keeps it
                matter.handler_level = HandlerLevel.TOWNSHIP
            text = _("“%(step)s”期限 %(due)s 已过", step=deadline.step.label, due=deadline.due.isoformat())
            append_event(session, matter, EventKind.ESCALATED, None, text, step=deadline.step)
            escalated = True
    return escalated


def open_matter_ids(session: Session) -> list[int]:
    """The ids of every open matter, for the job to take one at a time. Raises nothing."""
    return list(session.scalars(select(Matter.id).where(Matter.status.in_(OPEN_STATUSES)).order_by(Matter.id)))


def escalate_one(session: Session, *, matter_id: int, today: dt.date) -> Matter | None:
    """Lock one matter, read it afresh, and escalate it if a handler deadline passed.

    Answers the matter when it was escalated; None when it is gone, closed meanwhile or on time.
    Raises only what the database raises.
    """
    session.expire_all()  # whatever a handler committed since is read under the lock
    matter = lock(session, matter_id)
    if matter is None or matter.status not in OPEN_STATUSES:
        return None
    return matter if escalate(session, matter=matter, today=today) else None


def escalate_overdue(session: Session, *, today: dt.date) -> list[Matter]:
    """Escalate every overdue open matter in the caller's one transaction (demo data, tests).

    The cron job uses `open_matter_ids` and `escalate_one` with a commit per matter. Raises nothing.
    """
    found = (escalate_one(session, matter_id=matter_id, today=today) for matter_id in open_matter_ids(session))
    return [matter for matter in found if matter is not None]

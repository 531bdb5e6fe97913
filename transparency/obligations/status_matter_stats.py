"""Complaint statistics (complaints.stats.MatterStats) for many villages, from the stored deadlines.

The counts are added up by the database, per village and status, instead of judging every matter
in Python: a county has thousands of matters a year. Only the days to acceptance and to the reply
(for the medians) are read per matter, as differences the database takes of the local dates the
deadlines keep. Without a usable build the figures are computed live (complaints.stats.matter_stats);
both ways give the same figures.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Sequence
from typing import Any

from sqlalchemy import Integer, and_, case, func, not_, or_, select
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.orm import Session, aliased
from sqlalchemy.sql.functions import FunctionElement

from transparency.areas.models import Area
from transparency.complaints.deadlines import Step
from transparency.complaints.models import Matter, MatterStatus
from transparency.complaints.stats import SATISFIED, MatterStats, matter_stats, matters_filter, summed
from transparency.obligations.status import usable_build
from transparency.obligations.status_models import MatterDeadline

# The counted fields of MatterStats, in the order `_counts` selects them after village and status.
COUNTED = (
    "total", "overdue_now", "answered_late", "answered_on_time", "unverified",
    "accepted", "extended", "replied", "reviewed", "rated", "satisfied",
)  # fmt: skip


def stored_matter_stats(
    session: Session, villages: Sequence[Area], today: dt.date, *, public_only: bool, year: int | None = None
) -> tuple[MatterStats, dict[int, MatterStats]]:
    """As complaints.stats.matter_stats (totals, and per village id), from the stored deadlines."""
    if usable_build(session, today) is None:
        return matter_stats(session, villages, today, public_only=public_only, year=year)
    chosen = matters_filter(villages, public_only=public_only, year=year)
    per_village: dict[int, MatterStats] = defaultdict(MatterStats)
    for village_id, status, *counts in session.execute(_counts(chosen, today)):
        stats = per_village[village_id]
        stats.by_status[status] += counts[0]
        for name, count in zip(COUNTED, counts, strict=True):
            setattr(stats, name, getattr(stats, name) + int(count or 0))
    _add_days(session, chosen, per_village)
    return summed(per_village), per_village


def _judged(chosen: list) -> Any:
    """Per matter chosen, from its stored deadlines: the earliest open handler deadline, whether a handler
    step came late, whether an open deadline rests on a year without official holidays."""
    handler_open = and_(MatterDeadline.for_handler, MatterDeadline.met_on.is_(None))
    met_late = and_(MatterDeadline.for_handler, MatterDeadline.met_on > MatterDeadline.due)
    open_unverified = and_(MatterDeadline.unverified, MatterDeadline.met_on.is_(None))
    return (
        select(
            MatterDeadline.matter_id,
            func.min(case((handler_open, MatterDeadline.due))).label("open_due"),
            func.max(case((met_late, 1), else_=0)).label("met_late"),
            func.max(case((open_unverified, 1), else_=0)).label("open_unverified"),
        )
        .join(Matter, Matter.id == MatterDeadline.matter_id)
        .where(*chosen)
        .group_by(MatterDeadline.matter_id)
        .subquery()
    )


def _counts(chosen: list, today: dt.date) -> Any:
    """Per village and status, the COUNTED fields, judged as MatterStats.add_counted judges a matter."""
    judged = _judged(chosen)
    overdue = and_(judged.c.open_due.is_not(None), judged.c.open_due < today)
    missed = or_(overdue, func.coalesce(judged.c.met_late, 0) == 1)
    answered = or_(Matter.replied_at.is_not(None), Matter.status == MatterStatus.DECLINED)
    accepted = and_(Matter.decided_at.is_not(None), Matter.status != MatterStatus.DECLINED)
    replied = Matter.replied_at.is_not(None)

    def counted(condition: Any) -> Any:
        return func.sum(case((condition, 1), else_=0))

    return (
        select(
            Matter.village_id,
            Matter.status,
            func.count(Matter.id),
            counted(overdue),
            counted(and_(answered, missed)),
            counted(and_(answered, not_(missed))),
            counted(func.coalesce(judged.c.open_unverified, 0) == 1),
            counted(accepted),
            counted(and_(accepted, Matter.extension_days > 0)),
            counted(replied),
            counted(and_(replied, Matter.review_requested_at.is_not(None))),
            counted(Matter.rating.is_not(None)),
            counted(Matter.rating.in_(SATISFIED)),
        )
        .outerjoin(judged, judged.c.matter_id == Matter.id)
        .where(*chosen)
        .group_by(Matter.village_id, Matter.status)
    )


class days_between(FunctionElement[int]):  # noqa: N801  (named like the SQL functions it stands for)
    """`later - earlier` in days, for two DATE columns: PostgreSQL subtracts dates, SQLite does not."""

    type = Integer()
    inherit_cache = True


@compiles(days_between)
def _days_between(element: days_between, compiler: Any, **kw: Any) -> str:
    later, earlier = (compiler.process(argument, **kw) for argument in element.clauses)
    return f"({later} - {earlier})"


@compiles(days_between, "sqlite")
def _days_between_sqlite(element: days_between, compiler: Any, **kw: Any) -> str:
    later, earlier = (compiler.process(argument, **kw) for argument in element.clauses)
    return f"CAST(julianday({later}) - julianday({earlier}) AS INTEGER)"


def _add_days(session: Session, chosen: list, per_village: dict[int, MatterStats]) -> None:
    """Per village, the days from registration to acceptance and to the reply, in local dates: the
    stored deadlines keep the day of registration (the acceptance's `counted_from`), of the decision
    (its `met_on`) and of the reply (the reply step's `met_on`)."""
    accept, reply = aliased(MatterDeadline), aliased(MatterDeadline)
    replied = and_(reply.matter_id == Matter.id, reply.step.in_([str(Step.REPLY), str(Step.REPLY_ON_DISCLOSURE)]))
    query = (
        select(
            Matter.village_id,
            days_between(accept.met_on, accept.counted_from),
            days_between(reply.met_on, accept.counted_from),
        )
        .join(accept, and_(accept.matter_id == Matter.id, accept.step == str(Step.ACCEPT)))
        .outerjoin(reply, replied)
        .where(*chosen, accept.met_on.is_not(None))
    )
    for village_id, to_accept, to_reply in session.execute(query):
        stats = per_village[village_id]
        stats.days_to_accept.append(to_accept)
        if to_reply is not None:
            stats.days_to_reply.append(to_reply)

"""The dashboard's and the township calendar's disclosure figures, read from the stored status
(their complaint figures: status_matter_stats.py).

Whether an item is missing or a deadline overdue is decided here by comparing the stored dates
with today (in SQL for the tallies), so nothing is recomputed per request. Without a usable build
(never built, another OBLIGATIONS_START, today past the stored horizon) the figures are computed
live, the slow way, and are the same.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field

from sqlalchemy import and_, case, func, select
from sqlalchemy.orm import Session

from transparency.areas.models import Area
from transparency.disclosures.carry_over import CarryOverGap, carry_over_gaps
from transparency.obligations.calendar import DueItem, DueStatus, Tally, calendars, local_today
from transparency.obligations.status import usable_build
from transparency.obligations.status_models import ObligationStatus as Row


@dataclass
class VillageSummary:
    """One village for one year (or all): its counts, its late and missing items, its ledger gaps."""

    village: Area
    tally: Tally
    problems: list[DueItem] = field(default_factory=list)  # newest first; only when asked for
    carry_over: list[CarryOverGap] = field(default_factory=list)


def summaries(
    session: Session,
    villages: Sequence[Area],
    *,
    year: int | None,
    problems: bool = False,
    today: dt.date | None = None,
) -> list[VillageSummary]:
    """Per village, in the order given."""
    today = today or local_today()
    build = usable_build(session, today)
    if build is None:
        return [
            VillageSummary(
                c.village,
                c.tally(year),
                [i for i in c.problems() if year is None or i.start.year == year] if problems else [],
                c.carry_over,
            )  # fmt: skip
            for c in calendars(session, villages, today=today, year=year)
        ]
    first, last = build.first, today
    if year is not None:
        first, last = max(first, dt.date(year, 1, 1)), min(today, dt.date(year, 12, 31))
    ids = [village.id for village in villages]
    scope = and_(Row.village_id.in_(ids), Row.period_start >= first, Row.period_start <= last)
    published, unpublished = Row.published_on.is_not(None), Row.published_on.is_(None)
    counts = (
        select(
            Row.village_id,
            func.sum(case((and_(published, Row.published_on <= Row.due), 1), else_=0)),
            func.sum(case((and_(published, Row.published_on > Row.due), 1), else_=0)),
            func.sum(case((and_(unpublished, Row.due < today), 1), else_=0)),
            func.sum(case((and_(unpublished, Row.due >= today), 1), else_=0)),
        )
        .where(scope)
        .group_by(Row.village_id)
    )
    tallies = {}
    for village_id, on_time, late, missing, still_open in session.execute(counts):
        on_time, late, missing = int(on_time or 0), int(late or 0), int(missing or 0)
        tallies[village_id] = Tally(on_time + late + missing, on_time, late, missing, int(still_open or 0))
    found: dict[int, list[DueItem]] = defaultdict(list)
    if problems:
        for item in _problems(session, scope, today):
            found[item.village_id].append(item)
    gaps = carry_over_gaps(session, ids)
    return [VillageSummary(v, tallies.get(v.id) or Tally(), found.get(v.id, []), gaps.get(v.id, [])) for v in villages]


def _problems(session: Session, scope, today: dt.date) -> list[DueItem]:
    """Late and missing items, newest period first (then by category, as the live calendar sorts)."""
    late = and_(Row.published_on.is_not(None), Row.published_on > Row.due)
    missing = and_(Row.published_on.is_(None), Row.due < today)
    query = select(Row).where(scope, late | missing).order_by(Row.period_start.desc(), Row.category, Row.id)
    return [
        DueItem(
            row.village_id,
            row.category,
            row.period_kind,
            row.period_start,
            row.period_end,
            row.due,
            DueStatus.MISSING if row.published_on is None else DueStatus.LATE,
            row.published_at,
            row.disclosure_id,
        )  # fmt: skip
        for row in session.scalars(query)
    ]

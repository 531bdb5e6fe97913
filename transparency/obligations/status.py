"""Building the stored status (status_models.py): for some villages, for one matter, or everything.

The rows come from the same code the live calendar and the complaint clock use (`calendars`,
`deadlines`), computed through `StatusBuild.through` instead of today: what is due later is
stored now and becomes "missing" by a date comparison when read.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from typing import Any

from sqlalchemy import delete, func, insert, select
from sqlalchemy.orm import Session

from transparency.areas.models import Area, AreaLevel
from transparency.complaints.deadlines import deadlines, local_date
from transparency.complaints.models import Matter
from transparency.core import clock
from transparency.core.db import utcnow
from transparency.obligations.calendar import calendars, local_today
from transparency.obligations.rules import obligations_start
from transparency.obligations.status_models import MatterDeadline, ObligationStatus, StatusBuild

CHUNK = 50  # villages (or 20 times as many matters) per batch of the full rebuild

Progress = Callable[[str, int, int], None]  # (what, done, total)


def current_build(session: Session) -> StatusBuild | None:
    """The build row, if the tables were built (by the command, or on the first village)."""
    return session.get(StatusBuild, 1)


def usable_build(session: Session, today: dt.date) -> StatusBuild | None:
    """The build, if it answers for `today` under the obligations start in force; else None (compute live)."""
    build = current_build(session)
    if build is None or build.first != obligations_start() or today > build.through:
        return None
    return build


def _horizon() -> dt.date:
    """Periods are stored through the end of next year; `rebuild-status` moves it on (yearly cron)."""
    return dt.date(local_today().year + 1, 12, 31)


def build_villages(session: Session, villages: Sequence[Area], build: StatusBuild) -> None:
    """Replace the stored obligations of these villages."""
    ids = [village.id for village in villages]
    session.execute(delete(ObligationStatus).where(ObligationStatus.village_id.in_(ids)))
    zone = clock.zone()
    rows = [
        {
            "village_id": item.village_id,
            "category": item.category,
            "period_kind": item.kind,
            "period_start": item.start,
            "period_end": item.end,
            "due": item.due,
            "published_at": item.published_at,
            "disclosure_id": item.disclosure_id,
            "published_on": item.published_at.astimezone(zone).date() if item.published_at else None,
        }  # fmt: skip
        for calendar in calendars(session, villages, today=build.through)
        for item in calendar.items
    ]
    if rows:
        session.execute(insert(ObligationStatus), rows)


def deadline_rows(matter: Any) -> list[dict[str, object]]:
    """The matter's deadlines as rows. Raises what `deadlines` raises (broken rule or holiday files)."""
    return [
        {
            "matter_id": matter.id,
            "step": str(d.step),
            "due": d.due,
            "met_at": d.met_at,
            "met_on": local_date(d.met_at) if d.met_at is not None else None,
            "counted_from": d.counted_from,
            "for_handler": d.for_handler,
            "unverified": d.unverified,
        }  # fmt: skip
        for d in deadlines(matter)
    ]


def build_matters(session: Session, matters: Sequence[Any], *, registered: bool = False) -> None:
    """Replace the stored deadlines of these matters; `registered` when they were registered in this
    transaction, so none are stored yet (a filing skips the DELETE)."""
    if not registered:
        session.execute(delete(MatterDeadline).where(MatterDeadline.matter_id.in_([m.id for m in matters])))
    rows = [row for matter in matters for row in deadline_rows(matter)]
    if rows:
        session.execute(insert(MatterDeadline), rows)


def start_build(session: Session) -> StatusBuild:
    """The build row, new or moved to today's obligations start and horizon (which never moves back)."""
    build = current_build(session)
    through = max(_horizon(), build.through) if build is not None else _horizon()
    build = build or StatusBuild(id=1)
    build.first, build.through, build.built_at = obligations_start(), through, utcnow()
    session.add(build)
    session.flush()
    return build


def rebuild_villages(session: Session, build: StatusBuild, progress: Progress | None = None) -> None:
    """Every village's obligations again (a changed rule or flag moves every calendar)."""
    session.execute(delete(ObligationStatus))
    villages = list(session.scalars(select(Area).where(Area.level == AreaLevel.VILLAGE).order_by(Area.code)))
    for done in range(0, len(villages), CHUNK):
        build_villages(session, villages[done : done + CHUNK], build)
        if progress:
            progress("villages", min(done + CHUNK, len(villages)), len(villages))


def rebuild(session: Session, progress: Progress | None = None) -> StatusBuild:
    """Both tables from scratch, in the caller's transaction (the caller commits)."""
    build = start_build(session)
    rebuild_villages(session, build, progress)
    session.execute(delete(MatterDeadline))
    total = session.scalar(select(func.count(Matter.id))) or 0
    last_id, done = 0, 0
    while True:
        query = select(Matter).where(Matter.id > last_id).order_by(Matter.id).limit(CHUNK * 20)
        matters = list(session.scalars(query))
        if not matters:
            break
        build_matters(session, matters)
        last_id, done = matters[-1].id, done + len(matters)
        if progress:
            progress("matters", done, total)
    return build

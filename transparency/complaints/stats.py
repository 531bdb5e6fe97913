"""Complaint statistics for inspectors (every matter) and the public (only matters shown publicly).

Fair statistics: a share or a median only when enough matters stand behind it (STATS_MIN_SAMPLE);
below that the page says 样本不足. Villages are listed in code order, never ranked.
"""

from __future__ import annotations

import datetime as dt
import statistics
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, fields
from typing import Any

from sqlalchemy import ColumnElement, Select, select
from sqlalchemy.orm import Session

from transparency.areas.models import Area
from transparency.complaints.deadlines import deadlines, local_date
from transparency.complaints.models import Matter, MatterStatus, Rating
from transparency.core import clock

SATISFIED = (Rating.SATISFIED, Rating.BASICALLY_SATISFIED)


@dataclass(frozen=True)
class Share:
    count: int
    base: int

    def percent(self, minimum: int) -> int | None:
        """None below the minimum sample: too few to judge (样本不足)."""
        return None if self.base < max(minimum, 1) else round(100 * self.count / self.base)


@dataclass
class MatterStats:
    total: int = 0
    by_status: Counter = field(default_factory=Counter)
    answered_on_time: int = 0
    answered_late: int = 0
    overdue_now: int = 0
    unverified: int = 0  # open deadlines counted over a year without an official holiday schedule
    days_to_accept: list[int] = field(default_factory=list)
    days_to_reply: list[int] = field(default_factory=list)
    accepted: int = 0
    extended: int = 0
    replied: int = 0
    reviewed: int = 0
    rated: int = 0
    satisfied: int = 0

    def add(self, matter: Any, today: dt.date) -> None:
        steps = deadlines(matter)
        self.add_counted(
            matter,
            overdue_now=any(d.open_and_passed(today) for d in steps),
            missed=any(d.missed(today) for d in steps),
            unverified=any(d.unverified and d.met_at is None for d in steps),
        )

    def add_counted(self, matter: Any, *, overdue_now: bool, missed: bool, unverified: bool) -> None:
        """Add a matter whose deadlines were already judged: some handler deadline passed with the
        step not taken (`overdue_now`), one was passed or met late (`missed`), an open one rests on
        a year without official holidays (`unverified`)."""
        self.total += 1
        self.by_status[matter.status] += 1
        if overdue_now:
            self.overdue_now += 1
        self.unverified += unverified
        registered = local_date(matter.registered_at)
        if matter.decided_at is not None:
            self.days_to_accept.append((local_date(matter.decided_at) - registered).days)
        if matter.replied_at is not None or matter.status is MatterStatus.DECLINED:
            if missed:
                self.answered_late += 1
            else:
                self.answered_on_time += 1
        if matter.decided_at is not None and matter.status is not MatterStatus.DECLINED:
            self.accepted += 1
            self.extended += matter.extension_days > 0
        if matter.replied_at is not None:
            self.replied += 1
            self.days_to_reply.append((local_date(matter.replied_at) - registered).days)
            self.reviewed += matter.review_requested_at is not None
        if matter.rating is not None:
            self.rated += 1
            self.satisfied += matter.rating in SATISFIED

    def merge(self, other: MatterStats) -> None:
        """Add another set of matters' figures to these (counts add up, samples join)."""
        for item in fields(self):
            mine, theirs = getattr(self, item.name), getattr(other, item.name)
            if isinstance(mine, Counter):
                mine.update(theirs)
            elif isinstance(mine, list):
                mine.extend(theirs)
            else:
                setattr(self, item.name, mine + theirs)

    @property
    def answered(self) -> int:
        return self.answered_on_time + self.answered_late

    @property
    def on_time(self) -> Share:
        return Share(self.answered_on_time, self.answered)

    @property
    def extended_share(self) -> Share:
        return Share(self.extended, self.accepted)

    @property
    def review_share(self) -> Share:
        return Share(self.reviewed, self.replied)

    @property
    def satisfaction(self) -> Share:
        return Share(self.satisfied, self.rated)

    def median_days_to_accept(self, minimum: int) -> float | None:
        return _median(self.days_to_accept, minimum)

    def median_days_to_reply(self, minimum: int) -> float | None:
        return _median(self.days_to_reply, minimum)


def _median(values: list[int], minimum: int) -> float | None:
    return statistics.median(values) if len(values) >= max(minimum, 1) else None


def matters_of(
    session: Session, villages: Sequence[Area], *, public_only: bool, year: int | None = None
) -> Iterable[Any]:
    """Matters of these villages (the columns statistics need, not ORM objects: thousands of them);
    `public_only` keeps only those shown on public pages."""
    return session.execute(matters_query(villages, public_only=public_only, year=year))


def matters_query(villages: Sequence[Area], *, public_only: bool, year: int | None = None) -> Select[Any]:
    """The query `matters_of` runs (rows answer the same attribute names as a Matter)."""
    columns = (
        Matter.id, Matter.village_id, Matter.status, Matter.registered_at, Matter.decided_at, Matter.replied_at,
        Matter.extension_days, Matter.rating, Matter.review_requested_at, Matter.review_answered_at,
        Matter.kind, Matter.disclosure_id, Matter.real_name, Matter.closed_at, Matter.re_review_requested_at,
        Matter.re_review_answered_at, Matter.acceptance_notified_at, Matter.result_notified_at,
    )  # fmt: skip
    return select(*columns).where(*matters_filter(villages, public_only=public_only, year=year)).order_by(Matter.id)


def matters_filter(
    villages: Sequence[Area], *, public_only: bool, year: int | None = None
) -> list[ColumnElement[bool]]:
    """The conditions choosing the matters `matters_query` reads, for other queries over the same matters."""
    conditions = [Matter.village_id.in_([v.id for v in villages])]
    if public_only:
        conditions.append(Matter.is_public)
    if year is not None:
        # Registered in that local year.
        start, end = (clock.start_of_local_day(dt.date(y, 1, 1)) for y in (year, year + 1))
        conditions += [Matter.registered_at >= start, Matter.registered_at < end]
    return conditions


def matter_stats(
    session: Session, villages: Sequence[Area], today: dt.date, *, public_only: bool, year: int | None = None
) -> tuple[MatterStats, dict[int, MatterStats]]:
    """Totals over all the villages, and per village id."""
    per_village: dict[int, MatterStats] = defaultdict(MatterStats)
    for matter in matters_of(session, villages, public_only=public_only, year=year):
        per_village[matter.village_id].add(matter, today)
    return summed(per_village), per_village


def summed(per_village: dict[int, MatterStats]) -> MatterStats:
    """The figures of all the villages together."""
    total = MatterStats()
    for stats in per_village.values():
        total.merge(stats)
    return total

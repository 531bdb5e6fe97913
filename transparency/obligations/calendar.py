"""The disclosure calendar (公开日历): per village, category and period, what was due, what was
published and when, what was late and what is missing.

One query reads every published disclosure of the villages concerned; the rest is arithmetic on
dates, so a county of 300 villages and ten years stays fast (benchmarks/accountability_benchmark.py).
"""

from __future__ import annotations

import bisect
import datetime as dt
import enum
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from flask import current_app
from sqlalchemy import select
from sqlalchemy.orm import Session

from transparency.areas.models import Area
from transparency.core import clock
from transparency.core.translations import lazy_gettext as _l
from transparency.disclosures.carry_over import CarryOverGap, carry_over_gaps
from transparency.disclosures.models import Category, Disclosure, PeriodKind
from transparency.disclosures.periods import period_label
from transparency.obligations.rules import (
    PERIOD_OF_CADENCE,
    Rule,
    obligations_start,
    rules_for_village,
    rules_in_force,
    village_flags,
)


class DueStatus(enum.StrEnum):
    ON_TIME = "on_time"
    LATE = "late"
    MISSING = "missing"
    OPEN = "open"  # not yet due, not yet published

    @property
    def label(self) -> str:
        return str(DUE_STATUS_LABELS[self])

    @property
    def is_problem(self) -> bool:
        return self in (DueStatus.LATE, DueStatus.MISSING)


DUE_STATUS_LABELS = {
    DueStatus.ON_TIME: _l("按时公开"),
    DueStatus.LATE: _l("逾期公开"),
    DueStatus.MISSING: _l("逾期没有公开"),
    DueStatus.OPEN: _l("未到期"),
}


@dataclass(frozen=True)
class Published:
    disclosure_id: int
    kind: PeriodKind
    start: dt.date
    end: dt.date
    published_at: dt.datetime
    published_on: dt.date  # local date


@dataclass(frozen=True)
class DueItem:
    """One obligation: a village's category for one period (or one event)."""

    village_id: int
    category: Category
    kind: PeriodKind
    start: dt.date
    end: dt.date
    due: dt.date
    status: DueStatus
    published_at: dt.datetime | None = None
    disclosure_id: int | None = None

    @property
    def period(self) -> str:
        return period_label(self.kind, self.start)


@dataclass
class Tally:
    """Counts over a set of items; the on-time share only above the minimum sample."""

    due: int = 0
    on_time: int = 0
    late: int = 0
    missing: int = 0
    open: int = 0

    def add(self, item: DueItem) -> None:
        if item.status is DueStatus.OPEN:
            self.open += 1
            return
        self.due += 1
        if item.status is DueStatus.ON_TIME:
            self.on_time += 1
        elif item.status is DueStatus.LATE:
            self.late += 1
        else:
            self.missing += 1

    def on_time_percent(self, minimum: int) -> int | None:
        """None when fewer than `minimum` items were due: too few to judge (样本不足)."""
        if self.due < max(minimum, 1):
            return None
        return round(100 * self.on_time / self.due)


@dataclass
class VillageCalendar:
    village: Area
    rules: dict[Category, Rule]
    items: list[DueItem] = field(default_factory=list)
    # Published ledgers whose 期初余额 is not the previous 期末余额 (期初与上期期末不符), newest first.
    carry_over: list[CarryOverGap] = field(default_factory=list)

    def tally(self, year: int | None = None) -> Tally:
        tally = Tally()
        for item in self.items:
            if year is None or item.start.year == year:
                tally.add(item)
        return tally

    def problems(self) -> list[DueItem]:
        """Late and missing, newest first."""
        return sorted((i for i in self.items if i.status.is_problem), key=lambda i: i.start, reverse=True)

    def by_category(self, year: int | None = None) -> dict[Category, list[DueItem]]:
        grouped: dict[Category, list[DueItem]] = {category: [] for category in self.rules}
        for item in self.items:
            if year is None or item.start.year == year:
                grouped[item.category].append(item)
        return grouped

    def years(self) -> list[int]:
        return sorted({item.start.year for item in self.items}, reverse=True)


def min_sample() -> int:
    return int(current_app.config.get("STATS_MIN_SAMPLE", 5))


def local_today() -> dt.date:
    return clock.today()


def calendars(
    session: Session, villages: Sequence[Area], today: dt.date | None = None, year: int | None = None
) -> list[VillageCalendar]:
    """The calendar of each village, in the order given; only periods starting in `year` if given."""
    today = today or local_today()
    zone = clock.zone()
    first = obligations_start()
    last = today
    if year is not None:
        first, last = max(first, dt.date(year, 1, 1)), min(today, dt.date(year, 12, 31))
    rules = rules_in_force(session)
    flags = village_flags(session, (v.id for v in villages))
    published = _published(session, [v.id for v in villages], first, last, zone)
    gaps = carry_over_gaps(session, [v.id for v in villages])
    result = []
    for village in villages:
        calendar = VillageCalendar(village, rules_for_village(rules, flags.get(village.id, set())))
        calendar.carry_over = gaps.get(village.id, [])  # open problems whatever year is looked at
        for category, rule in calendar.rules.items():
            disclosures = published.get((village.id, category), [])
            calendar.items.extend(_items(village.id, category, rule, disclosures, first, last, today))
        calendar.items.sort(key=lambda i: (i.start, i.category))
        result.append(calendar)
    return result


def _published(
    session: Session, village_ids: list[int], first: dt.date, last: dt.date, zone: ZoneInfo
) -> dict[tuple[int, Category], list[Published]]:
    """Published disclosures overlapping [first, last], grouped by village and category, by start."""
    query = select(
        Disclosure.id,
        Disclosure.village_id,
        Disclosure.category,
        Disclosure.period_kind,
        Disclosure.period_start,
        Disclosure.period_end,
        Disclosure.first_published_at,
    ).where(
        Disclosure.first_published_at.is_not(None),
        Disclosure.period_end >= first,
        Disclosure.period_start <= last,
        Disclosure.village_id.in_(village_ids),
    )
    grouped: dict[tuple[int, Category], list[Published]] = defaultdict(list)
    for row in session.execute(query):
        published_on = row.first_published_at.astimezone(zone).date()
        grouped[(row.village_id, row.category)].append(
            Published(row.id, row.period_kind, row.period_start, row.period_end, row.first_published_at, published_on)
        )
    for disclosures in grouped.values():
        disclosures.sort(key=lambda p: p.start)
    return grouped


def _items(
    village_id: int,
    category: Category,
    rule: Rule,
    disclosures: list[Published],
    first: dt.date,
    last: dt.date,
    today: dt.date,
) -> Iterable[DueItem]:
    def status(due: dt.date, published: Published | None) -> DueStatus:
        if published is None:
            return DueStatus.MISSING if today > due else DueStatus.OPEN
        return DueStatus.ON_TIME if published.published_on <= due else DueStatus.LATE

    if not rule.periodic:
        # An event nobody published is unknown to us: events give late or on time, never missing.
        for disclosure in disclosures:
            if first <= disclosure.start <= last:
                due = rule.due_date(disclosure.start)
                yield DueItem(
                    village_id, category, disclosure.kind, disclosure.start, disclosure.end, due,
                    status(due, disclosure), disclosure.published_at, disclosure.disclosure_id,
                )  # fmt: skip
        return
    kind = PERIOD_OF_CADENCE[rule.cadence]
    starts = [disclosure.start for disclosure in disclosures]
    exact = {}
    for disclosure in sorted(
        disclosures, key=lambda n: n.published_at
    ):  # usually one disclosure for exactly the period
        exact.setdefault((disclosure.start, disclosure.end), disclosure)
    for period_start, period_end in rule.periods(first, last):
        due = rule.due_date(period_end)
        covering = exact.get((period_start, period_end)) or _covered_by(disclosures, starts, period_start, period_end)
        yield DueItem(
            village_id, category, kind, period_start, period_end, due, status(due, covering),
            covering.published_at if covering else None, covering.disclosure_id if covering else None,
        )  # fmt: skip


def _covered_by(disclosures: list[Published], starts: list[dt.date], first: dt.date, last: dt.date) -> Published | None:
    """The disclosure that completed the period's coverage (several shorter ones, e.g. three months for
    a quarter, or one longer one), in publication order; None while any day is uncovered."""
    # A disclosure covers at most a year: look back that far from the period's first day.
    low = bisect.bisect_left(starts, first - dt.timedelta(days=366))
    high = bisect.bisect_right(starts, last)
    candidates = [n for n in disclosures[low:high] if n.end >= first and n.kind is not PeriodKind.DAY]
    spans: list[tuple[dt.date, dt.date]] = []
    for disclosure in sorted(candidates, key=lambda n: n.published_at):
        spans.append((max(disclosure.start, first), min(disclosure.end, last)))
        if _covers(spans, first, last):
            return disclosure
    return None


def _covers(spans: list[tuple[dt.date, dt.date]], first: dt.date, last: dt.date) -> bool:
    reach = first - dt.timedelta(days=1)
    for span_start, span_end in sorted(spans):
        if span_start > reach + dt.timedelta(days=1):
            return False
        reach = max(reach, span_end)
        if reach >= last:
            return True
    return reach >= last

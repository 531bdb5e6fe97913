"""Disclosure periods: month, quarter, half year, year, or a single day (a decision)."""

from __future__ import annotations

import calendar
import datetime as dt

from transparency.disclosures.models import PeriodKind

PERIOD_KIND_LABELS = {
    PeriodKind.MONTH: "月度",
    PeriodKind.QUARTER: "季度",
    PeriodKind.HALF_YEAR: "半年",
    PeriodKind.YEAR: "年度",
    PeriodKind.DAY: "单日（事项发生日）",
}
PERIODS_PER_YEAR = {PeriodKind.MONTH: 12, PeriodKind.QUARTER: 4, PeriodKind.HALF_YEAR: 2, PeriodKind.YEAR: 1}


class InvalidPeriod(ValueError):
    """The period number does not exist in a year of that kind (e.g. quarter 5)."""


def period_bounds(kind: PeriodKind, year: int, number: int) -> tuple[dt.date, dt.date]:
    """First and last day of the `number`-th period of `kind` in `year` (1-based)."""
    per_year = PERIODS_PER_YEAR.get(kind)
    if per_year is None:
        raise InvalidPeriod("单日事项请直接填写日期")
    if not 1 <= number <= per_year:
        raise InvalidPeriod(f"{PERIOD_KIND_LABELS[kind]}的序号应在 1 到 {per_year} 之间")
    months = 12 // per_year
    first_month = (number - 1) * months + 1
    last_month = first_month + months - 1
    return dt.date(year, first_month, 1), dt.date(year, last_month, calendar.monthrange(year, last_month)[1])


def period_label(kind: PeriodKind, start: dt.date, end: dt.date) -> str:
    if kind is PeriodKind.MONTH:
        return f"{start.year}年{start.month}月"
    if kind is PeriodKind.QUARTER:
        return f"{start.year}年第{(start.month - 1) // 3 + 1}季度"
    if kind is PeriodKind.HALF_YEAR:
        return f"{start.year}年{'上' if start.month <= 6 else '下'}半年"
    if kind is PeriodKind.YEAR:
        return f"{start.year}年度"
    return f"{start.year}年{start.month}月{start.day}日"


def period_number(kind: PeriodKind, start: dt.date) -> int:
    per_year = PERIODS_PER_YEAR.get(kind, 1)
    return (start.month - 1) // (12 // per_year) + 1

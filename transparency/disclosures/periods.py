"""Disclosure periods: month, quarter, half year, year, or a single day (a decision)."""

from __future__ import annotations

import calendar
import datetime as dt

from transparency.core.templating import chinese_date
from transparency.core.translations import gettext as _  # one label per disclosure of a list
from transparency.core.translations import lazy_gettext as _l
from transparency.disclosures.models import PeriodKind

PERIOD_KIND_LABELS = {
    PeriodKind.MONTH: _l("月度"),
    PeriodKind.QUARTER: _l("季度"),
    PeriodKind.HALF_YEAR: _l("半年"),
    PeriodKind.YEAR: _l("年度"),
    PeriodKind.DAY: _l("单日（事项发生日）"),
}
PERIODS_PER_YEAR = {PeriodKind.MONTH: 12, PeriodKind.QUARTER: 4, PeriodKind.HALF_YEAR: 2, PeriodKind.YEAR: 1}


class InvalidPeriod(ValueError):
    """The period number does not exist in a year of that kind (e.g. quarter 5)."""


def period_bounds(kind: PeriodKind, year: int, number: int) -> tuple[dt.date, dt.date]:
    """First and last day of the `number`-th period of `kind` in `year` (1-based)."""
    per_year = PERIODS_PER_YEAR.get(kind)
    if per_year is None:
        raise InvalidPeriod(_("单日事项请直接填写日期"))
    if not 1 <= number <= per_year:
        raise InvalidPeriod(_("%(kind)s的序号应在 1 到 %(count)s 之间", kind=PERIOD_KIND_LABELS[kind], count=per_year))
    months = 12 // per_year
    first_month = (number - 1) * months + 1
    last_month = first_month + months - 1
    return dt.date(year, first_month, 1), dt.date(year, last_month, calendar.monthrange(year, last_month)[1])


def period_number(kind: PeriodKind, start: dt.date) -> int:
    """Which period of its year `start` falls in (1-based): the inverse of period_bounds."""
    per_year = PERIODS_PER_YEAR.get(kind, 1)
    return (start.month - 1) // (12 // per_year) + 1


def period_label(kind: PeriodKind, start: dt.date) -> str:
    """How villagers name the period that starts on `start`: 2025年第1季度, 2025年3月 …."""
    if kind is PeriodKind.MONTH:
        return _("%(year)s年%(month)s月", year=start.year, month=start.month)
    if kind is PeriodKind.QUARTER:
        return _("%(year)s年第%(quarter)s季度", year=start.year, quarter=(start.month - 1) // 3 + 1)
    if kind is PeriodKind.HALF_YEAR:
        if start.month <= 6:
            return _("%(year)s年上半年", year=start.year)
        return _("%(year)s年下半年", year=start.year)
    if kind is PeriodKind.YEAR:
        return _("%(year)s年度", year=start.year)
    return chinese_date(start)

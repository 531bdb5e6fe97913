"""The rules in force: the law's defaults, overridden by the deployer's rows.

村民委员会组织法 第三十条: general matters at least every quarter; finance every month where
collective transactions are many (财务往来较多); matters touching villagers' interests at once.
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from flask import current_app
from sqlalchemy import select
from sqlalchemy.orm import Session

from transparency.disclosures.models import Category, PeriodKind
from transparency.obligations.models import Cadence, ObligationRule, VillageFlag, VillageObligationFlag

PERIOD_OF_CADENCE = {
    Cadence.MONTHLY: PeriodKind.MONTH,
    Cadence.QUARTERLY: PeriodKind.QUARTER,
    Cadence.HALF_YEARLY: PeriodKind.HALF_YEAR,
    Cadence.YEARLY: PeriodKind.YEAR,
}
MONTHS_OF_CADENCE = {Cadence.MONTHLY: 1, Cadence.QUARTERLY: 3, Cadence.HALF_YEARLY: 6, Cadence.YEARLY: 12}


@dataclass(frozen=True)
class Rule:
    category: Category
    village_flag: str
    cadence: Cadence
    cutoff_day: int | None = None
    within_days: int | None = None

    @property
    def periodic(self) -> bool:
        return self.cadence in MONTHS_OF_CADENCE

    def periods(self, first: dt.date, last: dt.date) -> Iterable[tuple[dt.date, dt.date]]:
        """The periods that start on or after `first` and on or before `last`."""
        months = MONTHS_OF_CADENCE[self.cadence]
        year, month = first.year, ((first.month - 1) // months) * months + 1
        if dt.date(year, month, 1) < first:
            year, month = _add_months(year, month, months)
        while dt.date(year, month, 1) <= last:
            end_year, end_month = _add_months(year, month, months - 1)
            end = dt.date(end_year, end_month, calendar.monthrange(end_year, end_month)[1])
            yield dt.date(year, month, 1), end
            year, month = _add_months(year, month, months)

    def due_date(self, period_end: dt.date) -> dt.date:
        """Periodic: the cut-off day of the month after the period; after an event: N days on."""
        if not self.periodic:
            return period_end + dt.timedelta(days=self.within_days or 0)
        year, month = _add_months(period_end.year, period_end.month, 1)
        day = min(self.cutoff_day or 1, calendar.monthrange(year, month)[1])
        return dt.date(year, month, day)


def _add_months(year: int, month: int, count: int) -> tuple[int, int]:
    index = year * 12 + (month - 1) + count
    return index // 12, index % 12 + 1


DEFAULT_RULES = (
    Rule(Category.FINANCE, "", Cadence.QUARTERLY, cutoff_day=15),
    Rule(Category.FINANCE, VillageFlag.MANY_TRANSACTIONS.value, Cadence.MONTHLY, cutoff_day=10),
    Rule(Category.SUBSIDY, "", Cadence.YEARLY, cutoff_day=31),
    Rule(Category.OFFICIALS_PAY, "", Cadence.YEARLY, cutoff_day=31),
    Rule(Category.DECISIONS, "", Cadence.AFTER_EVENT, within_days=5),
    Rule(Category.LAND_COMPENSATION, "", Cadence.AFTER_EVENT, within_days=5),
    Rule(Category.PROJECTS, "", Cadence.AFTER_EVENT, within_days=10),
)


def rules_in_force(session: Session) -> dict[tuple[Category, str], Rule]:
    rules = {(rule.category, rule.village_flag): rule for rule in DEFAULT_RULES}
    for row in session.scalars(select(ObligationRule)):
        rules[(row.category, row.village_flag)] = Rule(
            row.category, row.village_flag, row.cadence, row.cutoff_day, row.within_days
        )
    return rules


def rules_for_village(rules: dict[tuple[Category, str], Rule], flags: set[str]) -> dict[Category, Rule]:
    """Per category the rule that applies: a flagged rule the village qualifies for beats the general one."""
    chosen: dict[Category, Rule] = {}
    for (category, flag), rule in sorted(rules.items(), key=lambda item: item[0][1] == ""):
        if category in chosen or (flag and flag not in flags):
            continue
        chosen[category] = rule
    return {category: rule for category, rule in chosen.items() if rule.cadence is not Cadence.NONE}


def village_flags(session: Session, village_ids: Iterable[int]) -> dict[int, set[str]]:
    flags: dict[int, set[str]] = {}
    ids = list(village_ids)
    query = select(VillageObligationFlag.village_id, VillageObligationFlag.flag).where(
        VillageObligationFlag.village_id.in_(ids)
    )
    for village_id, flag in session.execute(query):
        flags.setdefault(village_id, set()).add(str(flag))
    return flags


def obligations_start() -> dt.date:
    """Obligations count from this day (config OBLIGATIONS_START): nobody is blamed for before."""
    value = current_app.config.get("OBLIGATIONS_START", "2025-01-01")
    return value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value))

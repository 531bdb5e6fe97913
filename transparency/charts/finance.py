"""The charts of a village's published money, built from the same totals its tables show.

Views and templates never add anything up for a chart: they call these builders, which read
`transparency.disclosures.totals` (ledgers) and `subsidy_program_sums` (subsidy lists).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from flask_babel import gettext as _
from sqlalchemy.orm import Session

from transparency.charts.figures import BarChart, Row, Series
from transparency.disclosures.checks import subsidy_program_sums
from transparency.disclosures.models import Category, Disclosure, DisclosureVersion
from transparency.disclosures.periods import period_label
from transparency.disclosures.published_memo import kept_for_versions
from transparency.disclosures.totals import (
    expense_by_account,
    expense_by_account_in_database,
    income_expense_in_database,
    ledger_totals,
    subsidy_sums_in_database,
)

# Two years of quarterly ledgers; older periods stay readable in the list below the chart.
MAX_PERIODS = 8
INCOME_COLOUR = "#1d6b2f"
EXPENSE_COLOUR = "#9b1c1c"
SUBSIDY_COLOUR = "#0b4f9c"


def income_expense_by_period(
    ledgers: Sequence[Disclosure], sums: Mapping[int, tuple[int, int]] | None = None
) -> BarChart | None:
    """收入与支出 of the newest published version of each finance ledger, oldest period first.
    `sums` (version id → income, expense) when the database added them up already."""
    shown = sorted((d for d in ledgers if d.current is not None), key=lambda d: (d.period_start, d.id))
    shown = shown[-MAX_PERIODS:]
    if not shown:
        return None
    rows = []
    for disclosure in shown:
        if sums is not None:
            income, expense = sums[disclosure.current.id]
        else:
            totals = ledger_totals(disclosure.current)
            income, expense = totals.income, totals.expense
        rows.append(Row(period_label(disclosure.period_kind, disclosure.period_start), (income, expense)))
    first, last = rows[0].label, rows[-1].label
    return BarChart(
        key="chart-income-expense",
        title=_("各期收入与支出"),
        description=_("%(first)s至%(last)s，每期财务公开的收入合计和支出合计", first=first, last=last)
        if len(rows) > 1
        else _("%(period)s的收入合计和支出合计", period=first),
        series=(Series(_("收入"), INCOME_COLOUR), Series(_("支出"), EXPENSE_COLOUR)),
        rows=tuple(rows),
    )


def expense_by_account_chart(
    version: DisclosureVersion, period: str, sums: Mapping[str, int] | None = None
) -> BarChart | None:
    """支出 of one ledger per 会计科目; None when the ledger has no expense."""
    sums = expense_by_account(version.ledger_rows) if sums is None else sums
    if not sums:
        return None
    return BarChart(
        key=f"chart-expense-accounts-{version.id}",
        title=_("%(period)s支出按会计科目", period=period),
        description=_("本期明细账中各会计科目的支出合计，从多到少"),
        series=(Series(_("支出"), EXPENSE_COLOUR),),
        rows=tuple(Row(account, (amount,)) for account, amount in sums.items()),
    )


def subsidy_programs_chart(
    version: DisclosureVersion, period: str, sums: Mapping[str, int] | None = None
) -> BarChart | None:
    """发放金额 per subsidy programme, as the list's 合计 rows show it."""
    sums = subsidy_program_sums(version.subsidy_rows) if sums is None else sums
    if not sums:
        return None
    return BarChart(
        key=f"chart-subsidy-programs-{version.id}",
        title=_("%(period)s各补贴项目发放合计", period=period),
        description=_("本期名单中各补贴项目发放到户的金额合计"),
        series=(Series(_("发放金额"), SUBSIDY_COLOUR),),
        rows=tuple(Row(program, (amount,)) for program, amount in sums.items()),
    )


def version_charts(disclosure: Disclosure, version: DisclosureVersion) -> list[BarChart]:
    """The charts that go with one disclosure, online and on paper."""
    period = period_label(disclosure.period_kind, disclosure.period_start)
    if disclosure.category is Category.FINANCE:
        charts = [expense_by_account_chart(version, period)]
    elif disclosure.category is Category.SUBSIDY:
        charts = [subsidy_programs_chart(version, period)]
    else:
        charts = []
    return [chart for chart in charts if chart is not None]


def village_charts(session: Session, published: Sequence[Disclosure]) -> list[BarChart]:
    """A village page's charts, from its published disclosures (newest period first, as listed):
    income and expense per period, the latest ledger's expense by account, the latest subsidy list.

    The database adds the rows up (one GROUP BY per chart): the page never loads a row. The charts
    of the same current versions are built once per process (disclosures/published_memo.py)."""
    ledgers = [d for d in published if d.category is Category.FINANCE and d.current is not None][:MAX_PERIODS]
    subsidies = [d for d in published if d.category is Category.SUBSIDY and d.current is not None][:1]
    shown = [d.current for d in ledgers + subsidies]
    kept = kept_for_versions(
        shown, "village-charts", lambda: tuple(_village_charts(session, ledgers, subsidies)), by_language=True
    )
    return list(kept)


def _village_charts(session: Session, ledgers: list[Disclosure], subsidies: list[Disclosure]) -> list[BarChart]:
    charts = [income_expense_by_period(ledgers, income_expense_in_database(session, [d.current.id for d in ledgers]))]
    for disclosure in ledgers[:1]:
        period = period_label(disclosure.period_kind, disclosure.period_start)
        sums = expense_by_account_in_database(session, disclosure.current.id)
        charts.append(expense_by_account_chart(disclosure.current, period, sums))
    for disclosure in subsidies:
        period = period_label(disclosure.period_kind, disclosure.period_start)
        charts.append(
            subsidy_programs_chart(disclosure.current, period, subsidy_sums_in_database(session, disclosure.current.id))
        )
    return [chart for chart in charts if chart is not None]

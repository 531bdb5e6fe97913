"""The totals a published table shows, computed in one place.

The web tables, the printed disclosure and the charts all read their sums from here, so a
chart can never disagree with the table beside it.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from transparency.disclosures.models import LedgerRow, SubsidyRow


@dataclass(frozen=True)
class LedgerTotals:
    """期初余额 + 本期收入 − 本期支出 = 期末余额, as the clerk declared and as the rows add up."""

    opening: int | None
    income: int
    expense: int
    closing: int | None

    @property
    def computed_closing(self) -> int:
        return (self.opening or 0) + self.income - self.expense

    @property
    def reconciles(self) -> bool:
        return self.closing is not None and self.computed_closing == self.closing

    @property
    def difference(self) -> int:
        return self.computed_closing - (self.closing or 0)


def ledger_totals(version: Any) -> LedgerTotals:
    rows = version.ledger_rows
    return LedgerTotals(
        opening=version.opening_balance,
        income=sum(row.income for row in rows),
        expense=sum(row.expense for row in rows),
        closing=version.closing_balance,
    )


def expense_by_account(rows: Iterable[Any]) -> dict[str, int]:
    """支出 per 会计科目, largest first (ties in the order the accounts first appear)."""
    sums: dict[str, int] = {}
    for row in rows:
        if row.expense:
            sums[row.account] = sums.get(row.account, 0) + row.expense
    return dict(sorted(sums.items(), key=lambda item: -item[1]))


def income_expense_in_database(session: Session, version_ids: Sequence[int]) -> dict[int, tuple[int, int]]:
    """(本期收入, 本期支出) per version, as `ledger_totals` adds them up; (0, 0) for a version without rows."""
    sums = {version_id: (0, 0) for version_id in version_ids}
    if version_ids:
        query = (
            select(LedgerRow.version_id, func.sum(LedgerRow.income), func.sum(LedgerRow.expense))
            .where(LedgerRow.version_id.in_(version_ids))
            .group_by(LedgerRow.version_id)
        )
        for version_id, income, expense in session.execute(query):
            sums[version_id] = (int(income or 0), int(expense or 0))
    return sums


def expense_by_account_in_database(session: Session, version_id: int) -> dict[str, int]:
    """`expense_by_account` of one version's rows: largest first, ties in the order accounts first appear."""
    query = (
        select(LedgerRow.account, func.sum(LedgerRow.expense), func.min(LedgerRow.position))
        .where(LedgerRow.version_id == version_id, LedgerRow.expense != 0)
        .group_by(LedgerRow.account)
    )
    rows = sorted(session.execute(query), key=lambda row: (-int(row[1]), row[2]))
    return {account: int(amount) for account, amount, _first in rows}


def subsidy_sums_in_database(session: Session, version_id: int) -> OrderedDict[str, int]:
    """`subsidy_program_sums` of one version's rows: per program, in the order programs first appear."""
    query = (
        select(SubsidyRow.program, func.sum(SubsidyRow.amount), func.min(SubsidyRow.position))
        .where(SubsidyRow.version_id == version_id)
        .group_by(SubsidyRow.program)
    )
    return OrderedDict(
        (program, int(amount)) for program, amount, _first in sorted(session.execute(query), key=lambda r: r[2])
    )

"""The totals a published table shows, computed in one place.

The web tables, the printed disclosure and the charts all read their sums from here, so a
chart can never disagree with the table beside it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any


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

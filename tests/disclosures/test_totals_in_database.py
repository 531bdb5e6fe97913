"""The sums a village's page adds up in SQL are the sums its tables add up in Python."""

from __future__ import annotations

import datetime as dt

from tests.disclosures.helpers import draft_ledger
from transparency.core.db import db
from transparency.disclosures.checks import subsidy_program_sums
from transparency.disclosures.content import DraftContent, LedgerLine
from transparency.disclosures.models import SubsidyRow
from transparency.disclosures.totals import (
    expense_by_account,
    expense_by_account_in_database,
    income_expense_in_database,
    ledger_totals,
    subsidy_sums_in_database,
)


def line(position: int, account: str, *, income: int = 0, expense: int = 0) -> LedgerLine:
    day = dt.date(2025, 1, 1) + dt.timedelta(days=position)
    return LedgerLine(day, f"V{position}", account, "摘要", income, expense)


def test_ledger_sums_in_the_database_match_the_table(app, world):
    # 办公费 and 水电费 tie at 100: the one that appears first comes first, as in Python.
    lines = [
        line(0, "办公费", expense=100),
        line(1, "水电费", expense=60),
        line(2, "补助收入", income=5_000),
        line(3, "水电费", expense=40),
        line(4, "工程支出", expense=300),
    ]
    income = sum(x.income for x in lines)
    expense = sum(x.expense for x in lines)
    content = DraftContent(
        title="账", opening_balance=10_000, closing_balance=10_000 + income - expense, ledger_rows=lines
    )
    with app.app_context():
        version = draft_ledger(world, content)
        empty = draft_ledger(
            world,
            DraftContent(title="空账", opening_balance=0, closing_balance=0),
            village=world.village_b,
            clerk="clerk_b",
        )
        totals = ledger_totals(version)
        assert income_expense_in_database(db.session, [version.id, empty.id]) == {
            version.id: (totals.income, totals.expense),
            empty.id: (0, 0),
        }
        in_python = expense_by_account(version.ledger_rows)
        in_database = expense_by_account_in_database(db.session, version.id)
        assert list(in_database.items()) == list(in_python.items())
        assert list(in_database) == ["工程支出", "办公费", "水电费"]


def test_subsidy_sums_in_the_database_match_the_list(app, world):
    with app.app_context():
        version = draft_ledger(world)
        for position, (program, amount) in enumerate([("低保", 300), ("耕地地力保护补贴", 120), ("低保", 200)]):
            version.subsidy_rows.append(
                SubsidyRow(
                    position=position,
                    program=program,
                    recipient="某某",
                    household="某某户",
                    basis_unit="人",
                    basis_hundredths=100,
                    amount=amount,
                )
            )
        db.session.flush()
        in_database = subsidy_sums_in_database(db.session, version.id)
        assert list(in_database.items()) == list(subsidy_program_sums(version.subsidy_rows).items())
        assert list(in_database.items()) == [("低保", 500), ("耕地地力保护补贴", 120)]

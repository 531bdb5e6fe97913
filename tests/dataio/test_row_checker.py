"""The shortcuts a large import takes give exactly the answers of the slow path they replace."""

from __future__ import annotations

import dataclasses
import sys
import unicodedata

import pytest
from wtforms import StringField
from wtforms.validators import DataRequired, ValidationError

from tests.dataio.helpers import GOOD_LEDGER_ROWS, ledger_sheet
from transparency.dataio.content import validate_row
from transparency.dataio.layouts import COMPENSATION, LEDGER, SUBSIDY, normalise_header
from transparency.dataio.parsing import read_table
from transparency.dataio.row_checker import RowChecker
from transparency.dataio.table_reader import TOTAL_MARK, TOTAL_WORDS
from transparency.disclosures.forms import LedgerRowForm


@pytest.fixture
def ctx(app):
    with app.test_request_context():
        yield


LEDGER_ROWS = [
    {"entry_date": "2025-01-05", "voucher_no": "记-001", "account": "补助收入", "summary": "拨付", "income": "500"},
    {"entry_date": "2025-01-05", "voucher_no": "记-002", "account": "补助收入", "summary": "拨付", "income": "500"},
    {"entry_date": "2025/1/5", "voucher_no": "", "account": "补助收入", "summary": "拨付", "expense": "1,2.3"},
    {"entry_date": "2025-13-05", "voucher_no": "记-003", "account": "", "summary": "拨付", "income": "-5"},
    {"entry_date": "1980-01-01", "voucher_no": "记" * 31, "account": "管理费用", "summary": "", "expense": "0.001"},
    {"entry_date": "", "voucher_no": " ", "account": "", "summary": "", "income": "", "expense": ""},  # blank
    {},  # no column at all
    {"voucher_no": "记-004"},  # only one column given
    {"entry_date": "2025-01-05", "voucher_no": "记-001", "account": "补助收入", "summary": "拨付", "income": "500"},
]
SUBSIDY_ROWS = [
    {"program": "耕地", "recipient": "王建国", "household": "王户", "basis_hundredths": "15", "basis_unit": "亩"},
    {"program": "耕地", "recipient": "王建国", "household": "王户", "basis_hundredths": "15", "basis_unit": "公顷"},
    {"program": "耕地", "recipient": "李四", "household": "李户", "basis_hundredths": "x", "amount": "10"},
    {"program": "耕地", "recipient": "李四", "household": "李户", "basis_hundredths": "2", "basis_unit": "人",
     "amount": "10", "id_number": "11010519491231002X", "rate": "5"},
    {"program": "耕地", "recipient": "李四", "household": "李户", "basis_hundredths": "2", "basis_unit": "人",
     "amount": "10", "id_number": "110105194912310021"},
    {"basis_unit": "亩"},  # blank but for the select
]  # fmt: skip
COMPENSATION_ROWS = [
    {"household": "王户", "parcel": "三组 01 号", "area_hundredths": "1.2", "land_amount": "45600", "paid_on": ""},
    {"household": "王户", "parcel": "三组 01 号", "area_hundredths": "1.2", "id_number": "11010519491231002X"},
    {"household": "", "parcel": "三组" * 40, "area_hundredths": "", "crop_amount": "abc", "paid_on": "2025-02-30"},
]


@pytest.mark.parametrize(
    ("layout", "rows"), [(LEDGER, LEDGER_ROWS), (SUBSIDY, SUBSIDY_ROWS), (COMPENSATION, COMPENSATION_ROWS)]
)
def test_the_row_checker_answers_as_the_row_form_does_row_after_row(ctx, layout, rows):
    checker = RowChecker(layout)
    assert checker.fields_alone
    for values in rows * 3:  # again and again: from the remembered verdicts
        assert checker.check(values) == validate_row(layout, values)


def test_a_row_form_with_a_check_across_fields_is_checked_whole_every_row(ctx):
    class Strict(LedgerRowForm):
        def validate_summary(self, field):
            if field.data == self.account.data:
                raise ValidationError("摘要不能与科目相同")

    class Other(LedgerRowForm):
        summary = StringField("摘要", validators=[DataRequired(), lambda form, field: None])

    for form in (Strict, Other):
        layout = dataclasses.replace(LEDGER, row_form=form)
        checker = RowChecker(layout)
        assert not checker.fields_alone
        for values in LEDGER_ROWS:
            assert checker.check(values) == validate_row(layout, values)


def test_no_character_but_itself_normalises_to_the_mark_every_total_word_has():
    assert all(TOTAL_MARK in word for word in TOTAL_WORDS)
    others = [c for c in map(chr, range(sys.maxunicode + 1)) if TOTAL_MARK in unicodedata.normalize("NFKC", c)]
    assert others == [TOTAL_MARK]
    assert normalise_header(" 合\u3000计（元）* ") in TOTAL_WORDS


def test_a_total_line_written_loosely_is_still_compared_not_imported(ctx):
    sheet = ledger_sheet([*GOOD_LEDGER_ROWS, ["", "", "", "本期 合计（元）", "500.00", "132.45"]])
    data = "\n".join(",".join(str(c) for c in row) for row in sheet).encode()
    parsed = read_table(LEDGER, data, max_rows=100)
    assert [(p.row, p.column) for p in parsed.problems] == [(7, "F 列（支出（元））")]
    assert parsed.rows_read == 2

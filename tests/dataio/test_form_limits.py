"""The import's limits are the web forms' own: change a form's limit and the import follows."""

from __future__ import annotations

import pytest
from wtforms import StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import Length, Optional

from transparency.core.forms import MoneyField
from transparency.dataio.content import parse_fields, validate_row
from transparency.dataio.form_limits import allows_negative, choice_values, is_money, max_length
from transparency.dataio.forms import SpreadsheetUploadForm
from transparency.dataio.layouts import COMMON_FIELDS, COMPENSATION, LAYOUTS, LEDGER, SUBSIDY
from transparency.disclosures.forms import (
    MAX_BODY,
    CompensationForm,
    DisclosureForm,
    FinanceForm,
    SubsidyRowForm,
)


@pytest.fixture
def ctx(app):
    with app.test_request_context():
        yield


def _problems(layout, raw: dict[str, str]) -> list[tuple[str, str]]:
    found: list[tuple[str, str]] = []
    parse_fields(layout, raw, lambda key, message: found.append((key, message)))
    return found


@pytest.mark.parametrize("layout", list(LAYOUTS.values()), ids=lambda layout: layout.name)
def test_every_field_above_a_table_has_its_limit_on_the_form(layout):
    for field in COMMON_FIELDS + layout.fields:
        if is_money(layout.form, field.key):
            allows_negative(layout.form, field.key)
        else:
            assert max_length(layout.form, field.key) > 0


def test_the_limits_are_the_forms_values():
    assert max_length(FinanceForm, "title") == max_length(DisclosureForm, "title") == 120
    assert max_length(FinanceForm, "body") == MAX_BODY
    assert max_length(CompensationForm, "project_name") == 120
    assert allows_negative(FinanceForm, "opening_balance") and allows_negative(FinanceForm, "closing_balance")
    assert not allows_negative(CompensationForm, "compensation_received")
    assert not allows_negative(CompensationForm, "retained_by_collective")
    assert choice_values(SubsidyRowForm, "basis_unit") == ("亩", "人", "户")
    assert max_length(SpreadsheetUploadForm, "title") == max_length(DisclosureForm, "title")


def test_a_shorter_form_limit_is_the_imports_limit(ctx, monkeypatch):
    assert _problems(COMPENSATION, {"project_name": "G318 国道改线工程"}) == []
    monkeypatch.setattr(
        CompensationForm, "project_name", StringField("征地项目名称", validators=[Optional(), Length(max=5)])
    )
    assert _problems(COMPENSATION, {"project_name": "G318 国道改线工程"}) == [("project_name", "最多 5 字")]


def test_a_form_refusing_negative_balances_makes_the_import_refuse_them(ctx, monkeypatch):
    assert _problems(LEDGER, {"opening_balance": "-100.00"}) == []
    monkeypatch.setattr(FinanceForm, "opening_balance", MoneyField("期初余额", validators=[Optional()]))
    assert [key for key, _message in _problems(LEDGER, {"opening_balance": "-100.00"})] == ["opening_balance"]


def test_a_unit_the_form_offers_is_the_units_the_import_accepts(ctx, monkeypatch):
    row = {
        "program": "耕地地力保护补贴",
        "recipient": "王建国",
        "household": "王建国户",
        "basis_hundredths": "15",
        "basis_unit": "公顷",
        "amount": "1579.80",
    }
    assert "basis_unit" in {key for key, _message in validate_row(SUBSIDY, row)[1]}
    unbound = SubsidyRowForm.basis_unit
    wider = [*unbound.kwargs["choices"], SelectChoice("公顷", "公顷")]
    monkeypatch.setattr(
        SubsidyRowForm, "basis_unit", unbound.field_class(*unbound.args, **{**unbound.kwargs, "choices": wider})
    )
    assert validate_row(SUBSIDY, row)[1] == []

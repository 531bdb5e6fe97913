"""From texts to a draft's content through the web forms: table rows, the fields above a table,
惠农补贴 program totals, and the checks a draft must pass before it is submitted.

Shared by the spreadsheet upload (parsing.py) and the administrator's import (importing.py),
so a row the web page would refuse is refused by every import with the same message.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask_babel import gettext as _
from werkzeug.datastructures import MultiDict

from transparency.core.money import InvalidAmount, parse_yuan
from transparency.core.text import clean_text
from transparency.dataio.cells import cell_text
from transparency.dataio.form_limits import allows_negative, choice_values, is_money, max_length
from transparency.dataio.layouts import Layout
from transparency.disclosures.checks import problems_before_publication
from transparency.disclosures.content import DraftContent, ProgramTotal
from transparency.disclosures.forms import ProgramTotalForm
from transparency.disclosures.models import Category


def validate_row(
    layout: Layout, values: dict[str, str], form: Any | None = None
) -> tuple[Any | None, list[tuple[str, str]]]:
    """One row's texts through the web form's row form: the content line, or (field, message) pairs.

    Pass the same `form` (a `layout.row_form()`) for every row of a table: processing it again
    costs a third of building a new one, which matters at 50 000 rows.
    """
    if form is None:
        form = layout.row_form(formdata=MultiDict(values))
    else:
        form.process(formdata=MultiDict(values))
    valid = form.validate()
    if "basis_unit" in form and values.get("basis_unit", "") not in choice_values(layout.row_form, "basis_unit"):
        form.basis_unit.errors = [_("单位应为 亩、人 或 户")]
        valid = False
    if not valid:
        return None, [(key, str(message)) for key, errors in form.errors.items() for message in errors]
    return layout.to_line(form), []


def parse_fields(layout: Layout, raw: dict[str, Any], report: Callable[[str, str], None]) -> dict[str, Any]:
    """The values above the table (title, balances, project …), parsed; problems go to `report(key, message)`.

    Each value obeys its field in the web page's form (`layout.form`): money or text, its sign, its length.
    """
    values: dict[str, Any] = {}
    for key, value in raw.items():
        text = cell_text(value)
        if is_money(layout.form, key):
            if not text:
                continue
            try:
                values[key] = parse_yuan(text, allow_negative=allows_negative(layout.form, key))
            except InvalidAmount as error:
                report(key, str(error))
        else:
            cleaned = clean_text(text) or ""
            limit = max_length(layout.form, key)
            if len(cleaned) > limit:
                report(key, _("最多 %(count)s 字", count=limit))
            values[key] = cleaned
    return values


def parse_totals(pairs: list[tuple[Any, Any]], report: Callable[[int, str], None]) -> list[ProgramTotal]:
    """惠农补贴 program totals (program, declared amount); problems go to `report(index, message)`."""
    totals = []
    for index, (program, amount) in enumerate(pairs):
        form = ProgramTotalForm(
            formdata=MultiDict({"program": cell_text(program), "declared_total": cell_text(amount)})
        )
        if form.validate():
            totals.append(ProgramTotal(program=form.program.data, declared_total=form.declared_total.data))
        else:
            for errors in form.errors.values():
                for message in errors:
                    report(index, str(message))
    return totals


def assemble(
    layout: Layout, title: str, values: dict[str, Any], totals: list[ProgramTotal], lines: list[Any]
) -> DraftContent:
    content = DraftContent(title=title.strip(), body=values.get("body", ""))
    if layout.category is Category.FINANCE:
        content.opening_balance = values.get("opening_balance")
        content.closing_balance = values.get("closing_balance")
        content.carry_over_reason = values.get("carry_over_reason") or None
        content.ledger_rows = lines
    elif layout.category is Category.SUBSIDY:
        content.subsidy_totals = totals
        content.subsidy_rows = lines
    elif layout.category is Category.LAND_COMPENSATION:
        content.project_name = values.get("project_name")
        content.compensation_received = values.get("compensation_received")
        content.retained_by_collective = values.get("retained_by_collective")
        content.land_rate = values.get("land_rate")
        content.crop_rate = values.get("crop_rate")
        content.relocation_rate = values.get("relocation_rate")
        content.compensation_rows = lines
    return content


def content_problems(category: Category, content: DraftContent) -> list[str]:
    """What the publication checks say about this content (reconciliation, personal data, title)."""
    return problems_before_publication(category, content)

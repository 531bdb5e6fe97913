"""Between the drafting forms and the services: which form a category uses, form ↔ content."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import fields
from typing import Any

from werkzeug.datastructures import FileStorage

from transparency.core.uploads import UploadedFile
from transparency.disclosures.carry_over import LedgerBalance
from transparency.disclosures.content import (
    CompensationLine,
    DraftContent,
    LedgerLine,
    ProgramTotal,
    SubsidyLine,
)
from transparency.disclosures.forms import CompensationForm, DisclosureForm, FinanceForm, SubsidyForm
from transparency.disclosures.household_lookup import household_key, last_four
from transparency.disclosures.models import Category, DisclosureVersion, PeriodKind
from transparency.disclosures.periods import PERIODS_PER_YEAR, period_bounds, period_number

FORM_FOR = {
    Category.FINANCE: FinanceForm,
    Category.SUBSIDY: SubsidyForm,
    Category.LAND_COMPENSATION: CompensationForm,
}
# The period a new disclosure of each category usually covers (the law: finance at least
# quarterly, major matters at once); the clerk can change it.
DEFAULT_PERIOD = {
    Category.FINANCE: PeriodKind.QUARTER,
    Category.SUBSIDY: PeriodKind.YEAR,
    Category.LAND_COMPENSATION: PeriodKind.DAY,
    Category.DECISIONS: PeriodKind.DAY,
    Category.OFFICIALS_PAY: PeriodKind.YEAR,
}
BLANK_ROWS_NEW = 10
BLANK_ROWS_EDIT = 3
ROWS_PER_ADD = 5


def form_class(category: Category) -> type[DisclosureForm]:
    return FORM_FOR.get(category, DisclosureForm)


def suggest_period(form: DisclosureForm, category: Category, today: dt.date) -> None:
    """Pre-fill a new disclosure's period: the usual kind for its category, the current year."""
    form.period_kind.data = str(DEFAULT_PERIOD.get(category, PeriodKind.MONTH))
    form.year.data = today.year


def suggest_next_ledger(form: FinanceForm, previous: LedgerBalance | None) -> None:
    """A new ledger follows the previous published one: the next period of the same kind, its
    opening balance the previous closing balance (期初余额 = 上期期末余额)."""
    if previous is None:
        return
    if previous.kind in PERIODS_PER_YEAR:
        following = previous.end + dt.timedelta(days=1)
        form.period_kind.data = str(previous.kind)
        form.year.data = following.year
        form.number.data = period_number(previous.kind, following)
    fill_opening_balance(form, previous)


def fill_opening_balance(form: FinanceForm, previous: LedgerBalance | None) -> None:
    """期初余额 left blank becomes the previous published ledger's closing balance."""
    if form.opening_balance.data is None and not form.opening_balance.raw and previous is not None:
        show_value(form.opening_balance, previous.closing)


def period_from_form(form: DisclosureForm) -> tuple[PeriodKind, dt.date, dt.date]:
    """The period a validated new-disclosure form names. Raises InvalidPeriod."""
    kind = PeriodKind(form.period_kind.data)
    if kind is PeriodKind.DAY:
        return kind, form.day.data, form.day.data
    start, end = period_bounds(kind, form.year.data, form.number.data or 1)
    return kind, start, end


def add_blank_rows(form: DisclosureForm, count: int) -> None:
    for table in ("totals", "rows"):
        if table in form:
            entries = form[table]
            wanted = min(count if table == "rows" else 2, entries.max_entries - len(entries.entries))
            for _ in range(max(wanted, 0)):
                entries.append_entry()


def _filled(entries: Any) -> list[Any]:
    return [entry.form for entry in entries if not entry.form.is_blank()]


def ledger_line(row: Any) -> LedgerLine:
    """One validated ledger row form (from the web form or a spreadsheet row) as content."""
    return LedgerLine(
        entry_date=row.entry_date.data,
        voucher_no=row.voucher_no.data,
        account=row.account.data,
        summary=row.summary.data,
        income=row.income.data or 0,
        expense=row.expense.data or 0,
    )


def program_total(row: Any) -> ProgramTotal:
    return ProgramTotal(program=row.program.data, declared_total=row.declared_total.data)


def subsidy_line(row: Any) -> SubsidyLine:
    return SubsidyLine(
        program=row.program.data,
        recipient=row.recipient.data,
        id_number=row.id_number.data or None,
        household=row.household.data,
        basis_unit=row.basis_unit.data,
        basis_hundredths=row.basis_hundredths.data,
        rate=row.rate.data,
        amount=row.amount.data,
    )


def compensation_line(row: Any) -> CompensationLine:
    """The household head's ID number, when given, is kept only as a key for 查我家."""
    id_number = row.id_number.data if "id_number" in row else None
    return CompensationLine(
        household=row.household.data,
        parcel=row.parcel.data,
        area_hundredths=row.area_hundredths.data,
        land_amount=row.land_amount.data or 0,
        crop_amount=row.crop_amount.data or 0,
        relocation_amount=row.relocation_amount.data or 0,
        paid_on=row.paid_on.data,
        household_key=household_key(row.household.data, last_four(id_number)) if id_number else None,
    )


def computed_closing(content: DraftContent) -> int | None:
    """期末余额 = 期初余额 + 收入 − 支出 (None until the opening balance is known)."""
    if content.opening_balance is None:
        return None
    rows = content.ledger_rows
    return content.opening_balance + sum(r.income for r in rows) - sum(r.expense for r in rows)


def show_value(field: Any, value: Any) -> None:
    """Put a value into a parsed text field (money, area) as if it had been saved: it is shown formatted."""
    field.data = value
    field.raw = None


def fill_closing_balance(form: FinanceForm) -> None:
    """计算期末余额 (and saving with 期末余额 left blank): the closing balance the rows make of the opening."""
    rows = [ledger_line(row) for row in _filled(form.rows)]
    content = DraftContent(title="", opening_balance=form.opening_balance.data, ledger_rows=rows)
    show_value(form.closing_balance, computed_closing(content))


def content_from_form(form: DisclosureForm) -> DraftContent:
    content = DraftContent(title=form.title.data, body=form.body.data or "")
    if isinstance(form, FinanceForm):
        content.opening_balance = form.opening_balance.data
        content.ledger_rows = [ledger_line(row) for row in _filled(form.rows)]
        content.closing_balance = form.closing_balance.data
        if content.closing_balance is None:
            content.closing_balance = computed_closing(content)
        content.carry_over_reason = (form.carry_over_reason.data or "").strip() or None
    elif isinstance(form, SubsidyForm):
        content.subsidy_totals = [program_total(row) for row in _filled(form.totals)]
        content.subsidy_rows = [subsidy_line(row) for row in _filled(form.rows)]
    elif isinstance(form, CompensationForm):
        content.project_name = form.project_name.data
        content.compensation_received = form.compensation_received.data
        content.retained_by_collective = form.retained_by_collective.data
        content.land_rate = form.land_rate.data
        content.crop_rate = form.crop_rate.data
        content.relocation_rate = form.relocation_rate.data
        content.compensation_rows = [compensation_line(row) for row in _filled(form.rows)]
    return content


def _row_data(line_type: type, rows: Sequence[Any]) -> list[dict[str, Any]]:
    """Saved rows as form data, column by column of the content line they were made from."""
    names = [column.name for column in fields(line_type)]
    return [{name: getattr(row, name) for name in names} for row in rows]


def form_data_from_version(version: DisclosureVersion) -> dict[str, Any]:
    """Initial form data for editing a saved draft."""
    data: dict[str, Any] = {"title": version.title, "body": version.body}
    category = version.disclosure.category
    if category is Category.FINANCE:
        data.update(
            opening_balance=version.opening_balance,
            closing_balance=version.closing_balance,
            carry_over_reason=version.carry_over_reason,
        )
        data["rows"] = _row_data(LedgerLine, version.ledger_rows)
    elif category is Category.SUBSIDY:
        data["totals"] = _row_data(ProgramTotal, version.subsidy_totals)
        data["rows"] = _row_data(SubsidyLine, version.subsidy_rows)
    elif category is Category.LAND_COMPENSATION:
        data.update(
            project_name=version.project_name,
            compensation_received=version.compensation_received,
            retained_by_collective=version.retained_by_collective,
            land_rate=version.land_rate,
            crop_rate=version.crop_rate,
            relocation_rate=version.relocation_rate,
        )
        data["rows"] = _row_data(CompensationLine, version.compensation_rows)
    return data


def uploaded_files(form: DisclosureForm) -> list[UploadedFile]:
    files = form.attachments.data or []
    return [
        UploadedFile(filename=f.filename or "附件", data=f.read())
        for f in files
        if isinstance(f, FileStorage) and f.filename
    ]

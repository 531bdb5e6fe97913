"""Writing tables: the blank templates clerks fill in, and public downloads of published versions.

Public downloads show personal data exactly as the public page does (ID numbers masked).
Text that a spreadsheet program would run as a formula (a cell beginning with = + - @, a
tab or a carriage return) is written with a leading apostrophe, so it shows as text.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Iterable, Sequence
from decimal import Decimal
from typing import Any

from flask_babel import gettext as _

from transparency.core.personal_data import mask_id_number
from transparency.core.public_output import mask_strings
from transparency.dataio.layouts import COMMON_FIELDS, LAYOUTS, PROGRAM_TOTAL_LABEL, Column, Layout
from transparency.disclosures.models import Category, Disclosure, DisclosureVersion
from transparency.disclosures.periods import PERIOD_KIND_LABELS, period_label

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
XLSX_MEDIA_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
HUNDREDTHS_KEYS = ("basis_hundredths", "area_hundredths")
MONEY_KEYS = frozenset(
    {
        "income",
        "expense",
        "rate",
        "amount",
        "land_amount",
        "crop_amount",
        "relocation_amount",
        "declared_total",
        "opening_balance",
        "closing_balance",
        "compensation_received",
        "retained_by_collective",
        "land_rate",
        "crop_rate",
        "relocation_rate",
    }
)
TEMPLATE_EXAMPLES = {
    Category.FINANCE: {"title": "2025年第1季度财务收支明细"},
    Category.SUBSIDY: {"title": "2025年惠农补贴发放名单", "programs": [("耕地地力保护补贴", "1579.80")]},
    Category.LAND_COMPENSATION: {"title": "G318 国道改线工程征地补偿分配方案"},
}
Row = Sequence[Any]


def neutralise(value: Any) -> Any:
    """A text cell that a spreadsheet program would treat as a formula, made plain text."""
    if isinstance(value, str) and value.startswith(FORMULA_TRIGGERS):
        return "'" + value
    return value


def yuan(fen: int | None) -> Decimal | None:
    """Fen as a yuan amount with two decimals (a number in XLSX, '1579.80' in CSV)."""
    return None if fen is None else (Decimal(fen) / 100).quantize(Decimal("0.01"))


def hundredths(value: int | None) -> Decimal | None:
    return None if value is None else (Decimal(value) / 100).normalize()


def instructions(layout: Layout) -> str:
    return _(
        "填写说明：上面几行的值填在 B 列；表头一行不要改动，可以删去不用的可选列；每行一笔；"
        "金额以元为单位，最多两位小数；日期写成 2025-01-05；不要合并单元格；"
        "身份证号一列请保持“文本”格式。示例行请改成实际数据。（%(name)s）",
        name=layout.name,
    )


def template_rows(layout: Layout) -> list[Row]:
    """The template: instructions, the fields above the table with examples, header, an example row."""
    examples = TEMPLATE_EXAMPLES[layout.category]
    rows: list[Row] = [[instructions(layout)]]
    for field in COMMON_FIELDS:
        rows.append([field.label, examples.get(field.key, field.example)])
    for field in layout.fields:
        rows.append([field.label, _example_value(field.key, field.example)])
    for program, total in examples.get("programs", []):
        rows.append([PROGRAM_TOTAL_LABEL, program, Decimal(total)])
    rows.append([])
    rows.append([column.header for column in layout.columns])
    rows.append([_example_value(column.key, column.example) for column in layout.columns])
    return rows


def _example_value(key: str, example: str) -> Any:
    if not example:
        return None
    if key in ("entry_date", "paid_on"):
        return dt.date.fromisoformat(example)
    if key in MONEY_KEYS or key in HUNDREDTHS_KEYS:
        return Decimal(example)
    return example


def version_rows(version: DisclosureVersion) -> list[Row]:
    """A published version as a sheet, in the template's layout, with ID numbers masked (and any
    ID, mobile or card number left in a free text, as a second line of defence)."""
    disclosure: Disclosure = version.disclosure
    village = disclosure.village
    rows: list[Row] = [
        [_("村"), village.full_name],
        [_("村代码"), village.code],
        [_("公开类别"), disclosure.category.label],
        [_("公开期间"), period_label(disclosure.period_kind, disclosure.period_start)],
        [_("周期"), str(PERIOD_KIND_LABELS[disclosure.period_kind])],
        [_("期间开始"), disclosure.period_start.isoformat()],
        [_("期间结束"), disclosure.period_end.isoformat()],
        [_("版本"), version.number],
        [_("公开时间"), version.published_at.isoformat() if version.published_at else ""],
        [_("标题"), version.title],
    ]
    if version.correction_reason:
        rows.append([_("更正理由"), version.correction_reason])
    if version.body:
        rows.append([_("说明"), version.body])
    layout = LAYOUTS.get(disclosure.category)
    if layout is None:
        return rows
    for field in layout.fields:
        value = getattr(version, field.key)
        rows.append([field.label, yuan(value) if field.key in MONEY_KEYS else value])
    if layout.has_program_totals:
        rows.extend([PROGRAM_TOTAL_LABEL, t.program, yuan(t.declared_total)] for t in version.subsidy_totals)
    rows.append([])
    columns = layout.published_columns
    rows.append([column.header for column in columns])
    for row in table_rows(version, layout):
        rows.append([_public_value(column.key, getattr(row, column.key)) for column in columns])
    return mask_strings(rows)


def table_rows(version: DisclosureVersion, layout: Layout) -> list[Any]:
    return {
        Category.FINANCE: version.ledger_rows,
        Category.SUBSIDY: version.subsidy_rows,
        Category.LAND_COMPENSATION: version.compensation_rows,
    }[layout.category]


def _public_value(key: str, value: Any) -> Any:
    if key == "id_number":
        return mask_id_number(value)
    if key in MONEY_KEYS:
        # The public page leaves a ledger's empty side blank, not ¥0.00.
        return yuan(value) if value or key not in ("income", "expense") else None
    if key in HUNDREDTHS_KEYS:
        return hundredths(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def to_csv(rows: Iterable[Row]) -> bytes:
    """UTF-8 with a BOM, so Excel and WPS open Chinese text correctly."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    for row in rows:
        writer.writerow(["" if value is None else _csv_text(value) for value in row])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def _csv_text(value: Any) -> str:
    if isinstance(value, Decimal):
        return str(value)
    return str(neutralise(value) if isinstance(value, str) else value)


def to_xlsx(
    rows: Iterable[Row], *, sheet_title: str, header_at: int | None = None, widths: Sequence[int] = ()
) -> bytes:
    """A one-sheet workbook; every text cell is stored as text, never as a formula.

    openpyxl is imported here, as reading.py does, not with the module: it costs half a second
    and 11 MB that only a spreadsheet download needs (issue 16)."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(sheet_title[:31])
    for index, width in enumerate(widths):
        sheet.column_dimensions[chr(65 + index)].width = width
    bold = Font(bold=True)
    for number, row in enumerate(rows, start=1):
        cells = []
        for value in row:
            cell = WriteOnlyCell(sheet, value=neutralise(value))
            if isinstance(value, str):
                cell.data_type = "s"  # openpyxl would otherwise store "=…" as a formula
            elif isinstance(value, Decimal):
                cell.number_format = "0.00" if value == value.quantize(Decimal("0.01")) else "General"
            elif isinstance(value, dt.date):
                cell.number_format = "yyyy-mm-dd"
            if number == header_at:
                cell.font = bold
            cells.append(cell)
        sheet.append(cells)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def template_xlsx(layout: Layout) -> bytes:
    rows = template_rows(layout)
    return to_xlsx(rows, sheet_title=layout.name, header_at=len(rows) - 1, widths=_widths(layout.columns))


def version_xlsx(version: DisclosureVersion) -> bytes:
    rows = version_rows(version)
    layout = LAYOUTS.get(version.disclosure.category)
    header_at = next(
        (i for i, row in enumerate(rows, start=1) if layout and row and row[0] == layout.columns[0].header), None
    )
    return to_xlsx(
        rows,
        sheet_title=layout.name if layout else version.disclosure.category.label,
        header_at=header_at,
        widths=_widths(layout.published_columns) if layout else (14, 60),
    )


def _widths(columns: tuple[Column, ...]) -> list[int]:
    widths = [column.width for column in columns]
    widths[0] = max(widths[0], 22)  # the labels of the lines above the table
    widths[1] = max(widths[1], 22)
    return widths

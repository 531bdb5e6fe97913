"""Spreadsheets for the tests, made the way a clerk's spreadsheet program would make them."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Sequence
from typing import Any

from openpyxl import Workbook, load_workbook

from tests.conftest import Browser


def fill_template(template: bytes, rows: Sequence[Sequence[Any]], fields: dict[str, Any] | None = None) -> bytes:
    """Open the downloaded template, set the values above the table, replace the example row, save."""
    workbook = load_workbook(io.BytesIO(template))
    sheet = workbook.active
    header_row = next(r for r in range(1, sheet.max_row + 1) if sheet.cell(r, 1).value in ("日期", "补贴项目", "户主"))
    for r in range(1, header_row):
        label = sheet.cell(r, 1).value
        if fields and label in fields:
            sheet.cell(r, 2).value = fields[label]
    sheet.delete_rows(header_row + 1, sheet.max_row - header_row)
    for values in rows:
        sheet.append(list(values))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def workbook_bytes(*sheets: tuple[str, Sequence[Sequence[Any]]], hidden: Sequence[str] = ()) -> bytes:
    """A workbook with the given sheets (title, rows), some of them hidden."""
    workbook = Workbook()
    workbook.remove(workbook.active)
    for title, rows in sheets:
        sheet = workbook.create_sheet(title)
        for values in rows:
            sheet.append(list(values))
        if title in hidden:
            sheet.sheet_state = "hidden"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


LEDGER_HEADER = ["日期", "凭证号", "会计科目", "摘要", "收入（元）", "支出（元）"]


def ledger_sheet(rows: Sequence[Sequence[Any]], opening: str = "1000.00", closing: str = "1376.55") -> list[list[Any]]:
    return [["标题", "2025年第1季度财务收支明细"], ["期初余额", opening], ["期末余额", closing], LEDGER_HEADER, *rows]


GOOD_LEDGER_ROWS = [
    ["2025-01-05", "记-001", "补助收入", "上级拨付村级组织运转经费", "500", ""],
    ["2025-02-03", "记-002", "管理费用", "购买办公用品", "", "123.45"],
]


def upload(browser: Browser, category: str, data: bytes, filename: str = "账.xlsx", **fields: str) -> Any:
    form = {"period_kind": "quarter", "year": "2025", "number": "1", "title": "", **fields}
    form["spreadsheet"] = (io.BytesIO(data), filename)
    response = browser.post(f"/manage/import/{category}", form, content_type="multipart/form-data")
    # A body over 500 KB is spooled to a temporary file that werkzeug's test client closes only
    # when following redirects: close it here.
    response.request.input_stream.close()
    return response


def excel_like_xlsx(rows: Sequence[Sequence[str]]) -> bytes:
    """A large XLSX written quickly, with the <dimension> Excel always writes (openpyxl's
    write-only mode leaves it out, which makes any reader scan the whole sheet once more)."""
    from xml.sax.saxutils import escape

    from transparency.dataio.layouts import column_letter

    skeleton = io.BytesIO()
    Workbook().save(skeleton)
    width = max(len(row) for row in rows)
    body = []
    for number, row in enumerate(rows, start=1):
        cells = "".join(
            f'<c r="{column_letter(i)}{number}" t="inlineStr"><is><t>{escape(str(v))}</t></is></c>'
            for i, v in enumerate(row)
            if v not in (None, "")
        )
        body.append(f'<row r="{number}">{cells}</row>')
    sheet = (
        '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        f'<dimension ref="A1:{column_letter(width - 1)}{len(rows)}"/><sheetData>{"".join(body)}</sheetData></worksheet>'
    )
    out = io.BytesIO()
    with zipfile.ZipFile(skeleton) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            data = sheet.encode() if item.filename == "xl/worksheets/sheet1.xml" else source.read(item.filename)
            target.writestr(item.filename, data)
    return out.getvalue()

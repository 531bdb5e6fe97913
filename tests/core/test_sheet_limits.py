"""An XLSX sheet that declares too many rows is refused before any row is read, and reading
stops at the row cap counting empty rows, even those openpyxl fills in for gaps."""

from __future__ import annotations

import io
import re
import zipfile

import pytest
from openpyxl import Workbook, load_workbook

from transparency.core.sheet_limits import (
    MAX_COLUMNS,
    SheetTooLarge,
    capped_rows,
    check_declared_size,
    physical_row_cap,
)

SHEET = "xl/worksheets/sheet1.xml"
CAP = physical_row_cap(1_000)


def small_workbook() -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "收支明细"
    sheet.append(["日期", "摘要", "收入"])
    sheet.append(["2025-01-05", "补助收入", 5000])
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def with_sheet_xml(data: bytes, change) -> bytes:
    """The workbook with its first sheet's XML rewritten by `change` (bytes -> bytes)."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for entry in source.infolist():
            body = source.read(entry)
            target.writestr(entry, change(body) if entry.filename == SHEET else body)
    return out.getvalue()


def declaring(ref: bytes) -> bytes:
    return with_sheet_xml(
        small_workbook(), lambda xml: re.sub(rb'<dimension ref="[^"]*"', b'<dimension ref="' + ref + b'"', xml)
    )


def without_dimension(extra_rows: bytes) -> bytes:
    def change(xml: bytes) -> bytes:
        xml = re.sub(rb"<dimension [^>]*/>", b"", xml)
        return xml.replace(b"</sheetData>", extra_rows + b"</sheetData>")

    return with_sheet_xml(small_workbook(), change)


def opened(data: bytes):
    return load_workbook(io.BytesIO(data), read_only=True, data_only=True)


def test_a_normal_sheet_is_read_whole():
    workbook = opened(small_workbook())
    check_declared_size(workbook.worksheets, max_rows=CAP)
    rows = list(capped_rows(workbook.active, max_rows=CAP))
    assert [number for number, _ in rows] == [1, 2]
    assert rows[1][1] == ("2025-01-05", "补助收入", 5000)
    workbook.close()


def test_a_declared_two_and_a_half_million_rows_are_refused_before_reading(monkeypatch):
    data = declaring(b"A1:C2500000")
    assert len(data) < 10_000 and b'ref="A1:C2500000"' in zipfile.ZipFile(io.BytesIO(data)).read(SHEET)
    workbook = opened(data)
    assert workbook.active.max_row == 2_500_000  # what openpyxl would otherwise fill in
    with pytest.raises(SheetTooLarge, match="2500000 行"):
        check_declared_size(workbook.worksheets, max_rows=CAP)
    workbook.close()


def test_a_declared_width_over_the_column_cap_is_refused():
    workbook = opened(declaring(b"A1:XFD3"))
    with pytest.raises(SheetTooLarge, match="16384 列"):
        check_declared_size(workbook.worksheets, max_rows=CAP)
    workbook.close()
    assert MAX_COLUMNS < 16384


def test_a_sheet_that_declares_nothing_passes_the_declared_check():
    workbook = opened(without_dimension(b""))
    assert workbook.active.max_row is None
    check_declared_size(workbook.worksheets, max_rows=CAP)
    workbook.close()


def test_many_empty_rows_stop_the_reader_at_the_cap():
    empty_rows = b"".join(b'<row r="%d"/>' % number for number in range(3, 5_003))
    workbook = opened(without_dimension(empty_rows))
    check_declared_size(workbook.worksheets, max_rows=CAP)  # nothing declared: the reader must stop it
    read = []
    with pytest.raises(SheetTooLarge, match="空行也算在内"):
        for number, _ in capped_rows(workbook.active, max_rows=CAP):
            read.append(number)
    assert len(read) == CAP
    workbook.close()


def test_a_gap_of_millions_of_rows_stops_the_reader_at_the_cap():
    far_row = b'<row r="2500000"><c r="A2500000" t="inlineStr"><is><t>x</t></is></c></row>'
    workbook = opened(without_dimension(far_row))
    read = 0
    with pytest.raises(SheetTooLarge):
        for _ in capped_rows(workbook.active, max_rows=CAP):
            read += 1
    assert read == CAP  # openpyxl's invented empty rows were counted, and stopped
    workbook.close()


def test_a_sheet_that_understates_its_size_is_still_stopped():
    rows = b"".join(b'<row r="%d"><c r="A%d"><v>1</v></c></row>' % (n, n) for n in range(3, 1_500))
    data = with_sheet_xml(small_workbook(), lambda xml: xml.replace(b"</sheetData>", rows + b"</sheetData>"))
    workbook = opened(data)
    check_declared_size(workbook.worksheets, max_rows=CAP)  # it says A1:C2
    workbook.active.reset_dimensions()  # as a reader must, for a dimension it does not trust
    with pytest.raises(SheetTooLarge):
        for _ in capped_rows(workbook.active, max_rows=CAP):
            pass
    workbook.close()


def test_a_row_wider_than_the_column_cap_is_refused():
    wide = b'<row r="3"><c r="XFD3"><v>1</v></c></row>'
    workbook = opened(without_dimension(wide))
    with pytest.raises(SheetTooLarge, match="16384 列"):
        list(capped_rows(workbook.active, max_rows=CAP))
    workbook.close()

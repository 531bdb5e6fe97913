"""Bounds on an uploaded XLSX sheet, checked before and while it is read.

openpyxl in read-only mode streams a sheet, but it fills in what the file leaves out: a sheet
that declares `<dimension ref="A1:C2500000"/>`, or holds one row numbered 2 500 000, is read
as two and a half million empty rows. That is 74 KB on the wire and minutes of a worker. A
reader that counts only rows with data never stops; so:

- `check_declared_size` refuses a sheet whose declared dimension (read by openpyxl from the
  `<dimension>` element, before any row) is over the caps, and
- `capped_rows` yields rows and stops at the cap, counting every row it is handed: empty ones,
  and those openpyxl invents for the gaps, too.

The caps are on rows in the file, not table rows: `physical_row_cap` leaves room for the title
lines, header and blank lines around a table of `data_rows` rows.

Raises: SheetTooLarge.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from flask_babel import gettext as _

# Title, 标题/单位 lines, header, totals and a few blank lines around a table: generous.
ROWS_AROUND_TABLE = 200
# No layout has more than a few dozen columns; a row 16 384 cells wide is a tuple of that size.
MAX_COLUMNS = 256


class SheetTooLarge(ValueError):
    """The sheet declares or holds more rows or columns than may be read; the message says so."""


def physical_row_cap(data_rows: int) -> int:
    """How many rows of the file may be read for a table of at most `data_rows` rows."""
    return data_rows + ROWS_AROUND_TABLE


def check_declared_size(worksheets: Iterable[Any], *, max_rows: int, max_columns: int = MAX_COLUMNS) -> None:
    """Refuse, before reading any row, a sheet whose declared dimension is over the caps.

    `worksheets` are openpyxl read-only worksheets (every one, hidden ones too: each is scanned).
    A sheet that declares nothing passes here and is bounded by `capped_rows`.
    Raises SheetTooLarge.
    """
    for worksheet in worksheets:
        rows, columns = worksheet.max_row, worksheet.max_column
        if rows is not None and rows > max_rows:
            raise SheetTooLarge(
                _(
                    "工作表“%(sheet)s”标明有 %(rows)s 行，超过 %(limit)s 行的上限，没有读取。"
                    "请删除多余的行，或分成几个文件上传。",
                    sheet=worksheet.title,
                    rows=rows,
                    limit=max_rows,
                )
            )
        if columns is not None and columns > max_columns:
            raise SheetTooLarge(_columns_message(worksheet.title, columns, max_columns))


def capped_rows(
    worksheet: Any, *, max_rows: int, max_columns: int = MAX_COLUMNS
) -> Iterator[tuple[int, tuple[Any, ...]]]:
    """(row number, values) of an openpyxl worksheet, every row counted, empty ones included.

    Raises SheetTooLarge at the first row past `max_rows`, or at a row wider than `max_columns`.
    """
    for number, values in enumerate(worksheet.iter_rows(values_only=True), start=1):
        if number > max_rows:
            raise SheetTooLarge(
                _(
                    "工作表“%(sheet)s”超过 %(limit)s 行（空行也算在内），没有读取完。"
                    "请删除表格下方多余的空行，或分成几个文件上传。",
                    sheet=worksheet.title,
                    limit=max_rows,
                )
            )
        if len(values) > max_columns:
            raise SheetTooLarge(_columns_message(worksheet.title, len(values), max_columns))
        yield number, values


def _columns_message(sheet: str, columns: int, limit: int) -> str:
    return _(
        "工作表“%(sheet)s”有 %(columns)s 列，超过 %(limit)s 列的上限，没有读取。请删除多余的列后再上传。",
        sheet=sheet,
        columns=columns,
        limit=limit,
    )

"""Opening an uploaded table: XLSX (streamed, read-only) or CSV (UTF-8, with or without BOM, or GBK).

What a file is comes from its content, never its name: a PNG renamed to .xlsx, an old
.xls, a zip bomb or a file in two encodings at once each get a message in Chinese.
Rows are yielded one at a time, so a 100 000-row file is never held as a whole.

Every row of the file counts against the cap (transparency/core/sheet_limits.py), empty ones
too: an XLSX that declares more rows than that is refused before a row is read, and any sheet
stops being read at the cap, so 74 KB declaring 2.5 million empty rows costs milliseconds.

Raises: UnreadableFile.
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import io
import re
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from flask_babel import gettext as _

from transparency.core.sheet_limits import SheetTooLarge, capped_rows, check_declared_size, physical_row_cap

# Unpacked, an XLSX may be this large at most; a few kilobytes that unpack to gigabytes is a zip bomb.
MAX_UNPACKED_BYTES = 200 * 1024 * 1024
MAX_PACKED_ENTRIES = 2_000
MAX_CELL_CHARS = 10_000

_SIGNATURES = (
    (b"\x89PNG", "PNG"),
    (b"\xff\xd8\xff", "JPEG"),
    (b"GIF8", "GIF"),
    (b"%PDF", "PDF"),
    (b"\xd0\xcf\x11\xe0", "OLE"),  # old .xls / .doc
    (b"Rar!", "RAR"),
    (b"7z\xbc\xaf", "7z"),
    (b"\x1f\x8b", "gzip"),
)
_MERGE = re.compile(rb'<(?:\w+:)?mergeCell\s+ref="([A-Z]+)(\d+)(?::([A-Z]+)(\d+))?"')


def _old_excel_message() -> str:
    return _("这是旧版 Excel（.xls）或 Word 文件，无法读取。请在 Excel 或 WPS 中“另存为”.xlsx 或 CSV 后再上传。")


class UnreadableFile(ValueError):
    """The upload is not a table this site can read; the message says why and what to do."""


@dataclass
class Sheet:
    """The one sheet that is read, its rows (row number, cell values) and what the reader noticed."""

    name: str
    rows: Iterator[tuple[int, tuple[Any, ...]]]
    notes: list[str] = field(default_factory=list)
    # Merged cell ranges as (first row, last row, "A3:C3").
    merged: list[tuple[int, int, str]] = field(default_factory=list)


def sniff(data: bytes) -> str:
    """'xlsx', 'csv', or raises UnreadableFile naming what the content really is."""
    if not data.strip():
        raise UnreadableFile(_("文件是空的。"))
    for signature, kind in _SIGNATURES:
        if data.startswith(signature):
            if kind == "OLE":
                raise UnreadableFile(_old_excel_message())
            raise UnreadableFile(_("文件的内容是 %(kind)s，不是表格。请上传 .xlsx 或 .csv 文件。", kind=kind))
    if data.startswith(b"PK\x03\x04"):
        return "xlsx"
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise UnreadableFile(_("文件是 UTF-16 编码的文本，请另存为“CSV UTF-8（逗号分隔）”后再上传。"))
    if b"\x00" in data[:8192]:
        raise UnreadableFile(_("无法识别的文件：既不是 .xlsx 表格，也不是 CSV 文本。"))
    return "csv"


@contextmanager
def open_sheet(data: bytes, *, max_rows: int) -> Iterator[Sheet]:
    """The table in `data`, whatever its format, for a table of at most `max_rows` data rows.

    Raises UnreadableFile (also while the rows are read: past the cap, counting empty rows).
    """
    cap = physical_row_cap(max_rows)
    if sniff(data) == "xlsx":
        with _open_xlsx(data, cap) as sheet:
            yield sheet
    else:
        yield _open_csv(data, cap)


# XLSX ------------------------------------------------------------------------------------------


def _check_archive(archive: zipfile.ZipFile) -> None:
    entries = archive.infolist()
    names = {entry.filename for entry in entries}
    if "xl/workbook.xml" not in names:
        if "word/document.xml" in names:
            raise UnreadableFile(_("这是 Word 文档，不是表格。请上传 .xlsx 或 .csv 文件。"))
        raise UnreadableFile(_("文件是压缩包，但不是 Excel 表格（.xlsx）。"))
    if len(entries) > MAX_PACKED_ENTRIES or sum(entry.file_size for entry in entries) > MAX_UNPACKED_BYTES:
        raise UnreadableFile(_("表格解压后过大（可能是恶意构造的压缩文件），拒绝读取。请分成几个小文件上传。"))


@contextmanager
def _open_xlsx(data: bytes, cap: int) -> Iterator[Sheet]:
    from openpyxl import load_workbook

    buffer = io.BytesIO(data)
    try:
        with zipfile.ZipFile(buffer) as archive:
            _check_archive(archive)
        workbook = load_workbook(buffer, read_only=True, data_only=True)
    except UnreadableFile:
        raise
    except Exception:  # openpyxl raises a zoo of KeyError/ValueError/XML errors on broken files
        raise UnreadableFile(
            _("表格文件已损坏或格式不对，无法打开。请在 Excel 或 WPS 中重新保存为 .xlsx 后再上传。")
        ) from None
    try:
        try:
            check_declared_size(workbook.worksheets, max_rows=cap)
        except SheetTooLarge as error:
            raise UnreadableFile(str(error)) from None
        yield _first_sheet_with_data(workbook, data, cap)
    finally:
        workbook.close()


def _first_sheet_with_data(workbook: Any, data: bytes, cap: int) -> Sheet:
    notes = []
    hidden = [ws.title for ws in workbook.worksheets if ws.sheet_state != "visible"]
    if hidden:
        notes.append(_("隐藏的工作表没有读取：%(names)s", names="、".join(hidden)))
    visible = [ws for ws in workbook.worksheets if ws.sheet_state == "visible"]
    chosen = None
    for worksheet in visible:
        if _has_data(worksheet, cap):
            chosen = worksheet
            break
    if chosen is None:
        if hidden:
            raise UnreadableFile(
                _("表格中可见的工作表都是空的，数据只在隐藏的工作表里。请取消隐藏，或把数据复制到第一个工作表。")
            )
        raise UnreadableFile(_("表格是空的：没有任何工作表有数据。"))
    skipped = [ws.title for ws in visible if ws is not chosen]
    if skipped:
        notes.append(
            _("只读取了工作表“%(name)s”，其他工作表没有读取：%(others)s", name=chosen.title, others="、".join(skipped))
        )
    return Sheet(
        name=chosen.title,
        rows=_xlsx_rows(chosen, cap),
        notes=notes,
        merged=_merged_ranges(data, chosen._worksheet_path),
    )


def _has_data(worksheet: Any, cap: int) -> bool:
    for _number, row in _capped(worksheet, cap):
        if any(_present(value) for value in row):
            return True
    return False


def _xlsx_rows(worksheet: Any, cap: int) -> Iterator[tuple[int, tuple[Any, ...]]]:
    for number, row in _capped(worksheet, cap):
        yield number, tuple(_xlsx_value(value) for value in row)


def _capped(worksheet: Any, cap: int) -> Iterator[tuple[int, tuple[Any, ...]]]:
    try:
        yield from capped_rows(worksheet, max_rows=cap)
    except SheetTooLarge as error:
        raise UnreadableFile(str(error)) from None


def _xlsx_value(value: Any) -> Any:
    if isinstance(value, dt.datetime):
        return value.date() if value.time() == dt.time() else value
    if isinstance(value, str):
        return value[:MAX_CELL_CHARS]
    return value


def _merged_ranges(data: bytes, member: str) -> list[tuple[int, int, str]]:
    """The sheet's merged cells, found by scanning its XML in chunks (read-only mode hides them)."""
    found = []
    tail = b""
    with zipfile.ZipFile(io.BytesIO(data)) as archive, archive.open(member.lstrip("/")) as stream:
        while chunk := stream.read(1 << 20):
            window = tail + chunk
            for match in _MERGE.finditer(window):
                first_col, first_row, last_col, last_row = match.groups()
                last_row = last_row or first_row
                text = f"{first_col.decode()}{first_row.decode()}:{(last_col or first_col).decode()}{last_row.decode()}"
                found.append((int(first_row), int(last_row), text))
            tail = window[-200:]  # a tag cut in two by the chunk boundary; found twice at worst
    return sorted(set(found))


# CSV -------------------------------------------------------------------------------------------


def _decode(data: bytes) -> str:
    if data.startswith(codecs.BOM_UTF8):
        try:
            return data[len(codecs.BOM_UTF8) :].decode("utf-8")
        except UnicodeDecodeError:
            raise UnreadableFile(_mixed_or_broken(data[len(codecs.BOM_UTF8) :])) from None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    message = _mixed_or_broken(data)
    if message:
        raise UnreadableFile(message)
    try:
        return data.decode("gb18030")  # a superset of GBK and GB2312, as Excel and WPS save them
    except UnicodeDecodeError:
        raise UnreadableFile(_("无法识别文件的文字编码。请另存为“CSV UTF-8（逗号分隔）”后再上传。")) from None


def _mixed_or_broken(data: bytes) -> str:
    """A message when some lines are UTF-8 and others are not (two files pasted together)."""
    utf8_line = other_line = None
    for number, line in enumerate(data.split(b"\n"), start=1):
        if line.isascii():
            continue
        try:
            line.decode("utf-8")
        except UnicodeDecodeError:
            other_line = other_line or number
        else:
            utf8_line = utf8_line or number
        if utf8_line and other_line:
            return _(
                "文件混用了两种文字编码（第 %(utf8)s 行是 UTF-8，第 %(other)s 行是 GBK 等其他编码），"
                "可能是两个文件拼在了一起。请在表格软件中统一另存为“CSV UTF-8”后再上传。",
                utf8=utf8_line,
                other=other_line,
            )
    return ""


def _open_csv(data: bytes, cap: int) -> Sheet:
    text = _decode(data)
    first_line = text.split("\n", 1)[0]
    delimiter = "\t" if "\t" in first_line and "," not in first_line else ","
    return Sheet(name="CSV", rows=_csv_rows(text, delimiter, cap))


def _csv_rows(text: str, delimiter: str, cap: int) -> Iterator[tuple[int, tuple[Any, ...]]]:
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        for row in reader:
            if reader.line_num > cap:
                raise UnreadableFile(
                    _(
                        "CSV 文件超过 %(limit)s 行（空行也算在内），没有读取完。请删除多余的空行，或分成几个文件上传。",
                        limit=cap,
                    )
                )
            yield reader.line_num, tuple(cell[:MAX_CELL_CHARS] for cell in row)
    except csv.Error:
        raise UnreadableFile(
            _("CSV 文件第 %(line)s 行格式不对（引号没有配对或单元格过长），无法读取。", line=reader.line_num + 1)
        ) from None


def _present(value: Any) -> bool:
    return value is not None and (not isinstance(value, str) or value.strip() != "")

"""From a spreadsheet to a draft's content, with every problem named by row and column.

Each data row goes through the same row form the web page uses (same cleaning, same
parsing of money, areas, dates and ID numbers, same messages), and the whole table then
through the same checks a draft must pass before it is submitted (reconciliation, personal
data in free text). Nothing is returned as content unless the whole file is clean.

The pass over the sheet is table_reader.py; the forms and checks it shares with the
administrator's import are content.py.
"""

from __future__ import annotations

from collections.abc import Callable

from flask_babel import gettext as _

from transparency.dataio.cells import filled
from transparency.dataio.content import assemble, content_problems, parse_fields, parse_totals
from transparency.dataio.layouts import COMMON_FIELDS, Layout
from transparency.dataio.reading import Sheet, UnreadableFile, open_sheet
from transparency.dataio.table_reader import ParsedTable, TableReader
from transparency.disclosures.content import DraftContent

PROGRESS_EVERY = 1_000


def read_table(
    layout: Layout,
    data: bytes,
    *,
    max_rows: int,
    title: str | None = None,
    progress: Callable[[int], None] | None = None,
) -> ParsedTable:
    """Read and check the whole file. `title` (from the upload form) wins over the file's 标题.

    Never raises for bad content: an unreadable file is one problem without a row.
    """
    result = ParsedTable(layout)
    try:
        with open_sheet(data, max_rows=max_rows) as sheet:
            result.notes.extend(sheet.notes)
            _read_sheet(result, sheet, max_rows=max_rows, title=title, progress=progress)
    except UnreadableFile as error:
        result.add(str(error))
        result.content = None
    return result


def _read_sheet(
    result: ParsedTable,
    sheet: Sheet,
    *,
    max_rows: int,
    title: str | None,
    progress: Callable[[int], None] | None,
) -> None:
    reader = TableReader(result, sheet, max_rows)
    in_table = False
    for number, cells in sheet.rows:
        if not any(filled(c) for c in cells):
            continue
        if not in_table:
            in_table = reader.take_line_above(number, cells)
            if in_table and reader.missing_columns:
                return  # without a required column every row would repeat the same problem
            continue
        if not reader.take_row(number, cells):
            break
        if progress and result.rows_read % PROGRESS_EVERY == 0:
            progress(result.rows_read)
    if progress:
        progress(result.rows_read)
    if not in_table:
        headers = "、".join(c.header for c in result.layout.columns if c.required)
        result.add(_("没有找到表头。表头一行应包含：%(headers)s", headers=headers))
        return
    if not reader.lines and not result.problem_count:
        result.add(_("表头下面没有任何数据行"))
    reader.check_total_rows()
    content = _content(reader, title)
    if result.problem_count:
        return
    for message in content_problems(result.layout.category, content):
        result.add(message)
    if not result.problem_count:
        result.content = content


def _content(reader: TableReader, title: str | None) -> DraftContent:
    """The fields above the table, parsed the way the web form parses them."""
    result, layout = reader.result, reader.layout
    rows_of = {key: number for key, (number, _raw) in reader.fields.items()}
    values = parse_fields(
        layout,
        {key: raw for key, (_number, raw) in reader.fields.items()},
        lambda key, message: result.add(message, rows_of[key], _field_place(layout, key)),
    )
    totals = parse_totals(
        [(program, amount) for _number, program, amount in reader.totals],
        lambda index, message: result.add(message, reader.totals[index][0], _("项目合计")),
    )
    return assemble(layout, title or values.get("title") or "", values, totals, reader.lines)


def _field_place(layout: Layout, key: str) -> str:
    label = next(f.label for f in COMMON_FIELDS + layout.fields if f.key == key)
    return _("B 列（%(label)s）", label=label)

"""From a spreadsheet to a draft's content, with every problem named by row and column.

Each data row goes through the same row form the web page uses (same cleaning, same
parsing of money, areas, dates and ID numbers, same messages), and the whole table then
through the same checks a draft must pass before it is submitted (reconciliation, personal
data in free text). Nothing is returned as content unless the whole file is clean.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from flask_babel import gettext as _
from werkzeug.datastructures import MultiDict

from transparency.core.money import InvalidAmount, format_yuan, parse_yuan
from transparency.core.text import clean_text
from transparency.dataio.layouts import (
    COMMON_FIELDS,
    Column,
    Layout,
    column_letter,
    is_forbidden_header,
    is_program_total_label,
    normalise_header,
)
from transparency.dataio.reading import Sheet, UnreadableFile, open_sheet
from transparency.disclosures.checks import problems_before_publication
from transparency.disclosures.content import DraftContent, ProgramTotal
from transparency.disclosures.forms import ProgramTotalForm
from transparency.disclosures.models import Category

MAX_PROBLEMS_KEPT = 500
PROGRESS_EVERY = 1_000
# A line of sums at the foot of a ledger: compared with the rows, never imported as a row.
TOTAL_WORDS = frozenset({"合计", "总计", "小计", "本期合计", "本月合计", "本季合计", "本年累计", "累计"})
UNITS = ("亩", "人", "户")
# Fields above the table and the content attribute each fills; money ones may be negative if flagged.
MONEY_FIELDS = {
    "opening_balance": True,
    "closing_balance": True,
    "compensation_received": False,
    "retained_by_collective": False,
}
TEXT_LIMITS = {"title": 120, "body": 20_000, "project_name": 120}


@dataclass(frozen=True)
class Problem:
    message: str
    row: int | None = None  # the spreadsheet's own row number
    column: str | None = None  # "C 列（会计科目）"


@dataclass
class ParsedTable:
    layout: Layout
    problems: list[Problem] = field(default_factory=list)
    problem_count: int = 0
    notices: list[str] = field(default_factory=list)
    rows_read: int = 0
    # Label/value lines above the table that no layout field claims (the CLI reads 村代码 … there).
    extra_fields: dict[str, str] = field(default_factory=dict)
    content: DraftContent | None = None

    @property
    def ok(self) -> bool:
        return self.content is not None and not self.problem_count

    def add(self, message: str, row: int | None = None, column: str | None = None) -> None:
        self.problem_count += 1
        if len(self.problems) < MAX_PROBLEMS_KEPT:
            self.problems.append(Problem(message, row, column))


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
        with open_sheet(data) as sheet:
            result.notices.extend(sheet.notices)
            _read_sheet(result, sheet, max_rows=max_rows, title=title, progress=progress)
    except UnreadableFile as error:
        result.add(str(error))
        result.content = None
    return result


class _TableReader:
    """The state of one pass over a sheet: fields above, the header, then the rows."""

    def __init__(self, result: ParsedTable, sheet: Sheet, max_rows: int) -> None:
        self.result = result
        self.layout = result.layout
        self.sheet = sheet
        self.max_rows = max_rows
        self.fields: dict[str, tuple[int, Any]] = {}
        self.totals: list[tuple[int, Any, Any]] = []
        self.columns: dict[int, Column] = {}
        self.headers: dict[int, str] = {}
        self.header_row: int | None = None
        self.missing_columns = False
        self.lines: list[Any] = []
        self.total_rows: list[tuple[int, tuple[Any, ...]]] = []
        self.sums: dict[str, int] = {}
        self.row_form = self.layout.row_form()

    def where(self, index: int) -> str:
        return _("%(letter)s 列（%(header)s）", letter=column_letter(index), header=self.headers.get(index, ""))

    # Above the table ----------------------------------------------------------------------

    def take_line_above(self, number: int, cells: tuple[Any, ...]) -> bool:
        """A label/value line or the header row; True once the header has been found."""
        label = cells[0] if cells else None
        if self.layout.has_program_totals and is_program_total_label(label):
            self.totals.append((number, _cell(cells, 1), _cell(cells, 2)))
            return False
        known = self.layout.field_for(label)
        if known is not None and not self._looks_like_header(cells):
            self.fields[known.key] = (number, _cell(cells, 1))
            return False
        if self._looks_like_header(cells):
            self._take_header(number, cells)
            return True
        if _present(label) and any(_present(c) for c in cells[1:]):
            self.result.extra_fields[normalise_header(label)] = cell_text(_cell(cells, 1))
        return False  # a banner line such as a merged title: nothing to read

    def _looks_like_header(self, cells: tuple[Any, ...]) -> bool:
        matched = {c.key for c in (self.layout.column_for(cell) for cell in cells if _present(cell)) if c}
        return len(matched) >= 2

    def _take_header(self, number: int, cells: tuple[Any, ...]) -> None:
        self.header_row = number
        unknown = []
        for index, cell in enumerate(cells):
            if not _present(cell):
                continue
            self.headers[index] = clean_text(str(cell)) or ""
            if is_forbidden_header(cell):
                self.result.add(
                    _(
                        "“%(header)s”这一列不能公开（银行卡号、账号等），整个文件已拒收。请删除这一列后重新上传。",
                        header=cell,
                    ),
                    number,
                    self.where(index),
                )
                continue
            column = self.layout.column_for(cell)
            if column is None:
                unknown.append(str(cell))
            elif column in self.columns.values():
                self.result.add(_("“%(header)s”这一列出现了两次", header=cell), number, self.where(index))
            else:
                self.columns[index] = column
        if unknown:
            self.result.notices.append(_("以下列不属于这张表，没有导入：%(names)s", names="、".join(unknown)))
        present = set(self.columns.values())
        for column in self.layout.columns:
            if column.required and column not in present:
                self.missing_columns = True
                self.result.add(_("表头缺少“%(header)s”这一列", header=column.header), number)
        for first, last, cells_range in self.sheet.merged:
            if last >= number:
                self.result.add(
                    _("%(range)s 是合并单元格。请取消合并，每个单元格各填自己的值后再上传。", range=cells_range), first
                )

    # The rows -------------------------------------------------------------------------------

    def take_row(self, number: int, cells: tuple[Any, ...]) -> bool:
        """Check one row; False once the row limit is passed (stop reading)."""
        if any(isinstance(c, str) and normalise_header(c) in TOTAL_WORDS for c in cells):
            self.total_rows.append((number, cells))
            return True
        self.result.rows_read += 1
        if self.result.rows_read > self.max_rows:
            self.result.add(
                _(
                    "表格超过 %(limit)s 行，没有导入。请分成几个文件（例如按月份）分别上传。",
                    limit=self.max_rows,
                ),
                number,
            )
            return False
        values: dict[str, str] = {}
        for index, column in self.columns.items():
            raw = _cell(cells, index)
            if column.personal_id and isinstance(raw, int | float):
                self.result.add(
                    _("身份证号被表格软件存成了数字，后几位可能已经丢失。请把这一列设为“文本”格式后重新输入。"),
                    number,
                    self.where(index),
                )
                raw = ""
            values[column.key] = cell_text(raw)
        line, errors = validate_row(self.layout, values, self.row_form)
        if line is None:
            index_of = {column.key: index for index, column in self.columns.items()}
            for key, message in errors:
                index = index_of.get(key)
                self.result.add(message, number, self.where(index) if index is not None else None)
            return True
        self.lines.append(line)
        for column in self.layout.columns:
            value = getattr(line, column.key, None)
            if isinstance(value, int) and column.key not in ("basis_hundredths", "area_hundredths"):
                self.sums[column.key] = self.sums.get(column.key, 0) + value
        return True

    def check_total_rows(self) -> None:
        """A 合计 line's amounts must equal the sums of the rows above it."""
        for number, cells in self.total_rows:
            for index, column in self.columns.items():
                raw = cell_text(_cell(cells, index))
                if not raw or column.key not in self.sums:
                    continue
                try:
                    stated = parse_yuan(raw, allow_negative=True)
                except InvalidAmount as error:
                    self.result.add(str(error), number, self.where(index))
                    continue
                if stated != self.sums[column.key]:
                    self.result.add(
                        _(
                            "合计行写的是 %(stated)s，各行相加是 %(actual)s，相差 %(difference)s",
                            stated=format_yuan(stated),
                            actual=format_yuan(self.sums[column.key]),
                            difference=format_yuan(stated - self.sums[column.key]),
                        ),
                        number,
                        self.where(index),
                    )


def _read_sheet(
    result: ParsedTable,
    sheet: Sheet,
    *,
    max_rows: int,
    title: str | None,
    progress: Callable[[int], None] | None,
) -> None:
    reader = _TableReader(result, sheet, max_rows)
    in_table = False
    for number, cells in sheet.rows:
        if not any(_present(c) for c in cells):
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


def _content(reader: _TableReader, title: str | None) -> DraftContent:
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
    if "basis_unit" in form and values.get("basis_unit", "") not in UNITS:
        form.basis_unit.errors = [_("单位应为 亩、人 或 户")]
        valid = False
    if not valid:
        return None, [(key, str(message)) for key, errors in form.errors.items() for message in errors]
    return layout.to_line(form), []


def parse_fields(layout: Layout, raw: dict[str, Any], report: Callable[[str, str], None]) -> dict[str, Any]:
    """The values above the table (title, balances, project …), parsed; problems go to `report(key, message)`."""
    values: dict[str, Any] = {}
    for key, value in raw.items():
        text = cell_text(value)
        if key in MONEY_FIELDS:
            if not text:
                continue
            try:
                values[key] = parse_yuan(text, allow_negative=MONEY_FIELDS[key])
            except InvalidAmount as error:
                report(key, str(error))
        else:
            cleaned = clean_text(text) or ""
            limit = TEXT_LIMITS.get(key, 120)
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
        content.ledger_rows = lines
    elif layout.category is Category.SUBSIDY:
        content.subsidy_totals = totals
        content.subsidy_rows = lines
    elif layout.category is Category.LAND_COMPENSATION:
        content.project_name = values.get("project_name")
        content.compensation_received = values.get("compensation_received")
        content.retained_by_collective = values.get("retained_by_collective")
        content.compensation_rows = lines
    return content


def content_problems(category: Category, content: DraftContent) -> list[str]:
    """What the publication checks say about this content (reconciliation, personal data, title)."""
    return problems_before_publication(category, content)


def _field_place(layout: Layout, key: str) -> str:
    label = next(f.label for f in COMMON_FIELDS + layout.fields if f.key == key)
    return _("B 列（%(label)s）", label=label)


def _cell(cells: tuple[Any, ...], index: int) -> Any:
    return cells[index] if index < len(cells) else None


def _present(value: Any) -> bool:
    return value is not None and (not isinstance(value, str) or value.strip() != "")


def cell_text(value: Any) -> str:
    """A cell as the text a clerk would have typed in the web form."""
    if value is None:
        return ""
    if isinstance(value, dt.datetime | dt.date):
        return (value.date() if isinstance(value, dt.datetime) else value).isoformat()
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, float):
        # 1579.8 stays 1579.8; a float artefact like 0.30000000000000004 is refused by the parser.
        return str(int(value)) if value.is_integer() else format(Decimal(repr(value)), "f")
    return str(value).strip()

"""One pass over a sheet: the label/value lines above the table, the header, then the rows,
each row through the web form's row form; problems named by row and column."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from flask_babel import gettext as _

from transparency.core.money import InvalidAmount, format_yuan, parse_yuan
from transparency.core.text import clean_text
from transparency.dataio.cells import cell_at, cell_text, filled
from transparency.dataio.layouts import (
    Column,
    Layout,
    column_letter,
    is_forbidden_header,
    is_program_total_label,
    normalise_header,
)
from transparency.dataio.reading import Sheet
from transparency.dataio.row_checker import RowChecker
from transparency.disclosures.content import DraftContent

MAX_PROBLEMS_KEPT = 500
# A line of sums at the foot of a ledger: compared with the rows, never imported as a row.
TOTAL_WORDS = frozenset({"合计", "总计", "小计", "本期合计", "本月合计", "本季合计", "本年累计", "累计"})
# Every one of them has 计, and no other character becomes 计 when normalised (NFKC): a cell
# without it is no total word, and is not normalised to find that out (6 cells × 50 000 rows).
TOTAL_MARK = "计"


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
    notes: list[str] = field(default_factory=list)
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


class TableReader:
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
        self.rows = RowChecker(self.layout)

    def where(self, index: int) -> str:
        return _("%(letter)s 列（%(header)s）", letter=column_letter(index), header=self.headers.get(index, ""))

    # Above the table ----------------------------------------------------------------------

    def take_line_above(self, number: int, cells: tuple[Any, ...]) -> bool:
        """A label/value line or the header row; True once the header has been found."""
        label = cells[0] if cells else None
        if self.layout.has_program_totals and is_program_total_label(label):
            self.totals.append((number, cell_at(cells, 1), cell_at(cells, 2)))
            return False
        known = self.layout.field_for(label)
        if known is not None and not self._looks_like_header(cells):
            self.fields[known.key] = (number, cell_at(cells, 1))
            return False
        if self._looks_like_header(cells):
            self._take_header(number, cells)
            return True
        if filled(label) and any(filled(c) for c in cells[1:]):
            self.result.extra_fields[normalise_header(label)] = cell_text(cell_at(cells, 1))
        return False  # a banner line such as a merged title: nothing to read

    def _looks_like_header(self, cells: tuple[Any, ...]) -> bool:
        matched = {c.key for c in (self.layout.column_for(cell) for cell in cells if filled(cell)) if c}
        return len(matched) >= 2

    def _take_header(self, number: int, cells: tuple[Any, ...]) -> None:
        self.header_row = number
        unknown = []
        for index, cell in enumerate(cells):
            if not filled(cell):
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
            self.result.notes.append(_("以下列不属于这张表，没有导入：%(names)s", names="、".join(unknown)))
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
        if any(isinstance(c, str) and TOTAL_MARK in c and normalise_header(c) in TOTAL_WORDS for c in cells):
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
            raw = cell_at(cells, index)
            if column.personal_id and isinstance(raw, int | float):
                self.result.add(
                    _("身份证号被表格软件存成了数字，后几位可能已经丢失。请把这一列设为“文本”格式后重新输入。"),
                    number,
                    self.where(index),
                )
                raw = ""
            values[column.key] = cell_text(raw)
        line, errors = self.rows.check(values)
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
                raw = cell_text(cell_at(cells, index))
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

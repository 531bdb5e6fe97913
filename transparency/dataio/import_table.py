"""Importing one CSV/XLSX table in the template's layout, with 村代码, 公开类别, 周期, 期间开始,
期间结束 lines above it.

Raises: ImportRefused.
"""

from __future__ import annotations

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy.orm import Session

from transparency.dataio.cells import cell_text
from transparency.dataio.import_checks import (
    check_category,
    check_moment,
    check_period,
    check_village,
    refuse_duplicates,
)
from transparency.dataio.import_specs import DisclosureSpec, ImportProblems, ImportRefused, Progress, VersionSpec
from transparency.dataio.layouts import LAYOUTS, normalise_header
from transparency.dataio.parsing import read_table
from transparency.dataio.reading import UnreadableFile, open_sheet
from transparency.dataio.table_reader import ParsedTable

FIELD_LINES_TO_PEEK = 40

TABLE_FILE_LABELS = {
    "village": ("村代码",),
    "category": ("公开类别", "类别"),
    "kind": ("周期", "公开周期"),
    "start": ("期间开始", "开始日期"),
    "end": ("期间结束", "结束日期"),
    "published_at": ("公开时间",),
}


def _peek_labels(data: bytes) -> dict[str, str]:
    """The label/value lines at the top of a table file (村代码, 公开类别 …), before the rows."""
    labels: dict[str, str] = {}
    wanted = {normalise_header(label): key for key, names in TABLE_FILE_LABELS.items() for label in names}
    try:
        with open_sheet(data, max_rows=current_app.config["MAX_IMPORT_ROWS"]) as sheet:
            for seen, (_number, cells) in enumerate(sheet.rows):
                if seen >= FIELD_LINES_TO_PEEK:
                    break
                key = wanted.get(normalise_header(cells[0] if cells else None))
                if key and len(cells) > 1:
                    labels[key] = cell_text(cells[1])
    except UnreadableFile as error:
        raise ImportRefused([str(error)]) from None
    return labels


def read_table_file(session: Session, data: bytes, progress: Progress | None) -> DisclosureSpec:
    labels = _peek_labels(data)
    problems = ImportProblems()
    where = _("文件")
    village = check_village(session, labels.get("village", ""), where, problems)
    category = check_category(labels.get("category", ""), where, problems)
    bounds = check_period(labels.get("kind"), labels.get("start"), labels.get("end"), where, problems)
    published_at = check_moment(labels.get("published_at") or None, where, problems)
    if category is not None and category not in LAYOUTS:
        problems.add(_("表格文件只能导入财务收支、惠农补贴或征地补偿；其他类别请用 JSON"))
    problems.refuse_if_any()
    assert village is not None and category is not None and bounds is not None and published_at is not None
    parsed: ParsedTable = read_table(
        LAYOUTS[category], data, max_rows=current_app.config["MAX_IMPORT_ROWS"], progress=progress
    )
    for problem in parsed.problems:
        place = " · ".join(
            p for p in (_("第 %(n)s 行", n=problem.row) if problem.row else "", problem.column or "") if p
        )
        problems.add(f"{place}：{problem.message}" if place else problem.message)
    if parsed.problem_count > len(parsed.problems):
        problems.count += parsed.problem_count - len(parsed.problems)
    problems.refuse_if_any()
    assert parsed.content is not None
    spec = DisclosureSpec(village, category, *bounds, versions=[VersionSpec(parsed.content, None, published_at)])
    refuse_duplicates(session, [spec], problems)
    problems.refuse_if_any()
    return spec

"""`transparency import FILE`: historical disclosures, published directly by an administrator.

The file is JSON (many notices, each with its versions; docs/data-format.md) or one CSV/XLSX
table in the template's layout with 村代码, 公开类别, 周期, 期间开始, 期间结束 lines above it.
Everything is checked before anything is written; then all of it is written in one
transaction, or none of it.

Raises: ImportRefused.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from zoneinfo import ZoneInfo

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import Session

from transparency.accounts.models import Account
from transparency.areas.models import Area, AreaLevel
from transparency.areas.services import area_by_code
from transparency.dataio.layouts import LAYOUTS, Layout, normalise_header
from transparency.dataio.parsing import (
    ParsedTable,
    assemble,
    cell_text,
    content_problems,
    parse_fields,
    parse_totals,
    read_table,
    validate_row,
)
from transparency.dataio.reading import UnreadableFile, open_sheet, sniff
from transparency.dataio.serialize import JSON_KEYS, TABLE_KEYS
from transparency.disclosures import services
from transparency.disclosures.content import DraftContent
from transparency.disclosures.models import CATEGORY_LABELS, Category, Disclosure, DisclosureVersion, PeriodKind
from transparency.disclosures.periods import PERIOD_KIND_LABELS, PERIODS_PER_YEAR, InvalidPeriod, period_bounds

MAX_PROBLEMS = 200
FIELD_LINES_TO_PEEK = 40
Progress = Callable[[int], None]


class ImportRefused(Exception):
    """Nothing was imported; `problems` says why, each naming the notice, version and row."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("\n".join(problems))
        self.problems = problems


@dataclass
class VersionSpec:
    content: DraftContent
    correction_reason: str | None
    published_at: dt.datetime


@dataclass
class DisclosureSpec:
    village: Area
    category: Category
    period_kind: PeriodKind
    period_start: dt.date
    period_end: dt.date
    versions: list[VersionSpec] = field(default_factory=list)

    @property
    def label(self) -> str:
        return f"{self.village.name}（{self.village.code}）{self.category.label} {self.period_start}—{self.period_end}"

    @property
    def row_count(self) -> int:
        return sum(
            len(v.content.ledger_rows) + len(v.content.subsidy_rows) + len(v.content.compensation_rows)
            for v in self.versions
        )


class _Problems:
    def __init__(self) -> None:
        self.items: list[str] = []
        self.count = 0

    def add(self, message: str) -> None:
        self.count += 1
        if len(self.items) < MAX_PROBLEMS:
            self.items.append(message)

    def refuse_if_any(self) -> None:
        if self.count:
            more = self.count - len(self.items)
            if more:
                self.items.append(_("……另有 %(count)s 处问题没有列出", count=more))
            raise ImportRefused(self.items)


def read_import_file(session: Session, data: bytes, *, progress: Progress | None = None) -> list[DisclosureSpec]:
    """Every notice in the file, fully checked. Raises ImportRefused listing every problem."""
    if len(data) > current_app.config["MAX_IMPORT_BYTES"]:
        raise ImportRefused([_("文件超过 %(size)s MB", size=current_app.config["MAX_IMPORT_BYTES"] // 1048576)])
    if data.lstrip()[:1] in (b"{", b"["):
        return _read_json(session, data, progress)
    try:
        sniff(data)
    except UnreadableFile as error:
        raise ImportRefused([str(error)]) from None
    return [_read_table_file(session, data, progress)]


def load(
    session: Session, *, actor: Account, specs: list[DisclosureSpec], progress: Progress | None = None
) -> list[Disclosure]:
    """Write every checked notice as published. The caller commits once, or rolls back on any error.

    Raises ImportRefused (a notice the publication checks refuse; nothing is kept then).
    """
    loaded = []
    for spec in specs:
        try:
            disclosure = services.publish_historical(
                session,
                actor=actor,
                village=spec.village,
                category=spec.category,
                period_kind=spec.period_kind,
                period_start=spec.period_start,
                period_end=spec.period_end,
                versions=[(v.content, v.correction_reason, v.published_at) for v in spec.versions],
            )
        except services.CannotSubmit as error:
            raise ImportRefused([f"{spec.label}：{problem}" for problem in error.problems]) from None
        loaded.append(disclosure)
        if progress:
            progress(spec.row_count + len(spec.versions))
    return loaded


# JSON ------------------------------------------------------------------------------------------


def _read_json(session: Session, data: bytes, progress: Progress | None) -> list[DisclosureSpec]:
    try:
        document = json.loads(data.decode("utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise ImportRefused([_("JSON 格式不对：%(error)s", error=str(error))]) from None
    items = document.get("disclosures") if isinstance(document, dict) else document
    if not isinstance(items, list) or not items:
        raise ImportRefused([_('JSON 里应有 "disclosures" 列表，且至少有一项')])
    problems = _Problems()
    specs: list[DisclosureSpec] = []
    checked = 0
    for index, item in enumerate(items, start=1):
        where = _("第 %(n)s 项", n=index)
        spec = _json_disclosure(session, item, where, problems)
        if spec is not None:
            specs.append(spec)
            checked += spec.row_count + len(spec.versions)
            if progress:
                progress(checked)
    _refuse_duplicates(session, specs, problems)
    problems.refuse_if_any()
    return specs


def _json_disclosure(session: Session, item: Any, where: str, problems: _Problems) -> DisclosureSpec | None:
    if not isinstance(item, dict):
        problems.add(_("%(where)s：应为一个对象", where=where))
        return None
    village = _village(session, str(item.get("village", "")), where, problems)
    category = _category(str(item.get("category", "")), where, problems)
    period = item.get("period") if isinstance(item.get("period"), dict) else {}
    bounds = _period(period.get("kind"), period.get("start"), period.get("end"), where, problems)
    versions = item.get("versions")
    if not isinstance(versions, list) or not versions:
        problems.add(_("%(where)s：至少要有一个版本（versions）", where=where))
        return None
    if village is None or category is None or bounds is None:
        return None
    spec = DisclosureSpec(village, category, *bounds)
    for number, version in enumerate(versions, start=1):
        place = _("%(where)s（%(label)s）第 %(n)s 版", where=where, label=spec.label, n=number)
        parsed = _json_version(category, version, number, place, problems)
        if parsed is not None:
            spec.versions.append(parsed)
    return spec if len(spec.versions) == len(versions) else None


def _json_version(category: Category, item: Any, number: int, place: str, problems: _Problems) -> VersionSpec | None:
    if not isinstance(item, dict):
        problems.add(_("%(where)s：应为一个对象", where=place))
        return None
    before = problems.count
    reason = cell_text(item.get("correction_reason")) or None
    if number > 1 and not reason:
        problems.add(_("%(where)s：更正版本要写明更正理由（correction_reason）", where=place))
    published_at = _moment(item.get("published_at"), place, problems)
    layout = LAYOUTS.get(category)
    title = cell_text(item.get("title"))
    raw_fields = {"body": item.get("body") or ""}
    if layout is None:
        content = DraftContent(title=title, body=cell_text(raw_fields["body"]))
    else:
        raw_fields.update({f.key: item.get(f.key) for f in layout.fields})
        values = parse_fields(layout, raw_fields, lambda key, message: problems.add(f"{place}：{key}：{message}"))
        totals = parse_totals(
            [
                (t.get("program"), t.get("declared_total"))
                for t in item.get("program_totals") or []
                if isinstance(t, dict)
            ],
            lambda index, message: problems.add(
                _("%(where)s：第 %(n)s 个项目合计：%(message)s", where=place, n=index + 1, message=message)
            ),
        )
        lines = _json_rows(layout, item.get(TABLE_KEYS[str(category)]), place, problems)
        content = assemble(layout, title, values, totals, lines)
    if problems.count == before:
        for message in content_problems(category, content):
            problems.add(f"{place}：{message}")
    if problems.count != before or published_at is None:
        return None
    return VersionSpec(content, reason, published_at)


def _json_rows(layout: Layout, rows: Any, place: str, problems: _Problems) -> list[Any]:
    if not isinstance(rows, list):
        problems.add(_("%(where)s：缺少明细列表", where=place))
        return []
    if len(rows) > current_app.config["MAX_IMPORT_ROWS"]:
        problems.add(_("%(where)s：超过 %(limit)s 行", where=place, limit=current_app.config["MAX_IMPORT_ROWS"]))
        return []
    lines = []
    labels = {c.key: c.header for c in layout.columns}
    form = layout.row_form()
    for number, row in enumerate(rows, start=1):
        if not isinstance(row, dict):
            problems.add(_("%(where)s：明细第 %(n)s 行应为一个对象", where=place, n=number))
            continue
        values = {c.key: cell_text(row.get(JSON_KEYS.get(c.key, c.key))) for c in layout.columns}
        line, errors = validate_row(layout, values, form)
        for key, message in errors:
            problems.add(
                _(
                    "%(where)s：明细第 %(n)s 行“%(column)s”：%(message)s",
                    where=place,
                    n=number,
                    column=labels.get(key, key),
                    message=message,
                )
            )
        if line is not None:
            lines.append(line)
    return lines


# One CSV/XLSX table ----------------------------------------------------------------------------

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
        with open_sheet(data) as sheet:
            for seen, (_number, cells) in enumerate(sheet.rows):
                if seen >= FIELD_LINES_TO_PEEK:
                    break
                key = wanted.get(normalise_header(cells[0] if cells else None))
                if key and len(cells) > 1:
                    labels[key] = cell_text(cells[1])
    except UnreadableFile as error:
        raise ImportRefused([str(error)]) from None
    return labels


def _read_table_file(session: Session, data: bytes, progress: Progress | None) -> DisclosureSpec:
    labels = _peek_labels(data)
    problems = _Problems()
    where = _("文件")
    village = _village(session, labels.get("village", ""), where, problems)
    category = _category(labels.get("category", ""), where, problems)
    bounds = _period(labels.get("kind"), labels.get("start"), labels.get("end"), where, problems)
    published_at = _moment(labels.get("published_at") or None, where, problems)
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
    _refuse_duplicates(session, [spec], problems)
    problems.refuse_if_any()
    return spec


# Shared checks ---------------------------------------------------------------------------------


def _village(session: Session, code: str, where: str, problems: _Problems) -> Area | None:
    village = area_by_code(session, code.strip(), AreaLevel.VILLAGE)
    if village is None:
        problems.add(_("%(where)s：没有代码为“%(code)s”的村（村代码应为 12 位数字）", where=where, code=code[:20]))
    return village


def _category(text: str, where: str, problems: _Problems) -> Category | None:
    text = text.strip()
    for category in Category:
        if text in (category.value, str(CATEGORY_LABELS[category])):
            return category
    problems.add(_("%(where)s：公开类别“%(text)s”不对", where=where, text=text[:20]))
    return None


def _period(
    kind: Any, start: Any, end: Any, where: str, problems: _Problems
) -> tuple[PeriodKind, dt.date, dt.date] | None:
    text = cell_text(kind)
    chosen = next(
        (k for k in PeriodKind if text in (k.value, str(PERIOD_KIND_LABELS[k]), str(PERIOD_KIND_LABELS[k])[:2])), None
    )
    if chosen is None:
        problems.add(
            _("%(where)s：周期应为 month/quarter/half_year/year/day（或 月度/季度/半年/年度/单日）", where=where)
        )
        return None
    try:
        first = dt.date.fromisoformat(cell_text(start))
        last = dt.date.fromisoformat(cell_text(end))
    except ValueError:
        problems.add(_("%(where)s：期间开始和结束应为日期，例如 2025-01-01", where=where))
        return None
    if chosen is PeriodKind.DAY:
        expected = (first, first)
    else:
        months = 12 // PERIODS_PER_YEAR[chosen]
        try:
            expected = period_bounds(chosen, first.year, (first.month - 1) // months + 1)
        except InvalidPeriod as error:
            problems.add(f"{where}：{error}")
            return None
    if (first, last) != expected:
        problems.add(
            _(
                "%(where)s：期间 %(start)s—%(end)s 与周期不符，应为 %(a)s—%(b)s",
                where=where,
                start=first,
                end=last,
                a=expected[0],
                b=expected[1],
            )
        )
        return None
    return chosen, first, last


def _moment(value: Any, where: str, problems: _Problems) -> dt.datetime | None:
    """A publication time: ISO 8601; without a zone it is local time (China Standard Time)."""
    if value in (None, ""):
        return dt.datetime.now(dt.UTC)
    text = cell_text(value)
    try:
        moment = dt.datetime.fromisoformat(text)
    except ValueError:
        problems.add(_("%(where)s：公开时间“%(text)s”应写成 2025-04-05T10:00:00+08:00", where=where, text=text[:40]))
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=ZoneInfo(current_app.config["BABEL_DEFAULT_TIMEZONE"]))
    moment = moment.astimezone(dt.UTC)
    if moment > dt.datetime.now(dt.UTC):
        problems.add(_("%(where)s：公开时间不能在将来", where=where))
        return None
    return moment


def _refuse_duplicates(session: Session, specs: list[DisclosureSpec], problems: _Problems) -> None:
    """Importing the same file twice must not publish everything twice (same village, category,
    period and first title)."""
    seen: set[tuple[int, Category, dt.date, str]] = set()
    for spec in specs:
        key = (spec.village.id, spec.category, spec.period_start, spec.versions[0].content.title)
        if key in seen:
            problems.add(_("%(label)s 在文件中出现了两次", label=spec.label))
        seen.add(key)
        existing = session.scalar(
            select(Disclosure.id)
            .join(DisclosureVersion)
            .where(
                Disclosure.village_id == spec.village.id,
                Disclosure.category == spec.category,
                Disclosure.period_kind == spec.period_kind,
                Disclosure.period_start == spec.period_start,
                DisclosureVersion.number == 1,
                DisclosureVersion.title == spec.versions[0].content.title,
            )
            .limit(1)
        )
        if existing is not None:
            problems.add(_("%(label)s 已经存在（第 %(id)s 号），没有重复导入", label=spec.label, id=existing))

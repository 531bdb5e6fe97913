"""Importing a JSON file of many disclosures, each with its versions (docs/data-format.md).

Raises: ImportRefused.
"""

from __future__ import annotations

import json
from typing import Any

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy.orm import Session

from transparency.dataio.cells import cell_text
from transparency.dataio.content import assemble, content_problems, parse_fields, parse_totals
from transparency.dataio.import_checks import (
    check_category,
    check_moment,
    check_period,
    check_village,
    refuse_duplicates,
)
from transparency.dataio.import_specs import DisclosureSpec, ImportProblems, ImportRefused, Progress, VersionSpec
from transparency.dataio.layouts import LAYOUTS, Layout
from transparency.dataio.row_checker import RowChecker
from transparency.dataio.serialize import JSON_KEYS, TABLE_KEYS
from transparency.disclosures.content import DraftContent
from transparency.disclosures.models import Category


def read_json(session: Session, data: bytes, progress: Progress | None) -> list[DisclosureSpec]:
    try:
        document = json.loads(data.decode("utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise ImportRefused([_("JSON 格式不对：%(error)s", error=str(error))]) from None
    items = document.get("disclosures") if isinstance(document, dict) else document
    if not isinstance(items, list) or not items:
        raise ImportRefused([_('JSON 里应有 "disclosures" 列表，且至少有一项')])
    problems = ImportProblems()
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
    refuse_duplicates(session, specs, problems)
    problems.refuse_if_any()
    return specs


def _json_disclosure(session: Session, item: Any, where: str, problems: ImportProblems) -> DisclosureSpec | None:
    if not isinstance(item, dict):
        problems.add(_("%(where)s：应为一个对象", where=where))
        return None
    village = check_village(session, str(item.get("village", "")), where, problems)
    category = check_category(str(item.get("category", "")), where, problems)
    period = item.get("period") if isinstance(item.get("period"), dict) else {}
    bounds = check_period(period.get("kind"), period.get("start"), period.get("end"), where, problems)
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


def _json_version(
    category: Category, item: Any, number: int, place: str, problems: ImportProblems
) -> VersionSpec | None:
    if not isinstance(item, dict):
        problems.add(_("%(where)s：应为一个对象", where=place))
        return None
    before = problems.count
    reason = cell_text(item.get("correction_reason")) or None
    if number > 1 and not reason:
        problems.add(_("%(where)s：更正版本要写明更正理由（correction_reason）", where=place))
    published_at = check_moment(item.get("published_at"), place, problems)
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


def _json_rows(layout: Layout, rows: Any, place: str, problems: ImportProblems) -> list[Any]:
    if not isinstance(rows, list):
        problems.add(_("%(where)s：缺少明细列表", where=place))
        return []
    if len(rows) > current_app.config["MAX_IMPORT_ROWS"]:
        problems.add(_("%(where)s：超过 %(limit)s 行", where=place, limit=current_app.config["MAX_IMPORT_ROWS"]))
        return []
    lines = []
    labels = {c.key: c.header for c in layout.columns}
    checker = RowChecker(layout)
    for number, row in enumerate(rows, start=1):
        if not isinstance(row, dict):
            problems.add(_("%(where)s：明细第 %(n)s 行应为一个对象", where=place, n=number))
            continue
        values = {c.key: cell_text(row.get(JSON_KEYS.get(c.key, c.key))) for c in layout.columns}
        line, errors = checker.check(values)
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

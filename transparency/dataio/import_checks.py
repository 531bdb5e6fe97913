"""Checks every imported disclosure passes, whatever the file: its village, category, period,
publication time, and that it was not imported before. Each problem goes to the ImportProblems."""

from __future__ import annotations

import datetime as dt
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import Session

from transparency.areas.models import Area, AreaLevel
from transparency.areas.services import area_by_code
from transparency.core import clock
from transparency.dataio.cells import cell_text
from transparency.dataio.import_specs import DisclosureSpec, ImportProblems
from transparency.disclosures.models import CATEGORY_LABELS, Category, Disclosure, DisclosureVersion, PeriodKind
from transparency.disclosures.periods import PERIOD_KIND_LABELS, PERIODS_PER_YEAR, InvalidPeriod, period_bounds


def check_village(session: Session, code: str, where: str, problems: ImportProblems) -> Area | None:
    village = area_by_code(session, code.strip(), AreaLevel.VILLAGE)
    if village is None:
        problems.add(_("%(where)s：没有代码为“%(code)s”的村（村代码应为 12 位数字）", where=where, code=code[:20]))
    return village


def check_category(text: str, where: str, problems: ImportProblems) -> Category | None:
    text = text.strip()
    for category in Category:
        if text in (category.value, str(CATEGORY_LABELS[category])):
            return category
    problems.add(_("%(where)s：公开类别“%(text)s”不对", where=where, text=text[:20]))
    return None


def check_period(
    kind: Any, start: Any, end: Any, where: str, problems: ImportProblems
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


def check_moment(value: Any, where: str, problems: ImportProblems) -> dt.datetime | None:
    """A publication time: ISO 8601; without a zone it is local time (China Standard Time)."""
    if value in (None, ""):
        return clock.now()
    text = cell_text(value)
    try:
        moment = dt.datetime.fromisoformat(text)
    except ValueError:
        problems.add(_("%(where)s：公开时间“%(text)s”应写成 2025-04-05T10:00:00+08:00", where=where, text=text[:40]))
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=clock.zone())
    moment = moment.astimezone(dt.UTC)
    if moment > clock.now():
        problems.add(_("%(where)s：公开时间不能在将来", where=where))
        return None
    return moment


def refuse_duplicates(session: Session, specs: list[DisclosureSpec], problems: ImportProblems) -> None:
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

"""The dashboard's tables as rows, for CSV export: per village summary, every period, complaints."""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from flask_babel import gettext as _

from transparency.complaints.stats import MatterStats, Share
from transparency.obligations.calendar import VillageCalendar

Row = list[object]


def _percent(share: Share | None, percent: int | None, minimum: int) -> str:
    value = share.percent(minimum) if share is not None else percent
    return _("样本不足") if value is None else f"{value}%"


def summary_rows(calendars: Sequence[VillageCalendar], year: int | None, minimum: int) -> Iterator[Row]:
    yield [
        _("乡镇"),
        _("村"),
        _("行政区划代码"),
        _("应公开"),
        _("按时"),
        _("逾期公开"),
        _("逾期没有公开"),
        _("按时公开率"),
    ]
    for calendar in calendars:
        tally = calendar.tally(year)
        village = calendar.village
        yield [
            village.parent.name, village.name, village.code, tally.due, tally.on_time, tally.late, tally.missing,
            _percent(None, tally.on_time_percent(minimum), minimum),
        ]  # fmt: skip


def period_rows(calendars: Sequence[VillageCalendar], year: int | None) -> Iterator[Row]:
    yield [_("村"), _("行政区划代码"), _("类别"), _("期间"), _("应公开日期"), _("实际公开时间"), _("状态")]
    for calendar in calendars:
        for item in calendar.items:
            if year is None or item.start.year == year:
                published = item.published_at.isoformat() if item.published_at else ""
                yield [
                    calendar.village.name, calendar.village.code, item.category.label, item.period,
                    item.due.isoformat(), published, item.status.label,
                ]  # fmt: skip


def matter_rows(
    calendars: Sequence[VillageCalendar], by_village: dict[int, MatterStats], minimum: int
) -> Iterator[Row]:
    yield [
        _("村"), _("行政区划代码"), _("收到反映"), _("按期答复"), _("答复逾期"), _("现在逾期未办"), _("按期答复率"),
        _("受理用时中位数（天）"), _("答复用时中位数（天）"), _("延期比例"), _("复查比例"), _("满意度"),
    ]  # fmt: skip
    for calendar in calendars:
        stats = by_village.get(calendar.village.id) or MatterStats()
        accept, reply = stats.median_days_to_accept(minimum), stats.median_days_to_reply(minimum)
        yield [
            calendar.village.name, calendar.village.code, stats.total, stats.answered_on_time, stats.answered_late,
            stats.overdue_now, _percent(stats.on_time, None, minimum),
            _("样本不足") if accept is None else accept, _("样本不足") if reply is None else reply,
            _percent(stats.extended_share, None, minimum), _percent(stats.review_share, None, minimum),
            _percent(stats.satisfaction, None, minimum),
        ]  # fmt: skip

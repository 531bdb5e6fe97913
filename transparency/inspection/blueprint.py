"""The inspector's dashboard: per village of the jurisdiction, disclosures due, late and missing.

Jurisdiction-bound: a township inspector sees only their township's villages; a village
outside it is a 403, never its data.
"""

from __future__ import annotations

import csv
import io

from flask import Blueprint, Response, abort, g, render_template
from flask_babel import gettext as _

from transparency.accounts.models import Role
from transparency.areas.models import AreaLevel
from transparency.areas.services import area_by_code
from transparency.audit.services import record
from transparency.core.db import db
from transparency.core.errors import render_error
from transparency.core.security import requires
from transparency.inspection.forms import ExportForm
from transparency.inspection.jurisdiction import villages_in
from transparency.obligations.blueprint import BadYear, chosen_year, year_choices
from transparency.obligations.calendar import calendars, min_sample
from transparency.obligations.rules import obligations_start

bp = Blueprint("inspection", __name__, url_prefix="/inspect")


@bp.errorhandler(BadYear)
def _bad_year(error: BadYear):
    return render_error(400, str(error))


@bp.get("/")
@requires(Role.INSPECTOR)
def dashboard():
    """Per village of the jurisdiction: due, on time, late, missing (for a year or all years)."""
    year = chosen_year()
    villages = villages_in(db.session, g.account.area)
    return render_template(
        "inspection/dashboard.html",
        calendars=calendars(db.session, villages),
        year=year,
        years=year_choices(),
        minimum=min_sample(),
        start=obligations_start(),
        export_form=ExportForm(year=year or "all"),
    )


@bp.get("/villages/<code>")
@requires(Role.INSPECTOR)
def village(code: str):
    """Drill-down: one village's calendar, with links to its notices and its staff pages."""
    area = area_by_code(db.session, code, AreaLevel.VILLAGE) or abort(404)
    if not g.account.covers(area):
        return render_error(403, _("这个村不在您的辖区内"))
    (calendar,) = calendars(db.session, [area])
    return render_template(
        "inspection/village.html",
        village=area,
        calendar=calendar,
        year=chosen_year(),
        years=year_choices(),
        minimum=min_sample(),
    )


@bp.post("/export")
@requires(Role.INSPECTOR)
def export():
    """The dashboard's tables as CSV (summary per village, or every period); each export is logged."""
    form = ExportForm()
    if not form.validate_on_submit():
        return render_error(400, "；".join(e for errors in form.errors.values() for e in errors))
    year = None if form.year.data == "all" else int(form.year.data)
    area = g.account.area
    rows = calendars(db.session, villages_in(db.session, area))
    buffer = io.StringIO()
    buffer.write("\ufeff")  # so spreadsheet programs on Windows read the Chinese correctly
    writer = csv.writer(buffer)
    if form.table.data == "summary":
        writer.writerow(
            [
                _("乡镇"),
                _("村"),
                _("行政区划代码"),
                _("应公开"),
                _("按时"),
                _("逾期公开"),
                _("逾期未公开"),
                _("按时公开率"),
            ]
        )
        for calendar in rows:
            tally = calendar.tally(year)
            percent = tally.on_time_percent(min_sample())
            writer.writerow(
                [
                    calendar.village.parent.name,
                    calendar.village.name,
                    calendar.village.code,
                    tally.due,
                    tally.on_time,
                    tally.late,
                    tally.missing,
                    _("样本不足") if percent is None else f"{percent}%",
                ]
            )
    else:
        writer.writerow(
            [_("村"), _("行政区划代码"), _("类别"), _("期间"), _("应公开日期"), _("实际公开时间"), _("状态")]
        )
        for calendar in rows:
            for item in calendar.items:
                if year is None or item.start.year == year:
                    writer.writerow(
                        [
                            calendar.village.name,
                            calendar.village.code,
                            item.category.label,
                            item.period,
                            item.due.isoformat(),
                            item.published_at.isoformat() if item.published_at else "",
                            item.status.label,
                        ]
                    )
    record(
        db.session,
        actor=g.account,
        action="inspection.export",
        object_type="area",
        object_id=area.code,
        table=form.table.data,
        year=form.year.data,
        format="csv",
    )
    filename = f"disclosure-{form.table.data}-{area.code}-{form.year.data}.csv"
    return Response(
        buffer.getvalue(),
        mimetype="text/csv",
        headers={"Content-Disposition": f"attachment; filename={filename}"},
    )

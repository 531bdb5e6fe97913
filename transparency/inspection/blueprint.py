"""The inspector's dashboard: per village of the jurisdiction, disclosures due, late and missing,
and complaints by status, timeliness and satisfaction; drill-down; CSV export (each one logged);
the audit log browser and the one-button chain verification.

Jurisdiction-bound: a township inspector sees only their township's villages; a village
outside it is a 403, never its data. Inspectors' complaint figures count private matters too.
"""

from __future__ import annotations

import csv
import io

from flask import Blueprint, Response, abort, g, render_template, request
from flask_babel import gettext as _
from sqlalchemy import select

from transparency.accounts.models import Role
from transparency.areas.models import AreaLevel
from transparency.areas.services import area_by_code, villages_under
from transparency.audit.chain import verify_chain
from transparency.audit.services import record
from transparency.complaints.access import may_see
from transparency.complaints.deadlines import today
from transparency.complaints.models import Matter
from transparency.complaints.stats import matter_stats
from transparency.core.db import db, utcnow
from transparency.core.errors import render_error
from transparency.core.security import requires
from transparency.inspection import audit_labels, tables
from transparency.inspection.audit_log import OutsideJurisdiction, area_codes_in, entries_in, log_page
from transparency.inspection.audit_log_forms import AuditFilterForm, VerifyForm
from transparency.inspection.forms import ExportForm
from transparency.obligations.calendar import calendars, local_today, min_sample
from transparency.obligations.rules import obligations_start
from transparency.obligations.status_matter_stats import stored_matter_stats
from transparency.obligations.status_reads import summaries
from transparency.obligations.years import BadYear, chosen_year, year_choices
from transparency.printing.blueprint import pdf_response
from transparency.printing.services import page_counter_css

bp = Blueprint("inspection", __name__, url_prefix="/inspect")

MATTERS_SHOWN = 200


@bp.errorhandler(BadYear)
def _bad_year(error: BadYear):
    return render_error(400, str(error))


@bp.get("/")
@requires(Role.INSPECTOR)
def dashboard():
    """Per village of the jurisdiction (for a year or all years). Raises BadYear (400)."""
    year = chosen_year(default=local_today().year)  # all years of a county is a lot to take in
    villages = villages_under(g.account.area)
    stats, stats_by_village = stored_matter_stats(db.session, villages, today(), public_only=False, year=year)
    return render_template(
        "inspection/dashboard.html",
        summaries=summaries(db.session, villages, year=year),
        stats=stats,
        stats_by_village=stats_by_village,
        year=year,
        years=year_choices(),
        minimum=min_sample(),
        start=obligations_start(),
        export_form=ExportForm(year=year or "all"),
    )


@bp.get("/villages/<code>")
@requires(Role.INSPECTOR)
def village(code: str):
    """Drill-down: one village's calendar and matters, with links to its disclosures and matters."""
    area = area_by_code(db.session, code, AreaLevel.VILLAGE) or abort(404)
    if not g.account.covers(area):
        return render_error(403, _("这个村不在您的辖区内"))
    year = chosen_year()
    (calendar,) = calendars(db.session, [area], year=year)
    stats, _by_village = matter_stats(db.session, [area], today(), public_only=False, year=year)
    newest = select(Matter).where(Matter.village_id == area.id).order_by(Matter.registered_at.desc())
    return render_template(
        "inspection/village.html",
        village=area,
        calendar=calendar,
        stats=stats,
        # A matter that names this inspector, or that they stepped aside from, does not exist for them.
        matters=[m for m in db.session.scalars(newest.limit(MATTERS_SHOWN)) if may_see(g.account, m)],
        year=year,
        years=year_choices(),
        minimum=min_sample(),
    )


@bp.post("/export")
@requires(Role.INSPECTOR)
def export():
    """One of the dashboard's tables as CSV; the export appends an audit entry. Bad choices: 400."""
    form = ExportForm()
    if not form.validate_on_submit():
        return render_error(400, "；".join(e for errors in form.errors.values() for e in errors))
    year = None if form.year.data == "all" else int(form.year.data)
    area = g.account.area
    villages = villages_under(area)
    village_calendars = calendars(db.session, villages, year=year)
    if form.table.data == "summary":
        rows = tables.summary_rows(village_calendars, year, min_sample())
    elif form.table.data == "periods":
        rows = tables.period_rows(village_calendars, year)
    else:
        _total, by_village = matter_stats(db.session, villages, today(), public_only=False, year=year)
        rows = tables.matter_rows(village_calendars, by_village, min_sample())
    buffer = io.StringIO()
    buffer.write("\ufeff")  # so spreadsheet programs on Windows read the Chinese correctly
    csv.writer(buffer).writerows(rows)
    record(
        db.session,
        actor=g.account,
        action="inspection.export",
        object_type="area",
        object_id=area.code,
        area_code=area.code,
        table=form.table.data,
        year=form.year.data,
        format="csv",
    )
    filename = f"inspection-{form.table.data}-{area.code}-{form.year.data}.csv"
    return Response(
        buffer.getvalue(), mimetype="text/csv", headers={"Content-Disposition": f"attachment; filename={filename}"}
    )


@bp.post("/report.pdf")
@requires(Role.INSPECTOR)
def report():
    """The dashboard's tables for the jurisdiction and year as a PDF, with the chain head and a
    fresh verification of the whole log. Logged like every export."""
    form = ExportForm()
    if not form.validate_on_submit():
        return render_error(400, "；".join(e for errors in form.errors.values() for e in errors))
    year = None if form.year.data == "all" else int(form.year.data)
    area = g.account.area
    villages = villages_under(area)
    village_calendars = calendars(db.session, villages, year=year)
    _total, by_village = matter_stats(db.session, villages, today(), public_only=False, year=year)
    minimum = min_sample()
    summary = list(tables.summary_rows(village_calendars, year, minimum))
    complaints = list(tables.matter_rows(village_calendars, by_village, minimum))
    scope, code, name, maker = area.full_name, area.code, area.name, g.account.display_name
    db.session.close()  # a long verification must not hold the writer lock
    verdict = verify_chain(db.engine)
    html = render_template(
        "printing/report.html",
        scope=scope,
        year=year,
        summary=summary,
        complaints=complaints,
        verdict=verdict,
        page_counter=page_counter_css(),
        made_at=utcnow(),
        made_by=maker,
    )
    record(
        db.session,
        actor=g.account,
        action="inspection.export",
        object_type="area",
        object_id=code,
        area_code=code,
        table="report",
        year=form.year.data,
        format="pdf",
    )
    filename = _("%(area)s纪检监察报告-%(year)s.pdf", area=name, year=form.year.data)
    return pdf_response(html, filename, cache="no-store", what=f"inspection report {code}", download=True)


@bp.get("/audit")
@requires(Role.INSPECTOR)
def audit_log():
    """Inspectors browse the log of their jurisdiction with filters. Bad filters: 400 with messages."""
    form = AuditFilterForm(request.args, meta={"csrf": False})
    page = {"form": form, "verify_form": VerifyForm(), "labels": audit_labels}
    if not form.validate():
        return render_template("inspection/audit_log.html", result=None, **page), 400
    codes = area_codes_in(g.account)
    try:
        result = log_page(db.session, form, codes)
    except OutsideJurisdiction as error:
        return render_error(403, str(error))
    return render_template(
        "inspection/audit_log.html",
        result=result,
        in_jurisdiction=entries_in(db.session, codes),
        in_log=entries_in(db.session, None),
        **page,
    )


@bp.post("/audit/verify")
@requires(Role.INSPECTOR)
def verify_audit_chain():
    """The one-button verification of the whole chain; the check itself goes into the log."""
    VerifyForm().validate_on_submit()  # CSRF is checked globally; the form has no other field
    area_code = g.account.area.code  # read now: the session is closed during the long read below
    codes = area_codes_in(g.account)
    db.session.close()  # so a long verification holds no write lock; it reads in its own snapshot
    verdict = verify_chain(db.engine)
    mine = entries_in(db.session, codes, upto=verdict.head_seq) if codes is not None else None
    record(
        db.session,
        actor=g.account,
        area_code=area_code,
        action="audit.verify",
        object_type="audit_log",
        ok=verdict.ok,
        entries=verdict.entries,
        bad_seq=verdict.bad_seq,
    )
    return render_template("inspection/audit_verified.html", verdict=verdict, in_jurisdiction=mine)

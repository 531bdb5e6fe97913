"""The public disclosure calendar (公开日历) of a village and of a township."""

from __future__ import annotations

from flask import Blueprint, Flask, abort, render_template

from transparency.areas.models import Area, AreaLevel
from transparency.areas.services import area_by_code, villages_under
from transparency.complaints.deadlines import today
from transparency.core.db import db
from transparency.core.errors import render_error
from transparency.core.page_cache import cached_page
from transparency.core.page_revisions import ALL, AREAS, township_scope, village_scope
from transparency.core.security import public
from transparency.obligations.calendar import VillageCalendar, calendars, min_sample
from transparency.obligations.rules import obligations_start
from transparency.obligations.status_matter_stats import stored_matter_stats
from transparency.obligations.status_reads import summaries
from transparency.obligations.years import BadYear, chosen_year, year_choices

bp = Blueprint("obligations", __name__)


@bp.get("/v/<code>/calendar")
@public
@cached_page(lambda code: [ALL, village_scope(code)], daily=True)
def village_calendar(code: str):
    """One village: per category and period, what was due, published, late or missing."""
    village = area_by_code(db.session, code, AreaLevel.VILLAGE) or abort(404)
    try:
        year = chosen_year()
    except BadYear as error:
        return render_error(400, str(error))
    (calendar,) = calendars(db.session, [village], year=year)
    return render_template(
        "obligations/village.html",
        village=village,
        calendar=calendar,
        year=year,
        years=year_choices(),
        minimum=min_sample(),
        start=obligations_start(),
    )


@bp.get("/t/<code>/calendar")
@public
@cached_page(lambda code: [ALL, AREAS, township_scope(code)], daily=True)  # and its matters' deadlines
def township_calendar(code: str):
    """Every village of a township, in code order (never ranked)."""
    township = area_by_code(db.session, code, AreaLevel.TOWNSHIP) or abort(404)
    try:
        year = chosen_year()
    except BadYear as error:
        return render_error(400, str(error))
    villages = villages_under(township)
    # Public basis: only matters the complainants let us show (private ones are counted for inspectors).
    stats, _by_village = stored_matter_stats(db.session, villages, today(), public_only=True, year=year)
    return render_template(
        "obligations/township.html",
        township=township,
        summaries=summaries(db.session, villages, year=year, problems=True),
        stats=stats,
        year=year,
        years=year_choices(),
        minimum=min_sample(),
        start=obligations_start(),
    )


def calendar_of(village: Area) -> VillageCalendar:
    """For the small block on the village's own page."""
    return calendars(db.session, [village])[0]


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
    app.jinja_env.globals["disclosure_calendar_of"] = calendar_of

"""Public browsing: home → township → village → a category of the village's disclosures.

An output, not part of `areas`: the pages show places with their disclosures and charts, so
they stand above both.
"""

from __future__ import annotations

from flask import Blueprint, abort, current_app, render_template, request

from transparency.areas import services
from transparency.areas.models import AreaLevel
from transparency.charts.finance import village_charts
from transparency.core.db import db
from transparency.core.page_cache import cached_page
from transparency.core.page_revisions import ALL, AREAS, village_scope
from transparency.core.security import limiter, public
from transparency.core.text import clean_text
from transparency.disclosures.household_lookup import find_household
from transparency.disclosures.models import Category
from transparency.disclosures.queries import latest_by_category, published_in_village
from transparency.portal.forms import HouseholdLookupForm

bp = Blueprint("portal", __name__)

MAX_QUERY = 40


@bp.get("/")
@public
@cached_page(lambda: [ALL, AREAS])
def home():
    """Pick a township, or type part of a village's name."""
    query = (clean_text(request.args.get("village", "")) or "")[:MAX_QUERY]
    areas = services.whole_tree(db.session)  # one query; the villages' parents are then at hand too
    matches = services.find_villages(db.session, query) if query else None
    return render_template(
        "portal/home.html",
        counties=[area for area in areas if area.level is AreaLevel.COUNTY],
        townships=[area for area in areas if area.level is AreaLevel.TOWNSHIP],
        query=query,
        matches=matches,
    )


@bp.get("/t/<code>")
@public
@cached_page(lambda code: [ALL, AREAS])
def township(code: str):
    """The villages of one township."""
    area = services.area_by_code(db.session, code, AreaLevel.TOWNSHIP) or abort(404)
    return render_template("portal/township.html", township=area)


@bp.get("/v/<code>")
@public
@cached_page(lambda code: [ALL, village_scope(code)], daily=True)  # its calendar block: what is late today
def village(code: str):
    """Everything a village has published, latest of each category first."""
    area = services.area_by_code(db.session, code, AreaLevel.VILLAGE) or abort(404)
    disclosures = published_in_village(db.session, area)
    by_category = {category: [d for d in disclosures if d.category is category] for category in Category}
    return render_template(
        "portal/village.html",
        village=area,
        latest=latest_by_category(disclosures),
        by_category=by_category,
        categories=list(Category),
        charts=village_charts(db.session, disclosures),
    )


@bp.get("/v/<code>/<category>")
@public
@cached_page(lambda code, category: [ALL, village_scope(code)])
def category(code: str, category: str):
    """All published disclosures of one category in a village."""
    village = services.area_by_code(db.session, code, AreaLevel.VILLAGE) or abort(404)
    try:
        chosen = Category(category)
    except ValueError:
        abort(404)
    items = published_in_village(db.session, village, chosen)
    return render_template(
        "portal/category.html",
        village=village,
        category=chosen,
        items=items,
        charts=village_charts(db.session, items),
    )


def _lookup_limit() -> str:
    return current_app.config["HOUSEHOLD_LOOKUP_RATE_LIMIT"]


@bp.route("/v/<code>/household", methods=["GET", "POST"])
@limiter.limit(_lookup_limit, methods=["POST"])
@public
def household(code: str):
    """查我家: one household's rows in this village's published subsidy and compensation notices.

    The answer is never cached and the ID digits are never shown back (nor logged: the form is a POST).
    """
    village = services.area_by_code(db.session, code, AreaLevel.VILLAGE) or abort(404)
    form = HouseholdLookupForm()
    rows = None
    status = 200
    if form.validate_on_submit():
        rows = find_household(db.session, village, form.name.data, form.last4.data)
    elif request.method == "POST":
        status = 422
    form.last4.data = ""  # the page never echoes the digits back
    body = render_template("portal/household.html", village=village, form=form, rows=rows)
    return body, status, {"Cache-Control": "no-store"}

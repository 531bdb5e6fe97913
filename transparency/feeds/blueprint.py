"""Atom feeds, so villagers far from home learn of a new or corrected disclosure, or a reply, without visiting.

/v/<code>/feed.atom for one village, /t/<code>/feed.atom for a whole township.
"""

from __future__ import annotations

from flask import Blueprint, Response, abort, render_template

from transparency.areas.models import Area, AreaLevel
from transparency.areas.services import area_by_code
from transparency.core.db import db, utcnow
from transparency.core.security import public
from transparency.feeds.queries import feed_entries

bp = Blueprint("feeds", __name__)
ATOM = "application/atom+xml"


@bp.get("/v/<code>/feed.atom")
@public
def village(code: str):
    """New disclosures, corrections and public replies of one village."""
    area = area_by_code(db.session, code, AreaLevel.VILLAGE) or abort(404)
    return _feed(area, page_endpoint="portal.village")


@bp.get("/t/<code>/feed.atom")
@public
def township(code: str):
    """New disclosures, corrections and public replies of every village in a township."""
    area = area_by_code(db.session, code, AreaLevel.TOWNSHIP) or abort(404)
    return _feed(area, page_endpoint="portal.township")


def _feed(area: Area, *, page_endpoint: str) -> Response:
    entries = feed_entries(db.session, area)
    updated = entries[0].updated if entries else utcnow()
    body = render_template("feeds/atom.xml", area=area, entries=entries, updated=updated, page_endpoint=page_endpoint)
    response = Response(body, mimetype=ATOM)
    response.headers["Cache-Control"] = "public, max-age=300"
    return response

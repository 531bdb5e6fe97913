"""/api/v1 views of places and published disclosures: areas, disclosures with their versions, counts.

Read-only and public. Everything they return is already on the public pages, in the same
masked form. The blueprint gives them their routes.
"""

from __future__ import annotations

from flask import jsonify, request
from flask_babel import gettext as _

from transparency.api.params import BadParameter, area_arg, cursor_arg, date_arg, page_args, page_of
from transparency.api.queries import Cursor, DisclosureFilter, once_per_change, published_counts, published_page
from transparency.areas.models import AreaLevel
from transparency.areas.services import counties
from transparency.core.db import db
from transparency.core.page_cache import cached_page
from transparency.core.page_revisions import ALL, AREAS, DISCLOSURES
from transparency.core.security import public
from transparency.dataio.serialize import area_tree, disclosure_summary, version_content, version_ref
from transparency.disclosures.models import Category
from transparency.disclosures.people import robots_headers
from transparency.disclosures.queries import published_disclosure_or_404, published_version_or_404


@public
@cached_page(lambda: [ALL, AREAS])
def areas():
    """The county → township → village tree with administrative codes."""
    return jsonify(areas=area_tree(counties(db.session)))


@public
@cached_page(lambda: [ALL, AREAS, DISCLOSURES])  # AREAS: a new area's code stops being a 404
def disclosures():
    """Published disclosures, newest first; filters village, township, category, period; paginated.

    Raises BadParameter (400) for a malformed or out-of-range parameter, NoSuchArea (404)
    for an area code that names no area.
    """
    raw_category = request.args.get("category")
    try:
        category = Category(raw_category) if raw_category else None
    except ValueError:
        raise BadParameter(_("参数 category 的值不对")) from None
    chosen = DisclosureFilter(
        village=area_arg("village", AreaLevel.VILLAGE),
        township=area_arg("township", AreaLevel.TOWNSHIP),
        category=category,
        period_from=date_arg("period_from"),
        period_to=date_arg("period_to"),
    )
    page, limit = page_args()
    cursor = cursor_arg()
    after = Cursor.at(*cursor) if cursor is not None else None
    found = published_page(db.session, chosen, page=page, limit=limit, after=after)
    return jsonify(
        page_of(
            [disclosure_summary(d) for d in found.items],
            page=None if after is not None else page,
            limit=limit,
            total=found.total,
            next=str(found.next) if found.next is not None else None,  # the next page's `after`
        )
    )


@public
def disclosure(disclosure_id: int):
    """A published disclosure: its published versions (newest last) and the current one in full.

    Aborts with 404 when there is no such disclosure or it was never published.
    """
    item = published_disclosure_or_404(db.session, disclosure_id)
    body = jsonify(
        **disclosure_summary(item),
        versions=[version_ref(v) for v in item.published_versions],
        current=version_content(item.current),
    )
    return body, robots_headers(item)


@public
def version(disclosure_id: int, number: int):
    """One published version with its rows; earlier versions stay readable.

    Aborts with 404 when the disclosure or that published version does not exist.
    """
    chosen = published_version_or_404(db.session, disclosure_id, number)
    body = jsonify(disclosure=disclosure_summary(chosen.disclosure), **version_content(chosen))
    return body, robots_headers(chosen.disclosure)


@public
@cached_page(lambda: [ALL, AREAS, DISCLOSURES])
def statistics():
    """Published disclosures per village and category (only villages that have published any),
    counted once per change of the published set or the areas, not per request."""
    rows = once_per_change(db.session, "statistics", [ALL, AREAS, DISCLOSURES], _statistics_rows)
    return jsonify(villages=rows)


def _statistics_rows() -> list[dict[str, object]]:
    rows = []
    for village, counts in published_counts(db.session):
        rows.append(
            {
                "village": {"code": village.code, "name": village.name, "level": str(village.level)},
                "township": {"code": village.parent.code, "name": village.parent.name, "level": "township"}
                if village.parent
                else None,
                "published": sum(counts.values()),
                "by_category": {str(category): count for category, count in counts.items()},
            }
        )
    return rows

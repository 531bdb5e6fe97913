"""/api/v1/matters: public complaint matters (意见建议/咨询/投诉/举报) with their public timelines.

Only what the public pages show: matters whose complainant agreed to publication and that
name no conflict of interest, and of their timeline only the public events. Nothing about
the complainant (no contact, no named officials) is ever part of it.
"""

from __future__ import annotations

from typing import Any

from flask import abort, jsonify
from sqlalchemy import func, select
from sqlalchemy.orm import joinedload, selectinload

from transparency.api.params import area_arg, page_args, page_of
from transparency.areas.models import Area, AreaLevel
from transparency.complaints.models import Matter
from transparency.core.db import db
from transparency.core.hosts import public_url
from transparency.core.page_cache import cached_page
from transparency.core.page_revisions import ALL, AREAS, MATTERS
from transparency.core.security import public
from transparency.dataio.serialize import area_ref, json_value


def matter_summary(matter: Matter) -> dict[str, Any]:
    return {
        "id": matter.id,
        "number": matter.number,
        "kind": str(matter.kind),
        "kind_label": matter.kind.label,
        "status": str(matter.status),
        "status_label": matter.status.label,
        "village": area_ref(matter.village),
        "title": matter.title,
        "registered_at": json_value("at", matter.registered_at),
        "replied_at": json_value("at", matter.replied_at),
        "closed_at": json_value("at", matter.closed_at),
        "url": public_url("complaints.public_matter", matter_id=matter.id),
    }


@public
@cached_page(lambda: [ALL, AREAS, MATTERS])
def matters():
    """Public complaint matters, newest first; filter by village or township; paginated.

    Raises BadParameter (400) for a malformed or out-of-range parameter, NoSuchArea (404)
    for an area code that names no area.
    """
    village = area_arg("village", AreaLevel.VILLAGE)
    township = area_arg("township", AreaLevel.TOWNSHIP)
    page, limit = page_args()
    query = select(Matter).where(Matter.is_public)
    if village is not None:
        query = query.where(Matter.village_id == village.id)
    if township is not None:
        query = query.where(Matter.village_id.in_(select(Area.id).where(Area.parent_id == township.id)))
    total = db.session.scalar(select(func.count()).select_from(query.subquery())) or 0
    items = db.session.scalars(
        query.options(joinedload(Matter.village))
        .order_by(Matter.registered_at.desc(), Matter.id.desc())
        .limit(limit)
        .offset((page - 1) * limit)
    )
    return jsonify(page_of([matter_summary(m) for m in items], page=page, limit=limit, total=total))


@public
def matter(matter_id: int):
    """One public matter: what was raised and its public timeline (受理, 答复, 延期, 复查 …).

    Aborts with 404 when there is no such matter or it is not public.
    """
    item = db.session.get(Matter, matter_id, options=[selectinload(Matter.events)])
    if item is None or not item.is_public:
        abort(404)
    timeline = [
        {
            "seq": event.seq,
            "kind": str(event.kind),
            "kind_label": event.kind.label,
            "at": json_value("at", event.at),
            "actor_role": event.actor_role,
            "text": event.text,
            "days": event.days,
        }
        for event in item.events
        if event.public
    ]
    return jsonify(**matter_summary(item), body=item.body, timeline=timeline)

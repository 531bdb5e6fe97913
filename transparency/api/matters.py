"""/api/v1/matters: public complaint matters (意见建议/咨询/投诉/举报) with their public timelines.

Only what the public pages show: matters whose complainant agreed to publication and that
name no conflict of interest, and of their timeline only the public events. Nothing about
the complainant (no contact, no named officials) is ever part of it.
"""

from __future__ import annotations

from typing import Any

from flask import abort, jsonify, url_for
from sqlalchemy import func, select
from sqlalchemy.orm import joinedload, selectinload

from transparency.api.blueprint import MAX_LIMIT, _area_arg, _int_arg, bp
from transparency.api.openapi import ERRORS, add_path, add_schema, json_response, ref
from transparency.areas.models import Area, AreaLevel
from transparency.complaints.models import Matter, MatterStatus
from transparency.core.db import db
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
        "url": url_for("complaints.public_matter", matter_id=matter.id, _external=True),
    }


@bp.get("/matters")
@public
def matters():
    """Public complaint matters, newest first; filter by village or township; paginated."""
    village = _area_arg("village", AreaLevel.VILLAGE)
    township = _area_arg("township", AreaLevel.TOWNSHIP)
    page = _int_arg("page", 1, 1, 10_000)
    limit = _int_arg("limit", 20, 1, MAX_LIMIT)
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
    return jsonify(
        items=[matter_summary(m) for m in items],
        page=page,
        limit=limit,
        total=total,
        pages=(total + limit - 1) // limit,
    )


@bp.get("/matters/<int:matter_id>")
@public
def matter(matter_id: int):
    """One public matter: what was raised and its public timeline (受理, 答复, 延期, 复查 …)."""
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


_NULLABLE_TIME = {"type": "string", "format": "date-time", "nullable": True}
add_schema(
    "MatterSummary",
    {
        "type": "object",
        "required": ["id", "number", "kind", "status", "village", "title", "registered_at", "url"],
        "properties": {
            "id": {"type": "integer"},
            "number": {"type": "string", "nullable": True},
            "kind": {"type": "string"},
            "kind_label": {"type": "string"},
            "status": {"type": "string", "enum": [str(s) for s in MatterStatus]},
            "status_label": {"type": "string"},
            "village": ref("Area"),
            "title": {"type": "string"},
            "registered_at": {"type": "string", "format": "date-time"},
            "replied_at": _NULLABLE_TIME,
            "closed_at": _NULLABLE_TIME,
            "url": {"type": "string"},
        },
    },
)
add_path(
    "/api/v1/matters",
    {
        "get": {
            "summary": "公开的群众反映（投诉、举报、咨询、意见建议），最新的在前",
            "operationId": "listMatters",
            "parameters": [
                {"name": "village", "in": "query", "schema": {"type": "string", "pattern": r"^[0-9]{12}$"}},
                {"name": "township", "in": "query", "schema": {"type": "string", "pattern": r"^[0-9]{12}$"}},
                {"name": "page", "in": "query", "schema": {"type": "integer", "minimum": 1, "maximum": 10_000}},
                {"name": "limit", "in": "query", "schema": {"type": "integer", "minimum": 1, "maximum": MAX_LIMIT}},
            ],
            "responses": {
                "200": json_response(
                    "一页结果",
                    {
                        "type": "object",
                        "required": ["items", "page", "limit", "total", "pages"],
                        "properties": {
                            "items": {"type": "array", "items": ref("MatterSummary")},
                            "page": {"type": "integer"},
                            "limit": {"type": "integer"},
                            "total": {"type": "integer"},
                            "pages": {"type": "integer"},
                        },
                    },
                ),
                "400": ERRORS["400"],
                "404": ERRORS["404"],
            },
        }
    },
)
add_path(
    "/api/v1/matters/{matter_id}",
    {
        "get": {
            "summary": "一件公开的群众反映及其公开的办理经过",
            "operationId": "getMatter",
            "parameters": [
                {
                    "name": "matter_id",
                    "in": "path",
                    "required": True,
                    "schema": {"type": "integer", "minimum": 1, "maximum": 2**31 - 1},
                }
            ],
            "responses": {
                "200": json_response(
                    "群众反映",
                    {
                        "allOf": [
                            ref("MatterSummary"),
                            {
                                "type": "object",
                                "required": ["body", "timeline"],
                                "properties": {
                                    "body": {"type": "string"},
                                    "timeline": {
                                        "type": "array",
                                        "items": {
                                            "type": "object",
                                            "required": ["seq", "kind", "at", "actor_role", "text"],
                                            "properties": {
                                                "seq": {"type": "integer"},
                                                "kind": {"type": "string"},
                                                "kind_label": {"type": "string"},
                                                "at": {"type": "string", "format": "date-time"},
                                                "actor_role": {"type": "string"},
                                                "text": {"type": "string"},
                                                "days": {"type": "integer", "nullable": True},
                                            },
                                        },
                                    },
                                },
                            },
                        ]
                    },
                ),
                "404": ERRORS["404"],
            },
        }
    },
)

"""OpenAPI piece: public complaint matters and their public timelines."""

from __future__ import annotations

from typing import Any

from transparency.api.openapi import (
    ERRORS,
    area_code_parameter,
    id_parameter,
    json_response,
    page_parameters,
    paginated_list,
    ref,
)
from transparency.complaints.models import MatterStatus

_NULLABLE_TIME = {"type": "string", "format": "date-time", "nullable": True}

SCHEMAS: dict[str, dict[str, Any]] = {
    "MatterSummary": {
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
}

_TIMELINE_EVENT = {
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
}

PATHS: dict[str, dict[str, Any]] = {
    "/api/v1/matters": {
        "get": {
            "summary": "公开的群众反映（投诉、举报、咨询、意见建议），最新的在前",
            "operationId": "listMatters",
            "parameters": [
                area_code_parameter("village"),
                area_code_parameter("township"),
                # The view applies the same defaults as /disclosures; the document has never stated them.
                *page_parameters(with_defaults=False),
            ],
            "responses": {
                "200": json_response("一页结果", paginated_list("MatterSummary")),
                "400": ERRORS["400"],
                "404": ERRORS["404"],
            },
        }
    },
    "/api/v1/matters/{matter_id}": {
        "get": {
            "summary": "一件公开的群众反映及其公开的办理经过",
            "operationId": "getMatter",
            "parameters": [id_parameter("matter_id")],
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
                                    "timeline": {"type": "array", "items": _TIMELINE_EVENT},
                                },
                            },
                        ]
                    },
                ),
                "404": ERRORS["404"],
            },
        }
    },
}

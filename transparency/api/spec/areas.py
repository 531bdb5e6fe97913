"""OpenAPI piece: the area tree (county → township → village) and the Area schema others refer to."""

from __future__ import annotations

from typing import Any

from transparency.api.openapi import json_response, ref
from transparency.api.params import CODE_PATTERN
from transparency.areas.models import AreaLevel

SCHEMAS: dict[str, dict[str, Any]] = {
    "Area": {
        "type": "object",
        "required": ["code", "name", "level"],
        "properties": {
            "code": {"type": "string", "pattern": CODE_PATTERN},
            "name": {"type": "string"},
            "level": {"type": "string", "enum": [str(level) for level in AreaLevel]},
        },
    },
    "AreaNode": {
        "allOf": [
            ref("Area"),
            {"type": "object", "properties": {"children": {"type": "array", "items": ref("AreaNode")}}},
        ]
    },
}

PATHS: dict[str, dict[str, Any]] = {
    "/api/v1/areas": {
        "get": {
            "summary": "地区树（县、乡镇、村）",
            "operationId": "listAreas",
            "responses": {
                "200": json_response(
                    "地区树",
                    {
                        "type": "object",
                        "required": ["areas"],
                        "properties": {"areas": {"type": "array", "items": ref("AreaNode")}},
                    },
                )
            },
        }
    },
}

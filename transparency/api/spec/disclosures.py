"""OpenAPI piece: published disclosures, their versions with rows, and publication counts."""

from __future__ import annotations

from typing import Any

from transparency.api.openapi import (
    CURSOR_PARAMETER,
    ERRORS,
    area_code_parameter,
    id_parameter,
    json_response,
    page_parameters,
    paginated_list,
    ref,
    with_cursor,
)
from transparency.disclosures.models import Category

_NULLABLE_STRING = {"type": "string", "nullable": True}
_MONEY = {"type": "string", "pattern": r"^-?[0-9]+\.[0-9]{2}$"}
_NULLABLE_MONEY = {**_MONEY, "nullable": True}
_ROW = {"type": "object", "additionalProperties": {"nullable": True}}
_CATEGORY = {"type": "string", "enum": [str(c) for c in Category]}

SCHEMAS: dict[str, dict[str, Any]] = {
    "Period": {
        "type": "object",
        "required": ["kind", "start", "end"],
        "properties": {
            "kind": {"type": "string", "enum": ["month", "quarter", "half_year", "year", "day"]},
            "start": {"type": "string", "format": "date"},
            "end": {"type": "string", "format": "date"},
            "label": {"type": "string"},
        },
    },
    "DisclosureSummary": {
        "type": "object",
        "required": ["id", "village", "category", "period", "first_published_at", "current_version", "title", "url"],
        "properties": {
            "id": {"type": "integer"},
            "village": ref("Area"),
            "township": {"allOf": [ref("Area")], "nullable": True},
            "category": _CATEGORY,
            "category_label": {"type": "string"},
            "period": ref("Period"),
            "first_published_at": {"type": "string", "format": "date-time"},
            "current_version": {"type": "integer"},
            "title": {"type": "string"},
            "url": {"type": "string"},
        },
    },
    "VersionRef": {
        "type": "object",
        "required": ["number", "title", "published_at", "url"],
        "properties": {
            "number": {"type": "integer"},
            "title": {"type": "string"},
            "published_at": {"type": "string", "format": "date-time"},
            "correction_reason": _NULLABLE_STRING,
            "url": {"type": "string"},
        },
    },
    "VersionContent": {
        "type": "object",
        "description": (
            "一个版本的内容；财务收支有 ledger，惠农补贴有 program_totals 和 subsidies，征地补偿有 compensation。"
        ),
        "required": ["number", "title", "body", "published_at"],
        "properties": {
            "number": {"type": "integer"},
            "title": {"type": "string"},
            "body": {"type": "string"},
            "published_at": {"type": "string", "format": "date-time"},
            "correction_reason": _NULLABLE_STRING,
            "opening_balance": _NULLABLE_MONEY,
            "closing_balance": _NULLABLE_MONEY,
            "project_name": _NULLABLE_STRING,
            "compensation_received": _NULLABLE_MONEY,
            "retained_by_collective": _NULLABLE_MONEY,
            "ledger": {"type": "array", "items": _ROW},
            "program_totals": {"type": "array", "items": _ROW},
            "subsidies": {"type": "array", "items": _ROW},
            "compensation": {"type": "array", "items": _ROW},
        },
    },
}

_VILLAGE_COUNTS = {
    "type": "object",
    "required": ["village", "published", "by_category"],
    "properties": {
        "village": ref("Area"),
        "township": {"allOf": [ref("Area")], "nullable": True},
        "published": {"type": "integer"},
        "by_category": {"type": "object", "additionalProperties": {"type": "integer"}},
    },
}


PATHS: dict[str, dict[str, Any]] = {
    "/api/v1/disclosures": {
        "get": {
            "summary": "已公开的村务（最新公开的在前，分页）",
            "operationId": "listDisclosures",
            "parameters": [
                area_code_parameter("village", "村的 12 位代码"),
                area_code_parameter("township", "乡镇的 12 位代码"),
                {"name": "category", "in": "query", "schema": _CATEGORY},
                {"name": "period_from", "in": "query", "schema": {"type": "string", "format": "date"}},
                {"name": "period_to", "in": "query", "schema": {"type": "string", "format": "date"}},
                *page_parameters(with_defaults=True),
                CURSOR_PARAMETER,
            ],
            "responses": {
                "200": json_response("一页结果", with_cursor(paginated_list("DisclosureSummary"))),
                "400": ERRORS["400"],
                "404": ERRORS["404"],
            },
        }
    },
    "/api/v1/disclosures/{disclosure_id}": {
        "get": {
            "summary": "一项已公开的村务：全部已公开版本和当前版本的内容",
            "operationId": "getDisclosure",
            "parameters": [id_parameter("disclosure_id")],
            "responses": {
                "200": json_response(
                    "村务",
                    {
                        "allOf": [
                            ref("DisclosureSummary"),
                            {
                                "type": "object",
                                "required": ["versions", "current"],
                                "properties": {
                                    "versions": {"type": "array", "items": ref("VersionRef")},
                                    "current": ref("VersionContent"),
                                },
                            },
                        ]
                    },
                ),
                "404": ERRORS["404"],
            },
        }
    },
    "/api/v1/disclosures/{disclosure_id}/versions/{number}": {
        "get": {
            "summary": "某一个已公开版本（含明细）",
            "operationId": "getDisclosureVersion",
            "parameters": [id_parameter("disclosure_id"), id_parameter("number")],
            "responses": {
                "200": json_response(
                    "版本",
                    {
                        "allOf": [
                            ref("VersionContent"),
                            {
                                "type": "object",
                                "required": ["disclosure"],
                                "properties": {"disclosure": ref("DisclosureSummary")},
                            },
                        ]
                    },
                ),
                "404": ERRORS["404"],
            },
        }
    },
    "/api/v1/statistics": {
        "get": {
            "summary": "各村已公开事项数（按类别）",
            "operationId": "getStatistics",
            "responses": {
                "200": json_response(
                    "统计",
                    {
                        "type": "object",
                        "required": ["villages"],
                        "properties": {"villages": {"type": "array", "items": _VILLAGE_COUNTS}},
                    },
                )
            },
        }
    },
}

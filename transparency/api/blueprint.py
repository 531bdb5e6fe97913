"""/api/v1: areas, published disclosures with their versions and rows, publication counts.

Read-only and public. Everything it returns is already on the public pages, in the same
masked form. Errors are JSON ({"error": …, "status": …}) with the usual status codes.
"""

from __future__ import annotations

import datetime as dt

from flask import Blueprint, jsonify, request
from flask_babel import gettext as _

from transparency.api import openapi
from transparency.api.openapi import ERRORS, add_path, add_schema, json_response, ref
from transparency.api.queries import DisclosureFilter, published_counts, published_page
from transparency.areas.models import Area, AreaLevel
from transparency.areas.services import area_by_code, counties
from transparency.core.db import db
from transparency.core.security import public
from transparency.dataio.serialize import area_tree, disclosure_summary, version_content, version_ref
from transparency.disclosures.models import Category
from transparency.disclosures.queries import published_disclosure_or_404, published_version_or_404

bp = Blueprint("api", __name__, url_prefix="/api/v1")

MAX_LIMIT = 100
DEFAULT_LIMIT = 20
MAX_PAGE = 10_000
CODE_PATTERN = r"^[0-9]{12}$"


class BadParameter(ValueError):
    pass


class NoSuchArea(LookupError):
    pass


@bp.errorhandler(NoSuchArea)
def _no_such_area(error: NoSuchArea):
    return jsonify(error=str(error), status=404), 404


@bp.errorhandler(BadParameter)
def _bad_parameter(error: BadParameter):
    return jsonify(error=str(error), status=400), 400


def _int_arg(name: str, default: int, low: int, high: int) -> int:
    raw = request.args.get(name)
    if raw is None or raw == "":
        return default
    if not raw.isdigit() or not low <= int(raw) <= high:
        raise BadParameter(_("参数 %(name)s 应为 %(low)s 到 %(high)s 之间的整数", name=name, low=low, high=high))
    return int(raw)


def _date_arg(name: str) -> dt.date | None:
    raw = request.args.get(name)
    if not raw:
        return None
    try:
        return dt.date.fromisoformat(raw) if len(raw) == 10 else _bad_date(name)
    except ValueError:
        return _bad_date(name)


def _bad_date(name: str) -> dt.date:
    raise BadParameter(_("参数 %(name)s 应为日期，例如 2025-03-01", name=name))


def _area_arg(name: str, level: AreaLevel) -> Area | None:
    code = request.args.get(name)
    if not code:
        return None
    if not (len(code) == 12 and code.isdigit()):
        raise BadParameter(_("参数 %(name)s 应为 12 位行政区划代码", name=name))
    area = area_by_code(db.session, code, level)
    if area is None:
        raise NoSuchArea(_("没有代码为 %(code)s 的%(level)s", code=code, level=level.label))
    return area


@bp.get("/areas")
@public
def areas():
    """The county → township → village tree with administrative codes."""
    return jsonify(areas=area_tree(counties(db.session)))


@bp.get("/disclosures")
@public
def disclosures():
    """Published disclosures, newest first; filters village, township, category, period; paginated."""
    raw_category = request.args.get("category")
    try:
        category = Category(raw_category) if raw_category else None
    except ValueError:
        raise BadParameter(_("参数 category 的值不对")) from None
    chosen = DisclosureFilter(
        village=_area_arg("village", AreaLevel.VILLAGE),
        township=_area_arg("township", AreaLevel.TOWNSHIP),
        category=category,
        period_from=_date_arg("period_from"),
        period_to=_date_arg("period_to"),
    )
    page = _int_arg("page", 1, 1, MAX_PAGE)
    limit = _int_arg("limit", DEFAULT_LIMIT, 1, MAX_LIMIT)
    items, total = published_page(db.session, chosen, page=page, limit=limit)
    return jsonify(
        items=[disclosure_summary(d) for d in items],
        page=page,
        limit=limit,
        total=total,
        pages=(total + limit - 1) // limit,
    )


@bp.get("/disclosures/<int:disclosure_id>")
@public
def disclosure(disclosure_id: int):
    """A published notice: its published versions (newest last) and the current one in full."""
    item = published_disclosure_or_404(db.session, disclosure_id)
    return jsonify(
        **disclosure_summary(item),
        versions=[version_ref(v) for v in item.published_versions],
        current=version_content(item.current),
    )


@bp.get("/disclosures/<int:disclosure_id>/versions/<int:number>")
@public
def version(disclosure_id: int, number: int):
    """One published version with its rows; earlier versions stay readable."""
    chosen = published_version_or_404(db.session, disclosure_id, number)
    return jsonify(disclosure=disclosure_summary(chosen.disclosure), **version_content(chosen))


@bp.get("/statistics")
@public
def statistics():
    """Published notices per village and category (only villages that have published any)."""
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
    return jsonify(villages=rows)


@bp.get("/openapi.json")
@public
def openapi_document():
    """This API described in OpenAPI 3."""
    return jsonify(openapi.document())


# The document -------------------------------------------------------------------------------

_NULLABLE_STRING = {"type": "string", "nullable": True}
add_schema(
    "Area",
    {
        "type": "object",
        "required": ["code", "name", "level"],
        "properties": {
            "code": {"type": "string", "pattern": CODE_PATTERN},
            "name": {"type": "string"},
            "level": {"type": "string", "enum": [str(level) for level in AreaLevel]},
        },
    },
)
add_schema(
    "AreaNode",
    {
        "allOf": [
            ref("Area"),
            {"type": "object", "properties": {"children": {"type": "array", "items": ref("AreaNode")}}},
        ]
    },
)
add_schema(
    "Period",
    {
        "type": "object",
        "required": ["kind", "start", "end"],
        "properties": {
            "kind": {"type": "string", "enum": ["month", "quarter", "half_year", "year", "day"]},
            "start": {"type": "string", "format": "date"},
            "end": {"type": "string", "format": "date"},
            "label": {"type": "string"},
        },
    },
)
add_schema(
    "DisclosureSummary",
    {
        "type": "object",
        "required": ["id", "village", "category", "period", "first_published_at", "current_version", "title", "url"],
        "properties": {
            "id": {"type": "integer"},
            "village": ref("Area"),
            "township": {"allOf": [ref("Area")], "nullable": True},
            "category": {"type": "string", "enum": [str(c) for c in Category]},
            "category_label": {"type": "string"},
            "period": ref("Period"),
            "first_published_at": {"type": "string", "format": "date-time"},
            "current_version": {"type": "integer"},
            "title": {"type": "string"},
            "url": {"type": "string"},
        },
    },
)
add_schema(
    "VersionRef",
    {
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
)
_MONEY = {"type": "string", "pattern": r"^-?[0-9]+\.[0-9]{2}$"}
_NULLABLE_MONEY = {**_MONEY, "nullable": True}
_ROW = {"type": "object", "additionalProperties": {"nullable": True}}
add_schema(
    "VersionContent",
    {
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
)
_CODE_QUERY = {"type": "string", "pattern": CODE_PATTERN}
_disclosure_id = {
    "name": "disclosure_id",
    "in": "path",
    "required": True,
    "schema": {"type": "integer", "minimum": 1, "maximum": 2**31 - 1},
}

add_path(
    "/api/v1/areas",
    {
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
)
add_path(
    "/api/v1/disclosures",
    {
        "get": {
            "summary": "已公开的村务（最新公开的在前，分页）",
            "operationId": "listDisclosures",
            "parameters": [
                {"name": "village", "in": "query", "schema": _CODE_QUERY, "description": "村的 12 位代码"},
                {"name": "township", "in": "query", "schema": _CODE_QUERY, "description": "乡镇的 12 位代码"},
                {"name": "category", "in": "query", "schema": {"type": "string", "enum": [str(c) for c in Category]}},
                {"name": "period_from", "in": "query", "schema": {"type": "string", "format": "date"}},
                {"name": "period_to", "in": "query", "schema": {"type": "string", "format": "date"}},
                {
                    "name": "page",
                    "in": "query",
                    "schema": {"type": "integer", "minimum": 1, "maximum": MAX_PAGE, "default": 1},
                },
                {
                    "name": "limit",
                    "in": "query",
                    "schema": {"type": "integer", "minimum": 1, "maximum": MAX_LIMIT, "default": DEFAULT_LIMIT},
                },
            ],
            "responses": {
                "200": json_response(
                    "一页结果",
                    {
                        "type": "object",
                        "required": ["items", "page", "limit", "total", "pages"],
                        "properties": {
                            "items": {"type": "array", "items": ref("DisclosureSummary")},
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
    "/api/v1/disclosures/{disclosure_id}",
    {
        "get": {
            "summary": "一项已公开的村务：全部已公开版本和当前版本的内容",
            "operationId": "getDisclosure",
            "parameters": [_disclosure_id],
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
)
add_path(
    "/api/v1/disclosures/{disclosure_id}/versions/{number}",
    {
        "get": {
            "summary": "某一个已公开版本（含明细）",
            "operationId": "getDisclosureVersion",
            "parameters": [
                _disclosure_id,
                {
                    "name": "number",
                    "in": "path",
                    "required": True,
                    "schema": {"type": "integer", "minimum": 1, "maximum": 2**31 - 1},
                },
            ],
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
)
add_path(
    "/api/v1/statistics",
    {
        "get": {
            "summary": "各村已公开事项数（按类别）",
            "operationId": "getStatistics",
            "responses": {
                "200": json_response(
                    "统计",
                    {
                        "type": "object",
                        "required": ["villages"],
                        "properties": {
                            "villages": {
                                "type": "array",
                                "items": {
                                    "type": "object",
                                    "required": ["village", "published", "by_category"],
                                    "properties": {
                                        "village": ref("Area"),
                                        "township": {"allOf": [ref("Area")], "nullable": True},
                                        "published": {"type": "integer"},
                                        "by_category": {"type": "object", "additionalProperties": {"type": "integer"}},
                                    },
                                },
                            }
                        },
                    },
                )
            },
        }
    },
)
add_path(
    "/api/v1/openapi.json",
    {
        "get": {
            "summary": "本接口的 OpenAPI 3 文档",
            "operationId": "getOpenAPI",
            "responses": {"200": json_response("OpenAPI 文档", {"type": "object"})},
        }
    },
)

from transparency.api import matters as _matters  # noqa: E402,F401  (adds /api/v1/matters to this blueprint)

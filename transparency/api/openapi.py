"""The OpenAPI 3 document of /api/v1, assembled in one place, and the builders its pieces share.

Each capability describes its paths and schemas in a small piece (transparency/api/spec/) and
the blueprint adds every piece; anything else may add its own the same way:

    from transparency.api.openapi import add_path, add_schema, json_response
    add_schema("SearchHit", {...})
    add_path("/api/v1/search", {"get": {...}})

`document()` builds the whole document on request, so the order of imports does not matter.
"""

from __future__ import annotations

import copy
from typing import Any

from transparency.api.params import CODE_PATTERN, DEFAULT_LIMIT, MAX_LIMIT, MAX_PAGE

TITLE = "村务公开开放数据接口 (Village-affairs open data API)"
VERSION = "1.0.0"

_paths: dict[str, dict[str, Any]] = {}
_schemas: dict[str, dict[str, Any]] = {}


def add_path(path: str, operations: dict[str, Any]) -> None:
    """Declare the operations of one path (e.g. {"get": {...}}). A second call for a path adds to it."""
    _paths.setdefault(path, {}).update(operations)


def add_schema(name: str, schema: dict[str, Any]) -> None:
    _schemas[name] = schema


def add_piece(*, schemas: dict[str, dict[str, Any]], paths: dict[str, dict[str, Any]]) -> None:
    """Declare one capability's schemas and paths at once."""
    for name, schema in schemas.items():
        add_schema(name, schema)
    for path, operations in paths.items():
        add_path(path, operations)


def ref(name: str) -> dict[str, str]:
    return {"$ref": f"#/components/schemas/{name}"}


def json_response(description: str, schema: dict[str, Any]) -> dict[str, Any]:
    return {"description": description, "content": {"application/json": {"schema": schema}}}


def paginated_list(item: str) -> dict[str, Any]:
    """The schema of one page of a list of `item` (see `params.page_of`)."""
    return {
        "type": "object",
        "required": ["items", "page", "limit", "total", "pages"],
        "properties": {
            "items": {"type": "array", "items": ref(item)},
            "page": {"type": "integer"},
            "limit": {"type": "integer"},
            "total": {"type": "integer"},
            "pages": {"type": "integer"},
        },
    }


def page_parameters(*, with_defaults: bool) -> list[dict[str, Any]]:
    """The `page` and `limit` query parameters of a paginated list."""
    page: dict[str, Any] = {"type": "integer", "minimum": 1, "maximum": MAX_PAGE}
    limit: dict[str, Any] = {"type": "integer", "minimum": 1, "maximum": MAX_LIMIT}
    if with_defaults:
        page["default"], limit["default"] = 1, DEFAULT_LIMIT
    return [{"name": "page", "in": "query", "schema": page}, {"name": "limit", "in": "query", "schema": limit}]


CURSOR_PARAMETER: dict[str, Any] = {
    "name": "after",
    "in": "query",
    "description": "上一页返回的 next 值：取其后的一页（比页码翻页快，适合一页页读完）",
    "schema": {"type": "string", "pattern": r"^t[0-9]{1,17}n[0-9]{1,10}$"},
}
NEXT_CURSOR: dict[str, Any] = {
    "type": "string",
    "nullable": True,
    "description": "下一页的 after 参数；最后一页为 null",
}


def with_cursor(page: dict[str, Any]) -> dict[str, Any]:
    """`paginated_list` of a list that also pages by cursor: `next`, and no number for such a page."""
    properties = {
        **page["properties"],
        "page": {"type": "integer", "nullable": True, "description": "页码；按 after 游标取的页为 null"},
        "next": NEXT_CURSOR,
    }
    return {**page, "required": [*page["required"], "next"], "properties": properties}


def area_code_parameter(name: str, description: str | None = None) -> dict[str, Any]:
    """A query parameter holding a 12-digit administrative code."""
    parameter: dict[str, Any] = {"name": name, "in": "query", "schema": {"type": "string", "pattern": CODE_PATTERN}}
    if description is not None:
        parameter["description"] = description
    return parameter


def id_parameter(name: str) -> dict[str, Any]:
    """A path parameter holding a database id (or a version number)."""
    return {
        "name": name,
        "in": "path",
        "required": True,
        "schema": {"type": "integer", "minimum": 1, "maximum": 2**31 - 1},
    }


ERRORS = {
    "400": json_response("请求参数不对 (a parameter is out of range or malformed)", ref("Error")),
    "404": json_response("没有这个对象 (not found, or not published)", ref("Error")),
}

add_schema(
    "Error",
    {
        "type": "object",
        "required": ["error", "status"],
        "properties": {"error": {"type": "string"}, "status": {"type": "integer"}},
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


def document() -> dict[str, Any]:
    return {
        "openapi": "3.0.3",
        "info": {
            "title": TITLE,
            "version": VERSION,
            "description": (
                "只读的公开数据：地区、已公开的村务及其全部版本和明细。身份证号与公开页面一样遮盖。"
                "金额为以元为单位、两位小数的字符串。Read-only public data; ID numbers are masked as on "
                "the public pages; money is a decimal string in yuan."
            ),
        },
        "paths": copy.deepcopy(_paths),
        "components": {"schemas": copy.deepcopy(_schemas)},
    }

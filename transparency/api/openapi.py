"""The OpenAPI 3 document of /api/v1, assembled in one place.

Each capability adds its own paths and schemas when its blueprint module is imported:

    from transparency.api.openapi import add_path, add_schema, json_response
    add_schema("SearchHit", {...})
    add_path("/api/v1/search", {"get": {...}})

`document()` builds the whole document on request, so the order of imports does not matter.
"""

from __future__ import annotations

import copy
from typing import Any

TITLE = "村务公开开放数据接口 (Village-affairs open data API)"
VERSION = "1.0.0"

_paths: dict[str, dict[str, Any]] = {}
_schemas: dict[str, dict[str, Any]] = {}


def add_path(path: str, operations: dict[str, Any]) -> None:
    """Declare the operations of one path (e.g. {"get": {...}}). A second call for a path adds to it."""
    _paths.setdefault(path, {}).update(operations)


def add_schema(name: str, schema: dict[str, Any]) -> None:
    _schemas[name] = schema


def ref(name: str) -> dict[str, str]:
    return {"$ref": f"#/components/schemas/{name}"}


def json_response(description: str, schema: dict[str, Any]) -> dict[str, Any]:
    return {"description": description, "content": {"application/json": {"schema": schema}}}


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

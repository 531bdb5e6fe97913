"""Reading /api/v1 query parameters within their bounds, and the shape of one page of results.

A parameter out of bounds raises `BadParameter` (answered as a JSON 400); an area code that
names no area raises `NoSuchArea` (a JSON 404). The blueprint registers both handlers.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from flask import request
from flask_babel import gettext as _

from transparency.areas.models import Area, AreaLevel
from transparency.areas.services import area_by_code
from transparency.core.db import db
from transparency.core.integers import BadInteger, QueryInt, is_ascii_digits, parse_int

MAX_LIMIT = 100
DEFAULT_LIMIT = 20
MAX_PAGE = 10_000
CODE_PATTERN = r"^[0-9]{12}$"


class BadParameter(ValueError):
    pass


class NoSuchArea(LookupError):
    pass


# The cursor's parts, as the document's pattern allows them: microseconds since 1970 (far beyond
# any publication) and an id (one beyond the largest only means nothing comes after it).
MAX_MICROSECONDS = 10**17 - 1
MAX_CURSOR_ID = 10**10 - 1

PAGE = QueryInt("page", 1, MAX_PAGE, 1)
LIMIT = QueryInt("limit", 1, MAX_LIMIT, DEFAULT_LIMIT)


def date_arg(name: str) -> dt.date | None:
    """The ISO date parameter `name`, or None. Raises BadParameter when it is not a date."""
    raw = request.args.get(name)
    if not raw:
        return None
    try:
        return dt.date.fromisoformat(raw) if len(raw) == 10 else _bad_date(name)
    except ValueError:
        return _bad_date(name)


def _bad_date(name: str) -> dt.date:
    raise BadParameter(_("参数 %(name)s 应为日期，例如 2025-03-01", name=name))


def area_arg(name: str, level: AreaLevel) -> Area | None:
    """The area whose 12-digit code is parameter `name`, or None.

    Raises BadParameter for a malformed code, NoSuchArea when no area of `level` has it.
    """
    code = request.args.get(name)
    if not code:
        return None
    if not (len(code) == 12 and is_ascii_digits(code)):
        raise BadParameter(_("参数 %(name)s 应为 12 位行政区划代码", name=name))
    area = area_by_code(db.session, code, level)
    if area is None:
        raise NoSuchArea(_("没有代码为 %(code)s 的%(level)s", code=code, level=level.label))
    return area


def page_args() -> tuple[int, int]:
    """The `page` and `limit` parameters. Raises BadParameter when either is out of bounds."""
    try:
        return int(PAGE.get()), int(LIMIT.get())  # type: ignore[arg-type]  # both have defaults
    except BadInteger as error:
        raise BadParameter(str(error)) from None


def cursor_arg() -> tuple[int, int] | None:
    """The `after` cursor ('t<microseconds>n<id>', as a page's `next` gave it), or None.

    Raises BadParameter when it is not one."""
    raw = request.args.get("after")
    if not raw:
        return None
    moment, _sep, identifier = raw.removeprefix("t").partition("n")
    try:
        if not raw.startswith("t"):
            raise BadInteger(raw)
        return parse_int(moment, low=0, high=MAX_MICROSECONDS), parse_int(identifier, low=0, high=MAX_CURSOR_ID)
    except BadInteger:
        raise BadParameter(_("参数 after 应为上一页给出的 next 值")) from None


def page_of(items: list[dict[str, Any]], *, page: int | None, limit: int, total: int, **more: Any) -> dict[str, Any]:
    """One page of a paginated list, as `openapi.paginated_list` describes it (`page` is None for a
    page found by cursor), with `more` fields (a list with cursors gives `next`)."""
    return {"items": items, "page": page, "limit": limit, "total": total, "pages": (total + limit - 1) // limit, **more}

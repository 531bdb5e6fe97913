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
from transparency.core.integers import BadInteger, QueryInt, is_ascii_digits

MAX_LIMIT = 100
DEFAULT_LIMIT = 20
MAX_PAGE = 10_000
CODE_PATTERN = r"^[0-9]{12}$"


class BadParameter(ValueError):
    pass


class NoSuchArea(LookupError):
    pass


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


def page_of(items: list[dict[str, Any]], *, page: int, limit: int, total: int) -> dict[str, Any]:
    """One page of a paginated list, as `openapi.paginated_list` describes it."""
    return {"items": items, "page": page, "limit": limit, "total": total, "pages": (total + limit - 1) // limit}

"""Which year a calendar or report shows: the `?year=` argument and the years on offer."""

from __future__ import annotations

from flask import request
from flask_babel import gettext as _

from transparency.core.integers import BadInteger, QueryInt, parse_int
from transparency.obligations.calendar import local_today
from transparency.obligations.rules import obligations_start


class BadYear(ValueError):
    """The `?year=` argument is not a year the calendar covers; the message says which are."""


# Declared for the registry (the route walk sends hostile values to it); the bounds that hold are
# the calendar's, below.
YEAR = QueryInt("year", 1990, 2100)


def chosen_year(default: int | None = None) -> int | None:
    """?year=2025; 'all' (or nothing, unless a default is given) for all years. Raises BadYear."""
    value = request.args.get("year", "")
    if value == "":
        return default
    if value == "all":
        return None
    first, last = obligations_start().year, local_today().year
    try:
        return parse_int(value, low=first, high=last)
    except BadInteger:
        raise BadYear(_("年份应在 %(first)s 到 %(last)s 之间", first=first, last=last)) from None


def year_choices() -> list[int]:
    """The years a calendar covers, newest first."""
    return list(range(local_today().year, obligations_start().year - 1, -1))

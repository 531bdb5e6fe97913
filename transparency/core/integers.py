"""The one way an integer typed into a request becomes an int (issue 12, point 7).

`str.isdigit()` accepts '²' and '١٢', and `int()` accepts '١٢', ' 12', '+1' and '1_000': every
integer from a query string, a form or a path goes through `parse_int`, which takes ASCII digits
only, within bounds, and says what is wrong in Chinese.

Each query parameter is declared once, at import time, as a `QueryInt` (which registers it in
`QUERY_INTEGERS`), so that tests/core/test_integer_parameters.py sends hostile values to every
declared name on every route: a new parameter is covered the day it is declared.

Raises: BadInteger (a ValueError whose message is for the visitor).
"""

from __future__ import annotations

from dataclasses import dataclass

from flask import request
from flask_babel import gettext as _

MAX_DIGITS = 18  # far below any overflow: every bound in the site is smaller


class BadInteger(ValueError):
    """Not an integer of ASCII digits within bounds; the message says which are accepted."""


def is_ascii_digits(text: str) -> bool:
    """True for a non-empty run of 0-9 only (never '²', '١٢', '-1', ' 1' or '1e3')."""
    return bool(text) and text.isascii() and text.isdigit()


def parse_int(text: str, *, low: int, high: int, name: str | None = None) -> int:
    """`text` as an int in low..high. Raises BadInteger with a message naming `name` if given."""
    if not (is_ascii_digits(text) and len(text) <= MAX_DIGITS and low <= int(text) <= high):
        if name:
            message = _("参数 %(name)s 应为 %(low)s 到 %(high)s 之间的整数", name=name, low=low, high=high)
        else:
            message = _("应填 %(low)s 到 %(high)s 之间的整数（只用数字 0-9）", low=low, high=high)
        raise BadInteger(message)
    return int(text)


QUERY_INTEGERS: dict[str, QueryInt] = {}


@dataclass(frozen=True)
class QueryInt:
    """An integer query parameter (`?page=3`): its name, bounds and the value when absent."""

    name: str
    low: int
    high: int
    default: int | None = None

    def __post_init__(self) -> None:
        QUERY_INTEGERS.setdefault(self.name, self)

    def get(self) -> int | None:
        """The parameter from the current request, or `default` when absent or empty. Raises BadInteger."""
        raw = request.args.get(self.name)
        if raw is None or raw == "":
            return self.default
        return parse_int(raw, low=self.low, high=self.high, name=self.name)

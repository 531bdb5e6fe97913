"""Money is integer fen (分). Parsing and formatting live here, at the edges."""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

from flask_babel import gettext as _

# No village account holds a trillion yuan; larger input is a typo or an attack.
MAX_FEN = 10**14

_AMOUNT = re.compile(r"^[+-]?(\d{1,3}(,\d{3})+|\d+)(\.\d{1,2})?$")


class InvalidAmount(ValueError):
    """The text is not an amount of money in yuan with at most two decimals."""


def parse_yuan(text: str, *, allow_negative: bool = False) -> int:
    """'1,234.56' → 123456 fen. Raises InvalidAmount with a message for the user."""
    cleaned = text.strip().replace("，", ",").replace("¥", "").replace("￥", "").replace("元", "")
    cleaned = cleaned.strip()
    if not cleaned:
        raise InvalidAmount(_("请填写金额"))
    if not _AMOUNT.match(cleaned):
        raise InvalidAmount(_("金额格式不对，应为数字，最多两位小数，例如 1234.50"))
    try:
        fen = int((Decimal(cleaned.replace(",", "")) * 100).to_integral_exact())
    except (InvalidOperation, ArithmeticError):
        raise InvalidAmount(_("金额格式不对，应为数字，最多两位小数，例如 1234.50")) from None
    if fen < 0 and not allow_negative:
        raise InvalidAmount(_("金额不能为负数"))
    if abs(fen) >= MAX_FEN:
        raise InvalidAmount(_("金额过大，请检查是否多输了数字"))
    return fen


def format_yuan(fen: int | None, *, symbol: bool = True) -> str:
    """123456 → '¥1,234.56'; negative amounts as '-¥1,234.56'."""
    if fen is None:
        return ""
    sign = "-" if fen < 0 else ""
    yuan, cents = divmod(abs(fen), 100)
    return f"{sign}{'¥' if symbol else ''}{yuan:,}.{cents:02d}"


def parse_hundredths(text: str, *, what: str | None = None) -> int:
    """'12.5' → 1250: areas in mu and headcounts, kept as integer hundredths."""
    cleaned = text.strip().replace(",", "")
    if not re.fullmatch(r"\d{1,9}(\.\d{1,2})?", cleaned):
        raise InvalidAmount(_("%(what)s应为不小于 0 的数字，最多两位小数", what=what or _("数量")))
    return int((Decimal(cleaned) * 100).to_integral_exact())


def format_hundredths(value: int | None) -> str:
    if value is None:
        return ""
    whole, part = divmod(value, 100)
    return f"{whole:,}" if part == 0 else f"{whole:,}.{part:02d}".rstrip("0")

"""Amounts as people write them: ¥8,289.00, 8,289, 8289.00, 8289元 are one amount, 8289.

The index holds each amount in one canonical form (whole yuan when there are no cents, else
two decimals) and a query's amount is turned into the same form, so any spelling finds any
other. A money amount with cents is also indexed by its whole yuan, the figure people remember.
Codes (voucher 2501-003, dates 2025-01-05, parcels A-12/3) are never read as amounts.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

AMOUNT = re.compile(
    r"(?<![0-9A-Za-z.,\-/])(?P<currency>[¥￥])?(?P<whole>\d{1,3}(?:,\d{3})+|\d+)(?P<cents>\.\d{1,2})?"
    r"(?P<unit>元|块钱|块)?(?![0-9A-Za-z\-/]|[.,]\d)"
)


@dataclass(frozen=True)
class Amount:
    forms: tuple[str, ...]  # the canonical form first
    start: int
    end: int


def canonical(whole: str, cents: str | None) -> str:
    value = Decimal(whole.replace(",", "") + (cents or ""))
    yuan = int(value)
    fraction = int((value - yuan) * 100)
    return str(yuan) if fraction == 0 else f"{yuan}.{fraction:02d}"


def amounts(text: str, *, query: bool = False) -> list[Amount]:
    """The amounts in `text`. In a document only what the segmenter would split or misread
    (separators, decimals, a currency sign); in a query every number, so 8289元 is one term."""
    found = []
    for match in AMOUNT.finditer(text):
        money = bool(match["currency"] or match["unit"])
        if not query and not (money or "," in match["whole"] or match["cents"]):
            continue
        form = canonical(match["whole"], match["cents"])
        forms = (form,)
        if money and "." in form and not query:
            forms += (form.partition(".")[0],)
        found.append(Amount(forms, match.start(), match.end()))
    return found


def surface_pattern(form: str) -> str:
    """A regular expression for the ways `form` (a canonical amount) may be written in a text."""
    whole, _, cents = form.partition(".")
    groups = []
    while len(whole) > 3:
        groups.insert(0, whole[-3:])
        whole = whole[:-3]
    pattern = whole + "".join(",?" + group for group in groups)
    pattern += re.escape("." + cents) if cents else r"(?:\.00?)?"
    return r"(?<![0-9,.])" + pattern + r"(?![0-9]|,\d)"

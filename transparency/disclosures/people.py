"""People named in a disclosure's lists: subsidy recipients (惠农补贴) and compensated households
(征地补偿及分配).

DESIGN rule 6: a person's name in such a list is findable only in their own village, where the
list was posted. The list itself stays public on its page; what the site never does is let a
county-wide search, the API's search or a search engine line up one person's money across
villages and years. Social assistance (低保、特困供养、临时救助 …) is never findable by name at all:
SOCIAL_ASSISTANCE_PROGRAMMES names the programmes, each entry matching any programme whose name
contains it.
"""

from __future__ import annotations

from collections.abc import Iterable

from flask import current_app, has_app_context

from transparency.disclosures.models import Category, Disclosure

LISTS_OF_PEOPLE = (Category.SUBSIDY, Category.LAND_COMPENSATION)
# 低保 is also written 最低生活保障; 特困 covers 特困供养 and 特困人员救助供养.
DEFAULT_SOCIAL_ASSISTANCE = ("低保", "最低生活保障", "特困", "临时救助")
NOINDEX = {"X-Robots-Tag": "noindex"}


def lists_people(disclosure: Disclosure) -> bool:
    """Whether the disclosure's pages, downloads and prints list people by name."""
    return disclosure.category in LISTS_OF_PEOPLE


def robots_headers(disclosure: Disclosure) -> dict[str, str]:
    """`X-Robots-Tag: noindex` for a download or print of a list of people, nothing otherwise."""
    return dict(NOINDEX) if lists_people(disclosure) else {}


def social_assistance_programmes() -> tuple[str, ...]:
    """The configured words that mark a programme as social assistance (the defaults outside an app)."""
    configured = current_app.config.get("SOCIAL_ASSISTANCE_PROGRAMMES") if has_app_context() else None
    return tuple(configured) if configured is not None else DEFAULT_SOCIAL_ASSISTANCE


def is_social_assistance(program: str, programmes: Iterable[str] | None = None) -> bool:
    """True when the programme's name contains one of the configured words (spaces ignored)."""
    name = "".join(program.split())
    words = social_assistance_programmes() if programmes is None else programmes
    return any(word and "".join(word.split()) in name for word in words)

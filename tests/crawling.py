"""Following links as a person would: from one page, every internal link, breadth first.

Shared by the test-client crawl (each role reaches every page it may use) and the browser crawl
(no page wider than the phone). Many URLs differ only in an id; a few of each shape are enough.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from urllib.parse import urlsplit

HREF = re.compile(r'<a\s[^>]*href="([^"#]*)(?:#[^"]*)?"')
# Not pages: files, feeds, the API, prints (PDF) and leaving.
# /language/…: a crawl stays in the language it started in (the English walk is its own test).
NOT_PAGES = re.compile(
    r"(\.pdf|\.csv|\.xml|\.json|\.jsonl|\.xlsx|\.png|\.jpe?g)($|\?)|^/(static|feeds|api|language)/|^/logout"
)
PER_SHAPE = 3


def shape(path: str) -> str:
    """`/manage/versions/17?year=2026` -> `/manage/versions/#?year`: one shape of page."""
    parts = urlsplit(path)
    keys = sorted({pair.split("=")[0] for pair in parts.query.split("&") if pair})
    return re.sub(r"/\d+", "/#", parts.path) + "?" + "&".join(keys)


def links(html: str) -> list[str]:
    return [href.replace("&amp;", "&") for href in HREF.findall(html)]


def crawl(
    start: str, visit: Callable[[str], Iterable[str] | None], limit: int = 600, per_shape_limit: int = PER_SHAPE
) -> list[str]:
    """Visit `start`, then every internal link found (up to `per_shape_limit` of each shape).
    `visit` returns the links of a page, or None for something that is not an HTML page."""
    queue, seen, per_shape, visited = [start], {start}, {}, []
    while queue and len(visited) < limit:
        path = queue.pop(0)
        found = visit(path)
        visited.append(path)
        for href in found or []:
            if not href.startswith("/") or href.startswith("//") or NOT_PAGES.search(href) or href in seen:
                continue
            key = shape(href)
            if per_shape.get(key, 0) >= per_shape_limit:
                continue
            per_shape[key] = per_shape.get(key, 0) + 1
            seen.add(href)
            queue.append(href)
    return visited

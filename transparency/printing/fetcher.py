"""What a PDF may load: the project's own static files, read from disk, and nothing else.

WeasyPrint would otherwise follow any URL in the document — a `file:` path or a remote image
planted in a disclosure's Markdown — from inside the server. Disclosure HTML is cleaned by nh3
before it gets here; this fetcher is the second wall, and it never opens a socket or a file
outside the static folder.
"""

from __future__ import annotations

import mimetypes
from pathlib import Path
from urllib.parse import unquote, urlsplit

from weasyprint.urls import URLFetcher, URLFetcherResponse

STATIC_PREFIX = "/static/"
# Stylesheets, and the images and fonts a stylesheet may name.
ALLOWED_SUFFIXES = frozenset({".css", ".svg", ".png", ".jpg", ".jpeg", ".woff", ".woff2", ".otf", ".ttf"})


class FetchRefused(ValueError):
    """The document asked for something that is not one of the project's static files."""


class StaticOnlyFetcher(URLFetcher):
    """Serves `<base_url>/static/…` from `static_root`; refuses every other URL.

    `asked` keeps every URL the document requested and whether it was served, so a caller
    (and a test) can see exactly what a rendering tried to reach.
    """

    def __init__(self, base_url: str, static_root: str | Path) -> None:
        super().__init__(allowed_protocols=(), allow_redirects=False)
        origin = urlsplit(base_url)
        self.origin = (origin.scheme, origin.netloc)
        self.static_root = Path(static_root).resolve()
        self.asked: list[tuple[str, bool]] = []

    def fetch(self, url: str, headers: object = None) -> URLFetcherResponse:
        try:
            path = self.static_file(url)
        except FetchRefused:
            self.asked.append((url, False))
            raise
        self.asked.append((url, True))
        media_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        return URLFetcherResponse(url, body=path.read_bytes(), headers={"Content-Type": media_type})

    def static_file(self, url: str) -> Path:
        """The file under the static folder that `url` names. Raises FetchRefused."""
        parts = urlsplit(url)
        if (parts.scheme, parts.netloc) != self.origin or not parts.path.startswith(STATIC_PREFIX):
            raise FetchRefused(f"not one of the site's static files: {url[:200]}")
        relative = unquote(parts.path[len(STATIC_PREFIX) :])
        if "\x00" in relative:
            raise FetchRefused(f"not one of the site's static files: {url[:200]}")
        path = (self.static_root / relative).resolve()
        if not path.is_relative_to(self.static_root) or path.suffix.lower() not in ALLOWED_SUFFIXES:
            raise FetchRefused(f"not one of the site's static files: {url[:200]}")
        if not path.is_file():
            raise FetchRefused(f"no such static file: {url[:200]}")
        return path

"""The public page cache: a public page rendered once per change of what it shows, with ETag / 304.

Published content never changes, so a public page is a function of the public revisions of what
it shows (core/page_revisions.py), of its URL, the visitor's language, the site's address and,
for the pages that count days (what is late today), of today's date. `@cached_page(...)` keys the
rendered body by exactly that, never by time alone: a publication replaces its scopes' tokens in
its own transaction, and the next request renders afresh.

It is never used for a request that carries a session cookie (a signed-in person, a flash
message, a form's CSRF token), credentials or a body; a response that put anything into the
session, or is not a plain 200, is never stored. Only the body and its content type are kept:
every header (security headers, request ids) is added per request by the app's hooks as usual.

Each process keeps its own store (least recently used entries dropped past PAGE_CACHE_MAX_BYTES),
or, with PAGE_CACHE_REDIS_URL set, the processes share one in Redis. PAGE_CACHE = "off" turns
the cache off; ETag and 304 still answer repeat visits.
"""

from __future__ import annotations

import functools
import hashlib
import threading
from collections import OrderedDict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any, Protocol, TypeVar

from flask import Flask, Response, current_app, g, request, session
from flask_babel import get_locale

from transparency.core import clock
from transparency.core.db import db
from transparency.core.page_revisions import committed_tokens

View = TypeVar("View", bound=Callable[..., Any])
Scopes = Callable[..., Iterable[str]]

DEFAULT_MAX_BYTES = 64 * 1024 * 1024
REDIS_SECONDS = 7 * 24 * 3600  # a dead key (its scope moved on) leaves Redis by itself
CACHE_CONTROL = "no-cache"  # a phone may keep the page but asks again (304 when unchanged)


@dataclass(frozen=True)
class Page:
    etag: str
    content_type: str
    body: bytes


class Store(Protocol):
    def get(self, key: str) -> Page | None: ...

    def put(self, key: str, page: Page) -> None: ...


class ProcessStore:
    """Pages in this process's memory, the least recently used dropped past `max_bytes`."""

    def __init__(self, max_bytes: int) -> None:
        self.max_bytes = max_bytes
        self.size = 0
        self._pages: OrderedDict[str, Page] = OrderedDict()
        self._lock = threading.Lock()  # gthread workers serve several requests at once

    def get(self, key: str) -> Page | None:
        with self._lock:
            page = self._pages.get(key)
            if page is not None:
                self._pages.move_to_end(key)
            return page

    def put(self, key: str, page: Page) -> None:
        if len(page.body) > self.max_bytes:
            return
        with self._lock:
            old = self._pages.pop(key, None)
            if old is not None:
                self.size -= len(old.body)
            self._pages[key] = page
            self.size += len(page.body)
            while self.size > self.max_bytes:
                _key, dropped = self._pages.popitem(last=False)
                self.size -= len(dropped.body)


class RedisStore:
    """Pages shared by every process through Redis; Redis being down only costs a render."""

    def __init__(self, url: str, prefix: str) -> None:
        import redis

        self._redis = redis.Redis.from_url(url, socket_timeout=0.5, socket_connect_timeout=0.5)
        self.prefix = prefix  # two sites sharing one Redis database keep apart

    def get(self, key: str) -> Page | None:
        import redis

        try:
            value = self._redis.get(self.prefix + key)
        except redis.RedisError as error:
            current_app.logger.warning("page cache: Redis unavailable (%s)", error)
            return None
        if not value:
            return None
        etag, content_type, body = value.split(b"\n", 2)
        return Page(etag.decode(), content_type.decode(), body)

    def put(self, key: str, page: Page) -> None:
        import redis

        value = page.etag.encode() + b"\n" + page.content_type.encode() + b"\n" + page.body
        try:
            self._redis.set(self.prefix + key, value, ex=REDIS_SECONDS)
        except redis.RedisError as error:
            current_app.logger.warning("page cache: Redis unavailable (%s)", error)


def cached_page(scopes: Scopes, *, daily: bool = False) -> Callable[[View], View]:
    """Serve this public view from the page cache, keyed by the tokens of `scopes(**view_args)`
    (and today's date when `daily`: the page says what is late today). Adds ETag and answers 304."""

    def decorate(view: View) -> View:
        @functools.wraps(view)
        def wrapper(**view_args: Any) -> Response:
            store: Store | None = current_app.extensions.get("page_cache")
            if store is None or not _may_use_cache():
                return _conditional(_rendered(view, view_args)[0])
            key = _key(scopes(**view_args), daily)
            page = store.get(key)
            if page is None:
                response, page = _rendered(view, view_args)
                if page is None or session.modified:
                    return _conditional(response)  # not a plain page, or it wrote the session
                store.put(key, page)
            return _conditional(_response(page))

        return wrapper  # type: ignore[return-value]

    return decorate


def _may_use_cache() -> bool:
    """Not for a request with a session (signed in, a form's token, a flash), credentials or a body."""
    return (
        request.method in ("GET", "HEAD")
        and current_app.config["SESSION_COOKIE_NAME"] not in request.cookies
        and "Authorization" not in request.headers
        and g.get("account") is None
    )


def _key(scopes: Iterable[str], daily: bool) -> str:
    wanted = list(scopes)
    parts = [
        request.endpoint or "",
        request.scheme,
        request.host,
        request.path,
        request.query_string.decode("latin-1"),
        str(get_locale()),
        ",".join(wanted),
        ",".join(str(token) for token in committed_tokens(db.engine, wanted)),
        clock.today().isoformat() if daily else "",
    ]
    return hashlib.sha256("\x00".join(parts).encode()).hexdigest()


def _rendered(view: Callable[..., Any], view_args: dict[str, Any]) -> tuple[Response, Page | None]:
    """The view's response, and the page to keep when it is a plain 200 with a body."""
    response = current_app.make_response(view(**view_args))
    if response.status_code != 200 or response.is_streamed or response.direct_passthrough:
        return response, None
    if "Set-Cookie" in response.headers:
        return response, None
    body = response.get_data()
    page = Page(hashlib.sha256(body).hexdigest()[:32], response.headers["Content-Type"], body)
    response.set_etag(page.etag)
    response.headers["Cache-Control"] = CACHE_CONTROL
    return response, page


def _response(page: Page) -> Response:
    response = current_app.response_class(page.body, content_type=page.content_type)
    response.set_etag(page.etag)
    response.headers["Cache-Control"] = CACHE_CONTROL
    return response


def _conditional(response: Response) -> Response:
    """`304 Not Modified` when the visitor already holds this body (If-None-Match)."""
    if response.get_etag()[0] is not None:
        response.make_conditional(request)
    return response


def init_app(app: Flask) -> None:
    """PAGE_CACHE ("on" by default, "off"), PAGE_CACHE_REDIS_URL (and PAGE_CACHE_REDIS_PREFIX),
    PAGE_CACHE_MAX_BYTES (per process, without Redis)."""
    if str(app.config.get("PAGE_CACHE", "on")).lower() in ("off", "0", "false", "no"):
        return
    url = app.config.get("PAGE_CACHE_REDIS_URL")
    app.extensions["page_cache"] = (
        RedisStore(url, str(app.config.get("PAGE_CACHE_REDIS_PREFIX", "page:")))
        if url
        else ProcessStore(int(app.config.get("PAGE_CACHE_MAX_BYTES", DEFAULT_MAX_BYTES)))
    )

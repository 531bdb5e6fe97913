"""Security defaults: CSRF, headers on every response, who is logged in, deny-by-default access.

Every view declares who may reach it, with `@public` or `@requires(Role...)`. A view that
declares nothing answers 403: forgetting is safe.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from typing import Any, TypeVar
from urllib.parse import urlsplit

from flask import Flask, abort, current_app, g, redirect, request, session, url_for
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_wtf.csrf import CSRFProtect
from werkzeug.middleware.proxy_fix import ProxyFix
from werkzeug.routing import IntegerConverter

from transparency.core import hosts
from transparency.core.integers import is_ascii_digits

csrf = CSRFProtect()
# The in-memory fallback is on for the process's one limiter (Flask-Limiter keeps it on once an app
# turned it on): a stopped Redis means counting per process, never a 500 (issue 14, point 4).
limiter = Limiter(key_func=get_remote_address, in_memory_fallback_enabled=True)

View = TypeVar("View", bound=Callable[..., Any])
PUBLIC = "public"

CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "img-src 'self' data:",
        "style-src 'self'",
        "script-src 'self'",
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)
SECURITY_HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "same-origin",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=()",
    "Cross-Origin-Opener-Policy": "same-origin",
}


class DatabaseId(IntegerConverter):
    """`<int:…>` capped at PostgreSQL's INTEGER: a larger id is a 404, not a database overflow.

    ASCII digits only: werkzeug's `\\d+` also matches '١٢' (which `int()` reads as 12) and '²'.
    """

    regex = r"[0-9]+"

    def __init__(
        self, map: Any, fixed_digits: int = 0, min: int | None = None, max: int | None = 2**31 - 1, signed: bool = False
    ) -> None:
        super().__init__(map, fixed_digits, min, max, signed)


def public(view: View) -> View:
    """Anyone, logged in or not, may reach this view."""
    view.access = PUBLIC  # type: ignore[attr-defined]
    return view


def requires(*roles: Any) -> Callable[[View], View]:
    """Only a logged-in account with one of these roles may reach this view."""

    def decorate(view: View) -> View:
        view.access = frozenset(roles)  # type: ignore[attr-defined]
        return view

    return decorate


def _check_access(access: Any) -> Any:
    if access == PUBLIC:
        return None
    if access is None:
        abort(403)
    account = g.get("account")
    if account is None:
        return redirect(url_for("accounts.login", next=request.full_path.rstrip("?")))
    if account.role not in access:
        abort(403)
    return None


def _enforce_access() -> Any:
    if request.endpoint is None or request.endpoint == "static":
        return None
    view = current_app.view_functions.get(request.endpoint)
    return _check_access(getattr(view, "access", None))


AccountLoader = Callable[[object, object], Any]


def account_loader(app: Flask, loader: AccountLoader) -> None:
    """Register how to find the logged-in account from the session's id and epoch.

    The accounts package registers its own when its blueprint is registered (as Flask-Login's
    `user_loader`), so the floor does not import the people it lets in. Without one, nobody is
    logged in: every staff view stays closed.
    """
    app.extensions["account_loader"] = loader


def _load_account() -> None:
    loader = current_app.extensions.get("account_loader")
    if request.endpoint == "static" or loader is None:
        g.account = None  # static files need no database round trip
        return
    g.account = loader(session.get("account_id"), session.get("epoch"))


def _set_headers(response: Any) -> Any:
    for name, value in SECURITY_HEADERS.items():
        response.headers.setdefault(name, value)
    if g.get("account") is not None:
        response.headers["Cache-Control"] = "no-store"
    return response


def _cap_urlencoded_body() -> None:
    """An urlencoded body holds no files: it gets MAX_FORM_MEMORY_SIZE, not the upload allowance.

    Werkzeug applies the form-memory cap to multipart fields only; without this a 10 MB password
    would be read, then hashed. Too large a body is a 413 (errors.py says so in Chinese).
    """
    if request.mimetype == "application/x-www-form-urlencoded":
        caps = (current_app.config["MAX_FORM_MEMORY_SIZE"], current_app.config.get("MAX_CONTENT_LENGTH"))
        request.max_content_length = min(cap for cap in caps if cap is not None)


def safe_next_url(target: str | None, fallback: str) -> str:
    """Only same-site relative paths; anything else (//evil, http://…) falls back."""
    if not target:
        return fallback
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return fallback
    if "\\" in target or any(ord(c) < 32 or ord(c) == 127 for c in target):
        return fallback  # control characters: browsers drop tabs; CR/LF would break the header
    return target


SHARED_LIMITS_WARNING = (
    "rate limits are counted per process: %s worker processes and RATELIMIT_STORAGE_URI=%s; "
    "set RATELIMIT_STORAGE_URI=redis://… so that login and filing limits hold across workers"
)


def worker_count(environ: Mapping[str, str]) -> int:
    """How many server processes will run this app: GUNICORN_WORKERS (set by gunicorn.conf.py), or
    WEB_CONCURRENCY (which gunicorn itself reads); 1 when neither is a number."""
    for name in ("GUNICORN_WORKERS", "WEB_CONCURRENCY"):
        value = environ.get(name, "")
        if is_ascii_digits(value) and len(value) < 6:
            return int(value)
    return 1


def shared_limits_problem(config: Mapping[str, Any], environ: Mapping[str, str]) -> str | None:
    """The start-up warning when several workers would each keep their own rate-limit counters."""
    workers, storage = worker_count(environ), str(config.get("RATELIMIT_STORAGE_URI") or "memory://")
    if workers > 1 and storage.startswith("memory://"):
        return SHARED_LIMITS_WARNING % (workers, storage)
    return None


def shared_limit_storage(config: Mapping[str, Any]) -> bool:
    """Whether rate limits are counted in a shared store (Redis) rather than in this process."""
    return not str(config.get("RATELIMIT_STORAGE_URI") or "memory://").startswith("memory://")


def limit_storage_state() -> str:
    """For /readyz: "memory" (no shared store configured), "ok", or "fallback" (the shared store
    does not answer and limits are counted in this process until it does). Never raises."""
    if not shared_limit_storage(current_app.config):
        return "memory"
    try:
        return "ok" if limiter.storage.check() else "fallback"
    except Exception:  # a storage that cannot even be asked is as good as stopped
        return "fallback"


def init_app(app: Flask) -> None:
    proxies = int(app.config.get("TRUSTED_PROXY_COUNT", 0))
    if proxies:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=proxies, x_proto=proxies)  # type: ignore[method-assign]
    hosts.init_app(app)
    app.url_map.converters["int"] = DatabaseId  # before any blueprint adds its rules
    app.before_request(_cap_urlencoded_body)  # before CSRF, which is the first to read the form
    csrf.init_app(app)
    app.config.setdefault("RATELIMIT_STORAGE_URI", "memory://")
    if shared_limit_storage(app.config):
        timeout = float(app.config.get("RATELIMIT_REDIS_TIMEOUT") or 1.0)
        options = {"socket_connect_timeout": timeout, "socket_timeout": timeout}
        app.config["RATELIMIT_STORAGE_OPTIONS"] = {**options, **(app.config.get("RATELIMIT_STORAGE_OPTIONS") or {})}
    limiter.init_app(app)
    # The limiter is one object for the process; a new app (a test, a reloaded server) starts by
    # trusting its own configured storage again rather than a dead one an earlier app saw.
    limiter._storage_dead = False
    problem = shared_limits_problem(app.config, os.environ)
    if problem:
        app.logger.warning(problem)
    app.before_request(_load_account)
    app.before_request(_enforce_access)
    app.after_request(_set_headers)

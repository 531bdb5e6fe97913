"""Which Host a request may name, and the public absolute address of a page (issue 12, points 7, 9).

The Host header is the visitor's to write. It never reaches public output on its own say-so:
`public_url` uses PUBLIC_BASE_URL; where that is unset, the request's host only when an allow-list
(TRUSTED_HOSTS or SERVER_NAME) names it; otherwise a relative address. `HostCheck` answers 400,
before Flask builds anything from it, to a Host that is not a hostname (a label over 63
characters, an empty label, characters a name cannot hold) and, when an allow-list is set, to
a host it does not name.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from typing import Any
from urllib.parse import urljoin

from flask import Flask, current_app, has_request_context, request, url_for
from werkzeug.sansio.utils import host_is_trusted

from transparency.core.integers import is_ascii_digits

LABEL = re.compile(r"(?!-)[A-Za-z0-9-]{1,63}(?<!-)")
IPV6 = re.compile(r"\[[0-9A-Fa-f:.]{2,45}\]")
REFUSED = "请求的网站地址（Host）不对。".encode()
# A load balancer probes a process by its address, not by the site's name: these paths skip the
# allow-list (never the check that the Host is well formed, nor any other security rule).
PROBES = frozenset({"/healthz", "/readyz"})


def valid_host(host: str) -> bool:
    """True for `name[:port]` where name is a DNS name of well-formed labels or an IP literal."""
    name, _, port = host.rpartition(":") if not host.endswith("]") else (host, "", "")
    if not name:
        name, port = host, ""
    if port and not (is_ascii_digits(port) and len(port) <= 5 and int(port) <= 65535):
        return False
    if IPV6.fullmatch(name):
        return True
    name = name[:-1] if name.endswith(".") else name
    return 0 < len(name) <= 253 and all(LABEL.fullmatch(label) for label in name.split("."))


def allowed_hosts(config: Any) -> list[str]:
    """The configured allow-list: TRUSTED_HOSTS, plus SERVER_NAME. Empty when neither is set."""
    hosts = list(config.get("TRUSTED_HOSTS") or [])
    if config.get("SERVER_NAME"):
        hosts.append(config["SERVER_NAME"])
    return hosts


class HostCheck:
    """WSGI middleware: 400 to a malformed Host, and to one off the allow-list when there is one."""

    def __init__(self, app: Flask, wsgi_app: Callable[..., Any]) -> None:
        self.app, self.wsgi_app = app, wsgi_app

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        host = environ.get("HTTP_HOST") or environ.get("SERVER_NAME", "")
        trusted = allowed_hosts(self.app.config)
        probe = environ.get("PATH_INFO") in PROBES
        if not valid_host(host) or (trusted and not probe and not host_is_trusted(host, trusted)):
            start_response("400 Bad Request", [("Content-Type", "text/plain; charset=utf-8")])
            return [REFUSED]
        if probe and trusted and not host_is_trusted(host, trusted):
            # Flask checks TRUSTED_HOSTS too: the probe is answered as if it had named the site.
            environ = {**environ, "HTTP_HOST": trusted[0].lstrip(".")}
        return self.wsgi_app(environ, start_response)


def public_base() -> str | None:
    """The site's public address ending in '/', or None when only a relative address is safe."""
    configured = current_app.config.get("PUBLIC_BASE_URL")
    if configured:
        return configured if configured.endswith("/") else configured + "/"
    if has_request_context() and allowed_hosts(current_app.config):
        return request.host_url  # HostCheck let it through, so the allow-list names it
    return None


def public_url(endpoint: str, **values: Any) -> str:
    """The public address of `endpoint`: absolute from `public_base()`, else relative. Raises BuildError."""
    path = url_for(endpoint, **values)
    base = public_base()
    return urljoin(base, path.lstrip("/")) if base else path


def init_app(app: Flask) -> None:
    app.wsgi_app = HostCheck(app, app.wsgi_app)  # type: ignore[method-assign]
    app.jinja_env.globals["public_url"] = public_url

"""/healthz, /readyz and /metrics.

/healthz answers as long as the process does (no database, nothing else). /readyz runs the checks
of readiness.py. Both are JSON and public: they say nothing a visitor could use.

/metrics answers the loopback address; any other address needs to be in METRICS_ALLOWED_NETWORKS
or to send `Authorization: Bearer <METRICS_TOKEN>` (compared in constant time; never in a URL, and
the request log holds no header). A request that reached us through a proxy we were not told to
trust (it carries X-Forwarded-For while TRUSTED_PROXY_COUNT is 0) is not taken as loopback: the
proxy on the same machine would otherwise open the metrics to the whole internet.
"""

from __future__ import annotations

import hmac
import ipaddress

from flask import Blueprint, Flask, Response, abort, current_app, jsonify, request

from transparency.core.security import public
from transparency.ops import metrics
from transparency.ops.readiness import readiness

bp = Blueprint("ops", __name__)
NO_STORE = {"Cache-Control": "no-store"}


@bp.get("/healthz")
@public
def healthz():
    """The process answers."""
    return jsonify(status="ok"), 200, NO_STORE


@bp.get("/readyz")
@public
def readyz():
    """200 when ready (or degraded but serving), 503 when not; which check failed is in the body."""
    result = readiness(current_app._get_current_object())  # type: ignore[attr-defined]
    return jsonify(result.as_json()), 503 if result.failed else 200, NO_STORE


def _client_address() -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    if not current_app.config.get("TRUSTED_PROXY_COUNT") and request.headers.get("X-Forwarded-For"):
        return None  # through a proxy we were not told about: its own address says nothing
    try:
        return ipaddress.ip_address(request.remote_addr or "")
    except ValueError:
        return None


def _token_matches() -> bool:
    token = current_app.config.get("METRICS_TOKEN") or ""
    scheme, _, offered = request.headers.get("Authorization", "").partition(" ")
    if not token or scheme.lower() != "bearer":
        return False
    return hmac.compare_digest(offered.strip().encode(), token.encode())


def metrics_allowed() -> bool:
    if _token_matches():
        return True
    address = _client_address()
    if address is None:
        return False
    if address.is_loopback:
        return True
    for network in current_app.config.get("METRICS_ALLOWED_NETWORKS") or []:
        try:
            if address in ipaddress.ip_network(network, strict=False):
                return True
        except ValueError:
            current_app.logger.warning("METRICS_ALLOWED_NETWORKS: %r is not a network", network)
    return False


@bp.get("/metrics")
@public
def metrics_page():
    """Prometheus text format; 403 to an address or token not allowed."""
    if not metrics_allowed():
        abort(403)
    body = metrics.exposition(current_app._get_current_object())  # type: ignore[attr-defined]
    return Response(body, mimetype="text/plain; version=0.0.4; charset=utf-8", headers=NO_STORE)


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
    metrics.init_app(app)

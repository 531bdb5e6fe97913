"""What every request goes through, in one place (issue 14): its id, its one commit, and what a
failed request undoes.

- Its id: the proxy's `X-Request-Id` when it is a sane token, else a new one; every log line of
  the request carries it (core/logs.py) and the response sends it back.
- Its commit: the first thing after the view (this hook is registered last, so Flask runs it
  before the other after-request hooks), committed when the response is below 400, else rolled
  back (core/db.py).
- What a failed request undoes: when the commit raises, or the view raised, the request's
  changes to the cookie session are dropped too. Flash messages ("审核通过，已向村民公开。") and a
  login live in that session, so nothing the view announced reaches the browser: the error page
  stands alone, and the next page shows no success that never happened. A view that committed
  early (the receipt of a filing) gets the same treatment from the exception its commit raised.

Each request also gets one log line here (method, path, status, time; core/logs.py makes it JSON).
Its metrics are counted by the ops package from Flask's own `request_finished` signal.
"""

from __future__ import annotations

import copy
import logging
import re
import time
import uuid
from typing import Any

from flask import Flask, Response, g, got_request_exception, make_response, request, session

from transparency.core import db as database
from transparency.core import errors

REQUEST_ID_HEADER = "X-Request-Id"
# What a proxy may hand us: letters, digits and a few separators, as nginx's $request_id or a UUID.
SANE_REQUEST_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._:-]{7,99}")

log = logging.getLogger(__name__)


def request_id() -> str | None:
    """This request's id (None outside a request or before the first hook ran)."""
    return g.get("request_id")


def _start() -> None:
    incoming = request.headers.get(REQUEST_ID_HEADER, "")
    g.request_id = incoming if SANE_REQUEST_ID.fullmatch(incoming) else uuid.uuid4().hex
    g.request_started = time.perf_counter()
    # Small (an account id, a CSRF token, pending flashes); copied so a failed request can go back to it.
    g.session_before = copy.deepcopy(dict(session))


def _undo_session_changes() -> None:
    """Put the cookie session back as the request found it (idempotent)."""
    before = g.pop("session_before", None)
    if before is None:
        return
    session.clear()
    session.update(before)


def _finish(response: Response) -> Response:
    try:
        database.finish_request(response.status_code)
    except Exception as error:  # noqa: BLE001 (any failed commit: nothing of the request was saved)
        log.exception("the request's commit failed; it was rolled back")
        _undo_session_changes()
        # The error page is drawn as for a visitor: the rollback expired the account's row, and a
        # database that refused the commit is not asked again to draw the page.
        g.account = None
        response = make_response(errors.failure_response(error))
    response.headers[REQUEST_ID_HEADER] = g.get("request_id") or ""
    duration = elapsed()
    log.info(
        "%s %s %s",
        request.method,
        request.path,
        response.status_code,
        extra={
            "method": request.method,
            "path": request.path,  # never the query string: it may hold what a villager typed
            "endpoint": request.endpoint,
            "status": response.status_code,
            "duration_ms": None if duration is None else round(duration * 1000, 1),
        },
    )
    return response


def _view_raised(sender: Flask, exception: BaseException, **_extra: Any) -> None:
    _undo_session_changes()


def init_app(app: Flask) -> None:
    """Call last in the factory: the commit then runs before every other after-request hook."""
    app.before_request_funcs.setdefault(None, []).insert(0, _start)
    app.after_request(_finish)
    got_request_exception.connect(_view_raised, app)


def elapsed() -> float | None:
    """Seconds since this request's first hook, for its log line and metrics."""
    started = g.get("request_started")
    return None if started is None else time.perf_counter() - started

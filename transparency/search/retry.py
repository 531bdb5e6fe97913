"""Index writes that failed are tried again without anyone typing `search sync` (issue 14, point 4).

The outbox row of a publication commits with it; the index update right after the commit may fail
(a read-only folder, a full disk) and the row stays. Then, after a later request has been
answered, each process looks at the outbox at most every SEARCH_RETRY_SECONDS and applies what
is pending; the first success empties it. The count of pending rows is what /readyz and the
administrator's page show (`indexer.pending_count`).
"""

from __future__ import annotations

import logging
import threading
import time
from dataclasses import dataclass, field
from typing import Any

from flask import Flask, request_finished

from transparency.search import indexer

log = logging.getLogger(__name__)


@dataclass
class _Schedule:
    interval: float
    next_check: float
    lock: threading.Lock = field(default_factory=threading.Lock)


def retry_pending(app: Flask) -> int:
    """Apply the outbox if anything is pending; returns how many rows were applied (0 on failure)."""
    with app.extensions["database"].readers() as session:
        if not indexer.pending_count(session):
            return 0
    try:
        return indexer.apply_pending(app)
    except Exception:  # still not writable: the rows stay for the next round
        log.warning("search index still not writable; outbox rows stay pending", exc_info=True)
        return 0


def _after_request(sender: Flask, response: Any, **_extra: Any) -> None:
    schedule: _Schedule = sender.extensions["search_retry"]
    now = time.monotonic()
    if now < schedule.next_check or not schedule.lock.acquire(blocking=False):
        return  # not due, or another thread of this process is at it
    try:
        schedule.next_check = now + schedule.interval
        retry_pending(sender)
    finally:
        schedule.lock.release()


def init_app(app: Flask) -> None:
    interval = float(app.config.setdefault("SEARCH_RETRY_SECONDS", 30))
    app.extensions["search_retry"] = _Schedule(interval=interval, next_check=time.monotonic() + interval)
    request_finished.connect(_after_request, app)

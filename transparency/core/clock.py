"""The one clock: "now", "today" and the local date of a stored time, in one configured zone.

Everything that asks what time or day it is asks here, so that a server running on UTC cannot
show yesterday's date before 08:00 Beijing time, and so that a test (or the demo loader) can
freeze every "today" of the application at once with `freeze(moment)`.

The zone is the configuration's TIME_ZONE (an IANA name) inside an application context, and
China Standard Time otherwise (CLI helpers, import-time callers, plain unit tests).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from zoneinfo import ZoneInfo

from flask import current_app, has_app_context

DEFAULT_ZONE = "Asia/Shanghai"

# A ContextVar, not a global: a frozen clock in one request or test never leaks into another
# thread. A thread started inside `freeze()` does not inherit it (threads start with an empty
# context); such a test freezes the clock inside the thread's target too.
_frozen: ContextVar[dt.datetime | None] = ContextVar("transparency_frozen_clock", default=None)


def wall_clock() -> dt.datetime:
    """The machine's clock, never frozen: the one place that reads it. The audit log stamps its
    entries with it, whatever the domain clock says; everything else uses `now()`."""
    return dt.datetime.now(dt.UTC)


def now() -> dt.datetime:
    """The current moment as an aware UTC datetime (the frozen one inside `freeze()`)."""
    return _frozen.get() or wall_clock()


def zone() -> ZoneInfo:
    """The deployment's time zone. Raises ZoneInfoNotFoundError for a TIME_ZONE that names none."""
    name = current_app.config.get("TIME_ZONE") if has_app_context() else None
    return ZoneInfo(name or DEFAULT_ZONE)


def local_now() -> dt.datetime:
    """The current moment in the deployment's zone."""
    return now().astimezone(zone())


def local_date(moment: dt.datetime) -> dt.date:
    """The local calendar day of a stored (aware) moment. Raises ValueError for a naive one."""
    if moment.tzinfo is None:
        raise ValueError("naive datetime given where an aware one is required")
    return moment.astimezone(zone()).date()


def today() -> dt.date:
    """Today's date where the deployment is, not where the server's clock is set."""
    return local_date(now())


def start_of_local_day(day: dt.date) -> dt.datetime:
    """The UTC moment at which the local `day` begins, for range queries over stored times."""
    return dt.datetime.combine(day, dt.time(0), zone()).astimezone(dt.UTC)


@contextmanager
def freeze(moment: dt.datetime) -> Iterator[dt.datetime]:
    """Make `now()` (and with it `today()`, `local_now()`) answer `moment` inside the block.

    Raises ValueError for a naive `moment`: a frozen clock must say which instant it means."""
    if moment.tzinfo is None:
        raise ValueError("freeze() needs an aware datetime")
    moment = moment.astimezone(dt.UTC)
    token = _frozen.set(moment)
    try:
        yield moment
    finally:
        _frozen.reset(token)

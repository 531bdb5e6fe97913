"""The complaint receipt (回执) on paper: which matter, and whether its secret code may be printed.

The code is stored only as a keyed hash, so the villager's own POST brings it (as on the
tracking page). It is printed only on the receipt made right after filing — within
RECEIPT_CODE_MINUTES of registration; a receipt asked for later leaves it out, so a printout
found later never gives the matter away.
"""

from __future__ import annotations

import datetime as dt

from flask import current_app

from transparency.complaints.models import Matter
from transparency.core.db import utcnow
from transparency.core.hosts import public_url

DEFAULTS = {"RECEIPT_CODE_MINUTES": 30}


def code_may_be_printed(matter: Matter, now: dt.datetime | None = None) -> bool:
    """True only for the receipt made right after filing."""
    window = dt.timedelta(minutes=current_app.config["RECEIPT_CODE_MINUTES"])
    return (now or utcnow()) - matter.registered_at <= window


def track_url() -> str:
    return public_url("complaints.track")

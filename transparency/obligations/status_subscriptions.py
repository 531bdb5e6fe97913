"""Keeping the stored status (status_models.py) up to date, in the sender's transaction.

A publication or correction rebuilds its village's obligations; a new village gets its own; a
changed rule or flag rebuilds every village; every step of a matter (public or private) re-counts
its deadlines. An exception here rolls the action back with everything else it wrote.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from transparency.areas.models import Area, AreaLevel
from transparency.core import signals
from transparency.obligations.status import (
    build_matters,
    build_villages,
    current_build,
    rebuild_villages,
    start_build,
)


def disclosure_published(session: Session, *, disclosure: Any) -> None:
    build = current_build(session)
    if build is not None:
        session.flush()
        build_villages(session, [disclosure.village], build)


def area_created(session: Session, *, area: Any, actor: Any | None) -> None:
    if area.level is not AreaLevel.VILLAGE:
        return
    build = current_build(session)
    if build is None:
        session.flush()
        villages = session.scalar(select(func.count(Area.id)).where(Area.level == AreaLevel.VILLAGE))
        if villages != 1:
            return  # villages from before the tables existed: `rebuild-status` builds them all
        build = start_build(session)  # the first village of a new site: built from the start
    build_villages(session, [area], build)


def obligations_changed(session: Session, **_details: Any) -> None:
    build = current_build(session)
    if build is not None:
        session.flush()
        rebuild_villages(session, build)


def matter_stepped(session: Session, *, matter: Any, first: bool = False) -> None:
    if current_build(session) is not None:
        session.flush()
        build_matters(session, [matter], registered=first)


def connect() -> None:
    """Subscribe (idempotent: blinker keeps one connection per receiver)."""
    signals.disclosure_published.connect(disclosure_published)
    signals.area_created.connect(area_created)
    signals.obligations_changed.connect(obligations_changed)
    signals.matter_stepped.connect(matter_stepped)

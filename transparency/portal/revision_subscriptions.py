"""Which public revisions move when a feature announces a change (core/page_revisions.py).

Each receiver runs in the sender's transaction, so the new tokens commit with the publication
itself: the first request after the commit renders the new content, never the cached old one.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from transparency.core import signals
from transparency.core.page_revisions import (
    ALL,
    AREAS,
    DISCLOSURES,
    MATTERS,
    bump,
    township_scope,
    village_scope,
)


def _places(village: Any) -> list[str]:
    """The village's scope and its township's (the township calendar shows every village)."""
    scopes = [village_scope(village.code)]
    if village.parent is not None:
        scopes.append(township_scope(village.parent.code))
    return scopes


def disclosure_published(session: Session, *, disclosure: Any) -> None:
    """A version became public: its village's pages, its township's calendar, every list of disclosures."""
    bump(session, [DISCLOSURES, *_places(disclosure.village)])


def matter_changed(session: Session, *, matter: Any) -> None:
    """A public matter changed: the matter lists and its township's calendar (which counts matters)."""
    township = matter.village.parent
    bump(session, [MATTERS, *([township_scope(township.code)] if township is not None else [])])


def area_created(session: Session, *, area: Any, actor: Any | None) -> None:
    """A new county, township or village: every page that lists places."""
    bump(session, [AREAS])


def everything_changed(session: Session, **_details: Any) -> None:
    """A redaction (any text, anywhere) or a changed obligation rule or flag (every calendar)."""
    bump(session, [ALL])


def connect() -> None:
    """Subscribe (idempotent: blinker keeps one connection per receiver)."""
    signals.disclosure_published.connect(disclosure_published)
    signals.matter_changed.connect(matter_changed)
    signals.area_created.connect(area_created)
    signals.audit_text_redacted.connect(everything_changed)
    signals.obligations_changed.connect(everything_changed)

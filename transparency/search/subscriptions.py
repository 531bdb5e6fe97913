"""What search does when a feature announces a change: queue the document for re-indexing.

The features send `core.signals` and never import search; these receivers, connected once by
`search.service.init_app`, write the outbox row in the sender's session, so the row commits or
rolls back with the publication itself. The same signals are where print pre-rendering, feeds
or statistics subscribe when they need to react to a publication.
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from transparency.complaints.models import Matter
from transparency.core import signals
from transparency.disclosures.models import Disclosure
from transparency.search.documents import DISCLOSURE, MATTER, document_key
from transparency.search.indexer import enqueue


def disclosure_published(session: Session, *, disclosure: Disclosure) -> None:
    """Re-index the disclosure: its current version is what the public may now find."""
    enqueue(session, document_key(DISCLOSURE, disclosure.id))


def matter_changed(session: Session, *, matter: Matter) -> None:
    """Re-index the public matter with its public timeline."""
    enqueue(session, document_key(MATTER, matter.id))


def connect() -> None:
    """Subscribe to the features' signals (idempotent: blinker keeps one connection per receiver)."""
    signals.disclosure_published.connect(disclosure_published)
    signals.matter_changed.connect(matter_changed)

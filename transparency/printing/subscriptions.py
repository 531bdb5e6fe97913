"""What printing does when a version becomes public: queue its A4 and A3 prints.

Connected once by background.init_app. The receiver writes in the publisher's session, so the
rows commit or roll back with the publication (core/signals.py); the renderer lays them out
after the commit, and the first villager to print finds the copy kept.
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from transparency.core import signals
from transparency.disclosures.models import Disclosure
from transparency.printing.queue import queue_version


def disclosure_published(session: Session, *, disclosure: Disclosure) -> None:
    """A first publication, an approved correction, an imported history or a redaction: the
    current version prints anew."""
    version = disclosure.current
    if version is not None:
        queue_version(session, version)


def connect() -> None:
    """Subscribe (idempotent: blinker keeps one connection per receiver)."""
    signals.disclosure_published.connect(disclosure_published)

"""A text redacted from the audit log is redacted where the disclosures keep it too.

Correction reasons and reviewers' return reasons are kept both on the version (shown on pages,
feeds, the API, bulletins, exports) and, by digest, in the audit log. When an administrator
redacts one there (`signals.audit_text_redacted`), the same text here becomes the notice. This
is the one change allowed to a published version, made with a plain UPDATE outside the ORM's
published-is-permanent check; the search index is refreshed through `disclosure_published`.
"""

from __future__ import annotations

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from transparency.core import signals
from transparency.disclosures.models import Disclosure, DisclosureVersion, ReviewDecision


def text_redacted(session: Session, *, body: str, notice: str) -> None:
    """Replace `body` by `notice` wherever a version or a review decision holds it."""
    touched = set(
        session.scalars(select(DisclosureVersion.disclosure_id).where(DisclosureVersion.correction_reason == body))
    )
    session.execute(
        update(DisclosureVersion).where(DisclosureVersion.correction_reason == body).values(correction_reason=notice)
    )
    session.execute(update(ReviewDecision).where(ReviewDecision.note == body).values(note=notice))
    session.expire_all()
    for disclosure_id in sorted(touched):
        disclosure = session.get(Disclosure, disclosure_id)
        if disclosure is not None and disclosure.first_published_at is not None:
            signals.disclosure_published.send(session, disclosure=disclosure)


def connect() -> None:
    """Subscribe (idempotent: blinker keeps one connection per receiver)."""
    signals.audit_text_redacted.connect(text_redacted)

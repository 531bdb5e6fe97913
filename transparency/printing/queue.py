"""The table of prints still to render (models.PendingRender): queue, claim, done, failed.

Queued in the publisher's session (subscriptions.py). The renderer claims a row by moving its
`next_attempt_at` past the time one render may take (a lease: a second machine, or a renderer
that died mid-render, leaves it alone until then), deletes it once the copy is kept, and after
a failure pushes it back with a growing delay and the reason — a row is never dropped unseen.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import delete, func, select, update
from sqlalchemy.orm import Session

from transparency.core.db import utcnow
from transparency.disclosures.models import DisclosureVersion
from transparency.printing.models import PendingRender
from transparency.printing.services import PaperSize

SIZES = (PaperSize.A4, PaperSize.A3)  # the sheet for the board, and its poster


@dataclass(frozen=True)
class Claimed:
    id: int
    version_id: int
    size: PaperSize
    attempts: int


def queue_version(session: Session, version: DisclosureVersion) -> None:
    """Queue the A4 and A3 prints of `version` in the caller's transaction (once per size)."""
    with session.no_autoflush:
        queued = {row.size for row in session.new if isinstance(row, PendingRender) and row.version is version}
        if version.id is not None:
            queued |= set(session.scalars(select(PendingRender.size).where(PendingRender.version_id == version.id)))
        for size in SIZES:
            if size.value not in queued:
                session.add(PendingRender(version=version, size=size.value))


def pending_count(session: Session) -> int:
    return session.scalar(select(func.count()).select_from(PendingRender)) or 0


def claim_next(session: Session, *, lease: float, now: dt.datetime | None = None) -> Claimed | None:
    """The oldest row that is due, leased to the caller for `lease` seconds (commits), or None."""
    now = now or utcnow()
    while True:
        row = session.execute(
            select(PendingRender.id, PendingRender.version_id, PendingRender.size, PendingRender.attempts)
            .where(PendingRender.next_attempt_at <= now)
            .order_by(PendingRender.next_attempt_at, PendingRender.id)
            .limit(1)
        ).first()
        if row is None:
            session.rollback()
            return None
        taken = session.execute(
            update(PendingRender)
            .where(PendingRender.id == row.id, PendingRender.next_attempt_at <= now)
            .values(next_attempt_at=now + dt.timedelta(seconds=lease))
        )
        session.commit()
        if taken.rowcount == 1:  # another machine may have leased it between the two statements
            return Claimed(id=row.id, version_id=row.version_id, size=PaperSize(row.size), attempts=row.attempts)


def done(session: Session, claimed: Claimed) -> None:
    """The copy is kept: forget the row (commits)."""
    session.execute(delete(PendingRender).where(PendingRender.id == claimed.id))
    session.commit()


def failed(session: Session, claimed: Claimed, error: str, *, base_delay: float, max_delay: float) -> dt.datetime:
    """Keep the row for a later try, `base_delay` doubled per failure up to `max_delay` (commits).

    Returns when it will be tried again."""
    attempts = claimed.attempts + 1
    retry_at = utcnow() + dt.timedelta(seconds=min(base_delay * 2 ** (attempts - 1), max_delay))
    session.execute(
        update(PendingRender)
        .where(PendingRender.id == claimed.id)
        .values(attempts=attempts, next_attempt_at=retry_at, last_error=error[:1000])
    )
    session.commit()
    return retry_at

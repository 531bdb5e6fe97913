"""The outbox and the indexer that applies it.

A change that alters what the public can find calls `enqueue()` in its own transaction. Right
after that transaction commits, the indexer applies the pending rows; if the index is busy or
the process dies first, the rows simply stay, and `transparency search sync` (or the next
publish) applies them. A row is deleted only after its index update committed.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from flask import Flask, current_app, has_app_context
from sqlalchemy import delete, event, select
from sqlalchemy.orm import Session

from transparency.search.backends import backend
from transparency.search.documents import document_for
from transparency.search.models import SearchOutbox

log = logging.getLogger(__name__)
BATCH = 200
_PENDING = "search_outbox_pending"


def enqueue(session: Session, key: str) -> None:
    """Announce that document `key` must be re-indexed, in the caller's transaction."""
    session.add(SearchOutbox(document_key=key))


def pending_count(session: Session) -> int:
    from sqlalchemy import func

    return session.scalar(select(func.count()).select_from(SearchOutbox)) or 0


def pending_ids(session: Session) -> list[int]:
    return list(session.scalars(select(SearchOutbox.id)))


def forget(session: Session, ids: list[int]) -> None:
    """Drop outbox rows a full rebuild has made redundant (the caller commits)."""
    for start in range(0, len(ids), 500):
        session.execute(delete(SearchOutbox).where(SearchOutbox.id.in_(ids[start : start + 500])))


def apply_pending(app: Flask, on_batch: Callable[[int], None] | None = None) -> int:
    """Apply every pending outbox row; returns how many rows. Raises IndexBusy (rows stay)."""
    applied = 0
    writers = app.extensions["database"].writers
    while True:
        with writers() as session:
            rows = list(session.scalars(select(SearchOutbox).order_by(SearchOutbox.id).limit(BATCH)))
            if not rows:
                return applied
            keys = list(dict.fromkeys(row.document_key for row in rows))
            documents, removed = [], []
            for key in keys:
                document = document_for(session, key)
                (documents.append(document) if document else removed.append(key))
            backend(app).update(documents, removed)
            session.execute(delete(SearchOutbox).where(SearchOutbox.id.in_([row.id for row in rows])))
            session.commit()
        applied += len(rows)
        if on_batch:
            on_batch(len(rows))


def _note_outbox_rows(session: Session, _context: object, _instances: object) -> None:
    if any(isinstance(item, SearchOutbox) for item in session.new):
        session.info[_PENDING] = True


def _apply_after_commit(session: Session) -> None:
    if not session.info.pop(_PENDING, False) or not has_app_context():
        return
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    if not app.config.get("SEARCH_INDEX_AFTER_COMMIT", True):
        return
    try:
        apply_pending(app)
    except Exception:  # the request already succeeded; the rows stay for the next run or `search sync`
        log.warning("search index not updated after commit; outbox rows stay pending", exc_info=True)


def _forget_on_rollback(session: Session, _previous: object) -> None:
    session.info.pop(_PENDING, None)


def install_hooks() -> None:
    """Session events for every session of the process (idempotent)."""
    for name, listener in (
        ("before_flush", _note_outbox_rows),
        ("after_commit", _apply_after_commit),
        ("after_soft_rollback", _forget_on_rollback),
    ):
        if not event.contains(Session, name, listener):
            event.listen(Session, name, listener)

"""`@reads_before_writing`: a write request reads first, and writes only after db.begin_writing().

A flush before that call would write in the deferred read transaction (on SQLite, an upgrade that
fails once another writer committed meanwhile), so it is refused; after the call the request
writes as any other, and its writes are committed with the response.
"""

from __future__ import annotations

import pytest
from sqlalchemy import select

from tests.conftest import running_app
from transparency.audit.models import AuditText
from transparency.core.db import WriteBeforeLock, db, reads_before_writing
from transparency.core.security import public


def _app(database_url, tmp_path):
    return running_app(database_url, tmp_path, WTF_CSRF_ENABLED=False)


def test_a_write_before_begin_writing_is_refused_and_one_after_it_is_committed(database_url, tmp_path):
    with _app(database_url, tmp_path) as app:
        outcomes: list[str] = []

        @app.post("/early")
        @public
        @reads_before_writing
        def early():
            db.session.scalar(select(AuditText).limit(1))  # a read: allowed
            db.session.add(AuditText(digest="a" * 64, body="too early"))
            try:
                db.session.flush()
            except WriteBeforeLock:
                outcomes.append("refused")
                db.session.rollback()
            return "ok"

        @app.post("/in-order")
        @public
        @reads_before_writing
        def in_order():
            db.session.scalar(select(AuditText).limit(1))
            session = db.begin_writing()
            assert db.begin_writing() is session  # a second call changes nothing
            session.add(AuditText(digest="b" * 64, body="after the lock"))
            session.flush()
            return "ok"

        @app.post("/ordinary")
        @public
        def ordinary():
            db.session.scalar(select(AuditText).limit(1))  # an ordinary write view: already writing
            db.begin_writing()
            db.session.add(AuditText(digest="c" * 64, body="ordinary"))
            return "ok"

        client = app.test_client()
        assert client.post("/early").status_code == 200
        assert client.post("/in-order").status_code == 200
        assert client.post("/ordinary").status_code == 200
        assert outcomes == ["refused"]
        with app.app_context():
            stored = set(db.session.scalars(select(AuditText.body)))
        assert stored == {"after the lock", "ordinary"}


def test_begin_writing_refuses_changes_already_pending(database_url, tmp_path):
    with _app(database_url, tmp_path) as app:

        @app.post("/pending")
        @public
        @reads_before_writing
        def pending():
            db.session.add(AuditText(digest="d" * 64, body="pending"))
            with pytest.raises(WriteBeforeLock):
                db.begin_writing()
            db.session.expunge_all()
            return "ok"

        assert app.test_client().post("/pending").status_code == 200

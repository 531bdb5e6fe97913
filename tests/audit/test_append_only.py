"""The database itself refuses UPDATE and DELETE on the audit log and its checkpoints."""

from __future__ import annotations

import pytest
from sqlalchemy import delete, select, text, update
from sqlalchemy.exc import DatabaseError

from tests.audit.tampering import behind_the_triggers_back
from transparency.audit.models import AuditCheckpoint, AuditEntry, CheckpointReason
from transparency.audit.services import record, record_checkpoint
from transparency.core.db import db


@pytest.fixture
def logged(app):
    with app.app_context():
        for n in range(3):
            record(db.session, actor=None, action="test.event", object_type="thing", object_id=n)
        record_checkpoint(db.session, CheckpointReason.DAILY)
        db.session.commit()
    return app


def _refused(app, statement) -> str:
    with app.app_context():
        with pytest.raises(DatabaseError) as refusal:
            db.session.execute(statement)
            db.session.flush()
        db.session.rollback()
        return str(refusal.value)


@pytest.mark.parametrize(
    "statement",
    [
        update(AuditEntry).where(AuditEntry.seq == 2).values(payload='{"x":1}'),
        delete(AuditEntry).where(AuditEntry.seq == 3),
        update(AuditCheckpoint).values(hash="0" * 64),
        delete(AuditCheckpoint),
        text("UPDATE audit_entry SET action = 'forged' WHERE seq = 1"),
        text("DELETE FROM audit_entry"),
        text("UPDATE audit_checkpoint SET seq = 1"),
        text("DELETE FROM audit_checkpoint"),
    ],
    ids=[
        "orm-update",
        "orm-delete",
        "orm-update-cp",
        "orm-delete-cp",
        "sql-update",
        "sql-delete",
        "sql-update-cp",
        "sql-delete-cp",
    ],
)
def test_update_and_delete_are_refused(logged, statement):
    assert "append-only" in _refused(logged, statement)
    with logged.app_context():
        assert db.session.scalar(select(AuditEntry.action).where(AuditEntry.seq == 1)) == "test.event"
        assert len(db.session.scalars(select(AuditEntry)).all()) == 3
        assert len(db.session.scalars(select(AuditCheckpoint)).all()) == 2  # the lazy daily one and ours


def test_changing_a_loaded_entry_through_the_session_is_refused(logged):
    with logged.app_context():
        entry = db.session.get(AuditEntry, 2)
        entry.action = "forged"
        with pytest.raises(DatabaseError, match="append-only"):
            db.session.flush()
        db.session.rollback()
        db.session.delete(db.session.get(AuditEntry, 2))
        with pytest.raises(DatabaseError, match="append-only"):
            db.session.flush()


def test_the_triggers_come_back_after_tampering(logged):
    with logged.app_context():
        behind_the_triggers_back(db.engine, "UPDATE audit_entry SET action = 'forged' WHERE seq = 2")
        assert db.session.scalar(select(AuditEntry.action).where(AuditEntry.seq == 2)) == "forged"
    assert "append-only" in _refused(logged, text("DELETE FROM audit_entry WHERE seq = 1"))

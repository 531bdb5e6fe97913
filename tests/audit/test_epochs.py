"""An epoch entry must stand right after the head it says was restored, and epochs count upwards."""

from __future__ import annotations

import pytest

from transparency.audit.chain import verify_chain
from transparency.audit.epochs import EPOCH_ACTION, EpochRefused, current_epoch, open_epoch
from transparency.audit.services import head, record
from transparency.core.db import db


def _log(app, count: int = 3) -> None:
    with app.app_context():
        for n in range(count):
            record(db.session, actor=None, action="test.event", object_type="test", object_id=n)
        db.session.commit()


def test_an_opened_epoch_verifies_and_is_reported(app):
    _log(app)
    with app.app_context():
        restored = head(db.session)
        epoch = open_epoch(db.session, number=2, backup_taken_at="2026-12-01T00:00:00+00:00")
        db.session.commit()
        assert (epoch.first_seq, epoch.restored_seq, epoch.restored_hash) == (4, 3, restored.hash)
        assert current_epoch(db.session).number == 2
        verdict = verify_chain(db.engine)
    assert verdict.ok and [b.number for b in verdict.boundaries] == [2]


def test_an_epoch_entry_that_names_another_head_fails_verification(app):
    _log(app)
    with app.app_context():
        record(
            db.session,
            actor=None,
            action=EPOCH_ACTION,
            object_type="audit_log",
            object_id="2",
            epoch=2,
            previous_epoch=1,
            restored_seq=1,  # not the entry before it
            restored_hash="0" * 64,
            backup_taken_at="",
        )
        db.session.commit()
        verdict = verify_chain(db.engine)
    assert not verdict.ok and verdict.bad_seq == 4
    assert "时期记录所说的恢复链头与它前面的第 3 条不符" in verdict.problem


def test_an_epoch_is_never_opened_twice_with_the_same_number(app):
    _log(app)
    with app.app_context():
        open_epoch(db.session, number=3, backup_taken_at="")
        with pytest.raises(EpochRefused):
            open_epoch(db.session, number=3, backup_taken_at="")

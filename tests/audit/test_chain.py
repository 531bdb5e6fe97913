"""`transparency audit verify` checks every hash, link, number and checkpoint, and names the first bad entry."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import func, select

from tests.audit.tampering import behind_the_triggers_back
from tests.disclosures.helpers import publish_ledger
from transparency.audit.chain import verify_chain
from transparency.audit.models import AuditCheckpoint, AuditEntry, CheckpointReason
from transparency.audit.services import UnsafePayload, record
from transparency.core.db import db


def _append(app, count: int) -> None:
    with app.app_context():
        for n in range(count):
            record(db.session, actor=None, action="test.event", object_type="thing", object_id=n, n=n)
        db.session.commit()


def test_an_untouched_chain_verifies(app, runner):
    _append(app, 25)
    result = runner.invoke(args=["audit", "verify", "--quiet"])
    assert result.exit_code == 0, result.output
    assert "核验通过：25 条记录" in result.output


def test_verify_reads_in_chunks_and_reports_progress(app):
    _append(app, 25)
    seen = []
    with app.app_context():
        verdict = verify_chain(db.engine, progress=seen.append, chunk=7)
    assert verdict.ok and verdict.entries == 25
    assert seen == [7, 7, 7, 4]


def test_an_empty_log_verifies(runner):
    result = runner.invoke(args=["audit", "verify"])
    assert result.exit_code == 0 and "0 条记录" in result.output


def test_a_tampered_row_is_named(app, runner):
    _append(app, 12)
    with app.app_context():
        behind_the_triggers_back(db.engine, "UPDATE audit_entry SET payload = :p WHERE seq = 7", p='{"n":700}')
    result = runner.invoke(args=["audit", "verify", "--quiet"])
    assert result.exit_code == 1
    assert "第 7 条记录的内容与其哈希不符" in result.output
    assert "第一条有问题的记录：第 7 条" in result.output


def test_a_rehashed_row_breaks_the_next_link(app):
    """An intruder who recomputes the forged row's hash still breaks the following entry's link."""
    _append(app, 5)
    with app.app_context():
        entry = db.session.get(AuditEntry, 3)
        from transparency.audit.services import entry_hash

        entry.payload = '{"n":300}'
        forged = entry_hash(entry)
        db.session.rollback()
        behind_the_triggers_back(
            db.engine, "UPDATE audit_entry SET payload = :p, hash = :h WHERE seq = 3", p='{"n":300}', h=forged
        )
        verdict = verify_chain(db.engine)
    assert not verdict.ok and verdict.bad_seq == 4
    assert "前一条哈希" in verdict.problem


def test_a_deleted_middle_entry_is_a_gap(app):
    _append(app, 6)
    with app.app_context():
        behind_the_triggers_back(db.engine, "DELETE FROM audit_entry WHERE seq = 4")
        verdict = verify_chain(db.engine)
    assert not verdict.ok and verdict.bad_seq == 4 and "缺失" in verdict.problem


def test_deleting_the_newest_entries_is_caught_by_the_checkpoints(app, runner):
    _append(app, 8)  # the first append records a daily checkpoint at seq 1
    result = runner.invoke(args=["audit", "checkpoint"])
    assert result.exit_code == 0 and "第 8 条" in result.output
    with app.app_context():
        behind_the_triggers_back(db.engine, "DELETE FROM audit_entry WHERE seq > 5")
        assert db.session.scalar(select(func.max(AuditEntry.seq))) == 5
    result = runner.invoke(args=["audit", "verify", "--quiet"])
    assert result.exit_code == 1
    assert "记下了第 8 条，但日志只到第 5 条" in result.output
    assert "第一条有问题的记录：第 6 条" in result.output


def test_a_checkpoint_that_disagrees_with_its_entry_is_caught(app):
    _append(app, 3)
    with app.app_context():
        db.session.add(AuditCheckpoint(seq=2, hash="f" * 64, at=dt.datetime.now(dt.UTC), reason=CheckpointReason.DAILY))
        db.session.commit()
        verdict = verify_chain(db.engine)
    assert not verdict.ok and verdict.bad_seq == 2 and "检查点" in verdict.problem


def test_every_publication_records_a_checkpoint(app, world):
    with app.app_context():
        version = publish_ledger(world)
        checkpoint = db.session.scalars(select(AuditCheckpoint).order_by(AuditCheckpoint.id.desc())).first()
        publish = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "disclosure.publish"))
        assert checkpoint.reason is CheckpointReason.PUBLICATION
        assert (checkpoint.seq, checkpoint.hash) == (publish.seq, publish.hash)
        assert publish.area_code == world.village_a.code  # found from the disclosure
        assert publish.object_id == str(version.disclosure_id)


def test_a_daily_checkpoint_is_recorded_lazily(app):
    _append(app, 1)
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(AuditCheckpoint)) == 1  # the first ever
    _append(app, 3)
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(AuditCheckpoint)) == 1  # less than a day old
        # Make the only checkpoint two days old (the clock cannot be moved for the audit log).
        two_days_ago = (dt.datetime.now(dt.UTC) - dt.timedelta(days=2)).replace(tzinfo=None)
        db.session.commit()  # end our transaction: SQLite has one writer at a time
        behind_the_triggers_back(db.engine, "UPDATE audit_checkpoint SET at = :at", at=two_days_ago)
    _append(app, 1)
    with app.app_context():
        newest = db.session.scalars(select(AuditCheckpoint).order_by(AuditCheckpoint.id.desc())).first()
        assert newest.seq == 5 and newest.reason is CheckpointReason.DAILY


def test_contact_details_never_enter_the_log(app):
    with app.app_context():
        for key in ("phone", "email", "address", "id_number"):
            with pytest.raises(UnsafePayload):
                record(db.session, actor=None, action="complaint.file", object_type="matter", **{key: "x"})


def test_logins_account_and_area_changes_are_logged(app, world, browser):
    browser.post("/login", {"username": "clerk-a", "password": "wrong password"})
    browser.login("clerk-a")
    with app.app_context():
        actions = db.session.scalars(select(AuditEntry.action).order_by(AuditEntry.seq)).all()
        login_area = db.session.scalar(select(AuditEntry.area_code).where(AuditEntry.action == "login.success"))
    assert {"area.create", "account.create", "login.failure", "login.success"} <= set(actions)
    assert login_area == world.village_a.code


def test_locked_out_attempts_and_logouts_are_logged(app, world, browser):
    for _ in range(6):  # five wrong passwords lock the account; the sixth attempt meets the lock
        browser.post("/login", {"username": "clerk-a", "password": "wrong password"})
    browser.login("inspector")
    browser.post("/logout", {"csrf_token": browser.token("/inspect/")})
    with app.app_context():
        rows = db.session.execute(select(AuditEntry.action, AuditEntry.payload).order_by(AuditEntry.seq)).all()
    failures = [payload for action, payload in rows if action == "login.failure"]
    assert len(failures) == 6 and failures[-1] == '{"reason":"locked"}'
    assert rows[-1].action == "logout"


@pytest.mark.parametrize(
    "moment",
    [dt.datetime(2026, 1, 2, 3, 4, 5, 678901, tzinfo=dt.UTC), dt.datetime(2026, 1, 2, 3, 4, 5, tzinfo=dt.UTC)],
)
def test_stored_times_read_back_as_they_were_hashed(moment):
    from transparency.audit.services import at_text

    stored = moment.replace(tzinfo=None)
    assert at_text(stored) == moment.isoformat()  # PostgreSQL returns datetimes
    assert at_text(stored.strftime("%Y-%m-%d %H:%M:%S.%f")) == moment.isoformat()  # SQLite returns text

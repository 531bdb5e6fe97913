"""Concurrent writers neither lose updates nor collide (BEGIN IMMEDIATE on SQLite, locks on PostgreSQL)."""

from __future__ import annotations

import threading

import pytest
from sqlalchemy import select, text

from tests.disclosures.helpers import publish_ledger
from transparency.audit.models import AuditEntry
from transparency.core.db import db
from transparency.disclosures import services
from transparency.disclosures.models import Disclosure, DisclosureVersion


def test_write_transactions_on_sqlite_take_the_lock_at_begin(app):
    if not app.config["DATABASE_URL"].startswith("sqlite"):
        pytest.skip("SQLite's locking; PostgreSQL uses row locks, tested below")
    with app.test_request_context("/", method="POST"):
        db.session.execute(text("SELECT 1"))
        # A second connection cannot start writing while this transaction holds RESERVED.
        other = db.engine.raw_connection()
        try:
            other.execute("PRAGMA busy_timeout=0")
            try:
                other.execute("BEGIN IMMEDIATE")
            except Exception as error:  # sqlite3.OperationalError: database is locked
                assert "locked" in str(error)
            else:
                raise AssertionError("a second writer got the lock")
        finally:
            other.close()


def test_concurrent_corrections_and_audit_appends_keep_sequences_whole(app, world):
    with app.app_context():
        disclosure_id = publish_ledger(world).disclosure_id
    errors: list[BaseException] = []
    results: list[str] = []

    def try_correction(n: int) -> None:
        try:
            with app.test_request_context("/", method="POST"):
                disclosure = db.session.get(Disclosure, disclosure_id)
                clerk = db.session.merge(world.accounts["clerk_a"])
                try:
                    services.start_correction(db.session, actor=clerk, disclosure=disclosure, reason=f"更正 {n}")
                    db.session.commit()
                    results.append("created")
                except services.WrongState:
                    db.session.rollback()
                    results.append("refused")
        except BaseException as error:  # pragma: no cover - reported below
            errors.append(error)

    threads = [threading.Thread(target=try_correction, args=(n,)) for n in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert sorted(results) == ["created"] + ["refused"] * 7  # exactly one correction in progress
    with app.app_context():
        numbers = db.session.scalars(
            select(DisclosureVersion.number).where(DisclosureVersion.disclosure_id == disclosure_id)
        ).all()
        assert sorted(numbers) == [1, 2]
        seqs = db.session.scalars(select(AuditEntry.seq).order_by(AuditEntry.seq)).all()
        assert seqs == list(range(1, len(seqs) + 1))

"""Accounts announce what happened (core/signals.py); the log records it in the same transaction."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from tests.conftest import PASSWORD
from transparency.accounts.models import Account, Role
from transparency.accounts.services import authenticate, create_account
from transparency.audit.models import AuditEntry
from transparency.core import signals
from transparency.core.db import db


def test_account_creation_and_logins_are_logged_with_the_accounts_village(app, world):
    with app.app_context():
        admin = db.session.get(Account, world.accounts["admin"].id)
        village = db.session.merge(world.village_a)
        create_account(
            db.session,
            actor=admin,
            username="clerk-new",
            display_name="赵新",
            password=PASSWORD,
            role=Role.CLERK,
            area=village,
        )
        authenticate(db.session, username="clerk-new", password=PASSWORD)
        db.session.commit()
        newest = select(AuditEntry.action, AuditEntry.area_code).order_by(AuditEntry.seq.desc()).limit(2)
        entries = [tuple(row) for row in db.session.execute(newest)]
    assert entries == [
        ("login.success", world.village_a.code),
        ("account.create", world.village_a.code),
    ]


def test_a_failing_subscriber_rolls_the_account_back(app, world):
    def refuse(session, **_announced):
        raise RuntimeError("the log is down")

    signals.account_created.connect(refuse)
    try:
        with app.app_context():
            with pytest.raises(RuntimeError):
                create_account(
                    db.session,
                    actor=None,
                    username="never-made",
                    display_name="无名",
                    password=PASSWORD,
                    role=Role.ADMIN,
                    area=None,
                )
            db.session.rollback()
            assert db.session.scalar(select(Account).where(Account.username == "never-made")) is None
    finally:
        signals.account_created.disconnect(refuse)

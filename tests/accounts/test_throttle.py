"""Failed logins hold the failing client, not the account: a stranger cannot lock a clerk out,
and the counters are raised atomically, so simultaneous failures all count (issue 12, point 6)."""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Iterator

import pytest
from flask import Flask
from sqlalchemy import select

from tests.accounts.helpers import LOCK_MESSAGE, WRONG_PASSWORD_MESSAGE, try_login
from tests.conftest import PASSWORD, Browser, running_app
from transparency.accounts.models import Account, LoginFailure
from transparency.accounts.services import InvalidCredentials, authenticate
from transparency.core.db import clock_at, db, utcnow


def _browser(app: Flask, address: str) -> Browser:
    browser = Browser(app.test_client())
    browser.client.environ_base["REMOTE_ADDR"] = address
    return browser


def test_five_wrong_passwords_from_one_client_leave_the_right_password_working_from_another(app, world):
    stranger = _browser(app, "203.0.113.7")
    for attempt in range(5):
        assert WRONG_PASSWORD_MESSAGE in try_login(stranger, "clerk-a", f"guess-{attempt}").get_data(as_text=True)
    assert LOCK_MESSAGE in try_login(stranger, "clerk-a", PASSWORD).get_data(as_text=True)
    clerk = _browser(app, "198.51.100.20")
    assert try_login(clerk, "clerk-a", PASSWORD).status_code == 302
    assert clerk.get("/manage/").status_code == 200
    # The clerk's success does not lift the stranger's lock.
    assert LOCK_MESSAGE in try_login(stranger, "clerk-a", PASSWORD).get_data(as_text=True)


def test_no_address_is_stored_only_a_keyed_digest(app, world):
    try_login(_browser(app, "203.0.113.7"), "clerk-a", "guess")
    with app.app_context():
        clients = db.session.scalars(select(LoginFailure.client)).all()
    assert len(clients) == 1 and "203.0.113" not in clients[0] and len(clients[0]) == 64


@pytest.fixture
def backoff_app(database_url: str, tmp_path) -> Iterator[Flask]:
    config = {
        "LOGIN_ACCOUNT_MAX_FAILURES": 6,
        "LOGIN_ACCOUNT_BACKOFF_SECONDS": 60,
        "LOGIN_RATE_LIMIT": "1000 per minute",
    }
    with running_app(database_url, tmp_path, **config) as application:
        yield application


def test_the_account_wide_back_off_holds_clients_that_failed_but_never_a_clean_one(backoff_app, world):
    app = backoff_app
    for number in range(3):  # three strangers, two wrong passwords each: six in all, none locked alone
        stranger = _browser(app, f"203.0.113.{number}")
        for attempt in range(2):
            try_login(stranger, "clerk-a", f"guess-{number}-{attempt}")
    with app.app_context():
        account = db.session.scalar(select(Account).where(Account.username == "clerk-a"))
        assert account.locked_until is not None and account.locked_until > utcnow()
    # A client that failed before waits, even with the right password ...
    assert LOCK_MESSAGE in try_login(_browser(app, "203.0.113.0"), "clerk-a", PASSWORD).get_data(as_text=True)
    # ... a client with no failures is not held, and the back-off lifts after its time.
    assert try_login(_browser(app, "198.51.100.20"), "clerk-a", PASSWORD).status_code == 302
    with clock_at(utcnow() + dt.timedelta(seconds=61)):
        assert try_login(_browser(app, "203.0.113.1"), "clerk-a", PASSWORD).status_code == 302


@pytest.fixture
def counting_app(database_url: str, tmp_path) -> Iterator[Flask]:
    with running_app(database_url, tmp_path, LOGIN_MAX_FAILURES=100, LOGIN_ACCOUNT_MAX_FAILURES=100) as application:
        yield application


def test_eight_simultaneous_failures_count_eight(counting_app, world):
    app = counting_app
    threads_count = 8
    barrier = threading.Barrier(threads_count)
    errors: list[BaseException] = []

    def fail_once(number: int) -> None:
        try:
            with app.app_context():
                barrier.wait(timeout=10)
                try:
                    authenticate(db.session, username="clerk-a", password=f"wrong-{number}", client="203.0.113.9")
                except InvalidCredentials:
                    db.session.commit()
        except BaseException as error:  # reported below: a thread's failure must fail the test
            errors.append(error)

    threads = [threading.Thread(target=fail_once, args=(n,)) for n in range(threads_count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert errors == []
    with app.app_context():
        account = db.session.scalar(select(Account).where(Account.username == "clerk-a"))
        assert account.failed_logins == threads_count
        assert db.session.scalar(select(LoginFailure.failures).where(LoginFailure.account_id == account.id)) == 8

"""Throttling failed logins per account *and* client, so that guessing cannot lock staff out.

Two counters, both raised atomically in the database (an `UPDATE … SET n = n + 1` or an upsert
whose conflict branch adds one, so simultaneous failures in several processes all count):

- per account and client (`LoginFailure`): after LOGIN_MAX_FAILURES in a row that client waits
  LOGIN_LOCK_SECONDS before it may try this account again. Only the failing client is held.
- per account (`Account.failed_logins`): after LOGIN_ACCOUNT_MAX_FAILURES across all clients,
  the account backs off for LOGIN_ACCOUNT_BACKOFF_SECONDS, but only for clients that have failed
  on it before. A client with no failures (the clerk at their own desk) is never held out.

The client is kept as a keyed digest of its address (HMAC with SECRET_KEY), never the address.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac

from flask import current_app
from sqlalchemy import delete, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from transparency.accounts.models import Account, LoginFailure

THROTTLE_DEFAULTS = {
    "LOGIN_MAX_FAILURES": 5,
    "LOGIN_LOCK_SECONDS": 15 * 60,
    "LOGIN_ACCOUNT_MAX_FAILURES": 50,
    "LOGIN_ACCOUNT_BACKOFF_SECONDS": 60,
}


def _setting(key: str) -> int:
    value = current_app.config.get(key)
    return int(THROTTLE_DEFAULTS[key] if value is None else value)


def client_key(address: str | None) -> str:
    """The stored name of a client: an HMAC of its address, so the table holds no addresses."""
    secret = str(current_app.config["SECRET_KEY"]).encode()
    return hmac.new(secret, (address or "unknown").encode(), hashlib.sha256).hexdigest()


def held_until(session: Session, account: Account, client: str, now: dt.datetime) -> dt.datetime | None:
    """Until when this client may not try this account, or None. Raises nothing."""
    row = session.get(LoginFailure, (account.id, client))
    if row is not None and row.locked_until is not None and row.locked_until > now:
        return row.locked_until
    if row is not None and account.locked_until is not None and account.locked_until > now:
        return account.locked_until  # the account-wide back-off holds only clients that failed before
    return None


def count_failure(session: Session, account: Account, client: str, now: dt.datetime) -> None:
    """One more failure for this account from this client, counted atomically. Raises nothing."""
    values = {"account_id": account.id, "client": client, "failures": 1}
    dialect = session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    statement = insert(LoginFailure).values(values)
    statement = statement.on_conflict_do_update(
        index_elements=["account_id", "client"], set_={"failures": LoginFailure.failures + 1}
    ).returning(LoginFailure.failures)
    failures = session.execute(statement).scalar_one()
    if failures >= _setting("LOGIN_MAX_FAILURES"):
        lock = now + dt.timedelta(seconds=_setting("LOGIN_LOCK_SECONDS"))
        session.execute(
            update(LoginFailure)
            .where(LoginFailure.account_id == account.id, LoginFailure.client == client)
            .values(failures=0, locked_until=lock)
            .execution_options(synchronize_session=False)
        )
    total = session.execute(
        update(Account)
        .where(Account.id == account.id)
        .values(failed_logins=Account.failed_logins + 1)
        .returning(Account.failed_logins)
        .execution_options(synchronize_session=False)
    ).scalar_one()
    if total >= _setting("LOGIN_ACCOUNT_MAX_FAILURES"):
        backoff = now + dt.timedelta(seconds=_setting("LOGIN_ACCOUNT_BACKOFF_SECONDS"))
        session.execute(
            update(Account)
            .where(Account.id == account.id)
            .values(failed_logins=0, locked_until=backoff)
            .execution_options(synchronize_session=False)
        )
    session.expire(account, ["failed_logins", "locked_until"])


def clear_failures(session: Session, account: Account, client: str) -> None:
    """A success from this client: its failures are forgotten, and the account's count starts over."""
    session.execute(
        delete(LoginFailure)
        .where(LoginFailure.account_id == account.id, LoginFailure.client == client)
        .execution_options(synchronize_session=False)
    )
    account.failed_logins = 0
    account.locked_until = None


def failures_from(session: Session, account: Account, client: str) -> int:
    """How many failures in a row this client has on this account (for tests and the admin)."""
    return (
        session.scalar(
            select(LoginFailure.failures).where(LoginFailure.account_id == account.id, LoginFailure.client == client)
        )
        or 0
    )

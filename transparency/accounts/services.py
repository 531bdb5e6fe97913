"""Accounts: creating them, checking passwords, throttling guesses.

Raises: DuplicateUsername, InvalidBinding, InvalidCredentials, AccountLocked.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import Session

from transparency.accounts import throttle
from transparency.accounts.models import Account, Role
from transparency.core import signals
from transparency.core.db import db, utcnow

MIN_PASSWORD_LENGTH = 10


class DuplicateUsername(ValueError):
    """Another account already has this username."""


class InvalidBinding(ValueError):
    """The role cannot be bound to that area (e.g. a clerk to a township)."""


class InvalidCredentials(Exception):
    """Unknown username, wrong password or a deactivated account: deliberately not told apart."""


class AccountLocked(Exception):
    """Too many failed logins in a row; try again after `until`."""

    def __init__(self, until: dt.datetime) -> None:
        super().__init__(until)
        self.until = until


def password_hasher() -> PasswordHasher:
    config = current_app.config
    hasher = current_app.extensions.get("password_hasher")
    if hasher is None:
        hasher = PasswordHasher(
            time_cost=config["ARGON2_TIME_COST"],
            memory_cost=config["ARGON2_MEMORY_COST"],
            parallelism=config["ARGON2_PARALLELISM"],
        )
        current_app.extensions["password_hasher"] = hasher
    return hasher


def check_binding(role: Role, area: Any | None) -> None:
    """Raises InvalidBinding unless `area` (an Area, or None) is of a level the role is bound to."""
    levels = role.area_level
    if not levels:
        if area is not None:
            raise InvalidBinding(_("系统管理员不绑定地区"))
        return
    if area is None or area.level not in levels:
        wanted = "、".join(level.label for level in levels)
        raise InvalidBinding(_("%(role)s必须绑定到%(levels)s", role=role.label, levels=wanted))


def create_account(
    session: Session,
    *,
    actor: Account | None,
    username: str,
    display_name: str,
    password: str,
    role: Role,
    area: Any | None,
) -> Account:
    """Create a staff account bound to `area` (an Area, or None for an admin).

    Raises DuplicateUsername, InvalidBinding, ValueError (weak password).
    """
    if len(password) < MIN_PASSWORD_LENGTH:
        raise ValueError(_("密码至少 %(min)s 位", min=MIN_PASSWORD_LENGTH))
    check_binding(role, area)
    if session.scalar(select(Account.id).where(Account.username == username)) is not None:
        raise DuplicateUsername(_("用户名“%(username)s”已被使用", username=username))
    account = Account(
        username=username,
        display_name=display_name,
        password_hash=password_hasher().hash(password),
        role=role,
        area=area,
    )
    session.add(account)
    session.flush()
    signals.account_created.send(session, account=account, actor=actor)
    return account


def set_active(session: Session, *, actor: Account, account: Account, active: bool) -> None:
    """Deactivate or reactivate an account; a deactivated one is logged out everywhere."""
    account.active = active
    account.session_epoch += 1
    signals.account_activation_changed.send(session, account=account, actor=actor, active=active)


def authenticate(session: Session, *, username: str, password: str, client: str | None = None) -> Account:
    """The account for these credentials, tried from `client` (its address). Raises
    InvalidCredentials or AccountLocked.

    Failures are counted per account and client, atomically in the database (transparency/
    accounts/throttle.py): the lock holds the failing client only, never the right password typed
    from a client with no failures.
    """
    account = session.scalar(select(Account).where(Account.username == username))
    now = utcnow()
    if account is None:
        # Spend the same time as a real check so a stranger cannot tell names apart.
        _dummy_verify(password)
        signals.login_failed.send(session, account=None, reason="unknown")
        raise InvalidCredentials()
    key = throttle.client_key(client)
    until = throttle.held_until(session, account, key, now)
    if until is not None:
        signals.login_failed.send(session, account=account, reason="locked")
        raise AccountLocked(until)
    hasher = password_hasher()
    try:
        hasher.verify(account.password_hash, password)
        ok = account.active
    except (VerificationError, InvalidHashError):
        ok = False
    if not ok:
        throttle.count_failure(session, account, key, now)
        signals.login_failed.send(session, account=account, reason=None)
        raise InvalidCredentials()
    throttle.clear_failures(session, account, key)
    if hasher.check_needs_rehash(account.password_hash):
        account.password_hash = hasher.hash(password)
    signals.login_succeeded.send(session, account=account)
    return account


def _dummy_verify(password: str) -> None:
    hasher = password_hasher()
    dummy = current_app.extensions.get("dummy_hash")
    if dummy is None:
        dummy = current_app.extensions["dummy_hash"] = hasher.hash("not-a-real-password")
    try:
        hasher.verify(dummy, password)
    except VerificationError:
        pass


def log_out(session: Session, *, account: Account) -> None:
    """Announce that `account` logs out (the caller forgets the cookie). Raises nothing of its own."""
    signals.logged_out.send(session, account=account)


def account_for_session(account_id: object, epoch: object) -> Account | None:
    """The logged-in account, or None when the cookie is stale or the account deactivated."""
    if not isinstance(account_id, int) or not isinstance(epoch, int):
        return None
    account = db.session.get(Account, account_id)
    if account is None or not account.active or account.session_epoch != epoch:
        return None
    return account

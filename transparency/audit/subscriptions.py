"""The log's subscribers: entries for what accounts and areas announce through core/signals.py.

Each runs in the sender's transaction (blinker calls it at once), so a failure to record rolls
the announced action back, as when the service called `record` itself.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from transparency.audit.services import record
from transparency.core import signals


def _area_code(account: Any | None) -> str | None:
    return account.area.code if account is not None and account.area is not None else None


def _account_created(session: Session, *, account: Any, actor: Any | None) -> None:
    code = _area_code(account)
    record(
        session,
        actor=actor,
        action="account.create",
        object_type="account",
        object_id=account.id,
        area_code=code,
        staff_texts={"username": account.username},
        role=str(account.role),
        area=code,
    )


def _account_activation_changed(session: Session, *, account: Any, actor: Any, active: bool) -> None:
    action = "account.activate" if active else "account.deactivate"
    record(
        session, actor=actor, action=action, object_type="account", object_id=account.id, area_code=_area_code(account)
    )


def _login_succeeded(session: Session, *, account: Any) -> None:
    record(
        session,
        actor=account,
        action="login.success",
        object_type="account",
        object_id=account.id,
        area_code=_area_code(account),
    )


def _login_failed(session: Session, *, account: Any | None, reason: str | None) -> None:
    details = {} if reason is None else {"reason": reason}
    object_id = None if account is None else account.id
    area_code = _area_code(account)
    record(
        session,
        actor=None,
        action="login.failure",
        object_type="account",
        object_id=object_id,
        area_code=area_code,
        is_public=False,
        **details,
    )


def _logged_out(session: Session, *, account: Any) -> None:
    record(
        session,
        actor=account,
        action="logout",
        object_type="account",
        object_id=account.id,
        area_code=_area_code(account),
    )


def _area_created(session: Session, *, area: Any, actor: Any | None) -> None:
    code = area.code
    record(
        session, actor=actor, action="area.create", object_type="area", object_id=code, area_code=code, name=area.name
    )


SUBSCRIPTIONS = (
    (signals.account_created, _account_created),
    (signals.account_activation_changed, _account_activation_changed),
    (signals.login_succeeded, _login_succeeded),
    (signals.login_failed, _login_failed),
    (signals.logged_out, _logged_out),
    (signals.area_created, _area_created),
)


def connect() -> None:
    """Subscribe the log to every signal it records (idempotent: blinker keeps one of each)."""
    for signal, receiver in SUBSCRIPTIONS:
        signal.connect(receiver)

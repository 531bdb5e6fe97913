"""Who may see and do what with a village's unpublished work (deny by default).

Glossary: clerk = 村务公开员, reviewer = 村务监督委员会成员, inspector = 纪检监察员.
"""

from __future__ import annotations

from flask_babel import gettext as _

from transparency.accounts.models import Account, Role
from transparency.areas.models import Area


class NotYourVillage(Exception):
    """The account is not bound to the village (or jurisdiction) this object belongs to."""


def may_view_unpublished(account: Account | None, village: Area) -> bool:
    if account is None or not account.active:
        return False
    if account.role in (Role.CLERK, Role.REVIEWER):
        return account.area_id == village.id
    if account.role is Role.INSPECTOR:
        return account.covers(village)
    return False


def may_draft(account: Account | None, village: Area) -> bool:
    return account is not None and account.role is Role.CLERK and account.area_id == village.id


def may_review(account: Account | None, village: Area) -> bool:
    return account is not None and account.role is Role.REVIEWER and account.area_id == village.id


def ensure(allowed: bool, message: str | None = None) -> None:
    if not allowed:
        raise NotYourVillage(message or _("只能查看和操作本人所属村的村务"))

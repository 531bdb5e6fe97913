"""The inspectors' audit log browser: filters, jurisdiction, pagination.

An output over the log: it reads entries together with the accounts and villages they name,
which the log itself (importing only core) does not know.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from flask_babel import gettext as _
from sqlalchemy import Select, false, func, or_, select
from sqlalchemy.orm import Session

from transparency.accounts.models import Account
from transparency.areas.models import Area, AreaLevel
from transparency.areas.services import villages_under
from transparency.audit.models import AuditEntry
from transparency.audit.texts import texts_for_staff
from transparency.core import clock
from transparency.core.integers import is_ascii_digits
from transparency.inspection.audit_log_forms import AuditFilterForm

PAGE_SIZE = 50


class OutsideJurisdiction(Exception):
    """The filter names a village the inspector may not see."""


@dataclass
class LogPage:
    entries: list[AuditEntry]
    actors: dict[int, Account]
    areas: dict[str, Area]
    total: int
    page: int
    pages: int
    notes: list[str]
    texts: dict[int, dict[str, str]]


def area_codes_in(account: Account) -> set[str] | None:
    """The area codes an inspector may see in the log; None means all (the county: one per deployment)."""
    area = account.area
    if area is None:
        return set()
    if area.level is AreaLevel.COUNTY:
        return None
    return {area.code, *(village.code for village in villages_under(area))}


def _local_midnight(day: dt.date) -> dt.datetime:
    return clock.start_of_local_day(day)


def _village(session: Session, text: str) -> Area | None:
    query = select(Area).where(Area.level == AreaLevel.VILLAGE)
    if is_ascii_digits(text):
        return session.scalar(query.where(Area.code == text))
    return session.scalar(query.where(Area.name == text).order_by(Area.code).limit(1))


def filtered(session: Session, form: AuditFilterForm, codes: set[str] | None) -> tuple[Select, list[str]]:
    """The query for the form's filters within `codes` (None: everything). Raises OutsideJurisdiction."""
    query = select(AuditEntry)
    notes: list[str] = []
    if codes is not None:
        query = query.where(AuditEntry.area_code.in_(codes))
    if form.actor.data:
        actor = session.scalar(select(Account).where(Account.username == form.actor.data))
        if actor is None:
            notes.append(_("没有用户名为“%(name)s”的账户。", name=form.actor.data))
            query = query.where(false())
        else:
            query = query.where(AuditEntry.actor_id == actor.id)
    if form.village.data:
        village = _village(session, form.village.data)
        if village is None:
            notes.append(_("没有找到村“%(name)s”。", name=form.village.data))
            query = query.where(false())
        elif codes is not None and village.code not in codes:
            raise OutsideJurisdiction(_("%(name)s不在您的辖区内", name=village.name))
        else:
            query = query.where(AuditEntry.area_code == village.code)
    if form.action.data:
        action = form.action.data.rstrip(".")
        query = query.where(or_(AuditEntry.action == action, AuditEntry.action.startswith(action + ".")))
    if form.object_type.data:
        query = query.where(AuditEntry.object_type == form.object_type.data)
    if form.object_id.data:
        query = query.where(AuditEntry.object_id == form.object_id.data)
    if form.date_from.data:
        query = query.where(AuditEntry.at >= _local_midnight(form.date_from.data))
    if form.date_to.data:
        query = query.where(AuditEntry.at < _local_midnight(form.date_to.data + dt.timedelta(days=1)))
    return query, notes


def entries_in(session: Session, codes: set[str] | None, upto: int | None = None) -> int:
    """How many entries of the log fall within `codes` (None: the whole log), up to seq `upto`."""
    query = select(func.count()).select_from(AuditEntry)
    if upto is not None:
        query = query.where(AuditEntry.seq <= upto)
    if codes is not None:
        query = query.where(AuditEntry.area_code.in_(codes))
    return session.scalar(query) or 0


def log_page(session: Session, form: AuditFilterForm, codes: set[str] | None) -> LogPage:
    query, notes = filtered(session, form, codes)
    total = session.scalar(select(func.count()).select_from(query.subquery())) or 0
    pages = max(1, -(-total // PAGE_SIZE))
    page = form.page_number
    if page > pages:
        notes.append(_("没有第 %(page)s 页（共 %(pages)s 页），已显示最后一页。", page=page, pages=pages))
        page = pages
    entries = list(
        session.scalars(query.order_by(AuditEntry.seq.desc()).limit(PAGE_SIZE).offset((page - 1) * PAGE_SIZE))
    )
    actor_ids = {e.actor_id for e in entries if e.actor_id is not None}
    actors = {a.id: a for a in session.scalars(select(Account).where(Account.id.in_(actor_ids)))} if actor_ids else {}
    area_codes = {e.area_code for e in entries if e.area_code}
    areas = {a.code: a for a in session.scalars(select(Area).where(Area.code.in_(area_codes)))} if area_codes else {}
    return LogPage(entries, actors, areas, total, page, pages, notes, texts_for_staff(session, entries))

"""Reading matters: handlers' queues, a village's public list and its counts, the lookup."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import and_, or_, select
from sqlalchemy.orm import Session, selectinload

from transparency.accounts.models import Account, Role
from transparency.areas.models import Area
from transparency.areas.services import villages_under
from transparency.complaints.access import may_handle, may_see
from transparency.complaints.deadlines import Deadline, is_overdue, local_date, next_open_deadline, was_ever_late
from transparency.complaints.models import Matter, MatterKind, MatterStatus
from transparency.core.db import utcnow

FINISHED = (MatterStatus.CLOSED, MatterStatus.DECLINED)


@dataclass(frozen=True)
class QueueItem:
    matter: Matter
    deadline: Deadline | None
    overdue: bool


def _sort_key(item: QueueItem) -> tuple[int, dt.date, int]:
    due = item.deadline.due if item.deadline is not None else dt.date.max
    return (0 if item.deadline is not None else 1, due, item.matter.id)


def handler_queue(session: Session, account: Account, village_ids: list[int], today: dt.date) -> list[QueueItem]:
    """Matters this account handles now, nearest deadline first: the open ones, and finished
    实名 举报 whose filer is still owed a notice (of acceptance, or of the result)."""
    matters = session.scalars(
        select(Matter)
        .where(
            Matter.village_id.in_(village_ids),
            or_(Matter.status.not_in(FINISHED), and_(Matter.kind == MatterKind.REPORT, Matter.real_name.is_(True))),
        )
        .options(selectinload(Matter.events), selectinload(Matter.village), selectinload(Matter.recusals))
    )
    items = [
        QueueItem(m, deadline, is_overdue(m, today))
        for m in matters
        if may_handle(account, m, today)
        and ((deadline := next_open_deadline(m)) is not None or m.status not in FINISHED)
    ]
    return sorted(items, key=_sort_key)


def others_in_view(session: Session, account: Account, village_ids: list[int], today: dt.date) -> list[Matter]:
    """Matters the account may look at but someone else handles (newest first)."""
    matters = session.scalars(
        select(Matter)
        .where(Matter.village_id.in_(village_ids))
        .options(selectinload(Matter.events), selectinload(Matter.village), selectinload(Matter.recusals))
        .order_by(Matter.registered_at.desc())
        .limit(200)
    )
    return [m for m in matters if may_see(account, m) and not may_handle(account, m, today)]


def overdue_in_view(session: Session, account: Account, village_ids: list[int], today: dt.date) -> list[QueueItem]:
    """Unfinished matters past a handler's deadline that the account may see, whoever handles
    them: what an inspector looks at first. Oldest deadline first."""
    matters = session.scalars(
        select(Matter)
        .where(Matter.village_id.in_(village_ids), Matter.status.not_in(FINISHED))
        .options(selectinload(Matter.events), selectinload(Matter.village))
    )
    items = [QueueItem(m, next_open_deadline(m), True) for m in matters if may_see(account, m) and is_overdue(m, today)]
    return sorted(items, key=_sort_key)


def public_matters(session: Session, village: Area) -> list[Matter]:
    """What the village's public list shows: matters the complainant let us show, minus any conflict case."""
    return list(
        session.scalars(
            select(Matter)
            .where(Matter.village_id == village.id, Matter.is_public)
            .options(selectinload(Matter.events))
            .order_by(Matter.registered_at.desc())
        )
    )


@dataclass(frozen=True)
class VillageCounts:
    received: int
    answered: int
    answered_on_time: int
    overdue: int


def village_counts(matters: list[Matter], today: dt.date) -> VillageCounts:
    answered = [m for m in matters if m.replied_at is not None or m.status is MatterStatus.DECLINED]
    return VillageCounts(
        received=len(matters),
        answered=len(answered),
        answered_on_time=sum(1 for m in answered if not was_ever_late(m, today)),
        overdue=sum(1 for m in matters if is_overdue(m, today)),
    )


def days_taken(matter: Matter, today: dt.date) -> int:
    end = matter.replied_at or (matter.decided_at if matter.status is MatterStatus.DECLINED else None)
    return ((local_date(end) if end else today) - local_date(matter.registered_at)).days


def staff_scope(account: Account) -> list[int]:
    """The ids of the villages whose matters this account may see at all."""
    if account.role is Role.CLERK and account.area is not None:
        return [account.area.id]
    if account.role is Role.INSPECTOR and account.area is not None:
        return [v.id for v in villages_under(account.area)]
    return []


def today() -> dt.date:
    return local_date(utcnow())

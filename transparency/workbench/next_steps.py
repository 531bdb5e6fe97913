"""What each role should do next: disclosures coming due, matters waiting, drafts to review.

Reads the obligations calendar and the complaint queues, which is why it stands above both.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy.orm import Session

from transparency.accounts.models import Account
from transparency.areas.models import Area
from transparency.complaints.queries import QueueItem, handler_queue, overdue_in_view, staff_scope
from transparency.obligations.calendar import DueItem, DueStatus, calendars

DUE_SHOWN = 8  # a clerk's next disclosures: enough for the coming quarter, not a whole year
PROBLEMS_SHOWN = 30  # an inspector's missing disclosures: the newest first, the calendar has the rest


@dataclass(frozen=True)
class DueDisclosure:
    item: DueItem
    village: Area

    def days_left(self, today: dt.date) -> int:
        return (self.item.due - today).days


def next_due(session: Session, village: Area, today: dt.date) -> list[DueDisclosure]:
    """The village's disclosures still to publish: overdue ones first, then by due date."""
    (calendar,) = calendars(session, [village], today=today)
    waiting = [i for i in calendar.items if i.status in (DueStatus.MISSING, DueStatus.OPEN)]
    waiting.sort(key=lambda i: (i.status is not DueStatus.MISSING, i.due, i.category))
    return [DueDisclosure(item, village) for item in waiting[:DUE_SHOWN]]


def missing_in(session: Session, villages: Sequence[Area], today: dt.date) -> list[DueDisclosure]:
    """Every disclosure due and never published in these villages, the most recent period first."""
    found = [
        DueDisclosure(item, calendar.village)
        for calendar in calendars(session, villages, today=today)
        for item in calendar.items
        if item.status is DueStatus.MISSING
    ]
    found.sort(key=lambda d: (d.item.due, d.village.code), reverse=True)
    return found[:PROBLEMS_SHOWN]


def waiting_matters(session: Session, account: Account, today: dt.date) -> list[QueueItem]:
    """The matters this account handles now, nearest deadline first (the queue's own order)."""
    return handler_queue(session, account, staff_scope(account), today)


def overdue_matters(session: Session, account: Account, today: dt.date) -> list[QueueItem]:
    """Every overdue matter the account may see in its jurisdiction, oldest deadline first."""
    return overdue_in_view(session, account, staff_scope(account), today)

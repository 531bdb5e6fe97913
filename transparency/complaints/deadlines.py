"""The complaint clock: which deadlines apply to a matter, when each falls, which are missed.

The rules are data (rules.toml, or the file named by COMPLAINT_RULES_FILE). Dates are local
(Asia/Shanghai): a deadline falls at the end of its day.
"""

from __future__ import annotations

import datetime as dt
import enum
import tomllib
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path

import holidays
from flask import current_app
from flask_babel import lazy_gettext as _l

from transparency.complaints.models import Matter, MatterStatus
from transparency.core import clock

DEFAULT_RULES = Path(__file__).with_name("rules.toml")


class Counting(enum.StrEnum):
    CALENDAR = "calendar"
    WORKING = "working"


class Step(enum.StrEnum):
    ACCEPT = "accept"
    REPLY = "reply"
    EXTENSION = "extension"
    REVIEW_REQUEST = "review_request"
    REVIEW_ANSWER = "review_answer"

    @property
    def label(self) -> str:
        return str(STEP_LABELS[self])


STEP_LABELS = {
    Step.ACCEPT: _l("决定是否受理"),
    Step.REPLY: _l("答复"),
    Step.EXTENSION: _l("延期"),
    Step.REVIEW_REQUEST: _l("申请复查"),
    Step.REVIEW_ANSWER: _l("复查答复"),
}


@dataclass(frozen=True)
class Rule:
    days: int
    count: Counting

    def due(self, start: dt.date, extra_days: int = 0) -> dt.date:
        if self.count is Counting.CALENDAR:
            return start + dt.timedelta(days=self.days + extra_days)
        due = add_working_days(start, self.days)
        return due + dt.timedelta(days=extra_days)


def load_rules(path: Path) -> dict[Step, Rule]:
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    return {step: Rule(days=int(data[step]["days"]), count=Counting(data[step]["count"])) for step in Step}


def rules() -> dict[Step, Rule]:
    return _rules_at(str(current_app.config.get("COMPLAINT_RULES_FILE") or DEFAULT_RULES))


@cache
def _rules_at(path: str) -> dict[Step, Rule]:
    return load_rules(Path(path))


@cache
def _calendar(year: int) -> holidays.HolidayBase:
    return holidays.China(years=year)


def is_working_day(day: dt.date) -> bool:
    return _calendar(day.year).is_working_day(day)


@lru_cache(maxsize=8192)  # statistics over thousands of matters ask the same few dates again and again
def add_working_days(start: dt.date, days: int) -> dt.date:
    """The `days`-th working day after `start`."""
    day = start
    while days > 0:
        day += dt.timedelta(days=1)
        if is_working_day(day):
            days -= 1
    return day


local_date = clock.local_date


@dataclass(frozen=True)
class Deadline:
    """One deadline of one matter, as shown to the complainant, the public and the handler."""

    step: Step
    due: dt.date
    met_at: dt.datetime | None  # when the step was taken, if it was
    for_handler: bool  # False: the complainant's own window (asking for review)

    @property
    def met_on_time(self) -> bool | None:
        return None if self.met_at is None else local_date(self.met_at) <= self.due

    def days_left(self, today: dt.date) -> int:
        return (self.due - today).days

    def missed(self, today: dt.date) -> bool:
        """A handler's deadline passed without the step, or the step came late."""
        if not self.for_handler:
            return False
        if self.met_at is None:
            return today > self.due
        return not self.met_on_time

    def open_and_passed(self, today: dt.date) -> bool:
        return self.for_handler and self.met_at is None and today > self.due


def deadlines(matter: Matter) -> list[Deadline]:
    """Every deadline that applies to the matter so far, in the order they arise."""
    table = rules()
    found = [Deadline(Step.ACCEPT, table[Step.ACCEPT].due(local_date(matter.registered_at)), matter.decided_at, True)]
    if matter.status is MatterStatus.DECLINED or matter.decided_at is None:
        return found
    reply_due = table[Step.REPLY].due(local_date(matter.decided_at), matter.extension_days)
    found.append(Deadline(Step.REPLY, reply_due, matter.replied_at, True))
    if matter.replied_at is None:
        return found
    window = table[Step.REVIEW_REQUEST].due(local_date(matter.replied_at))
    found.append(Deadline(Step.REVIEW_REQUEST, window, matter.review_requested_at, False))
    if matter.review_requested_at is not None:
        answer_due = table[Step.REVIEW_ANSWER].due(local_date(matter.review_requested_at))
        found.append(Deadline(Step.REVIEW_ANSWER, answer_due, matter.review_answered_at, True))
    return found


def next_open_deadline(matter: Matter) -> Deadline | None:
    """The handler's deadline that is still running (or passed), for sorting queues."""
    if matter.status is MatterStatus.CLOSED:
        return None
    return next((d for d in deadlines(matter) if d.for_handler and d.met_at is None), None)


def is_overdue(matter: Matter, today: dt.date) -> bool:
    """Some handler deadline has passed with its step still not taken."""
    return any(d.open_and_passed(today) for d in deadlines(matter))


def was_ever_late(matter: Matter, today: dt.date) -> bool:
    return any(d.missed(today) for d in deadlines(matter))


today = clock.today

"""The complaint clock: which deadlines apply to a matter, when each falls, which are missed.

The rules are data (rules.toml, or the file named by COMPLAINT_RULES_FILE): per step a limit, its
unit, whether art. 203 moves it off a rest day, who acts and the article it comes from. Dates are
counted as a court counts them (core.counting) on local dates (core.clock); a deadline falls at
the end of its day.
"""

from __future__ import annotations

import datetime as dt
import enum
import tomllib
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from flask import current_app
from flask_babel import lazy_gettext as _l

from transparency.complaints.models import Matter, MatterStatus
from transparency.core import clock, counting
from transparency.core.counting import Due, Unit

DEFAULT_RULES = Path(__file__).with_name("rules.toml")
ACTORS = frozenset({"handler", "filer", "other_inspector", "level_above"})


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


class InvalidRules(ValueError):
    """A rules file that cannot be read or lacks a step or a key."""


@dataclass(frozen=True)
class Rule:
    days: int
    unit: Unit
    roll: bool = True  # 民法典 art. 203, for calendar days
    actor: str = "handler"
    basis: str = ""  # "《信访工作条例》第二十三条"

    def due(self, start: dt.date, extension_days: int = 0) -> Due:
        """The step's last day counted from `start`, pushed back by an extension counted in this
        step's own unit. Raises as core.counting.due_date does."""
        found = counting.due_date(start, self.days, self.unit, self.roll)
        return counting.extend(found, extension_days, self.unit, self.roll) if extension_days else found


def load_rules(path: Path) -> dict[Step, Rule]:
    """The rules of a file. Raises InvalidRules naming the step and key that are wrong."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as error:
        raise InvalidRules(f"{path}: {error}") from error
    return {step: _rule(path, step, data.get(step)) for step in Step}


def _rule(path: Path, step: Step, table: object) -> Rule:
    if not isinstance(table, dict):
        raise InvalidRules(f"{path}: [{step}] is missing")
    try:
        days, unit, roll = table["days"], Unit(table["unit"]), table["roll"]
        actor, basis = table["actor"], table["basis"]
    except KeyError as missing:
        raise InvalidRules(f"{path}: [{step}] needs {missing} (days, unit, roll, actor, basis)") from None
    except ValueError:
        raise InvalidRules(f'{path}: [{step}] unit must be "calendar" or "working"') from None
    if type(days) is not int or days < 0 or type(roll) is not bool:
        raise InvalidRules(f"{path}: [{step}] days must be a whole number ≥ 0 and roll true or false")
    if actor not in ACTORS or not isinstance(basis, str) or not basis.strip():
        raise InvalidRules(f"{path}: [{step}] actor must be one of {', '.join(sorted(ACTORS))} and basis an article")
    return Rule(days, unit, roll, actor, basis.strip())


def rules() -> dict[Step, Rule]:
    """The rules in force. Raises InvalidRules for a broken COMPLAINT_RULES_FILE."""
    return _rules_at(str(current_app.config.get("COMPLAINT_RULES_FILE") or DEFAULT_RULES))


@cache
def _rules_at(path: str) -> dict[Step, Rule]:
    return load_rules(Path(path))


local_date = clock.local_date


@dataclass(frozen=True)
class Deadline:
    """One deadline of one matter, as shown to the complainant, the public and the handler."""

    step: Step
    counted: Due  # the last day, and whether an unofficial holiday year went into it
    met_at: dt.datetime | None  # when the step was taken, if it was
    for_handler: bool  # False: the complainant's own window (asking for review)
    basis: str = ""  # the article the limit comes from

    @property
    def due(self) -> dt.date:
        return self.counted.date

    @property
    def unverified(self) -> bool:
        """Counted over a year without an official holiday schedule: 节假日安排未经核实."""
        return self.counted.depends_on_unofficial_year

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
    """Every deadline that applies to the matter so far, in the order they arise.

    Raises InvalidRules or InvalidHolidayFile when the deployer's files are broken."""
    table = rules()

    def deadline(step: Step, start: dt.datetime, met_at: dt.datetime | None, extension: int = 0) -> Deadline:
        rule = table[step]
        return Deadline(step, rule.due(local_date(start), extension), met_at, rule.actor != "filer", rule.basis)

    found = [deadline(Step.ACCEPT, matter.registered_at, matter.decided_at)]
    if matter.status is MatterStatus.DECLINED or matter.decided_at is None:
        return found
    found.append(deadline(Step.REPLY, matter.decided_at, matter.replied_at, matter.extension_days))
    if matter.replied_at is None:
        return found
    found.append(deadline(Step.REVIEW_REQUEST, matter.replied_at, matter.review_requested_at))
    if matter.review_requested_at is not None:
        found.append(deadline(Step.REVIEW_ANSWER, matter.review_requested_at, matter.review_answered_at))
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

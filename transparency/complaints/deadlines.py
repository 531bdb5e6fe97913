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

from transparency.complaints.models import Matter, MatterKind, MatterStatus
from transparency.core import clock, counting
from transparency.core.counting import Due, Unit
from transparency.core.translations import lazy_gettext as _l

DEFAULT_RULES = Path(__file__).with_name("rules.toml")
ACTORS = frozenset({"handler", "filer", "other_inspector", "level_above", "county"})


class Track(enum.StrEnum):
    """The procedure a kind of matter follows."""

    PETITION = "petition"  # 信访: 意见建议、咨询、投诉 (《信访工作条例》)
    REPORT = "report"  # 检举控告: 举报 (《纪检监察机关处理检举控告工作规则》)


class Step(enum.StrEnum):
    ACCEPT = "accept"
    ACCEPT_NOTICE = "accept_notice"
    REPLY = "reply"
    REPLY_ON_DISCLOSURE = "reply_on_disclosure"
    EXTENSION = "extension"
    RESULT_NOTICE = "result_notice"
    REVIEW_REQUEST = "review_request"
    REVIEW_ANSWER = "review_answer"
    RE_REVIEW_REQUEST = "re_review_request"
    RE_REVIEW_ANSWER = "re_review_answer"

    @property
    def label(self) -> str:
        return str(STEP_LABELS[self])


STEP_LABELS = {
    Step.ACCEPT: _l("决定是否受理"),
    Step.ACCEPT_NOTICE: _l("告知实名举报人受理情况"),
    Step.REPLY: _l("答复"),
    Step.REPLY_ON_DISCLOSURE: _l("答复对公开内容的咨询"),
    Step.EXTENSION: _l("延期"),
    Step.RESULT_NOTICE: _l("向实名举报人反馈办理结果"),
    Step.REVIEW_REQUEST: _l("申请复查"),
    Step.REVIEW_ANSWER: _l("复查答复"),
    Step.RE_REVIEW_REQUEST: _l("申请复核"),
    Step.RE_REVIEW_ANSWER: _l("复核答复"),
}

# The steps each track's table must describe; a track has no others.
TRACK_STEPS = {
    Track.PETITION: (
        Step.ACCEPT,
        Step.REPLY,
        Step.REPLY_ON_DISCLOSURE,
        Step.EXTENSION,
        Step.REVIEW_REQUEST,
        Step.REVIEW_ANSWER,
        Step.RE_REVIEW_REQUEST,
        Step.RE_REVIEW_ANSWER,
    ),
    Track.REPORT: (Step.ACCEPT, Step.ACCEPT_NOTICE, Step.REPLY, Step.EXTENSION, Step.RESULT_NOTICE),
}


class InvalidRules(ValueError):
    """A rules file that cannot be read or lacks a track, a step or a key."""


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


@dataclass(frozen=True)
class TrackRules:
    """One track: its name, the kinds of matter that follow it, and its steps."""

    track: Track
    name: str
    kinds: frozenset[MatterKind]
    steps: dict[Step, Rule]

    def __getitem__(self, step: Step) -> Rule:
        return self.steps[step]

    def __contains__(self, step: object) -> bool:
        return step in self.steps

    def items(self):
        return self.steps.items()


def load_rules(path: Path) -> dict[Track, TrackRules]:
    """The tracks of a file. Raises InvalidRules naming the track, step and key that are wrong."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as error:
        raise InvalidRules(f"{path}: {error}") from error
    tracks = {track: _track(path, track, data.get(track)) for track in Track}
    claimed = [kind for rules in tracks.values() for kind in rules.kinds]
    if sorted(claimed) != sorted(MatterKind):
        raise InvalidRules(f"{path}: every kind ({', '.join(MatterKind)}) must belong to exactly one track")
    return tracks


def _track(path: Path, track: Track, table: object) -> TrackRules:
    if not isinstance(table, dict):
        raise InvalidRules(f"{path}: [{track}] is missing")
    name, kinds = table.get("name"), table.get("kinds")
    if not isinstance(name, str) or not isinstance(kinds, list) or not all(k in set(MatterKind) for k in kinds):
        raise InvalidRules(f"{path}: [{track}] needs a name and kinds from {', '.join(MatterKind)}")
    steps = {step: _rule(path, f"{track}.{step}", table.get(step)) for step in TRACK_STEPS[track]}
    return TrackRules(track, name, frozenset(MatterKind(k) for k in kinds), steps)


def _rule(path: Path, step: str, table: object) -> Rule:
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


def tracks() -> dict[Track, TrackRules]:
    """The tracks in force. Raises InvalidRules for a broken COMPLAINT_RULES_FILE."""
    return _rules_at(str(current_app.config.get("COMPLAINT_RULES_FILE") or DEFAULT_RULES))


def rules(kind: MatterKind = MatterKind.COMPLAINT) -> TrackRules:
    """The track a kind of matter follows (信访 unless said otherwise). Raises InvalidRules."""
    return next(rules for rules in tracks().values() if kind in rules.kinds)


@cache
def _rules_at(path: str) -> dict[Track, TrackRules]:
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
    counted_from: dt.date | None = None  # the local day the limit runs from (registration, decision …)

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


def reply_step(matter: Matter) -> Step:
    """A 咨询 filed from a published disclosure's page has its own, shorter reply limit."""
    if matter.kind is MatterKind.QUESTION and matter.disclosure_id is not None:
        return Step.REPLY_ON_DISCLOSURE
    return Step.REPLY


def deadlines(matter: Matter) -> list[Deadline]:
    """Every deadline that applies to the matter so far, in the order they arise.

    Raises InvalidRules or InvalidHolidayFile when the deployer's files are broken."""
    table = rules(matter.kind)
    notices = Step.ACCEPT_NOTICE in table and matter.real_name

    def deadline(step: Step, start: dt.datetime, met_at: dt.datetime | None, extension: int = 0) -> Deadline:
        rule = table[step]
        first = local_date(start)
        return Deadline(step, rule.due(first, extension), met_at, rule.actor != "filer", rule.basis, first)

    found = [deadline(Step.ACCEPT, matter.registered_at, matter.decided_at)]
    if notices:
        found.append(deadline(Step.ACCEPT_NOTICE, matter.registered_at, matter.acceptance_notified_at))
    if matter.status is MatterStatus.DECLINED or matter.decided_at is None:
        return found
    found.append(deadline(reply_step(matter), matter.decided_at, matter.replied_at, matter.extension_days))
    if notices and matter.closed_at is not None:
        found.append(deadline(Step.RESULT_NOTICE, matter.closed_at, matter.result_notified_at))
    if matter.replied_at is None or Step.REVIEW_REQUEST not in table:
        return found
    found.append(deadline(Step.REVIEW_REQUEST, matter.replied_at, matter.review_requested_at))
    if matter.review_requested_at is None:
        return found
    found.append(deadline(Step.REVIEW_ANSWER, matter.review_requested_at, matter.review_answered_at))
    if matter.review_answered_at is None:
        return found
    found.append(deadline(Step.RE_REVIEW_REQUEST, matter.review_answered_at, matter.re_review_requested_at))
    if matter.re_review_requested_at is not None:
        found.append(deadline(Step.RE_REVIEW_ANSWER, matter.re_review_requested_at, matter.re_review_answered_at))
    return found


# Steps still owed to the filer once a matter is closed or declined: the 实名 举报's notices.
NOTICES = (Step.ACCEPT_NOTICE, Step.RESULT_NOTICE)


def next_open_deadline(matter: Matter) -> Deadline | None:
    """The handler's deadline that is still running (or passed), for sorting queues."""
    finished = matter.status in (MatterStatus.CLOSED, MatterStatus.DECLINED)
    return next(
        (d for d in deadlines(matter) if d.for_handler and d.met_at is None and (not finished or d.step in NOTICES)),
        None,
    )


@dataclass(frozen=True)
class Finality:
    """A matter settled for good (终结): no review or re-review can be asked any more."""

    since: dt.date
    basis: str


def finality(matter: Matter, today: dt.date) -> Finality | None:
    """Final after the 复核 answer, or once the window for the next request passed unused
    (信访 only: a 举报 has no 复查). Raises InvalidRules or InvalidHolidayFile."""
    table = rules(matter.kind)
    if Step.RE_REVIEW_ANSWER not in table:
        return None
    if matter.re_review_answered_at is not None:
        return Finality(local_date(matter.re_review_answered_at), table[Step.RE_REVIEW_ANSWER].basis)
    window = next(
        (d for d in reversed(deadlines(matter)) if d.step in (Step.REVIEW_REQUEST, Step.RE_REVIEW_REQUEST)), None
    )
    if window is None or window.met_at is not None or today <= window.due:
        return None
    return Finality(window.due + dt.timedelta(days=1), window.basis)


def is_overdue(matter: Matter, today: dt.date) -> bool:
    """Some handler deadline has passed with its step still not taken."""
    return any(d.open_and_passed(today) for d in deadlines(matter))


def was_ever_late(matter: Matter, today: dt.date) -> bool:
    return any(d.missed(today) for d in deadlines(matter))


today = clock.today

"""Working days in China: the State Council's holiday schedules as data that a deployer can correct.

Each year's schedule (国务院办公厅关于部分节假日安排的通知) lists its rest days (放假) and its
make-up working days (调休上班). The schedules come, in this order, from the file shipped beside
this module (holidays.toml, checked day by day against the notices), then from a deployer's file
of the same format (the HOLIDAYS_FILE setting), whose years replace shipped ones. A year in
neither is taken from the `holidays` library, whose later years are a rule-based guess without
make-up days: such a year is reported as not official, and deadlines that depend on it say so.
"""

from __future__ import annotations

import datetime as dt
import tomllib
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from flask import current_app, has_app_context

from transparency.core.integers import is_ascii_digits

SHIPPED_FILE = Path(__file__).with_name("holidays.toml")
SATURDAY = 5
KEYS = frozenset({"notice", "official", "rest_days", "makeup_days"})


class InvalidHolidayFile(ValueError):
    """A holiday file that cannot be read, or that contradicts itself."""


@dataclass(frozen=True)
class YearSchedule:
    """One year's holiday schedule; `notice` is the State Council notice's number, if known."""

    year: int
    rest_days: frozenset[dt.date]
    makeup_days: frozenset[dt.date]
    official: bool
    notice: str | None


# The four questions below raise InvalidHolidayFile when the shipped or the deployer's file is broken.


def is_working_day(day: dt.date) -> bool:
    """Worked: Monday to Friday outside the holidays, or a make-up working day (调休上班)."""
    return calendar().is_working_day(day)


def is_rest_day(day: dt.date) -> bool:
    """A statutory holiday or rest day: a holiday of the schedule, or a weekend day not made up."""
    return not calendar().is_working_day(day)


def year_is_official(year: int) -> bool:
    """Whether the year's schedule comes from a notice (shipped or the deployer's), not the library."""
    return calendar().schedule(year).official


def schedule(year: int) -> YearSchedule:
    """The year's rest days and make-up working days, whether official, and the notice's number."""
    return calendar().schedule(year)


class HolidayCalendar:
    """The schedules in force, answering day by day."""

    def __init__(self, schedules: dict[int, YearSchedule]) -> None:
        self._schedules = dict(schedules)
        # A notice may reach into the year before (元旦 from 31 December): index by day, not year.
        self._days: dict[dt.date, bool] = {}
        for year in sorted(self._schedules):
            self._index(self._schedules[year])

    def _index(self, found: YearSchedule) -> None:
        days = {**dict.fromkeys(found.rest_days, False), **dict.fromkeys(found.makeup_days, True)}
        if found.official:
            self._days.update(days)
        else:  # a guess never overrides what a notice said about the same day
            self._days = {**days, **self._days}

    def schedule(self, year: int) -> YearSchedule:
        if year not in self._schedules:
            self._schedules[year] = library_schedule(year)
            self._index(self._schedules[year])
        return self._schedules[year]

    def is_working_day(self, day: dt.date) -> bool:
        self.schedule(day.year)
        known = self._days.get(day)
        return day.weekday() < SATURDAY if known is None else known


def calendar() -> HolidayCalendar:
    """The calendar for the current application's HOLIDAYS_FILE (the shipped data alone outside one).

    Raises InvalidHolidayFile when a file is malformed."""
    path = current_app.config.get("HOLIDAYS_FILE") if has_app_context() else None
    return _calendar_for(str(path) if path else None)


@cache  # once per process and file; tests and `add_year` call reset_cache()
def _calendar_for(deployer_file: str | None) -> HolidayCalendar:
    schedules = load_file(SHIPPED_FILE)
    if deployer_file is not None and Path(deployer_file).exists():
        schedules.update(load_file(Path(deployer_file)))
    return HolidayCalendar(schedules)


def reset_cache() -> None:
    """Forget the loaded files, so the next question reads them again."""
    _calendar_for.cache_clear()


def library_schedule(year: int) -> YearSchedule:
    """The `holidays` library's idea of a year: never official, whatever it contains.

    Imported here, for the rare year no file has: the library costs a quarter of a second and
    5 MB at start-up (issue 16)."""
    import holidays

    guess = holidays.China(years=year)
    return YearSchedule(
        year=year,
        rest_days=frozenset(day for day in guess if day.year == year),
        makeup_days=frozenset(day for day in guess.weekend_workdays if day.year == year),
        official=False,
        notice=None,
    )


def load_file(path: Path) -> dict[int, YearSchedule]:
    """The schedules of a holiday file. Raises InvalidHolidayFile naming what is wrong."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as error:
        raise InvalidHolidayFile(f"{path}: {error}") from error
    return {int(key): _year(path, key, table) for key, table in data.items()}


def _year(path: Path, key: str, table: object) -> YearSchedule:
    def fail(problem: str) -> InvalidHolidayFile:
        return InvalidHolidayFile(f"{path}: [{key}] {problem}")

    if not is_ascii_digits(key) or not isinstance(table, dict):
        raise fail("is not a year's table")
    if unknown := sorted(set(table) - KEYS):  # a misspelt makeup_days must not silently drop them
        raise fail(f"has unknown keys: {', '.join(unknown)} (known: {', '.join(sorted(KEYS))})")
    year = int(key)
    rest, makeup = (_dates(table.get(name, []), fail) for name in ("rest_days", "makeup_days"))
    notice, official = table.get("notice"), table.get("official")
    if not isinstance(official, bool):
        raise fail("needs official = true (checked against the notice) or false (a provisional guess)")
    if notice is not None and not isinstance(notice, str):
        raise fail("notice must be a string")
    notice = (notice or "").strip() or None
    if official and notice is None:
        raise fail('is official and needs the number of the notice (notice = "国办发明电〔…〕…号")')
    if outside := sorted(d for d in rest | makeup if d.year not in (year, year - 1)):
        raise fail(f"has days outside the year: {', '.join(map(str, outside))}")
    if both := sorted(rest & makeup):
        raise fail(f"has days that are both rest and make-up days: {', '.join(map(str, both))}")
    if weekdays := sorted(d for d in makeup if d.weekday() < SATURDAY):
        raise fail(f"has make-up working days that are not weekend days: {', '.join(map(str, weekdays))}")
    return YearSchedule(year, frozenset(rest), frozenset(makeup), official, notice)


def _dates(value: object, fail: Callable[[str], InvalidHolidayFile]) -> set[dt.date]:
    if not isinstance(value, list) or not all(type(d) is dt.date for d in value):
        raise fail("rest_days and makeup_days must be lists of dates (2027-01-01, unquoted)")
    return set(value)


def add_year(
    path: Path,
    year: int,
    rest_days: Iterable[dt.date],
    makeup_days: Iterable[dt.date],
    notice: str | None,
    *,
    official: bool = True,
) -> YearSchedule:
    """Write `year` into the deployer's holiday file at `path` (created if missing), replacing any
    schedule it had for that year, and forget the cached calendars. Returns the year as stored.

    Raises InvalidHolidayFile when the file cannot be read or the new schedule contradicts itself
    (an official year without a notice, a make-up day on a weekday...); the file is then untouched."""
    if notice is not None and ("\n" in notice or "\r" in notice):
        raise InvalidHolidayFile(f"{path}: [{year}] the notice's number must be one line")
    years = load_file(path) if path.exists() else {}
    years[year] = YearSchedule(year, frozenset(rest_days), frozenset(makeup_days), official, notice)
    text = HEADER + "".join(_table(years[key]) for key in sorted(years))
    try:
        checked = _year(path, str(year), tomllib.loads(text)[str(year)])
    except tomllib.TOMLDecodeError as error:  # a control character in the notice, say
        raise InvalidHolidayFile(f"{path}: [{year}] {error}") from error
    draft = path.with_name(path.name + ".new")
    draft.write_text(text, encoding="utf-8")
    draft.replace(path)  # a crash leaves the old file or the new one, never half of one
    reset_cache()
    return checked


HEADER = """\
# Holiday schedules added by this deployment (`transparency holidays add`); the format is that of
# transparency/core/holidays.toml, and a year here replaces the shipped one. Comments are not kept.
"""


def _table(found: YearSchedule) -> str:
    def days(chosen: frozenset[dt.date]) -> str:
        return "[" + "".join(f"\n    {day.isoformat()}," for day in sorted(chosen)) + ("\n]" if chosen else "]")

    lines = [f"\n[{found.year}]"]
    if found.notice is not None:
        lines.append('notice = "' + found.notice.replace("\\", "\\\\").replace('"', '\\"') + '"')
    lines += [f"official = {'true' if found.official else 'false'}", f"rest_days = {days(found.rest_days)}"]
    lines.append(f"makeup_days = {days(found.makeup_days)}")
    return "\n".join(lines) + "\n"

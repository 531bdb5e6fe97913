"""Counting a time limit as a court counts it (民法典 arts. 201 and 203).

- Art. 201: a period counted in days starts on the day after the event; the start day is not counted.
- Art. 203: when the last day of a period falls on a statutory holiday or rest day, the first working
  day after it is the last day. Here that applies to periods counted in calendar days (日); a rule
  may switch it off. A period counted in working days (工作日) ends on its N-th working day.
- Working days are the days the State Council's schedule says are worked: Monday to Friday outside
  the holidays, and the make-up working days (调休上班) even at a weekend (see core.workdays).

Each result says whether it rests on a year whose holiday schedule is not official, so a page can
mark the date 节假日安排未经核实.
"""

from __future__ import annotations

import datetime as dt
import enum
from dataclasses import dataclass
from functools import lru_cache

from transparency.core import workdays

ONE_DAY = dt.timedelta(days=1)
# No schedule rests for a year on end; a longer run means a broken holiday file, not a deadline.
LONGEST_REST = 366


class Unit(enum.StrEnum):
    CALENDAR = "calendar"  # 日
    WORKING = "working"  # 工作日


@dataclass(frozen=True)
class Due:
    """The last day of a period (the step is on time if taken on or before it)."""

    date: dt.date
    depends_on_unofficial_year: bool  # some year it was counted over has no official schedule
    rolled_from: dt.date | None = None  # the calendar count's own last day, if art. 203 moved it


class NoWorkingDay(ValueError):
    """A holiday schedule without a working day for a whole year: a broken holiday file."""


def due_date(start: dt.date, days: int, unit: Unit | str, roll_to_working_day: bool = True) -> Due:
    """The last day of a period of `days` counted from the day after `start`.

    In calendar days it is `start + days`, moved to the next working day when that is a rest day
    and `roll_to_working_day` is on; in working days it is the `days`-th working day after `start`.
    Zero days ends on `start` itself (moved, in calendar days, like any other last day).

    Raises ValueError for negative `days` or an unknown unit, InvalidHolidayFile for a broken
    holiday file and NoWorkingDay for one that rests for a year on end."""
    if days < 0:
        raise ValueError(f"a period cannot be negative: {days} days")
    return _count(workdays.calendar(), start, days, Unit(unit), roll_to_working_day)


def extend(due: Due, days: int, unit: Unit | str, roll_to_working_day: bool = True) -> Due:
    """`due` pushed back by an extension of `days`, counted in `unit` — the unit of the step it
    extends — from the day after the period's last day (after any move under art. 203: that day
    is the period's last day in law).

    Raises as `due_date` does."""
    longer = due_date(due.date, days, unit, roll_to_working_day)
    return Due(
        date=longer.date,
        depends_on_unofficial_year=due.depends_on_unofficial_year or longer.depends_on_unofficial_year,
        rolled_from=longer.rolled_from,
    )


# Statistics over thousands of matters ask the same few periods again and again. The calendar is
# part of the key: a new holiday file (after workdays.reset_cache()) is a new calendar object.
@lru_cache(maxsize=8192)
def _count(calendar: workdays.HolidayCalendar, start: dt.date, days: int, unit: Unit, roll: bool) -> Due:
    if unit is Unit.WORKING:
        last = _nth_working_day(calendar, start, days)
        return Due(last, _touches_unofficial(calendar, start + ONE_DAY, last))
    last = start + dt.timedelta(days=days)
    if not roll:
        return Due(last, False)  # no holiday data was consulted
    moved = _first_working_day(calendar, last)
    return Due(moved, _touches_unofficial(calendar, last, moved), last if moved != last else None)


def _nth_working_day(calendar: workdays.HolidayCalendar, start: dt.date, days: int) -> dt.date:
    day, idle = start, 0
    while days > 0:
        day += ONE_DAY
        if calendar.is_working_day(day):
            days, idle = days - 1, 0
        elif (idle := idle + 1) > LONGEST_REST:
            raise NoWorkingDay(f"no working day in the year after {day - dt.timedelta(days=idle)}")
    return day


def _first_working_day(calendar: workdays.HolidayCalendar, day: dt.date) -> dt.date:
    first = day
    while not calendar.is_working_day(day):
        day += ONE_DAY
        if (day - first).days > LONGEST_REST:
            raise NoWorkingDay(f"no working day in the year after {first}")
    return day


def _touches_unofficial(calendar: workdays.HolidayCalendar, first: dt.date, last: dt.date) -> bool:
    if last < first:  # zero working days: nothing was counted
        return False
    return any(not calendar.schedule(year).official for year in range(first.year, last.year + 1))

"""Counting periods like a court: start day not counted (art. 201), holidays rolled over (art. 203).

Every expected date is counted by hand in the comment beside it, from the State Council notices:
2026 (国办发明电〔2025〕7号): rest 02-15..23, 09-25..27, 10-01..07; make-up days 02-14, 02-28,
09-20 (Sun), 10-10 (Sat).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pytest

from transparency.core import workdays
from transparency.core.counting import Due, Unit, due_date, extend

D = dt.date.fromisoformat
CALENDAR, WORKING = Unit.CALENDAR, Unit.WORKING


@pytest.fixture(autouse=True)
def shipped_holidays_only() -> Iterator[None]:
    workdays.reset_cache()
    yield
    workdays.reset_cache()


def test_registration_before_national_day_ends_on_the_makeup_saturday():
    # Fri 09-25 registered: 09-26 is day 1, 09-30 day 5, 10-01 day 6 ... 10-10 day 15.
    # 10-10 is a Saturday but a make-up working day, so it stays.
    assert due_date(D("2026-09-25"), 15, CALENDAR) == Due(D("2026-10-10"), False)


def test_a_deadline_on_national_day_moves_to_the_first_working_day():
    # 09-01 + 30: 09-02 is day 1, 09-30 day 29, 10-01 day 30; 10-01..07 rest; Thu 10-08 works.
    assert due_date(D("2026-09-01"), 30, CALENDAR) == Due(D("2026-10-08"), False, rolled_from=D("2026-10-01"))


def test_a_window_ending_in_spring_festival_moves_past_it():
    # 01-17 + 30: 01-18 is day 1, 01-31 day 14, 02-01 day 15, 02-16 day 30; 02-15..23 rest;
    # Tue 02-24 works.
    assert due_date(D("2026-01-17"), 30, CALENDAR).date == D("2026-02-24")


def test_a_reply_60_days_after_an_acceptance_on_2_august():
    # 08-03..08-31 are days 1..29, 09-01..09-30 days 30..59, 10-01 day 60 -> rolled to 10-08.
    due = due_date(D("2026-08-02"), 60, CALENDAR)
    assert (due.date, due.rolled_from) == (D("2026-10-08"), D("2026-10-01"))


def test_roll_switched_off_keeps_the_holiday():
    assert due_date(D("2026-08-02"), 60, CALENDAR, roll_to_working_day=False) == Due(D("2026-10-01"), False)


def test_an_ordinary_weekend_rolls_to_monday():
    # 10-02 + 9 = Sun 10-11, an ordinary Sunday -> Mon 10-12.
    assert due_date(D("2026-10-02"), 9, CALENDAR).date == D("2026-10-12")


def test_15_working_days_skip_national_day_and_count_the_makeup_saturday():
    # From Mon 09-28: 09-29 (1), 09-30 (2), [10-01..07 rest], 10-08 (3), 10-09 (4), Sat 10-10 (5),
    # [Sun 10-11], 10-12..16 (6..10), [10-17, 10-18], 10-19..23 (11..15).
    assert due_date(D("2026-09-28"), 15, WORKING) == Due(D("2026-10-23"), False)


def test_the_start_day_is_not_counted_even_when_it_is_a_working_day():
    # Fri 10-09 + 1 working day: the Saturday make-up day 10-10, not 10-09 itself.
    assert due_date(D("2026-10-09"), 1, WORKING).date == D("2026-10-10")
    # Started on a holiday: 10-02..07 rest, 10-08 is the first working day.
    assert due_date(D("2026-10-01"), 1, WORKING).date == D("2026-10-08")
    # The 09-20 make-up Sunday counts: from Sat 09-19, 1 working day is Sun 09-20.
    assert due_date(D("2026-09-19"), 1, WORKING).date == D("2026-09-20")


def test_an_extension_of_a_working_day_step_counts_working_days():
    # A working-day step due Wed 09-30, extended by 3 working days: 10-08 (1), 10-09 (2), Sat 10-10 (3).
    # Counted (wrongly) in calendar days it would be 10-03, rolled to 10-08.
    due = due_date(D("2026-09-10"), 14, WORKING)
    # 09-10 (Thu) + 14 working: 09-11 (1), 09-14..18 (2..6), Sun 09-20 (7), 09-21..24 (8..11),
    # [09-25..27 中秋], 09-28 (12), 09-29 (13), 09-30 (14).
    assert due.date == D("2026-09-30")
    assert extend(due, 3, WORKING) == Due(D("2026-10-10"), False)
    assert extend(due, 3, CALENDAR).date == D("2026-10-08")


def test_an_extension_of_a_calendar_step_counts_from_the_moved_last_day():
    # Reply due 10-01 moved to 10-08 (art. 203); 30 more days: 10-09 is day 1, 11-07 day 30 (a Saturday,
    # not a make-up day) -> Mon 11-09.
    due = due_date(D("2026-08-02"), 60, CALENDAR)
    assert extend(due, 30, CALENDAR) == Due(D("2026-11-09"), False, rolled_from=D("2026-11-07"))


def test_a_period_reaching_into_2027_is_marked_unofficial():
    # 12-20 + 15 working days runs into January 2027, which has no official schedule yet.
    assert due_date(D("2026-12-20"), 15, WORKING).depends_on_unofficial_year
    # A calendar count landing in 2027 depends on 2027's (guessed) holidays for the roll.
    assert due_date(D("2026-12-20"), 30, CALENDAR).depends_on_unofficial_year
    # ...but without the roll no holiday was consulted.
    assert not due_date(D("2026-12-20"), 30, CALENDAR, roll_to_working_day=False).depends_on_unofficial_year
    # An extension keeps the mark of the period it extends.
    marked = due_date(D("2026-12-20"), 15, WORKING)
    assert extend(marked, 0, WORKING).depends_on_unofficial_year


def test_a_period_inside_official_years_is_not_marked():
    assert not due_date(D("2025-12-20"), 15, WORKING).depends_on_unofficial_year  # 2025 into 2026


def test_zero_days_and_negative_days():
    assert due_date(D("2026-10-09"), 0, WORKING).date == D("2026-10-09")
    assert due_date(D("2026-10-03"), 0, CALENDAR).date == D("2026-10-08")  # a holiday last day still moves
    with pytest.raises(ValueError):
        due_date(D("2026-10-09"), -1, CALENDAR)
    with pytest.raises(ValueError):
        due_date(D("2026-10-09"), 1, "fortnights")


def test_units_may_be_given_as_the_rule_files_strings():
    assert due_date(D("2026-09-28"), 15, "working").date == D("2026-10-23")


def test_a_deployers_correction_changes_the_count(tmp_path):
    from flask import Flask

    path = tmp_path / "holidays.toml"
    workdays.add_year(path, 2026, [], [], "a made-up correction: no holidays at all")
    app = Flask(__name__)
    app.config["HOLIDAYS_FILE"] = str(path)
    with app.app_context():
        # With no holidays, 09-28 + 15 working days: 09-29..10-02 (1..4), 10-05..09 (5..9),
        # 10-12..16 (10..14), 10-19 (15).
        assert due_date(D("2026-09-28"), 15, WORKING).date == D("2026-10-19")

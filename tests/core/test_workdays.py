"""China's working days: the shipped official schedules, a deployer's corrections, the library's guess."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import holidays
import pytest
from flask import Flask

from transparency.core import workdays
from transparency.core.workdays import InvalidHolidayFile


@pytest.fixture(autouse=True)
def fresh_cache() -> Iterator[None]:
    workdays.reset_cache()
    yield
    workdays.reset_cache()


def days_of(year: int) -> Iterator[dt.date]:
    day = dt.date(year, 1, 1)
    while day.year == year:
        yield day
        day += dt.timedelta(days=1)


def span(first: str, last: str) -> set[dt.date]:
    start, end = dt.date.fromisoformat(first), dt.date.fromisoformat(last)
    return {start + dt.timedelta(days=n) for n in range((end - start).days + 1)}


@pytest.mark.parametrize("year", [2025, 2026])
def test_shipped_years_agree_with_the_library_day_by_day(year):
    # The library has both official schedules; the shipped file must say the same of every day.
    # (They were also checked against the `chinese-calendar` package's tables, which agree.)
    library = holidays.China(years=year)
    disagreements = [day for day in days_of(year) if workdays.is_working_day(day) != library.is_working_day(day)]
    assert disagreements == []
    assert workdays.year_is_official(year)


def test_the_2026_notice():
    found = workdays.schedule(2026)
    assert found.official and found.notice == "国办发明电〔2025〕7号"
    assert span("2026-10-01", "2026-10-07") <= found.rest_days  # 国庆节
    assert span("2026-02-15", "2026-02-23") <= found.rest_days  # 春节, nine days
    assert {
        dt.date(2026, 2, 14),
        dt.date(2026, 2, 28),
        dt.date(2026, 9, 20),
        dt.date(2026, 10, 10),
    } <= found.makeup_days
    assert workdays.is_working_day(dt.date(2026, 10, 10))  # a Saturday, worked
    assert workdays.is_working_day(dt.date(2026, 9, 20))  # a Sunday, worked
    assert all(workdays.is_rest_day(day) for day in span("2026-10-01", "2026-10-07"))
    assert workdays.is_rest_day(dt.date(2026, 10, 11))  # an ordinary Sunday
    assert workdays.is_working_day(dt.date(2026, 10, 8))  # an ordinary Thursday


def test_the_2025_notice():
    found = workdays.schedule(2025)
    assert found.official and found.notice == "国办发明电〔2024〕12号"
    assert span("2025-10-01", "2025-10-08") <= found.rest_days  # 国庆节、中秋节
    assert found.makeup_days == {
        dt.date(2025, 1, 26), dt.date(2025, 2, 8), dt.date(2025, 4, 27), dt.date(2025, 9, 28), dt.date(2025, 10, 11)
    }  # fmt: skip


def test_a_year_without_a_notice_falls_back_to_the_library_and_says_so():
    found = workdays.schedule(2027)
    assert not found.official and not workdays.year_is_official(2027) and found.notice is None
    assert workdays.is_rest_day(dt.date(2027, 10, 1))  # the library knows National Day
    assert found.makeup_days == frozenset()  # but guesses no make-up days


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def test_a_deployers_file_adds_and_replaces_years(tmp_path):
    deployer = write(
        tmp_path / "holidays.toml",
        """
[2027]
notice = "国办发明电〔2026〕99号"
official = true
rest_days = [2027-10-01, 2027-10-02, 2027-10-03, 2027-10-04, 2027-10-05, 2027-10-06, 2027-10-07]
makeup_days = [2027-09-26, 2027-10-09]

[2026]
notice = "a corrected notice"
official = true
rest_days = []
makeup_days = []
""",
    )
    app = Flask(__name__)
    app.config["HOLIDAYS_FILE"] = str(deployer)
    with app.app_context():
        assert workdays.year_is_official(2027)
        assert workdays.schedule(2027).notice == "国办发明电〔2026〕99号"
        assert workdays.is_working_day(dt.date(2027, 10, 9))  # a Saturday made a working day
        assert workdays.is_rest_day(dt.date(2027, 10, 6))
        assert workdays.schedule(2026).notice == "a corrected notice"  # the whole year is replaced
        assert workdays.is_working_day(dt.date(2026, 10, 1))
        assert workdays.year_is_official(2025)  # untouched years stay as shipped
    assert not workdays.year_is_official(2027)  # outside the app: the shipped data alone


def test_a_missing_deployers_file_is_no_file(tmp_path):
    app = Flask(__name__)
    app.config["HOLIDAYS_FILE"] = str(tmp_path / "none.toml")
    with app.app_context():
        assert workdays.year_is_official(2026) and not workdays.year_is_official(2027)


def test_a_notice_reaching_into_the_year_before():
    # As the 2023 notice did (元旦 from 2022-12-31); here, made up, a Friday and a Saturday of the
    # year before that the library (which answers for that year) sees otherwise.
    made_up = workdays.YearSchedule(
        2028, frozenset({dt.date(2027, 12, 31)}), frozenset({dt.date(2027, 10, 2)}), True, "x"
    )
    calendar = workdays.HolidayCalendar({2028: made_up})
    assert not calendar.is_working_day(dt.date(2027, 12, 31))  # a Friday
    assert calendar.is_working_day(dt.date(2027, 10, 2))  # the library's National Day: a notice wins over a guess
    assert not calendar.is_working_day(dt.date(2027, 10, 1))  # the library's guess for the rest of 2027
    assert not calendar.schedule(2027).official


@pytest.mark.parametrize(
    ("table", "complaint"),
    [
        ("official = true\nrest_days = []\nmakeup_days = []", "needs the number of the notice"),
        ('notice = "n"\nrest_days = []\nmakeup_days = []', "needs official"),
        ('notice = "n"\nofficial = true\nrest_days = ["2027-10-01"]', "lists of dates"),
        ('notice = "n"\nofficial = true\nrest_days = [2029-10-01]', "outside the year"),
        (
            'notice = "n"\nofficial = true\nrest_days = [2027-10-09]\nmakeup_days = [2027-10-09]',
            "both rest and make-up",
        ),
        ('notice = "n"\nofficial = true\nmakeup_days = [2027-10-08]', "not weekend days"),  # a Friday
        ('notice = "n"\nofficial = true\nmakeup_day = [2027-10-09]', "unknown keys: makeup_day"),
    ],
)
def test_a_bad_file_is_refused_with_the_reason(tmp_path, table, complaint):
    path = write(tmp_path / "h.toml", f"[2027]\n{table}\n")
    with pytest.raises(InvalidHolidayFile, match=complaint):
        workdays.load_file(path)


def test_unreadable_toml_is_refused(tmp_path):
    with pytest.raises(InvalidHolidayFile):
        workdays.load_file(write(tmp_path / "h.toml", "[2027\n"))


def test_add_year_writes_a_file_the_loader_reads_and_resets_the_cache(tmp_path):
    path = tmp_path / "deployer.toml"
    app = Flask(__name__)
    app.config["HOLIDAYS_FILE"] = str(path)
    with app.app_context():
        assert not workdays.year_is_official(2027)  # cached before the file exists
        stored = workdays.add_year(path, 2027, span("2027-10-01", "2027-10-07"), [dt.date(2027, 10, 9)], '通知 "一"')
        assert stored.official and stored.notice == '通知 "一"'
        assert workdays.year_is_official(2027) and workdays.is_working_day(dt.date(2027, 10, 9))
        workdays.add_year(path, 2028, [dt.date(2028, 1, 1)], [], None, official=False)
        assert workdays.schedule(2027) == stored  # the earlier year is kept
        assert not workdays.year_is_official(2028) and workdays.is_rest_day(dt.date(2028, 1, 1))
        workdays.add_year(path, 2027, [], [], "replaced")
        assert workdays.schedule(2027).notice == "replaced" and workdays.is_working_day(dt.date(2027, 10, 4))
    assert sorted(workdays.load_file(path)) == [2027, 2028]


def test_add_year_refuses_a_contradiction_and_leaves_the_file(tmp_path):
    path = tmp_path / "deployer.toml"
    workdays.add_year(path, 2027, [dt.date(2027, 1, 1)], [], "n")
    before = path.read_text(encoding="utf-8")
    with pytest.raises(InvalidHolidayFile, match="not weekend days"):
        workdays.add_year(path, 2027, [], [dt.date(2027, 10, 8)], "n")
    with pytest.raises(InvalidHolidayFile, match="needs the number"):
        workdays.add_year(path, 2028, [], [], None)
    with pytest.raises(InvalidHolidayFile, match="one line"):
        workdays.add_year(path, 2028, [], [], "two\nlines")
    assert path.read_text(encoding="utf-8") == before


def test_the_files_are_read_once_per_process_until_reset(tmp_path, monkeypatch):
    reads = []
    real = workdays.load_file
    monkeypatch.setattr(workdays, "load_file", lambda path: reads.append(path) or real(path))
    first = workdays.calendar()
    assert workdays.calendar() is first and workdays.is_working_day(dt.date(2026, 10, 10))
    assert reads == [workdays.SHIPPED_FILE]
    workdays.reset_cache()
    assert workdays.calendar() is not first and len(reads) == 2

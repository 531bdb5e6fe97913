"""The one clock: local dates in the configured zone, and a freeze that reaches every caller."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
from flask import Flask

from transparency.core import clock

PACKAGE = Path(clock.__file__).resolve().parent.parent

# 2026-12-01T23:30Z is already 07:30 on 2026-12-02 in Beijing: the hour where a UTC server's
# `date.today()` still says yesterday.
LATE_UTC_EVENING = dt.datetime(2026, 12, 1, 23, 30, tzinfo=dt.UTC)


def test_today_is_the_local_date_not_the_servers():
    with clock.freeze(LATE_UTC_EVENING):
        assert clock.today() == dt.date(2026, 12, 2)
        assert clock.now() == LATE_UTC_EVENING
        assert clock.now().tzinfo is dt.UTC
        assert clock.local_now().hour == 7 and clock.local_now().minute == 30
        assert clock.local_now().utcoffset() == dt.timedelta(hours=8)


def test_freeze_ends_with_its_block_and_nests():
    with clock.freeze(LATE_UTC_EVENING):
        with clock.freeze(dt.datetime(2025, 1, 1, tzinfo=dt.UTC)):
            assert clock.today() == dt.date(2025, 1, 1)
        assert clock.today() == dt.date(2026, 12, 2)
    assert abs(clock.now() - clock.wall_clock()) < dt.timedelta(minutes=1)


def test_freeze_takes_any_aware_moment_and_answers_in_utc():
    beijing = dt.timezone(dt.timedelta(hours=8))  # a fixed offset is fine in a test's own data
    with clock.freeze(dt.datetime(2026, 12, 2, 7, 30, tzinfo=beijing)) as frozen:
        assert frozen == LATE_UTC_EVENING and frozen.tzinfo is dt.UTC
        assert clock.now().tzinfo is dt.UTC


def test_naive_moments_are_refused():
    with pytest.raises(ValueError):
        clock.local_date(dt.datetime(2026, 12, 1, 23, 30))
    with pytest.raises(ValueError), clock.freeze(dt.datetime(2026, 12, 1, 23, 30)):
        pass


def test_local_date_of_a_stored_time():
    assert clock.local_date(dt.datetime(2026, 9, 30, 15, 59, tzinfo=dt.UTC)) == dt.date(2026, 9, 30)
    assert clock.local_date(dt.datetime(2026, 9, 30, 16, 0, tzinfo=dt.UTC)) == dt.date(2026, 10, 1)


def test_start_of_local_day_is_the_utc_moment_of_local_midnight():
    assert clock.start_of_local_day(dt.date(2026, 1, 1)) == dt.datetime(2025, 12, 31, 16, 0, tzinfo=dt.UTC)


def test_zone_defaults_to_china_without_an_app():
    assert clock.zone().key == "Asia/Shanghai"


def test_zone_comes_from_the_configuration():
    app = Flask(__name__)
    with app.app_context():
        assert clock.zone().key == "Asia/Shanghai"  # TIME_ZONE not set: the default
        app.config["TIME_ZONE"] = "Asia/Urumqi"  # UTC+6
        assert clock.zone().key == "Asia/Urumqi"
        with clock.freeze(LATE_UTC_EVENING):
            assert clock.today() == dt.date(2026, 12, 2)
            assert clock.local_now().hour == 5
        assert clock.local_date(dt.datetime(2026, 12, 1, 17, 59, tzinfo=dt.UTC)) == dt.date(2026, 12, 1)


def test_a_test_can_replace_the_wall_clock(monkeypatch):
    monkeypatch.setattr(clock, "wall_clock", lambda: LATE_UTC_EVENING)
    assert clock.today() == dt.date(2026, 12, 2)


# Ways of asking the machine for the time or the day, or of making a zone, that bypass the clock.
# (core.db's `utcnow()` may stay as a name for `clock.now`; its body is caught like any other.)
FORBIDDEN = re.compile(
    r"\bdate\.today\("
    r"|\bdatetime\.(?:now|utcnow|today)\("
    r"|timedelta\(\s*hours\s*=\s*8\s*\)"
    r"|\bZoneInfo\("
    r"|\btime\.(?:time|localtime|gmtime)\("
)


def clock_bypasses() -> list[str]:
    found = []
    for path in sorted(PACKAGE.rglob("*.py")):
        if path == Path(clock.__file__).resolve():
            continue
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if FORBIDDEN.search(line):
                found.append(f"{path.relative_to(PACKAGE.parent)}:{number}: {line.strip()}")
    return found


def test_the_pattern_finds_what_it_must():
    for line in ("dt.date.today()", "datetime.datetime.now(dt.UTC)", "dt.timezone(dt.timedelta(hours=8))",
                 "ZoneInfo(name)", "datetime.utcnow()", "time.time()"):  # fmt: skip
        assert FORBIDDEN.search(line), line
    assert not FORBIDDEN.search("clock.now()") and not FORBIDDEN.search("clock.today()")


def test_nothing_but_the_clock_reads_the_time():
    assert clock_bypasses() == []

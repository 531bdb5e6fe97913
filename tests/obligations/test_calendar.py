"""The public disclosure calendar: due, published, late and missing, per village and township."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from tests.obligations.helpers import publish_on
from transparency.core.db import clock_at, db
from transparency.disclosures.models import Category, PeriodKind
from transparency.obligations.calendar import DueStatus, calendars

TODAY = dt.datetime(2025, 11, 20, 4, 0, tzinfo=dt.UTC)


@pytest.fixture
def season(app, world):
    """石桥村: Q1 on time, Q2 late, Q3 never, a decision late. 王家庄村: Q1 as three months."""
    app.config.update(OBLIGATIONS_START="2025-01-01", STATS_MIN_SAMPLE=5)
    with app.app_context():
        publish_on(world, world.village_a, dt.date(2025, 4, 10), number=1)
        publish_on(world, world.village_a, dt.date(2025, 7, 20), number=2)
        publish_on(world, world.village_a, dt.date(2025, 5, 10), category=Category.DECISIONS, event=dt.date(2025, 5, 1))
        for month, day in ((1, dt.date(2025, 2, 3)), (2, dt.date(2025, 3, 3)), (3, dt.date(2025, 4, 20))):
            publish_on(world, world.village_b, day, kind=PeriodKind.MONTH, number=month)
    with clock_at(TODAY):
        yield world


def _finance(app, village):
    with app.app_context():
        (calendar,) = calendars(db.session, [db.session.merge(village)])
    return {item.period: item for item in calendar.items if item.category is Category.FINANCE}, calendar


def test_each_period_is_on_time_late_missing_or_open(app, season):
    finance, calendar = _finance(app, season.village_a)
    assert finance["2025年第1季度"].status is DueStatus.ON_TIME
    assert finance["2025年第1季度"].due == dt.date(2025, 4, 15)
    assert finance["2025年第2季度"].status is DueStatus.LATE
    assert finance["2025年第3季度"].status is DueStatus.MISSING
    assert finance["2025年第4季度"].status is DueStatus.OPEN
    decision = next(i for i in calendar.items if i.category is Category.DECISIONS)
    assert decision.status is DueStatus.LATE and decision.due == dt.date(2025, 5, 6)
    tally = calendar.tally(2025)
    assert (tally.due, tally.on_time, tally.late, tally.missing) == (4, 1, 2, 1)


def test_shorter_notices_together_cover_a_period(app, season):
    finance, _calendar = _finance(app, season.village_b)
    q1 = finance["2025年第1季度"]
    assert q1.status is DueStatus.LATE  # complete only with March's disclosure on 20 April, after the 15th
    assert q1.published_at.astimezone(dt.timezone(dt.timedelta(hours=8))).date() == dt.date(2025, 4, 20)
    assert finance["2025年第2季度"].status is DueStatus.MISSING


def test_a_flagged_village_owes_finance_every_month(app, season, runner):
    assert runner.invoke(args=["obligations", "flag", season.village_b.code, "many_transactions"]).exit_code == 0
    finance, _calendar = _finance(app, season.village_b)
    assert finance["2025年1月"].status is DueStatus.ON_TIME  # due 10 February, published 3 February
    assert finance["2025年3月"].status is DueStatus.LATE  # due 10 April, published 20 April
    assert finance["2025年4月"].status is DueStatus.MISSING


def test_village_calendar_page_says_late_and_missing_in_words_and_red(client, season):
    html = client.get(f"/v/{season.village_a.code}/calendar").get_data(as_text=True)
    row = re.search(r'<tr class="problem">\s*<td[^>]*>2025年第3季度</td>.*?</tr>', html, re.S)
    assert row and "due-missing" in row.group(0) and "逾期没有公开" in row.group(0)
    assert "逾期公开" in html and "按时公开" in html and "未到期" in html
    assert "样本不足" in html  # four items due, fewer than five


def test_the_share_appears_above_the_minimum_sample(app, client, season):
    app.config["STATS_MIN_SAMPLE"] = 4
    html = client.get(f"/v/{season.village_a.code}/calendar?year=2025").get_data(as_text=True)
    assert "按时公开率 25%" in html and "样本不足" not in html


def test_village_page_has_the_calendar_block(client, season):
    html = client.get(f"/v/{season.village_a.code}").get_data(as_text=True)
    block = html[html.index('id="calendar-heading"') :]
    block = block[: block.index("</section>")]
    assert "财务收支 2025年第3季度" in block and "逾期没有公开" in block and "due-missing" in block


def test_township_calendar_lists_villages_in_code_order_never_ranked(client, season):
    html = client.get(f"/t/{season.township.code}/calendar?year=2025").get_data(as_text=True)
    assert html.index("石桥村") < html.index("王家庄村")  # code order, though 石桥村 did worse
    assert "2025年第3季度" in html and "逾期没有公开" in html
    assert "排名" not in html and "最差" not in html


def test_bad_calendar_input_gets_a_message(client, season):
    for query in ("year=abc", "year=1800", "year=99999", "year=2031"):
        response = client.get(f"/v/{season.village_a.code}/calendar?{query}")
        assert response.status_code == 400 and "年份应在" in response.get_data(as_text=True), query
        assert client.get(f"/t/{season.township.code}/calendar?{query}").status_code == 400
    assert client.get("/v/999999999999/calendar").status_code == 404
    assert client.get(f"/t/{season.village_a.code}/calendar").status_code == 404  # a village is no township

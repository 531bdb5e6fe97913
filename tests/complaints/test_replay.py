"""A form sent again after its matter was stored shows the same receipt, for 30 minutes.

Issue 13 point 7: the kill -9 case (the commit happened, the answer was lost, the villager sends
the form again) must show the number and code of the matter that exists, never "file again".
"""

from __future__ import annotations

import datetime as dt
import re

from sqlalchemy import func, select

from tests.complaints.helpers import RECEIPT, form_token, matter_form, track
from transparency.complaints import codes
from transparency.complaints.models import Matter
from transparency.core.db import clock_at, db

FILED = dt.datetime(2026, 11, 2, 2, 0, tzinfo=dt.UTC)  # 10:00 in Beijing


def _post_twice(browser, village_code: str, *, later: dt.timedelta):
    csrf, token = form_token(browser)
    data = {"csrf_token": csrf, "form_token": token, **matter_form(village_code)}
    with clock_at(FILED):
        first = browser.client.post("/complaints/new", data=dict(data))
    with clock_at(FILED + later):
        again = browser.client.post("/complaints/new", data=dict(data))
    return token, first, again


def _count(app) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count(Matter.id)))


def test_the_same_form_sent_again_shows_the_same_number_and_code(app, world, browser):
    _, first, again = _post_twice(browser, world.village_a.code, later=dt.timedelta(minutes=29))
    assert first.status_code == again.status_code == 200
    number, code = RECEIPT.search(first.get_data(as_text=True)).groups()
    assert RECEIPT.search(again.get_data(as_text=True)).groups() == (number, code)
    assert again.headers["Cache-Control"] == "no-store"
    assert _count(app) == 1
    # The code shown again is the real one.
    assert 'data-testid="status">待受理' in track(browser, number, code).get_data(as_text=True)


def test_no_code_is_stored_and_the_code_follows_from_the_token_under_the_key(app, world, browser):
    token, first, _ = _post_twice(browser, world.village_a.code, later=dt.timedelta(minutes=1))
    number, code = RECEIPT.search(first.get_data(as_text=True)).groups()
    with app.app_context():
        assert codes.display_code(codes.code_from_token(token)) == code
        row = db.session.execute(select(Matter.code_digest, Matter.form_token)).one()
        app.config["TRACKING_CODE_KEY"] = "another deployment's key"
        assert codes.display_code(codes.code_from_token(token)) != code
    assert code.replace("-", "") not in repr(row) and token not in repr(row)


def test_after_thirty_minutes_the_page_says_it_was_filed_and_how_to_get_help(app, world, browser):
    _, first, again = _post_twice(browser, world.village_a.code, later=dt.timedelta(minutes=31))
    number, code = RECEIPT.search(first.get_data(as_text=True)).groups()
    html = again.get_data(as_text=True)
    assert again.status_code == 200 and not RECEIPT.search(html)
    assert number not in html and code not in html
    assert "已于 2026-11-02 10:00 提交成功" in html and "重新发给您查询码" in html
    assert not re.search(r"重新填写|再填一份|重新提交", html)
    assert _count(app) == 1


def test_the_receipt_says_a_lost_code_can_be_reissued(world, browser):
    _, first, _ = _post_twice(browser, world.village_a.code, later=dt.timedelta(minutes=1))
    html = first.get_data(as_text=True)
    assert "丢了无法找回" not in html
    assert "重新发给您一个查询码，旧的随即作废" in html

"""满意度: the villager rates each answer once, while the matter is not final. Once it is final
(the 复核 answered, or the window for asking the next step passed unused) the tracking page
offers no rating and the service refuses one."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from tests.complaints.helpers import file_matter, track
from tests.complaints.test_procedures import at, register
from transparency.complaints import services
from transparency.complaints.deadlines import finality
from transparency.complaints.models import HandlerLevel, Matter, Rating
from transparency.complaints.services import NotAllowed
from transparency.core.db import clock_at, db


def replied_by_the_township(world, matter: Matter) -> Matter:
    inspector = world.accounts["inspector"]
    assert matter.handler_level is HandlerLevel.TOWNSHIP
    with clock_at(at("2026-09-02")):
        services.accept(db.session, matter=matter, actor=inspector)
        services.reply(db.session, matter=matter, actor=inspector, text="经核查，补偿款已足额发放。")
    return matter


def test_an_answer_can_be_rated_until_the_matter_is_final(app, world):
    with app.app_context():
        matter = replied_by_the_township(world, register(world, "2026-09-01", named_officials="村主任"))
        # The review window (30 days from 09-02, moved past the National Day holiday) ends on 10-08.
        assert services.may_rate(matter, dt.date(2026, 10, 8))
        assert finality(matter, dt.date(2026, 10, 9)) is not None
        assert not services.may_rate(matter, dt.date(2026, 10, 9))
        with clock_at(at("2026-10-09")), pytest.raises(NotAllowed, match="终结"):
            services.rate(db.session, matter=matter, rating=Rating.UNSATISFIED)
        assert matter.rating is None
        with clock_at(at("2026-10-08")):
            services.rate(db.session, matter=matter, rating=Rating.SATISFIED)
        assert matter.rating is Rating.SATISFIED


def test_the_re_review_answer_is_final_at_once_and_takes_no_rating(app, world):
    with app.app_context():
        matter = replied_by_the_township(world, register(world, "2026-09-01", named_officials="村主任"))
        county = world.accounts["county_inspector"]
        with clock_at(at("2026-09-03")):
            services.rate(db.session, matter=matter, rating=Rating.UNSATISFIED)
            services.request_review(db.session, matter=matter, reason="只发了一半")
        with clock_at(at("2026-09-20")):
            services.answer_review(db.session, matter=matter, actor=county, text="补发一千元")
        assert services.may_rate(matter, dt.date(2026, 9, 21))  # the review answer, not yet final
        with clock_at(at("2026-09-21")):
            services.rate(db.session, matter=matter, rating=Rating.UNSATISFIED)
            services.request_re_review(db.session, matter=matter, reason="还差一千")
        with clock_at(at("2026-10-30")):
            services.answer_re_review(db.session, matter=matter, actor=county, text="复核：维持复查意见")
        assert not services.may_rate(matter, dt.date(2026, 10, 30))
        with clock_at(at("2026-10-30")), pytest.raises(NotAllowed, match="终结"):
            services.rate(db.session, matter=matter, rating=Rating.SATISFIED)


def test_the_tracking_page_of_a_final_matter_offers_no_rating(app, world, browser):
    with clock_at(at("2026-09-01")):
        receipt = file_matter(browser, world.village_a.code, named_officials="村主任", kind="complaint")
    with app.app_context():
        matter = db.session.scalar(select(Matter).where(Matter.number == receipt.number))
        replied_by_the_township(world, matter)
        db.session.commit()
    with clock_at(at("2026-10-08")):
        page = track(browser, receipt.number, receipt.code).get_data(as_text=True)
    assert "/track/rating" in page and 'data-testid="final"' not in page
    with clock_at(at("2026-10-09")):
        page = track(browser, receipt.number, receipt.code).get_data(as_text=True)
        refused = browser.post("/track/rating", {"number": receipt.number, "code": receipt.code, "rating": "satisfied"})
    assert 'data-testid="final"' in page and "/track/rating" not in page
    assert refused.status_code == 422 and "终结" in refused.get_data(as_text=True)

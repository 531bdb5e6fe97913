"""The complaint clock across China's National Day holiday, overdue flags and escalation."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from sqlalchemy import select

from tests.conftest import login_as
from transparency.complaints import services
from transparency.complaints.deadlines import Counting, Rule, Step, add_working_days, deadlines, is_overdue
from transparency.complaints.models import EventKind, HandlerLevel, Matter, MatterKind, Rating
from transparency.complaints.services import NewMatter
from transparency.core.db import clock_at, db

SHANGHAI = dt.timezone(dt.timedelta(hours=8))


def at(day: str, hour: int = 10) -> dt.datetime:
    return dt.datetime.fromisoformat(day).replace(hour=hour, tzinfo=SHANGHAI).astimezone(dt.UTC)


def register(world, when: dt.datetime, **fields) -> int:
    new = NewMatter(kind=MatterKind.COMPLAINT, village=world.village_a, title="路灯", body="路灯坏了", **fields)
    with clock_at(when):
        matter = services.register(db.session, new=new).matter
    db.session.commit()
    return matter.id


def test_working_days_skip_the_national_day_holiday_and_count_the_make_up_saturday():
    # 2026: 1–7 October off; Saturday 10 October is a make-up working day.
    assert add_working_days(dt.date(2026, 9, 30), 1) == dt.date(2026, 10, 8)
    assert add_working_days(dt.date(2026, 10, 9), 1) == dt.date(2026, 10, 10)
    assert add_working_days(dt.date(2026, 10, 10), 1) == dt.date(2026, 10, 12)
    # The same count in calendar days lands a week earlier.
    assert Rule(15, Counting.CALENDAR).due(dt.date(2026, 9, 28)) == dt.date(2026, 10, 13)
    assert Rule(15, Counting.WORKING).due(dt.date(2026, 9, 28)) == dt.date(2026, 10, 23)


def test_due_dates_overdue_flag_and_escalation_across_the_holiday(app, world):
    with app.app_context():
        matter_id = register(world, at("2026-09-28"))
        matter = db.session.get(Matter, matter_id)
        (accept,) = deadlines(matter)
        assert accept.step is Step.ACCEPT and accept.due == dt.date(2026, 10, 23)
        assert not is_overdue(matter, dt.date(2026, 10, 23))
        assert is_overdue(matter, dt.date(2026, 10, 24))

        with clock_at(at("2026-10-23", 23)):
            assert services.escalate_overdue(db.session, today=dt.date(2026, 10, 23)) == []
        with clock_at(at("2026-10-24", 9)):
            escalated = services.escalate_overdue(db.session, today=dt.date(2026, 10, 24))
            assert [m.id for m in escalated] == [matter_id]
            # Once per deadline: running the job again adds nothing.
            assert services.escalate_overdue(db.session, today=dt.date(2026, 10, 25)) == []
        db.session.commit()
        matter = db.session.get(Matter, matter_id)
        event = matter.events[-1]
        assert event.kind is EventKind.ESCALATED and event.actor_role == "system"
        assert "2026-10-23" in event.text
        assert matter.handler_level is HandlerLevel.TOWNSHIP


def test_an_overdue_matter_leaves_the_clerks_hands_for_the_township(app, world):
    with app.app_context():
        matter_id = register(world, at("2026-09-28"))
    clerk, inspector = login_as(app, "clerk-a"), login_as(app, "inspector")
    with clock_at(at("2026-10-24")):
        queue = inspector.get("/manage/complaints/").get_data(as_text=True)
        assert "已逾期 1 天" in queue
        assert f"/manage/complaints/{matter_id}" in queue
        refused = clerk.post(f"/manage/complaints/{matter_id}/accept", {})
        assert refused.status_code == 422 and "这件事项现在不由您办理" in refused.get_data(as_text=True)
        assert inspector.post(f"/manage/complaints/{matter_id}/accept", {}).status_code == 302
    with app.app_context():
        matter = db.session.get(Matter, matter_id)
        (accept, reply) = deadlines(matter)
        assert accept.met_on_time is False  # answered, but late: it counts as late for good
        assert reply.due == dt.date(2026, 10, 24) + dt.timedelta(days=60)


def test_reply_deadline_moves_by_the_approved_extension_only(app, world):
    with app.app_context():
        matter_id = register(world, at("2026-09-01"))
        matter = db.session.get(Matter, matter_id)
        clerk, inspector, county = (world.accounts[k] for k in ("clerk_a", "inspector", "county_inspector"))
        with clock_at(at("2026-09-02")):
            services.accept(db.session, matter=matter, actor=clerk)
        with clock_at(at("2026-10-20")):
            services.request_extension(db.session, matter=matter, actor=clerk, days=20, reason="需要等县里测绘结果")
            assert deadlines(matter)[1].due == dt.date(2026, 11, 1)  # not yet approved
            with pytest.raises(services.NotAllowed):
                services.request_extension(db.session, matter=matter, actor=clerk, days=10, reason="再延一次")
            services.decide_extension(db.session, matter=matter, actor=inspector, approve=True)
        assert deadlines(matter)[1].due == dt.date(2026, 11, 21)
        with pytest.raises(services.NotAllowed):
            services.decide_extension(db.session, matter=matter, actor=county, approve=True)  # nothing pending any more


def test_an_inspector_may_not_approve_their_own_extension(app, world):
    with app.app_context():
        matter_id = register(world, at("2026-09-01"), concerns_officials=True)
        matter = db.session.get(Matter, matter_id)
        inspector, county = world.accounts["inspector"], world.accounts["county_inspector"]
        with clock_at(at("2026-09-02")):
            services.accept(db.session, matter=matter, actor=inspector)
            services.request_extension(db.session, matter=matter, actor=inspector, days=30, reason="涉及多个部门")
            with pytest.raises(services.NotAllowed, match="申请人以外"):
                services.decide_extension(db.session, matter=matter, actor=inspector, approve=True)
            services.decide_extension(db.session, matter=matter, actor=county, approve=True)
        assert matter.extension_days == 30


def test_extension_longer_than_the_rule_is_refused_with_a_message(app, world):
    with app.app_context():
        matter_id = register(world, at("2026-09-01"))
        matter = db.session.get(Matter, matter_id)
        clerk = world.accounts["clerk_a"]
        with clock_at(at("2026-09-02")):
            services.accept(db.session, matter=matter, actor=clerk)
            with pytest.raises(services.NotAllowed, match="1 到 30 天"):
                services.request_extension(db.session, matter=matter, actor=clerk, days=31, reason="太忙")


def test_review_window_closes_30_days_after_the_reply(app, world):
    with app.app_context():
        matter_id = register(world, at("2026-09-01"))
        matter = db.session.get(Matter, matter_id)
        clerk = world.accounts["clerk_a"]
        with clock_at(at("2026-09-02")):
            services.accept(db.session, matter=matter, actor=clerk)
            services.reply(db.session, matter=matter, actor=clerk, text="已处理")
            services.rate(db.session, matter=matter, rating=Rating.UNSATISFIED)
        assert services.may_request_review(matter, dt.date(2026, 10, 2))
        assert not services.may_request_review(matter, dt.date(2026, 10, 3))
        with clock_at(at("2026-10-03")), pytest.raises(services.NotAllowed, match="30 天内"):
            services.request_review(db.session, matter=matter, reason="不满意")


def test_deployers_change_the_clock_with_a_data_file(app, world, tmp_path: Path):
    rules = tmp_path / "rules.toml"
    rules.write_text(
        "\n".join(
            f'[{step}]\ndays = {days}\ncount = "calendar"'
            for step, days in [
                ("accept", 5),
                ("reply", 20),
                ("extension", 10),
                ("review_request", 15),
                ("review_answer", 15),
            ]
        ),
        encoding="utf-8",
    )
    app.config["COMPLAINT_RULES_FILE"] = str(rules)
    with app.app_context():
        matter_id = register(world, at("2026-09-28"))
        assert deadlines(db.session.get(Matter, matter_id))[0].due == dt.date(2026, 10, 3)
        assert db.session.scalar(select(Matter.id)) == matter_id

"""The complaint clock across China's holidays (counted like a court), its legal basis, overdue flags and escalation."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from sqlalchemy import select

from tests.conftest import login_as
from transparency.complaints import services
from transparency.complaints.deadlines import DEFAULT_RULES, InvalidRules, Rule, Step, deadlines, is_overdue, load_rules
from transparency.complaints.models import EventKind, HandlerLevel, Matter, MatterKind, Rating
from transparency.complaints.services import NewMatter
from transparency.core.counting import Unit
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


def test_acceptance_is_counted_in_calendar_days_and_a_make_up_saturday_keeps_it():
    # Registered Friday 2026-09-25: 15 日 ends Saturday 10 October, a make-up working day.
    accept = Rule(15, Unit.CALENDAR).due(dt.date(2026, 9, 25))
    assert accept.date == dt.date(2026, 10, 10) and accept.rolled_from is None
    # The same count in working days (the old reading) lands ten days later.
    assert Rule(15, Unit.WORKING).due(dt.date(2026, 9, 28)).date == dt.date(2026, 10, 23)
    assert Rule(15, Unit.CALENDAR).due(dt.date(2026, 9, 28)).date == dt.date(2026, 10, 13)


def test_a_calendar_deadline_on_a_holiday_moves_to_the_next_working_day_unless_switched_off():
    reply = Rule(60, Unit.CALENDAR).due(dt.date(2026, 8, 2))  # 60 days end on National Day
    assert (reply.date, reply.rolled_from) == (dt.date(2026, 10, 8), dt.date(2026, 10, 1))
    window = Rule(30, Unit.CALENDAR).due(dt.date(2026, 1, 17))  # ends in the Spring Festival
    assert (window.date, window.rolled_from) == (dt.date(2026, 2, 24), dt.date(2026, 2, 16))
    assert Rule(60, Unit.CALENDAR, roll=False).due(dt.date(2026, 8, 2)).date == dt.date(2026, 10, 1)


def test_an_extension_is_counted_in_the_unit_of_the_step_it_extends():
    # 15 working days from 2026-09-28 end Friday 10-23; 5 more working days end Friday 10-30
    # (5 calendar days would have ended on Wednesday 10-28).
    assert Rule(15, Unit.WORKING).due(dt.date(2026, 9, 28), extension_days=5).date == dt.date(2026, 10, 30)
    # 15 calendar days end 10-13; 5 more end on Sunday 10-18, moved to Monday 10-19.
    assert Rule(15, Unit.CALENDAR).due(dt.date(2026, 9, 28), extension_days=5).date == dt.date(2026, 10, 19)


def test_each_deadline_carries_its_article(app, world):
    with app.app_context():
        matter = db.session.get(Matter, register(world, at("2026-09-25")))
        (accept,) = deadlines(matter)
        assert accept.due == dt.date(2026, 10, 10) and accept.basis == "《信访工作条例》第二十三条"
        assert not accept.unverified
    with clock_at(at("2026-09-26")):
        page = login_as(app, "clerk-a").get(f"/manage/complaints/{matter.id}").get_data(as_text=True)
    assert "依据《信访工作条例》第二十三条" in page and "2026年10月10日" in page


def test_a_deadline_counted_over_a_year_without_an_official_schedule_is_marked(app, world):
    # 2027 ships no official schedule: a reply due in 2027 rests on the library's guess.
    with app.app_context():
        matter = db.session.get(Matter, register(world, at("2026-12-01")))
        with clock_at(at("2026-12-02")):
            services.accept(db.session, matter=matter, actor=world.accounts["clerk_a"])
        db.session.commit()
        accept, reply = deadlines(matter)
        assert not accept.unverified and reply.unverified
        matter_id = matter.id
    with clock_at(at("2026-12-03")):
        page = login_as(app, "clerk-a").get(f"/manage/complaints/{matter_id}").get_data(as_text=True)
    assert page.count("节假日安排未经核实") == 1


def test_a_rules_file_without_the_basis_is_refused_by_name(tmp_path: Path):
    default = DEFAULT_RULES.read_text(encoding="utf-8")
    rules = tmp_path / "rules.toml"
    rules.write_text(default.replace('basis = "《信访工作条例》第三十六条"', "", 1), encoding="utf-8")
    with pytest.raises(InvalidRules, match=r"\[petition.re_review_request\] needs 'basis'"):
        load_rules(rules)
    rules.write_text(default.replace('unit = "working"', 'unit = "weeks"', 1), encoding="utf-8")
    with pytest.raises(InvalidRules, match=r"\[report.accept_notice\] unit must be"):
        load_rules(rules)
    rules.write_text(default.replace('kinds = ["report"]', "kinds = []"), encoding="utf-8")
    with pytest.raises(InvalidRules, match="exactly one track"):
        load_rules(rules)


def test_due_dates_overdue_flag_and_escalation_across_the_holiday(app, world):
    with app.app_context():
        matter_id = register(world, at("2026-09-28"))
        matter = db.session.get(Matter, matter_id)
        (accept,) = deadlines(matter)
        assert accept.step is Step.ACCEPT and accept.due == dt.date(2026, 10, 13)
        assert not is_overdue(matter, dt.date(2026, 10, 13))
        assert is_overdue(matter, dt.date(2026, 10, 14))

        with clock_at(at("2026-10-13", 23)):
            assert services.escalate_overdue(db.session, today=dt.date(2026, 10, 13)) == []
        with clock_at(at("2026-10-14", 9)):
            escalated = services.escalate_overdue(db.session, today=dt.date(2026, 10, 14))
            assert [m.id for m in escalated] == [matter_id]
            # Once per deadline: running the job again adds nothing.
            assert services.escalate_overdue(db.session, today=dt.date(2026, 10, 15)) == []
        db.session.commit()
        matter = db.session.get(Matter, matter_id)
        event = matter.events[-1]
        assert event.kind is EventKind.ESCALATED and event.actor_role == "system"
        assert "2026-10-13" in event.text
        assert matter.handler_level is HandlerLevel.TOWNSHIP


def test_an_overdue_matter_leaves_the_clerks_hands_for_the_township(app, world):
    with app.app_context():
        matter_id = register(world, at("2026-09-28"))
    clerk, inspector = login_as(app, "clerk-a"), login_as(app, "inspector")
    with clock_at(at("2026-10-14")):
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
        assert reply.due == dt.date(2026, 12, 14)  # 60 days from 10-14 end on Sunday 12-13: moved


def test_reply_deadline_moves_by_the_approved_extension_only(app, world):
    with app.app_context():
        matter_id = register(world, at("2026-09-01"))
        matter = db.session.get(Matter, matter_id)
        clerk, inspector, county = (world.accounts[k] for k in ("clerk_a", "inspector", "county_inspector"))
        with clock_at(at("2026-09-02")):
            services.accept(db.session, matter=matter, actor=clerk)
        with clock_at(at("2026-10-20")):
            services.request_extension(db.session, matter=matter, actor=clerk, days=20, reason="需要等县里测绘结果")
            assert deadlines(matter)[1].due == dt.date(2026, 11, 2)  # not yet approved; Sunday 11-01 moved
            with pytest.raises(services.NotAllowed):
                services.request_extension(db.session, matter=matter, actor=clerk, days=10, reason="再延一次")
            services.decide_extension(db.session, matter=matter, actor=inspector, approve=True)
        assert deadlines(matter)[1].due == dt.date(2026, 11, 23)  # 20 days after 11-02 end on Sunday 11-22
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


def test_review_window_closes_30_days_after_the_reply_moved_past_national_day(app, world):
    with app.app_context():
        matter_id = register(world, at("2026-09-01"))
        matter = db.session.get(Matter, matter_id)
        clerk = world.accounts["clerk_a"]
        with clock_at(at("2026-09-02")):
            services.accept(db.session, matter=matter, actor=clerk)
            services.reply(db.session, matter=matter, actor=clerk, text="已处理")
            services.rate(db.session, matter=matter, rating=Rating.UNSATISFIED)
        # 30 days from 09-02 end on 10-02, in the National Day holiday: the window stays open to 10-08.
        assert services.may_request_review(matter, dt.date(2026, 10, 8))
        assert not services.may_request_review(matter, dt.date(2026, 10, 9))
        with clock_at(at("2026-10-09")), pytest.raises(services.NotAllowed, match="30 天内"):
            services.request_review(db.session, matter=matter, reason="不满意")


def test_deployers_change_the_clock_with_a_data_file(app, world, tmp_path: Path):
    def track(name: str, kinds: str, steps: list[tuple[str, int]]) -> str:
        head = f'[{name}]\nname = "{name}"\nkinds = {kinds}\n'
        return head + "\n".join(
            f'[{name}.{step}]\ndays = {days}\nunit = "calendar"\nroll = false\nactor = "handler"\nbasis = "本县规定"'
            for step, days in steps
        )

    rules = tmp_path / "rules.toml"
    petition = [("accept", 5), ("reply", 20), ("reply_on_disclosure", 5), ("extension", 10)]
    petition += [("review_request", 15), ("review_answer", 15), ("re_review_request", 15), ("re_review_answer", 15)]
    report = [("accept", 5), ("accept_notice", 5), ("reply", 20), ("extension", 10), ("result_notice", 5)]
    rules.write_text(
        track("petition", '["suggestion", "question", "complaint"]', petition)
        + "\n"
        + track("report", '["report"]', report),
        encoding="utf-8",
    )
    app.config["COMPLAINT_RULES_FILE"] = str(rules)
    with app.app_context():
        matter_id = register(world, at("2026-09-28"))
        assert deadlines(db.session.get(Matter, matter_id))[0].due == dt.date(2026, 10, 3)
        assert db.session.scalar(select(Matter.id)) == matter_id

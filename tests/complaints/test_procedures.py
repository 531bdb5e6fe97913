"""The procedures of the two tracks with a frozen clock: 复查 by the level above the one that
replied, 复核 and the final matter, the 咨询 about a published disclosure, the 实名 举报's notices,
reports about the township, and stepping aside (回避)."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from sqlalchemy import select

from tests.complaints.helpers import file_matter, track
from tests.conftest import PASSWORD, login_as
from transparency.accounts.models import Role
from transparency.accounts.services import create_account
from transparency.audit.models import AuditEntry
from transparency.complaints import services
from transparency.complaints.access import may_handle, may_see
from transparency.complaints.deadlines import Step, deadlines, finality
from transparency.complaints.models import HandlerLevel, Matter, MatterKind, MatterStatus, Rating
from transparency.complaints.queries import handler_queue, staff_scope
from transparency.complaints.services import NewMatter, NotAllowed
from transparency.core.db import clock_at, db
from transparency.disclosures.models import Disclosure
from transparency.inspection.audit_log import area_codes_in

SHANGHAI = dt.timezone(dt.timedelta(hours=8))


def at(day: str, hour: int = 10) -> dt.datetime:
    return dt.datetime.fromisoformat(day).replace(hour=hour, tzinfo=SHANGHAI).astimezone(dt.UTC)


def register(world, day: str, **fields) -> Matter:
    fields.setdefault("kind", MatterKind.COMPLAINT)
    new = NewMatter(village=world.village_a, title="征地补偿款", body="补偿款少发了两千元", **fields)
    with clock_at(at(day)):
        matter = services.register(db.session, new=new).matter
    db.session.flush()
    return matter


def due(matter: Matter, step: Step) -> dt.date:
    return next(d.due for d in deadlines(matter) if d.step is step)


def answered_by_the_township(world) -> Matter:
    """A matter routed around the village (it names a village official), answered by the township."""
    matter = register(world, "2026-09-01", named_officials="村主任")
    inspector = world.accounts["inspector"]
    assert matter.handler_level is HandlerLevel.TOWNSHIP
    with clock_at(at("2026-09-02")):
        services.accept(db.session, matter=matter, actor=inspector)
        services.reply(db.session, matter=matter, actor=inspector, text="经核查，补偿款已足额发放。")
        services.rate(db.session, matter=matter, rating=Rating.UNSATISFIED)
    return matter


def test_a_township_answered_review_goes_to_the_county(app, world):
    with app.app_context():
        matter = answered_by_the_township(world)
        township, county = world.accounts["inspector"], world.accounts["county_inspector"]
        with clock_at(at("2026-09-10")):
            services.request_review(db.session, matter=matter, reason="只发了一半")
        assert matter.handler_level is HandlerLevel.COUNTY
        today = dt.date(2026, 9, 10)
        assert may_see(township, matter) and not may_handle(township, matter, today)
        assert may_handle(county, matter, today)
        with clock_at(at("2026-09-11")), pytest.raises(NotAllowed, match="不由您办理"):
            services.answer_review(db.session, matter=matter, actor=township, text="维持原答复")
        with clock_at(at("2026-09-11")):
            services.answer_review(db.session, matter=matter, actor=county, text="县里复查：补发一千元")
        assert matter.status is MatterStatus.REVIEWED


def test_a_village_answered_review_still_goes_to_the_township(app, world):
    with app.app_context():
        matter = register(world, "2026-09-01")
        clerk = world.accounts["clerk_a"]
        with clock_at(at("2026-09-02")):
            services.accept(db.session, matter=matter, actor=clerk)
            services.reply(db.session, matter=matter, actor=clerk, text="已发放")
            services.rate(db.session, matter=matter, rating=Rating.UNSATISFIED)
            services.request_review(db.session, matter=matter, reason="没收到")
        assert matter.handler_level is HandlerLevel.TOWNSHIP


def test_a_re_review_answer_makes_the_matter_final(app, world):
    with app.app_context():
        matter = answered_by_the_township(world)
        county = world.accounts["county_inspector"]
        with clock_at(at("2026-09-10")):
            services.request_review(db.session, matter=matter, reason="只发了一半")
        with clock_at(at("2026-09-20")):
            services.answer_review(db.session, matter=matter, actor=county, text="补发一千元")
        # Not rated yet: no 复核 to ask for.
        assert not services.may_request_re_review(matter, dt.date(2026, 9, 21))
        with clock_at(at("2026-09-21")):
            services.rate(db.session, matter=matter, rating=Rating.UNSATISFIED)
        # 30 days from 09-20 end on Tuesday 10-20.
        assert due(matter, Step.RE_REVIEW_REQUEST) == dt.date(2026, 10, 20)
        assert services.may_request_re_review(matter, dt.date(2026, 10, 20))
        assert not services.may_request_re_review(matter, dt.date(2026, 10, 21))
        assert finality(matter, dt.date(2026, 10, 20)) is None
        with clock_at(at("2026-10-12")):
            services.request_re_review(db.session, matter=matter, reason="还差一千")
        assert (matter.status, matter.handler_level) == (MatterStatus.UNDER_RE_REVIEW, HandlerLevel.COUNTY)
        assert due(matter, Step.RE_REVIEW_ANSWER) == dt.date(2026, 11, 11)
        assert finality(matter, dt.date(2026, 12, 31)) is None  # asked: final only after the answer
        with clock_at(at("2026-10-30")), pytest.raises(NotAllowed):
            services.answer_re_review(db.session, matter=matter, actor=world.accounts["inspector"], text="x")
        with clock_at(at("2026-10-30")):
            services.answer_re_review(db.session, matter=matter, actor=county, text="复核：维持复查意见")
        assert matter.status is MatterStatus.CLOSED
        final = finality(matter, dt.date(2026, 10, 30))
        assert final is not None and final.since == dt.date(2026, 10, 30) and "第三十六条" in final.basis
        with clock_at(at("2026-10-31")), pytest.raises(NotAllowed, match="已办结"):
            services.answer_re_review(db.session, matter=matter, actor=county, text="再答一次")


def test_a_matter_is_final_once_the_review_window_passes_unused(app, world):
    with app.app_context():
        matter = answered_by_the_township(world)
        # 30 days from 09-02 end on 10-02, in the National Day holiday: moved to 10-08.
        assert finality(matter, dt.date(2026, 10, 8)) is None
        final = finality(matter, dt.date(2026, 10, 9))
        assert final is not None and final.since == dt.date(2026, 10, 9) and "第三十五条" in final.basis
        assert not services.may_request_review(matter, dt.date(2026, 10, 9))


def test_staff_decline_a_new_filing_about_the_same_facts_as_a_final_matter(app, world):
    with app.app_context():
        final = answered_by_the_township(world)
        again = register(world, "2026-10-20", named_officials="村主任")
        earlier = register(world, "2026-09-05", named_officials="村主任")
        inspector = world.accounts["inspector"]
        with clock_at(at("2026-10-21")):
            with pytest.raises(NotAllowed, match="还没有终结"):
                services.decline_as_final(db.session, matter=again, actor=inspector, final_number=earlier.number)
            with pytest.raises(NotAllowed, match="没有找到"):
                services.decline_as_final(db.session, matter=again, actor=inspector, final_number="2026999999")
            services.decline_as_final(db.session, matter=again, actor=inspector, final_number=final.number)
        assert again.status is MatterStatus.DECLINED and again.final_matter_number == final.number
        assert final.number in again.events[-1].text and "不再受理" in again.events[-1].text
        entry = db.session.scalars(select(AuditEntry).where(AuditEntry.action == "complaint.declined_as_final")).one()
        assert json.loads(entry.payload)["final_matter"] == final.number


def test_the_tracking_page_says_the_matter_is_final(app, world, browser):
    receipt = file_matter(browser, world.village_a.code, named_officials="村主任", kind="complaint")
    with app.app_context():
        matter = db.session.scalar(select(Matter).where(Matter.number == receipt.number))
        county = world.accounts["county_inspector"]
        services.accept(db.session, matter=matter, actor=world.accounts["inspector"])
        services.reply(db.session, matter=matter, actor=world.accounts["inspector"], text="已答复")
        services.rate(db.session, matter=matter, rating=Rating.UNSATISFIED)
        services.request_review(db.session, matter=matter, reason="不满意")
        services.answer_review(db.session, matter=matter, actor=county, text="复查意见")
        db.session.commit()
    page = track(browser, receipt.number, receipt.code).get_data(as_text=True)
    assert 'data-testid="final"' not in page and "/track/re-review" not in page
    rated = browser.post("/track/rating", {"number": receipt.number, "code": receipt.code, "rating": "unsatisfied"})
    assert "/track/re-review" in rated.get_data(as_text=True)
    asked = browser.post("/track/re-review", {"number": receipt.number, "code": receipt.code, "reason": "仍不满意"})
    assert asked.status_code == 200 and 'data-testid="status">复核中' in asked.get_data(as_text=True)
    county_browser = login_as(app, "county-inspector")
    with app.app_context():
        matter_id = db.session.scalar(select(Matter.id).where(Matter.number == receipt.number))
    refused = login_as(app, "inspector").post(f"/manage/complaints/{matter_id}/re-review", {"text": "x"})
    assert refused.status_code == 422 and "不由您办理" in refused.get_data(as_text=True)
    done = county_browser.post(f"/manage/complaints/{matter_id}/re-review", {"text": "复核意见：维持"})
    assert done.status_code == 302
    page = track(browser, receipt.number, receipt.code).get_data(as_text=True)
    assert 'data-testid="final"' in page and "终结" in page and "第三十六条" in page


def test_a_question_about_a_published_disclosure_is_answered_within_10_days(app, world, objects):
    with app.app_context():
        disclosure = db.session.get(Disclosure, objects["disclosure_id"])
        clerk = world.accounts["clerk_a"]
        about = register(world, "2026-09-20", kind=MatterKind.QUESTION, disclosure=disclosure)
        plain = register(world, "2026-09-20", kind=MatterKind.QUESTION)
        with clock_at(at("2026-09-21")):
            for matter in (about, plain):
                services.accept(db.session, matter=matter, actor=clerk)
        # 10 days from 09-21 end on National Day, moved to 10-08; a plain question has 60 days.
        reply = next(d for d in deadlines(about) if d.step is Step.REPLY_ON_DISCLOSURE)
        assert reply.due == dt.date(2026, 10, 8) and reply.basis
        assert due(plain, Step.REPLY) == dt.date(2026, 11, 20)


def test_a_real_name_report_has_two_notices_due_to_the_handler(app, world):
    with app.app_context():
        inspector = world.accounts["inspector"]
        with pytest.raises(NotAllowed, match="姓名和电话"):
            register(world, "2026-09-25", kind=MatterKind.REPORT, real_name=True, contact_name="李四")
        matter = register(
            world,
            "2026-09-25",
            kind=MatterKind.REPORT,
            real_name=True,
            contact_name="李四",
            contact_phone="13800001234",
        )
        anonymous = register(world, "2026-09-25", kind=MatterKind.REPORT, contact_name="张三")
        assert matter.real_name and not anonymous.real_name
        assert services.reveal_contact(db.session, matter=anonymous, actor=inspector) is None  # 匿名 keeps nothing
        assert [d.step for d in deadlines(anonymous)] == [Step.ACCEPT]
        # Registered on 09-25 (中秋): the 15th working day after it is 10-22, counting Saturday 10-10.
        assert due(matter, Step.ACCEPT_NOTICE) == dt.date(2026, 10, 22)
        queue = handler_queue(db.session, inspector, staff_scope(inspector), dt.date(2026, 9, 28))
        assert matter.id in [item.matter.id for item in queue]
        with clock_at(at("2026-09-28")):
            with pytest.raises(NotAllowed, match="决定是否受理之后"):
                services.notify_filer(db.session, matter=matter, actor=inspector, step=Step.ACCEPT_NOTICE, note="电话")
            services.accept(db.session, matter=matter, actor=inspector)
            services.notify_filer(
                db.session, matter=matter, actor=inspector, step=Step.ACCEPT_NOTICE, note="已电话告知已受理"
            )
            with pytest.raises(NotAllowed, match="已经告知过了"):
                services.notify_filer(
                    db.session, matter=matter, actor=inspector, step=Step.ACCEPT_NOTICE, note="再告知"
                )
        with clock_at(at("2026-11-02")):
            services.reply(db.session, matter=matter, actor=inspector, text="已立案核查")
            services.close(db.session, matter=matter, actor=inspector)
        # Closed Monday 11-02: the 15th working day after is Monday 11-23.
        result = next(d for d in deadlines(matter) if d.step is Step.RESULT_NOTICE)
        assert result.due == dt.date(2026, 11, 23) and result.met_at is None
        queue = handler_queue(db.session, inspector, staff_scope(inspector), dt.date(2026, 11, 3))
        item = next(item for item in queue if item.matter.id == matter.id)  # closed, and still due
        assert item.deadline is not None and item.deadline.step is Step.RESULT_NOTICE
        with clock_at(at("2026-11-10")):
            services.notify_filer(db.session, matter=matter, actor=inspector, step=Step.RESULT_NOTICE, note="当面反馈")
        queue = handler_queue(db.session, inspector, staff_scope(inspector), dt.date(2026, 11, 10))
        assert matter.id not in [item.matter.id for item in queue]
        assert not services.may_request_review(matter, dt.date(2026, 11, 10))  # a 举报 has no 复查


def test_a_real_name_report_filed_online_needs_name_and_phone(app, world, browser):
    from tests.complaints.helpers import form_token, matter_form

    csrf, token = form_token(browser)
    data = matter_form(world.village_a.code, kind="report", identity="real_name", contact_name="李四")
    response = browser.client.post("/complaints/new", data={**data, "csrf_token": csrf, "form_token": token})
    assert response.status_code == 422
    assert "实名举报请填写电话" in response.get_data(as_text=True)
    receipt = file_matter(
        browser,
        world.village_a.code,
        kind="report",
        identity="real_name",
        contact_name="李四",
        contact_phone="13800001234",
    )
    assert "15 个工作日内告诉您是否受理" in receipt.html


def test_a_report_naming_a_township_inspector_is_handled_by_the_county_and_invisible_to_them(app, world):
    with app.app_context():
        township, county = world.accounts["inspector"], world.accounts["county_inspector"]
        matter = register(world, "2026-09-28", kind=MatterKind.REPORT, named_officials="镇纪委赵振华")
        assert matter.handler_level is HandlerLevel.COUNTY and matter.concerns_township
        assert not may_see(township, matter)
        assert may_handle(county, matter, dt.date(2026, 9, 28))
        db.session.commit()
        matter_id, number = matter.id, matter.number
        db.session.commit()
    assert login_as(app, "inspector").get(f"/manage/complaints/{matter_id}").status_code == 404
    queue = login_as(app, "inspector").get("/manage/complaints/").get_data(as_text=True)
    assert f'/manage/complaints/{matter_id}"' not in queue
    assert login_as(app, "county-inspector").get(f"/manage/complaints/{matter_id}").status_code == 200
    drill_down = f"/inspect/villages/{world.village_a.code}"
    assert number not in login_as(app, "inspector").get(drill_down).get_data(as_text=True)
    assert number in login_as(app, "county-inspector").get(drill_down).get_data(as_text=True)


def test_a_report_about_the_township_does_not_exist_for_any_township_inspector(app, world):
    """Not only the one it names: the whole township's discipline office is routed around, as a
    village is for its routed-around matters (queue, page, tracking lookup, the log)."""
    with app.app_context():
        township, county = world.accounts["inspector"], world.accounts["county_inspector"]
        new = NewMatter(
            village=world.village_a,
            kind=MatterKind.REPORT,
            title="镇里截留补偿款",
            body="镇干部截留补偿款",
            concerns_township=True,
        )
        with clock_at(at("2026-09-28")):
            registration = services.register(db.session, new=new)
        flagged = registration.matter
        assert flagged.handler_level is HandlerLevel.COUNTY
        assert not may_see(township, flagged) and may_see(county, flagged)
        with clock_at(at("2026-09-29")):
            services.accept(db.session, matter=flagged, actor=county)
        db.session.commit()
        matter_id, number, code = flagged.id, flagged.number, registration.code
        county_code = world.village_a.parent.parent.code
        entries = db.session.scalars(
            select(AuditEntry).where(AuditEntry.object_type == "matter", AuditEntry.object_id == str(matter_id))
        ).all()
        assert entries and {e.area_code for e in entries} == {county_code}
        assert county_code not in area_codes_in(township)  # the township reads its own and its villages' log
    inspector = login_as(app, "inspector")
    assert inspector.get(f"/manage/complaints/{matter_id}").status_code == 404
    assert f'/manage/complaints/{matter_id}"' not in inspector.get("/manage/complaints/").get_data(as_text=True)
    tracked = track(inspector, number, code)
    assert tracked.status_code == 422 and "受理编号或查询码不对" in tracked.get_data(as_text=True)
    assert number not in inspector.get(f"/inspect/villages/{world.village_a.code}").get_data(as_text=True)
    county_inspector = login_as(app, "county-inspector")
    assert county_inspector.get(f"/manage/complaints/{matter_id}").status_code == 200
    assert track(county_inspector, number, code).status_code == 200


def test_a_matter_naming_a_staff_account_holder_is_hidden_from_them_and_handled_by_others(app, world):
    with app.app_context():
        clerk = world.accounts["clerk_a"]
        # An ordinary complaint naming the village clerk goes around the village, and she never sees it.
        matter = register(world, "2026-09-28", named_officials="王秀英")
        assert not may_see(clerk, matter)
        assert may_handle(world.accounts["inspector"], matter, dt.date(2026, 9, 28))
        # Naming the only township inspector in a complaint: nobody left at the township, the county handles it.
        about_him = register(world, "2026-09-28", named_officials="赵振华")
        assert about_him.handler_level is HandlerLevel.COUNTY
        assert not may_see(world.accounts["inspector"], about_him)


def test_declaring_a_conflict_moves_the_matter(app, world):
    with app.app_context():
        first = world.accounts["inspector"]
        second = create_account(
            db.session,
            actor=None,
            username="inspector-2",
            display_name="钱立新",
            password=PASSWORD,
            role=Role.INSPECTOR,
            area=world.township,
        )
        matter = register(world, "2026-09-28", kind=MatterKind.REPORT, wants_public=False)
        today = dt.date(2026, 9, 28)
        with clock_at(at("2026-09-28")):
            with pytest.raises(NotAllowed, match="回避的理由"):
                services.declare_conflict(db.session, matter=matter, actor=first, reason=" ")
            services.declare_conflict(db.session, matter=matter, actor=first, reason="被举报人是我的表兄")
        assert not may_see(first, matter) and may_handle(second, matter, today)
        assert matter.handler_level is HandlerLevel.TOWNSHIP
        with clock_at(at("2026-09-29")):
            services.declare_conflict(db.session, matter=matter, actor=second, reason="与被举报人同村")
        assert matter.handler_level is HandlerLevel.COUNTY
        assert may_handle(world.accounts["county_inspector"], matter, today)
        entries = db.session.scalars(
            select(AuditEntry).where(AuditEntry.action == "complaint.conflict_declared").order_by(AuditEntry.seq)
        ).all()
        assert len(entries) == 2 and not any(e.is_public for e in entries)
        assert "被举报人是我的表兄" not in entries[0].payload  # the reason goes by digest
        assert json.loads(entries[0].payload)["staff_texts"]["reason"]
        assert all(not e.public for e in matter.events if e.kind == "stepped_aside")
        assert "表兄" not in " ".join(e.text for e in matter.events)


def test_an_inspector_steps_aside_through_the_staff_page(app, world):
    with app.app_context():
        create_account(
            db.session,
            actor=None,
            username="inspector-2",
            display_name="钱立新",
            password=PASSWORD,
            role=Role.INSPECTOR,
            area=world.township,
        )
        matter_id = register(world, "2026-09-28", kind=MatterKind.REPORT).id
        db.session.commit()
    inspector = login_as(app, "inspector")
    assert "申请回避" in inspector.get(f"/manage/complaints/{matter_id}").get_data(as_text=True)
    refused = inspector.post(f"/manage/complaints/{matter_id}/step-aside", {"reason": ""})
    assert refused.status_code == 422 and "请填写回避的理由" in refused.get_data(as_text=True)
    done = inspector.post(f"/manage/complaints/{matter_id}/step-aside", {"reason": "亲属关系"})
    assert done.status_code == 302
    assert inspector.get(f"/manage/complaints/{matter_id}").status_code == 404
    assert login_as(app, "inspector-2").get(f"/manage/complaints/{matter_id}").status_code == 200

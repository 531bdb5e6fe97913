"""Handlers' steps, the public list, staff registration and the escalation job."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from sqlalchemy import select, text
from sqlalchemy.exc import DatabaseError

from tests.complaints.helpers import file_matter, track
from tests.complaints.test_deadlines import at, register
from tests.conftest import Browser, login_as
from transparency.complaints import services
from transparency.complaints.models import Channel, EventKind, Matter, MatterEvent
from transparency.core.db import clock_at, db


def test_the_database_refuses_to_edit_or_delete_the_timeline(app, world):
    with app.app_context():
        register(world, at("2026-09-01"))
    for statement in ("UPDATE matter_event SET text = 'rewritten'", "DELETE FROM matter_event"):
        with app.app_context(), pytest.raises(DatabaseError, match="append-only"):
            db.session.execute(text(statement))
            db.session.flush()
    with app.app_context():
        assert db.session.scalar(select(MatterEvent.text)) == str(Channel.ONLINE.label)


def test_declining_needs_a_reason_the_complainant_then_reads(app, world, browser):
    receipt = file_matter(browser, world.village_a.code)
    clerk = login_as(app, "clerk-a")
    with app.app_context():
        matter_id = db.session.scalar(select(Matter.id))
    empty = clerk.post(f"/manage/complaints/{matter_id}/decline", {"text": " "})
    assert empty.status_code == 422 and "请填写不予受理的理由" in empty.get_data(as_text=True)
    clerk.post(f"/manage/complaints/{matter_id}/decline", {"text": "属于供电公司管理，已转告供电所。"})
    page = track(browser, receipt.number, receipt.code).get_data(as_text=True)
    assert 'data-testid="status">不予受理' in page and "属于供电公司管理" in page


def test_a_step_out_of_order_is_refused_with_a_message(app, world, browser):
    file_matter(browser, world.village_a.code)
    clerk = login_as(app, "clerk-a")
    response = clerk.post("/manage/complaints/1/reply", {"text": "已修好"})
    assert response.status_code == 422 and "受理之后才能答复" in response.get_data(as_text=True)
    assert clerk.post("/manage/complaints/1/close", {"text": ""}).status_code == 422


def test_the_extension_reason_is_shown_to_the_complainant(app, world, browser):
    receipt = file_matter(browser, world.village_a.code)
    clerk, inspector = login_as(app, "clerk-a"), login_as(app, "inspector")
    clerk.post("/manage/complaints/1/accept", {})
    asked = clerk.post("/manage/complaints/1/extension", {"days": "20", "reason": "等待县交通局答复"})
    assert asked.status_code == 302
    page = inspector.get("/manage/complaints/1").get_data(as_text=True)
    assert "审批延期申请" in page
    assert inspector.post("/manage/complaints/1/extension/decision", {"decision": "approve"}).status_code == 302
    status = track(browser, receipt.number, receipt.code).get_data(as_text=True)
    assert "等待县交通局答复" in status and "批准延期" in status


def test_staff_register_a_matter_from_the_letter_box_with_the_same_number_and_code(app, world):
    clerk = login_as(app, "clerk-a")
    page = clerk.get("/manage/complaints/register").get_data(as_text=True)
    assert world.village_b.code not in page  # only their own village
    receipt = file_matter(clerk, world.village_a.code, page="/manage/complaints/register", channel="letter_box")
    with app.app_context():
        matter = db.session.scalar(select(Matter))
        assert matter.channel is Channel.LETTER_BOX
        assert matter.registered_by_id == world.accounts["clerk_a"].id
    villager = Browser(app.test_client())
    assert 'data-testid="status"' in track(villager, receipt.number, receipt.code).get_data(as_text=True)


def test_the_village_public_list_shows_answers_days_taken_and_counts(app, world, browser):
    with app.app_context():
        clerk, inspector = world.accounts["clerk_a"], world.accounts["inspector"]
        on_time = register(world, at("2026-09-01"), wants_public=True)
        late = register(world, at("2026-09-01"), wants_public=True)
        private = register(world, at("2026-09-01"))
        steps = ((on_time, "2026-09-02", clerk), (late, "2026-10-30", inspector), (private, "2026-09-02", clerk))
        for matter_id, accepted_on, handler in steps:
            matter = db.session.get(Matter, matter_id)
            with clock_at(at(accepted_on)):  # the late one is overdue: the township took it over
                services.accept(db.session, matter=matter, actor=handler)
                services.reply(db.session, matter=matter, actor=handler, text=f"答复{matter_id}")
        db.session.commit()
    with clock_at(at("2026-11-01")):
        page = browser.get(f"/v/{world.village_a.code}/matters").get_data(as_text=True)
        detail = browser.get(f"/m/{on_time}").get_data(as_text=True)
    assert page.count('data-testid="public-matter"') == 2
    counts = page[page.index('data-testid="matter-counts"') :][:600]
    assert [int(n) for n in re.findall(r"<dd>(\d+)</dd>", counts)] == [2, 1, 0]
    assert "答复1" in detail and "用时" in detail
    assert browser.get(f"/m/{private}").status_code == 404


def test_the_escalation_job_writes_the_event_and_says_so(app, world, runner):
    with app.app_context():
        register(world, at("2026-09-01"))
    with clock_at(dt.datetime(2026, 11, 1, tzinfo=dt.UTC)):
        result = runner.invoke(args=["complaints", "escalate"])
    assert result.exit_code == 0, result.output
    assert "2026-000001 已逾期" in result.output and "共 1 件" in result.output
    with app.app_context():
        kinds = db.session.scalars(select(MatterEvent.kind).order_by(MatterEvent.seq)).all()
    assert kinds == [EventKind.REGISTERED, EventKind.ESCALATED]

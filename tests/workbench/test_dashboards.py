"""Dashboards that say what is next (issue 15, point 9): the clerk's next disclosures and waiting
matters with days left, the reviewer's drafts, the inspector's overdue matters and missing
disclosures before anything else."""

from __future__ import annotations

import re

from tests.complaints.test_deadlines import at, register
from tests.conftest import login_as
from tests.disclosures.helpers import draft_ledger
from transparency.complaints import services as complaints
from transparency.complaints.models import MatterKind
from transparency.complaints.services import NewMatter
from transparency.core.db import db
from transparency.disclosures import services


def _section(html: str, testid: str) -> str:
    found = re.search(rf'<ul class="tap-list" data-testid="{testid}">.*?</ul>', html, re.S)
    assert found, f"no {testid} on the page"
    return found.group(0)


def test_the_clerk_sees_the_next_disclosures_due_with_dates_and_matters_with_days_left(app, world):
    with app.app_context():
        new = NewMatter(kind=MatterKind.QUESTION, village=world.village_a, title="补贴何时发", body="今年的补贴何时发")
        complaints.register(db.session, new=new)
        db.session.commit()
    html = login_as(app, "clerk-a").get("/manage/").get_data(as_text=True)
    due = _section(html, "next-due")
    assert re.search(r"应于 \d{4}年\d{1,2}月\d{1,2}日 前公开", due)
    assert "财务收支" in due and 'href="/manage/new/finance"' in due
    assert "逾期没有公开" in due.split("</li>")[0]  # what is already late comes first
    waiting = _section(html, "waiting-matters")
    assert "补贴何时发" in waiting and re.search(r"还剩 \d+ 天", waiting)


def test_the_reviewer_sees_the_drafts_waiting(app, world):
    with app.app_context():
        version = draft_ledger(world)
        services.submit(db.session, version=version, actor=world.accounts["clerk_a"])
        db.session.commit()
        title = version.title
    reviewer = login_as(app, "reviewer-a")
    for page in ("/manage/", "/manage/review"):
        assert title in _section(reviewer.get(page).get_data(as_text=True), "pending")
    other = login_as(app, "reviewer-b").get("/manage/review").get_data(as_text=True)
    assert title not in other and "没有等待审核的草稿" in other


def test_the_inspector_sees_overdue_matters_and_missing_disclosures_first(app, world):
    with app.app_context():
        register(world, at("2026-01-05"))
        db.session.commit()
    html = login_as(app, "inspector").get("/manage/").get_data(as_text=True)
    overdue = _section(html, "overdue-matters")
    missing = _section(html, "missing-disclosures")
    assert "路灯" in overdue and "已逾期" in overdue
    assert "石桥村" in missing and "王家庄村" in missing and "青山村" not in missing  # the jurisdiction only
    assert html.index('data-testid="overdue-matters"') < html.index('data-testid="missing-disclosures"')
    assert html.index('data-testid="missing-disclosures"') < html.index("辖区内各村")

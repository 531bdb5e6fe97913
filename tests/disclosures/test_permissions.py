"""Who may see and do what with unpublished work: every denial, and the reads that are allowed.

Glossary: clerk = 村务公开员, reviewer = 村务监督委员会成员, inspector = 纪检监察员.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass

import pytest
from flask import Flask
from PIL import Image
from sqlalchemy import func, select

from tests.conftest import login_as
from tests.core.test_pdf_safety import raw_pdf
from tests.disclosures.helpers import draft_ledger, ledger_content
from transparency.accounts.models import Account
from transparency.accounts.services import set_active
from transparency.audit.models import AuditEntry
from transparency.core.db import db
from transparency.core.uploads import UploadedFile
from transparency.disclosures import services
from transparency.disclosures.access import NotYourVillage
from transparency.disclosures.models import (
    Category,
    Disclosure,
    DisclosureVersion,
    PeriodKind,
    VersionStatus,
)
from transparency.disclosures.periods import period_bounds

NOT_YOURS = "只能查看本人所属村（或辖区）的村务"
NOT_YOUR_CORRECTION = "只能更正本村的公开内容"
NOT_YOUR_JURISDICTION = "这个村不在您的辖区内"
NO_ROLE = "您没有权限查看或操作这个页面"

EDIT_FORM = {
    "title": "被人改过的标题",
    "body": "改写",
    "opening_balance": "1000",
    "closing_balance": "1000",
}


def png_bytes() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (6, 6), (10, 10, 200)).save(out, "PNG")
    return out.getvalue()


@dataclass
class Work:
    """Village A's unpublished and published work, by id."""

    draft: int  # a draft version, with an attachment
    draft_disclosure: int
    draft_attachment: int
    submitted: int  # a version waiting for review
    submitted_disclosure: int
    published_disclosure: int  # published, with a correction in progress
    correction: int
    correction_attachment: int
    published_attachment: int


@pytest.fixture
def work(app: Flask, world) -> Work:
    clerk, reviewer = world.accounts["clerk_a"], world.accounts["reviewer_a"]
    # The 2025 drafts open with the published 2024Q4 ledger's closing balance (they carry over).
    carried = ledger_content().closing_balance or 0
    with app.app_context():
        start, end = period_bounds(PeriodKind.QUARTER, 2025, 2)
        draft = services.start_disclosure(
            db.session, actor=clerk, village=world.village_a, category=Category.FINANCE,
            period_kind=PeriodKind.QUARTER, period_start=start, period_end=end,
            content=ledger_content(carried, title="第二季度草稿（未公开）"),
            files=[UploadedFile(filename="草稿收据.png", data=png_bytes())],
        )  # fmt: skip
        submitted = draft_ledger(world, ledger_content(carried, title="第一季度待审（未公开）"))
        services.submit(db.session, actor=clerk, version=submitted)

        start, end = period_bounds(PeriodKind.QUARTER, 2024, 4)
        first = services.start_disclosure(
            db.session, actor=clerk, village=world.village_a, category=Category.FINANCE,
            period_kind=PeriodKind.QUARTER, period_start=start, period_end=end,
            content=ledger_content(title="第四季度已公开"),
            files=[UploadedFile(filename="公开收据.png", data=png_bytes())],
        )  # fmt: skip
        services.submit(db.session, actor=clerk, version=first)
        services.approve(db.session, actor=reviewer, version=first, signed_name=reviewer.display_name)
        correction = services.start_correction(
            db.session, actor=clerk, disclosure=first.disclosure, reason="更正第二行金额（未公开）"
        )
        services.save_draft(
            db.session, actor=clerk, version=correction, content=ledger_content(title="第四季度更正稿（未公开）"),
            files=[UploadedFile(filename="更正收据.pdf", data=raw_pdf())],
        )  # fmt: skip
        db.session.commit()
        return Work(
            draft=draft.id,
            draft_disclosure=draft.disclosure_id,
            draft_attachment=draft.attachments[0].id,
            submitted=submitted.id,
            submitted_disclosure=submitted.disclosure_id,
            published_disclosure=first.disclosure_id,
            correction=correction.id,
            correction_attachment=next(a.id for a in correction.attachments if a.filename == "更正收据.pdf"),
            published_attachment=first.attachments[0].id,
        )


def status_of(app: Flask, version_id: int) -> VersionStatus:
    with app.app_context():
        return db.session.get(DisclosureVersion, version_id).status


def title_of(app: Flask, version_id: int) -> str:
    with app.app_context():
        return db.session.get(DisclosureVersion, version_id).title


def workflow_actions(app: Flask) -> list[str]:
    with app.app_context():
        return list(
            db.session.scalars(
                select(AuditEntry.action).where(AuditEntry.action.like("disclosure.%")).order_by(AuditEntry.seq)
            )
        )


def offered_actions(page: str, version_id: int) -> list[str]:
    """Links and forms on a staff page that would change the version."""
    return re.findall(rf'(?:href|action)="(/manage/versions/{version_id}/(?:edit|submit|approve|return))"', page)


def assert_403(response, message: str) -> None:
    assert response.status_code == 403
    page = response.get_data(as_text=True)
    assert message in page and "无权访问" in page


# --- clerk of another village -----------------------------------------------------------------


def test_clerk_of_village_b_cannot_view_edit_submit_or_correct_village_a_work(app, world, work):
    before = workflow_actions(app)
    clerk_b = login_as(app, "clerk-b")
    for version_id in (work.draft, work.submitted, work.correction):
        assert_403(clerk_b.get(f"/manage/versions/{version_id}"), NOT_YOURS)
        assert_403(clerk_b.get(f"/manage/versions/{version_id}/edit"), NOT_YOURS)
        assert_403(clerk_b.post(f"/manage/versions/{version_id}/edit", EDIT_FORM), NOT_YOURS)
        assert_403(clerk_b.post(f"/manage/versions/{version_id}/submit"), NOT_YOURS)
    assert_403(clerk_b.get(f"/manage/disclosures/{work.published_disclosure}/correct"), NOT_YOUR_CORRECTION)
    assert_403(
        clerk_b.post(f"/manage/disclosures/{work.published_disclosure}/correct", {"reason": "外村更正"}),
        NOT_YOUR_CORRECTION,
    )
    # Their own dashboard does not list village A's work.
    dashboard = clerk_b.get("/manage/").get_data(as_text=True)
    assert "未公开" not in dashboard and "第四季度已公开" not in dashboard

    assert status_of(app, work.draft) is VersionStatus.DRAFT
    assert status_of(app, work.submitted) is VersionStatus.SUBMITTED
    assert title_of(app, work.draft) == "第二季度草稿（未公开）"
    assert workflow_actions(app) == before


def test_village_b_clerk_is_refused_by_the_services_too(app, world, work):
    """The check lives in the service as well as the view, so no other caller can skip it."""
    clerk_b = world.accounts["clerk_b"]
    with app.app_context():
        draft = db.session.get(DisclosureVersion, work.draft)
        with pytest.raises(NotYourVillage):
            services.save_draft(db.session, actor=clerk_b, version=draft, content=ledger_content(title="x"))
        with pytest.raises(NotYourVillage):
            services.submit(db.session, actor=clerk_b, version=draft)
        with pytest.raises(NotYourVillage):
            services.start_correction(
                db.session,
                actor=clerk_b,
                disclosure=db.session.get(Disclosure, work.published_disclosure),
                reason="外村",
            )
        with pytest.raises(NotYourVillage):
            draft_ledger(world, village=world.village_a, clerk="clerk_b")


def test_clerk_a_can_do_all_of_it_so_the_refusals_above_are_about_the_village(app, world, work):
    clerk_a = login_as(app, "clerk-a")
    page = clerk_a.get(f"/manage/versions/{work.draft}").get_data(as_text=True)
    assert set(offered_actions(page, work.draft)) == {
        f"/manage/versions/{work.draft}/edit",
        f"/manage/versions/{work.draft}/submit",
    }
    assert clerk_a.get(f"/manage/versions/{work.draft}/edit").status_code == 200
    assert clerk_a.get(f"/attachments/{work.draft_attachment}").status_code == 200
    assert clerk_a.post(f"/manage/versions/{work.draft}/submit").status_code == 302
    assert status_of(app, work.draft) is VersionStatus.SUBMITTED


# --- reviewers --------------------------------------------------------------------------------


def test_reviewer_of_village_b_cannot_approve_or_return_village_a_submissions(app, world, work):
    reviewer_b = login_as(app, "reviewer-b")
    assert_403(reviewer_b.get(f"/manage/versions/{work.submitted}"), NOT_YOURS)
    assert_403(reviewer_b.post(f"/manage/versions/{work.submitted}/approve", {"signed_name": "刘桂兰"}), NOT_YOURS)
    assert_403(reviewer_b.post(f"/manage/versions/{work.submitted}/return", {"reasons": "外村退回"}), NOT_YOURS)
    assert "第一季度待审" not in reviewer_b.get("/manage/").get_data(as_text=True)
    assert status_of(app, work.submitted) is VersionStatus.SUBMITTED
    with app.app_context():
        version = db.session.get(DisclosureVersion, work.submitted)
        with pytest.raises(NotYourVillage):
            services.approve(db.session, actor=world.accounts["reviewer_b"], version=version, signed_name="刘桂兰")
        with pytest.raises(NotYourVillage):
            services.return_for_revision(db.session, actor=world.accounts["reviewer_b"], version=version, reasons="x")
    # The village's own reviewer can.
    reviewer_a = login_as(app, "reviewer-a")
    page = reviewer_a.get(f"/manage/versions/{work.submitted}").get_data(as_text=True)
    assert set(offered_actions(page, work.submitted)) == {
        f"/manage/versions/{work.submitted}/approve",
        f"/manage/versions/{work.submitted}/return",
    }
    assert reviewer_a.post(f"/manage/versions/{work.submitted}/approve", {"signed_name": "李德华"}).status_code == 302
    assert status_of(app, work.submitted) is VersionStatus.PUBLISHED


def test_reviewer_cannot_draft_edit_submit_or_correct(app, world, work):
    before = workflow_actions(app)
    reviewer = login_as(app, "reviewer-a")
    assert_403(reviewer.get("/manage/new/finance"), NO_ROLE)
    assert_403(
        reviewer.post(
            "/manage/new/finance", {"period_kind": "quarter", "year": "2025", "number": "3", "title": "监督委员会起草"}
        ),
        NO_ROLE,
    )
    assert_403(reviewer.get(f"/manage/versions/{work.draft}/edit"), NO_ROLE)
    assert_403(reviewer.post(f"/manage/versions/{work.draft}/edit", EDIT_FORM), NO_ROLE)
    assert_403(reviewer.post(f"/manage/versions/{work.draft}/submit"), NO_ROLE)
    assert_403(reviewer.get(f"/manage/disclosures/{work.published_disclosure}/correct"), NO_ROLE)
    assert_403(
        reviewer.post(f"/manage/disclosures/{work.published_disclosure}/correct", {"reason": "监督委员会更正"}), NO_ROLE
    )
    # Reading the village's drafts is allowed, but the page offers no drafting actions.
    page = reviewer.get(f"/manage/versions/{work.draft}").get_data(as_text=True)
    assert "第二季度草稿" in page and not offered_actions(page, work.draft)
    assert status_of(app, work.draft) is VersionStatus.DRAFT
    assert workflow_actions(app) == before
    with app.app_context():
        with pytest.raises(NotYourVillage):
            draft_ledger(world, clerk="reviewer_a")
        with pytest.raises(NotYourVillage):
            services.submit(
                db.session, actor=world.accounts["reviewer_a"], version=db.session.get(DisclosureVersion, work.draft)
            )


# --- a clerk cannot publish --------------------------------------------------------------------


def test_clerk_cannot_approve_or_return_even_their_own_submission(app, world, work):
    before = workflow_actions(app)
    clerk = login_as(app, "clerk-a")
    assert_403(clerk.post(f"/manage/versions/{work.submitted}/approve", {"signed_name": "王秀英"}), NO_ROLE)
    assert_403(clerk.post(f"/manage/versions/{work.submitted}/return", {"reasons": "自己退回"}), NO_ROLE)
    page = clerk.get(f"/manage/versions/{work.submitted}").get_data(as_text=True)
    assert "签名同意并公开" not in page and not offered_actions(page, work.submitted)
    assert status_of(app, work.submitted) is VersionStatus.SUBMITTED
    assert app.test_client().get(f"/d/{work.submitted_disclosure}").status_code == 404
    assert workflow_actions(app) == before
    with app.app_context():
        version = db.session.get(DisclosureVersion, work.submitted)
        with pytest.raises(NotYourVillage):
            services.approve(db.session, actor=world.accounts["clerk_a"], version=version, signed_name="王秀英")


def test_submitting_a_draft_does_not_publish_it(app, world, work):
    clerk = login_as(app, "clerk-a")
    assert clerk.post(f"/manage/versions/{work.draft}/submit").status_code == 302
    assert status_of(app, work.draft) is VersionStatus.SUBMITTED
    visitor = app.test_client()
    assert visitor.get(f"/d/{work.draft_disclosure}").status_code == 404
    assert visitor.get(f"/attachments/{work.draft_attachment}").status_code == 404


# --- inspectors -------------------------------------------------------------------------------


def test_inspector_of_another_township_cannot_see_village_a_work(app, world, work):
    other = login_as(app, "other-inspector")
    for version_id in (work.draft, work.submitted, work.correction):
        assert_403(other.get(f"/manage/versions/{version_id}"), NOT_YOURS)
    assert_403(other.get(f"/manage/villages/{world.village_a.code}"), NOT_YOUR_JURISDICTION)
    assert other.get(f"/attachments/{work.draft_attachment}").status_code == 404
    dashboard = other.get("/manage/").get_data(as_text=True)
    assert world.village_a.name not in dashboard and world.village_c.name in dashboard
    assert other.get(f"/manage/villages/{world.village_c.code}").status_code == 200


@pytest.mark.parametrize("username", ["inspector", "county-inspector"])
def test_township_and_county_inspectors_read_village_a_work(app, world, work, username):
    inspector = login_as(app, username)
    for version_id, title in (
        (work.draft, "第二季度草稿"),
        (work.submitted, "第一季度待审"),
        (work.correction, "第四季度更正稿"),
    ):
        response = inspector.get(f"/manage/versions/{version_id}")
        assert response.status_code == 200
        page = response.get_data(as_text=True)
        assert title in page
        assert not offered_actions(page, version_id)  # read only
    village = inspector.get(f"/manage/villages/{world.village_a.code}")
    assert village.status_code == 200 and "第二季度草稿" in village.get_data(as_text=True)
    assert inspector.get(f"/attachments/{work.draft_attachment}").status_code == 200
    assert inspector.get(f"/attachments/{work.correction_attachment}").status_code == 200
    expected_c = 200 if username == "county-inspector" else 403
    assert inspector.get(f"/manage/villages/{world.village_c.code}").status_code == expected_c


@pytest.mark.parametrize("username", ["inspector", "county-inspector"])
def test_inspectors_cannot_edit_submit_review_correct_or_draft(app, world, work, username):
    before = workflow_actions(app)
    inspector = login_as(app, username)
    assert_403(inspector.get("/manage/new/finance"), NO_ROLE)
    assert_403(
        inspector.post("/manage/new/finance", {"period_kind": "year", "year": "2025", "title": "纪检起草"}), NO_ROLE
    )
    assert_403(inspector.get(f"/manage/versions/{work.draft}/edit"), NO_ROLE)
    assert_403(inspector.post(f"/manage/versions/{work.draft}/edit", EDIT_FORM), NO_ROLE)
    assert_403(inspector.post(f"/manage/versions/{work.draft}/submit"), NO_ROLE)
    assert_403(inspector.post(f"/manage/versions/{work.submitted}/approve", {"signed_name": "赵振华"}), NO_ROLE)
    assert_403(inspector.post(f"/manage/versions/{work.submitted}/return", {"reasons": "纪检退回"}), NO_ROLE)
    assert_403(
        inspector.post(f"/manage/disclosures/{work.published_disclosure}/correct", {"reason": "纪检更正"}), NO_ROLE
    )
    assert status_of(app, work.draft) is VersionStatus.DRAFT
    assert status_of(app, work.submitted) is VersionStatus.SUBMITTED
    assert title_of(app, work.draft) == "第二季度草稿（未公开）"
    assert workflow_actions(app) == before
    account = world.accounts[username.replace("-", "_")]
    with app.app_context():
        version = db.session.get(DisclosureVersion, work.submitted)
        with pytest.raises(NotYourVillage):
            services.approve(db.session, actor=account, version=version, signed_name=account.display_name)
        with pytest.raises(NotYourVillage):
            services.save_draft(
                db.session,
                actor=account,
                version=db.session.get(DisclosureVersion, work.draft),
                content=ledger_content(title="纪检改写"),
            )


# --- administrators ---------------------------------------------------------------------------


def test_admin_cannot_draft_read_drafts_or_review(app, world, work):
    before = workflow_actions(app)
    admin = login_as(app, "admin")
    assert_403(admin.get("/manage/"), NO_ROLE)
    assert_403(admin.get("/manage/new/finance"), NO_ROLE)
    assert_403(
        admin.post("/manage/new/finance", {"period_kind": "year", "year": "2025", "title": "管理员起草"}), NO_ROLE
    )
    for version_id in (work.draft, work.submitted):
        assert_403(admin.get(f"/manage/versions/{version_id}"), NO_ROLE)
        assert_403(admin.post(f"/manage/versions/{version_id}/edit", EDIT_FORM), NO_ROLE)
        assert_403(admin.post(f"/manage/versions/{version_id}/submit"), NO_ROLE)
    assert_403(admin.post(f"/manage/versions/{work.submitted}/approve", {"signed_name": "系统管理员"}), NO_ROLE)
    assert_403(admin.post(f"/manage/versions/{work.submitted}/return", {"reasons": "管理员退回"}), NO_ROLE)
    assert_403(
        admin.post(f"/manage/disclosures/{work.published_disclosure}/correct", {"reason": "管理员更正"}), NO_ROLE
    )
    assert_403(admin.get(f"/manage/villages/{world.village_a.code}"), NO_ROLE)
    assert admin.get(f"/attachments/{work.draft_attachment}").status_code == 404
    assert status_of(app, work.submitted) is VersionStatus.SUBMITTED
    assert workflow_actions(app) == before
    with app.app_context():
        admin_account = world.accounts["admin"]
        with pytest.raises(NotYourVillage):
            draft_ledger(world, clerk="admin")
        with pytest.raises(NotYourVillage):
            services.approve(
                db.session,
                actor=admin_account,
                version=db.session.get(DisclosureVersion, work.submitted),
                signed_name="系统管理员",
            )


# --- anonymous visitors -----------------------------------------------------------------------


def test_anonymous_visitors_cannot_see_unpublished_disclosures_or_their_attachments(app, world, work):
    visitor = app.test_client()
    for disclosure_id in (work.draft_disclosure, work.submitted_disclosure):
        assert visitor.get(f"/d/{disclosure_id}").status_code == 404
        assert visitor.get(f"/d/{disclosure_id}/v/1").status_code == 404
        assert visitor.get(f"/d/{disclosure_id}/v/1/diff").status_code == 404
    assert visitor.get(f"/attachments/{work.draft_attachment}").status_code == 404
    # A correction in progress stays private while the published version stays public.
    assert visitor.get(f"/d/{work.published_disclosure}").status_code == 200
    page = visitor.get(f"/d/{work.published_disclosure}").get_data(as_text=True)
    assert "第四季度已公开" in page and "更正稿" not in page and "未公开" not in page
    assert visitor.get(f"/d/{work.published_disclosure}/v/2").status_code == 404
    assert visitor.get(f"/d/{work.published_disclosure}/v/1/diff").status_code == 404
    assert visitor.get(f"/attachments/{work.correction_attachment}").status_code == 404
    assert visitor.get(f"/attachments/{work.published_attachment}").status_code == 200
    # Lists show only what is published.
    for url in (f"/v/{world.village_a.code}", f"/v/{world.village_a.code}/finance"):
        listing = visitor.get(url).get_data(as_text=True)
        assert "第四季度已公开" in listing and "未公开" not in listing
        assert f'/d/{work.draft_disclosure}"' not in listing and f'/d/{work.submitted_disclosure}"' not in listing


@pytest.mark.parametrize("username", ["clerk-b", "reviewer-b"])
def test_staff_of_other_villages_cannot_fetch_unpublished_attachments(app, world, work, username):
    browser = login_as(app, username)
    assert browser.get(f"/attachments/{work.draft_attachment}").status_code == 404, username
    assert browser.get(f"/attachments/{work.correction_attachment}").status_code == 404, username
    assert browser.get(f"/attachments/{work.published_attachment}").status_code == 200, username


def test_a_deactivated_clerk_loses_sight_of_drafts(app, world, work):
    clerk = login_as(app, "clerk-a")
    assert clerk.get(f"/attachments/{work.draft_attachment}").status_code == 200
    with app.app_context():
        account = db.session.get(Account, world.accounts["clerk_a"].id)
        set_active(db.session, actor=db.session.get(Account, world.accounts["admin"].id), account=account, active=False)
        db.session.commit()
    assert clerk.get(f"/attachments/{work.draft_attachment}").status_code == 404
    assert clerk.get(f"/manage/versions/{work.draft}").status_code == 302


def test_no_denial_left_a_trace_of_work(app, world, work):
    """Refused requests are rolled back: the number of versions is what the fixture made."""
    for username in ("clerk-b", "reviewer-b", "other-inspector", "admin"):
        browser = login_as(app, username)
        browser.post(f"/manage/versions/{work.draft}/edit", EDIT_FORM)
        browser.post(f"/manage/disclosures/{work.published_disclosure}/correct", {"reason": "越权更正的理由"})
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(DisclosureVersion)) == 4

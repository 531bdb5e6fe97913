"""A matter from filing to review: every step on the timeline, in the audit log, in the right order."""

from __future__ import annotations

from sqlalchemy import select

from tests.complaints.helpers import file_matter, track
from tests.conftest import Browser, login_as
from transparency.audit.models import AuditEntry
from transparency.complaints.models import EventKind, Matter, MatterStatus
from transparency.core.db import db


def _matter(app, number: str) -> Matter:
    with app.app_context():
        matter = db.session.scalar(select(Matter).where(Matter.number == number))
        assert matter is not None
        kinds = [e.kind for e in matter.events]
        db.session.expunge(matter)
        matter.kinds = kinds  # type: ignore[attr-defined]
        return matter


def test_file_reply_rate_and_ask_for_review(app, world, browser: Browser):
    receipt = file_matter(browser, world.village_a.code)
    assert receipt.number.startswith("20")
    assert len(receipt.code.replace("-", "")) == 13
    assert "受理后 60 天内答复" in receipt.html and "最多 30 天" in receipt.html

    page = track(browser, receipt.number, receipt.code)
    assert page.status_code == 200
    assert 'data-testid="status">待受理' in page.get_data(as_text=True)

    clerk = login_as(app, "clerk-a")
    matter_id = _matter(app, receipt.number).id
    assert clerk.post(f"/manage/complaints/{matter_id}/accept", {}).status_code == 302
    response = clerk.post(f"/manage/complaints/{matter_id}/reply", {"text": "已安排电工本周修好六盏路灯。"})
    assert response.status_code == 302

    page = track(browser, receipt.number, receipt.code).get_data(as_text=True)
    assert "已安排电工本周修好六盏路灯。" in page
    assert 'data-testid="status">已答复' in page

    rated = browser.post("/track/rating", {"number": receipt.number, "code": receipt.code, "rating": "unsatisfied"})
    assert rated.status_code == 200, rated.get_data(as_text=True)[:1500]
    reviewed = browser.post(
        "/track/review", {"number": receipt.number, "code": receipt.code, "reason": "只修了两盏，还有四盏不亮。"}
    )
    assert reviewed.status_code == 200, reviewed.get_data(as_text=True)[:1500]
    assert 'data-testid="status">复查中' in reviewed.get_data(as_text=True)

    matter = _matter(app, receipt.number)
    assert matter.status is MatterStatus.UNDER_REVIEW
    assert matter.kinds == [
        EventKind.REGISTERED,
        EventKind.ACCEPTED,
        EventKind.REPLIED,
        EventKind.RATED,
        EventKind.REVIEW_REQUESTED,
    ]
    # The review goes to the township: the clerk can no longer answer it, the inspector can.
    assert clerk.post(f"/manage/complaints/{matter.id}/review", {"text": "x"}).status_code == 403
    inspector = login_as(app, "inspector")
    answered = inspector.post(f"/manage/complaints/{matter.id}/review", {"text": "经核查，四盏路灯已于本周修复。"})
    assert answered.status_code == 302
    with app.app_context():
        actions = db.session.scalars(
            select(AuditEntry.action).where(AuditEntry.object_type == "matter").order_by(AuditEntry.seq)
        ).all()
    assert actions == [
        "complaint.registered",
        "complaint.accepted",
        "complaint.replied",
        "complaint.rated",
        "complaint.review_requested",
        "complaint.review_answered",
    ]

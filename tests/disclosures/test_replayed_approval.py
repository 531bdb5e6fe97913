"""An approval sent again after it succeeded shows the success, not a conflict (issue 13 point 7).

The reviewer's answer may be lost (a dropped connection, a crash after the commit); pressing the
button again must say that the approval stands and write nothing more.
"""

from __future__ import annotations

from sqlalchemy import func, select

from tests.conftest import login_as
from tests.disclosures.helpers import draft_ledger
from transparency.audit.models import AuditEntry
from transparency.core.db import db
from transparency.disclosures import services
from transparency.disclosures.models import ReviewDecision


def test_a_disclosure_approval_sent_again_shows_the_success(app, world):
    with app.app_context():
        version = draft_ledger(world)
        services.submit(db.session, actor=world.accounts["clerk_a"], version=version)
        db.session.commit()
        version_id = version.id
    reviewer = login_as(app, "reviewer-a")
    answers = [
        reviewer.post(f"/manage/versions/{version_id}/approve", {"signed_name": "李德华", "note": "同意"})
        for _ in range(2)
    ]
    assert [a.status_code for a in answers] == [302, 302]
    assert answers[0].headers["Location"] == answers[1].headers["Location"]
    assert "审核通过，已向村民公开" in reviewer.get(answers[1].headers["Location"]).get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(func.count(ReviewDecision.id))) == 1
        published = select(func.count(AuditEntry.seq)).where(AuditEntry.action == "disclosure.publish")
        assert db.session.scalar(published) == 1
    # Not a way around the workflow: returning the published version is still refused.
    assert reviewer.post(f"/manage/versions/{version_id}/return", {"reasons": "再看看"}).status_code == 409

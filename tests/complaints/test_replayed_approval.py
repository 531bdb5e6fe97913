"""An extension approval sent again after it succeeded shows the success (issue 13 point 7)."""

from __future__ import annotations

from sqlalchemy import func, select

from tests.complaints.test_deadlines import at, register
from tests.conftest import login_as
from transparency.accounts.models import Account
from transparency.audit.models import AuditEntry
from transparency.complaints import services
from transparency.complaints.models import EventKind, Matter, MatterEvent
from transparency.core.db import clock_at, db


def test_an_extension_approval_sent_again_shows_the_success(app, world):
    clerk_id = world.accounts["clerk_a"].id
    with app.app_context():
        matter_id = register(world, at("2026-11-02"))
        with clock_at(at("2026-11-03")):
            matter = services.lock(db.session, matter_id)
            clerk = db.session.get(Account, clerk_id)
            services.accept(db.session, matter=matter, actor=clerk)
            services.request_extension(db.session, matter=matter, actor=clerk, days=20, reason="需要现场核实")
            db.session.commit()
    inspector = login_as(app, "inspector")
    url = f"/manage/complaints/{matter_id}/extension/decision"
    with clock_at(at("2026-11-04")):
        answers = [inspector.post(url, {"decision": "approve", "note": ""}) for _ in range(2)]
        assert [a.status_code for a in answers] == [302, 302]
        assert "已审批延期申请" in inspector.get(answers[1].headers["Location"]).get_data(as_text=True)
        # The opposite decision sent afterwards is no replay: it is refused.
        refused = inspector.post(url, {"decision": "refuse", "note": "不批"})
        assert refused.status_code == 422 and "没有待审批的延期申请" in refused.get_data(as_text=True)
    with app.app_context():
        kinds = db.session.scalars(select(MatterEvent.kind).where(MatterEvent.matter_id == matter_id)).all()
        assert kinds.count(EventKind.EXTENSION_APPROVED) == 1
        assert db.session.get(Matter, matter_id).extension_days == 20
        approved = select(func.count(AuditEntry.seq)).where(AuditEntry.action == "complaint.extension_approved")
        assert db.session.scalar(approved) == 1

"""A clerk may throw away what was never published — and nothing that was."""

from __future__ import annotations

import io
import re

from sqlalchemy import func, select

from tests.conftest import Browser, login_as
from tests.disclosures.helpers import publish_ledger, version_id_from
from tests.disclosures.samples import LEDGER_FORM
from tests.disclosures.test_attachments import photo_with_gps
from transparency.audit.models import AuditEntry
from transparency.core.blobs import AttachmentBlob
from transparency.core.db import db
from transparency.disclosures.models import Disclosure, DisclosureVersion, ReviewDecision


def _count(model):
    return db.session.scalar(select(func.count()).select_from(model))


def test_discarding_a_first_draft_removes_the_notice_and_its_files(app, world):
    clerk = login_as(app, "clerk-a")
    data = {**LEDGER_FORM, "attachments": [(io.BytesIO(photo_with_gps()), "原件.jpg")]}
    version_id = version_id_from(clerk.post("/manage/new/finance", data, content_type="multipart/form-data"))
    assert "确认放弃" in clerk.get(f"/manage/versions/{version_id}/discard").get_data(as_text=True)
    response = clerk.post(f"/manage/versions/{version_id}/discard")
    assert response.status_code == 302 and response.headers["Location"].endswith("/manage/")
    with app.app_context():
        assert _count(Disclosure) == 0 and _count(DisclosureVersion) == 0 and _count(AttachmentBlob) == 0
        assert db.session.scalars(select(AuditEntry.action).order_by(AuditEntry.seq.desc())).first() == (
            "disclosure.discard"
        )


def test_discarding_a_returned_correction_keeps_the_published_version(app, world):
    with app.app_context():
        published = publish_ledger(world)
        disclosure_id = published.disclosure_id
    clerk = login_as(app, "clerk-a")
    draft_id = version_id_from(
        clerk.post(f"/manage/disclosures/{disclosure_id}/correct", {"reason": "更正第 2 行金额"})
    )
    clerk.post(f"/manage/versions/{draft_id}/submit")
    login_as(app, "reviewer-a").post(f"/manage/versions/{draft_id}/return", {"reasons": "无需更正"})
    response = clerk.post(f"/manage/versions/{draft_id}/discard")
    assert response.status_code == 302 and response.headers["Location"].endswith(f"/d/{disclosure_id}")
    with app.app_context():
        assert [v.number for v in db.session.get(Disclosure, disclosure_id).versions] == [1]
        assert _count(ReviewDecision) == 1  # the approval of version 1 stays
    assert app.test_client().get(f"/d/{disclosure_id}").status_code == 200
    # A new correction can start again.
    assert clerk.post(f"/manage/disclosures/{disclosure_id}/correct", {"reason": "再次更正"}).status_code == 302


def test_submitted_published_and_foreign_drafts_cannot_be_discarded(app, world):
    with app.app_context():
        published_id = publish_ledger(world).id
    clerk = login_as(app, "clerk-a")
    assert clerk.post(f"/manage/versions/{published_id}/discard").status_code == 409
    version_id = version_id_from(clerk.post("/manage/new/finance", LEDGER_FORM))
    assert login_as(app, "clerk-b").post(f"/manage/versions/{version_id}/discard").status_code == 403
    assert login_as(app, "reviewer-a").post(f"/manage/versions/{version_id}/discard").status_code == 403
    assert Browser(app.test_client()).post(f"/manage/versions/{version_id}/discard").status_code == 302
    clerk.post(f"/manage/versions/{version_id}/submit")
    assert clerk.post(f"/manage/versions/{version_id}/discard").status_code == 409
    with app.app_context():
        assert _count(DisclosureVersion) == 2


def test_reviewer_sees_what_a_correction_changes(app, world):
    with app.app_context():
        disclosure_id = publish_ledger(world).disclosure_id
    clerk = login_as(app, "clerk-a")
    draft_id = version_id_from(clerk.post(f"/manage/disclosures/{disclosure_id}/correct", {"reason": "更正标题"}))
    reviewer = login_as(app, "reviewer-a")
    page = reviewer.get(f"/manage/versions/{draft_id}").get_data(as_text=True)
    assert "与现行第 1 版相比的改动" in page and "还没有改动任何内容" in page
    form = clerk.get(f"/manage/versions/{draft_id}/edit").get_data(as_text=True)
    fields = dict(re.findall(r'name="([^"]+)"[^>]*value="([^"]*)"', form))
    fields = {k: v for k, v in fields.items() if not k.startswith("csrf") and k not in ("add_rows", "compute_closing")}
    fields["title"] = "2025年第一季度财务收支明细（更正）"
    assert clerk.post(f"/manage/versions/{draft_id}/edit", fields).status_code == 302
    page = reviewer.get(f"/manage/versions/{draft_id}").get_data(as_text=True)
    assert re.search(r'class="removed">标题：2025年第1季度财务收支明细<', page)
    assert re.search(r'class="added">标题：2025年第一季度财务收支明细（更正）<', page)

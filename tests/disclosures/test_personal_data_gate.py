"""The personal-data gate on what staff write beside a disclosure: correction, return and review texts."""

from __future__ import annotations

import html

import pytest
from sqlalchemy import func, select

from tests.conftest import login_as
from tests.disclosures.helpers import draft_ledger, publish_ledger
from transparency.audit.models import AuditEntry
from transparency.core.db import db
from transparency.core.personal_data import PersonalDataFound, id_check_digit
from transparency.disclosures import services
from transparency.disclosures.models import DisclosureVersion, VersionStatus

ID = "51139919800101123" + id_check_digit("51139919800101123")
MOBILE = "13987654321"


def _counts(app) -> tuple[int, int]:
    with app.app_context():
        return (
            db.session.scalar(select(func.count(DisclosureVersion.id))),
            db.session.scalar(select(func.count(AuditEntry.seq))),
        )


def test_an_id_number_in_a_correction_reason_is_refused_naming_the_place(app, world):
    with app.app_context():
        disclosure_id = publish_ledger(world).disclosure_id
    clerk = login_as(app, "clerk-a")
    before = _counts(app)
    typed = f"第 2 行应付给身份证{ID}的户主"
    response = clerk.post(f"/manage/disclosures/{disclosure_id}/correct", {"reason": typed})
    page = html.unescape(response.get_data(as_text=True))
    assert response.status_code == 422
    assert "更正理由第 1 行第 12 个字符处有未遮盖的身份证号" in page
    assert typed in page
    assert _counts(app) == before


def _submitted(app, world) -> int:
    with app.app_context():
        version = draft_ledger(world)
        services.submit(db.session, actor=world.accounts["clerk_a"], version=version)
        db.session.commit()
        return version.id


def test_a_mobile_in_a_return_reason_is_refused_and_nothing_reaches_the_log(app, world):
    version_id = _submitted(app, world)
    reviewer = login_as(app, "reviewer-a")
    before = _counts(app)
    response = reviewer.post(f"/manage/versions/{version_id}/return", {"reasons": f"问{MOBILE}"})
    assert response.status_code == 422
    assert "退回理由第 1 行第 2 个字符处有未遮盖的手机号" in html.unescape(response.get_data(as_text=True))
    assert _counts(app) == before
    with app.app_context():
        assert db.session.get(DisclosureVersion, version_id).status is VersionStatus.SUBMITTED


def test_a_number_in_the_review_note_keeps_the_version_unpublished(app, world):
    version_id = _submitted(app, world)
    response = login_as(app, "reviewer-a").post(
        f"/manage/versions/{version_id}/approve", {"signed_name": "李德华", "note": f"已电话{MOBILE}核实"}
    )
    assert response.status_code == 422
    assert "审核意见第 1 行第 4 个字符处有未遮盖的手机号" in html.unescape(response.get_data(as_text=True))
    with app.app_context():
        assert db.session.get(DisclosureVersion, version_id).status is VersionStatus.SUBMITTED


def test_the_services_refuse_too(app, world):
    with app.app_context():
        published = publish_ledger(world)
        with pytest.raises(PersonalDataFound, match="更正理由"):
            services.start_correction(
                db.session, actor=world.accounts["clerk_a"], disclosure=published.disclosure, reason=f"身份证{ID}"
            )
        db.session.rollback()
        version = draft_ledger(world)
        services.submit(db.session, actor=world.accounts["clerk_a"], version=version)
        with pytest.raises(PersonalDataFound, match="退回理由"):
            services.return_for_revision(
                db.session, actor=world.accounts["reviewer_a"], version=version, reasons=MOBILE
            )
        db.session.rollback()

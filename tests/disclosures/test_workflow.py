"""Draft → submit → review → publish → correct, through the web as staff use it."""

from __future__ import annotations

import re

from sqlalchemy import select

from tests.conftest import login_as
from tests.disclosures.helpers import publish_ledger, version_id_from
from tests.disclosures.samples import LEDGER_FORM
from transparency.audit.models import AuditEntry
from transparency.core.db import db
from transparency.disclosures.models import Disclosure, DisclosureVersion, VersionStatus


def test_clerk_drafts_reviewer_publishes_villager_reads(app, world):
    clerk = login_as(app, "clerk-a")
    response = clerk.post("/manage/new/finance", LEDGER_FORM)
    assert response.status_code == 302
    version_id = version_id_from(response)

    assert clerk.post(f"/manage/versions/{version_id}/submit").status_code == 302

    reviewer = login_as(app, "reviewer-a")
    page = reviewer.get(f"/manage/versions/{version_id}").get_data(as_text=True)
    assert "签名同意并公开" in page
    response = reviewer.post(f"/manage/versions/{version_id}/approve", {"signed_name": "李德华", "note": "同意"})
    assert response.status_code == 302

    with app.app_context():
        version = db.session.get(DisclosureVersion, version_id)
        assert version.status is VersionStatus.PUBLISHED
        disclosure_id = version.disclosure_id
        actions = db.session.scalars(select(AuditEntry.action).order_by(AuditEntry.seq)).all()
    workflow = [a for a in actions if a.startswith("disclosure.")]
    assert workflow == ["disclosure.draft", "disclosure.submit", "disclosure.publish"]

    public = app.test_client().get(f"/d/{disclosure_id}").get_data(as_text=True)
    assert "¥1,000.00" in public and "¥500.00" in public and "¥123.45" in public and "¥1,376.55" in public
    assert "账目平衡" in public
    assert "李德华" in public and "王秀英" in public  # approved by, drafted by
    village_page = app.test_client().get("/v/511399101201").get_data(as_text=True)
    assert f"/d/{disclosure_id}" in village_page


def test_form_that_does_not_add_up_keeps_typed_text_and_is_refused_on_submit(app, world):
    clerk = login_as(app, "clerk-a")
    unbalanced = {**LEDGER_FORM, "closing_balance": "1,400.00"}
    response = clerk.post("/manage/new/finance", unbalanced)
    assert response.status_code == 302  # a draft may be saved unbalanced ...
    version_id = version_id_from(response)
    response = clerk.post(f"/manage/versions/{version_id}/submit")
    assert response.status_code == 422  # ... but not submitted
    page = response.get_data(as_text=True)
    assert "账不平" in page and "相差 -¥23.45" in page
    with app.app_context():
        assert db.session.get(DisclosureVersion, version_id).status is VersionStatus.DRAFT


def test_invalid_row_is_reported_and_nothing_is_written(app, world):
    clerk = login_as(app, "clerk-a")
    bad = {**LEDGER_FORM, "rows-1-expense": "12.345", "rows-0-entry_date": "1025-01-05"}
    response = clerk.post("/manage/new/finance", bad)
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "最多两位小数" in page and "日期应在" in page
    assert 'value="12.345"' in page and 'value="上级拨付村级组织运转经费"' in page
    with app.app_context():
        assert db.session.scalars(select(Disclosure)).all() == []


def test_reviewer_returns_with_reasons_and_clerk_sees_them(app, world):
    clerk = login_as(app, "clerk-a")
    version_id = version_id_from(clerk.post("/manage/new/finance", LEDGER_FORM))
    clerk.post(f"/manage/versions/{version_id}/submit")
    reviewer = login_as(app, "reviewer-a")
    response = reviewer.post(f"/manage/versions/{version_id}/return", {"reasons": "第 2 行缺发票"})
    assert response.status_code == 302
    page = clerk.get(f"/manage/versions/{version_id}").get_data(as_text=True)
    assert "第 2 行缺发票" in page
    assert app.test_client().get("/v/511399101201").get_data(as_text=True).count("/d/") == 0


def test_signature_must_match_reviewer_name(app, world):
    clerk = login_as(app, "clerk-a")
    version_id = version_id_from(clerk.post("/manage/new/finance", LEDGER_FORM))
    clerk.post(f"/manage/versions/{version_id}/submit")
    reviewer = login_as(app, "reviewer-a")
    response = reviewer.post(f"/manage/versions/{version_id}/approve", {"signed_name": "张三"})
    assert response.status_code == 422
    assert "李德华" in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.get(DisclosureVersion, version_id).status is VersionStatus.SUBMITTED


def test_correction_is_a_new_version_and_old_one_stays_readable_with_diff(app, world):
    with app.app_context():
        published = publish_ledger(world)
        disclosure_id, first_id = published.disclosure_id, published.id
    clerk = login_as(app, "clerk-a")
    response = clerk.post(f"/manage/disclosures/{disclosure_id}/correct", {"reason": "第 2 行金额录错，按凭证更正"})
    assert response.status_code == 302
    new_id = version_id_from(response)
    assert new_id != first_id
    edit = clerk.get(f"/manage/versions/{new_id}/edit").get_data(as_text=True)
    assert 'value="123.45"' in edit
    form = {
        "title": "2025年第1季度财务收支明细",
        "body": "本期收支如下。",
        "opening_balance": "1000.00",
        "closing_balance": "1,876.55",
        "rows-0-entry_date": "2025-01-05",
        "rows-0-voucher_no": "2501-001",
        "rows-0-account": "补助收入",
        "rows-0-summary": "上级拨付村级组织运转经费",
        "rows-0-income": "500",
        "rows-1-entry_date": "2025-01-06",
        "rows-1-voucher_no": "2501-002",
        "rows-1-account": "管理费用",
        "rows-1-summary": "购买办公用品",
        "rows-1-expense": "23.45",
        "rows-2-entry_date": "2025-01-07",
        "rows-2-voucher_no": "2501-003",
        "rows-2-account": "补助收入",
        "rows-2-summary": "上级拨付村级组织运转经费",
        "rows-2-income": "500",
    }
    with app.app_context():
        opening = db.session.get(DisclosureVersion, new_id).opening_balance
    form["opening_balance"] = f"{opening / 100:.2f}"
    form["closing_balance"] = f"{(opening + 100_000 - 2_345) / 100:.2f}"
    assert clerk.post(f"/manage/versions/{new_id}/edit", form).status_code == 302
    assert clerk.post(f"/manage/versions/{new_id}/submit").status_code == 302
    reviewer = login_as(app, "reviewer-a")
    assert reviewer.post(f"/manage/versions/{new_id}/approve", {"signed_name": "李德华"}).status_code == 302

    public = app.test_client()
    current = public.get(f"/d/{disclosure_id}").get_data(as_text=True)
    assert "第 2 版，共 2 版" in current and "第 2 行金额录错" in current
    old = public.get(f"/d/{disclosure_id}/v/1")
    assert old.status_code == 200 and "已被更正" in old.get_data(as_text=True)
    diff = public.get(f"/d/{disclosure_id}/v/1/diff").get_data(as_text=True)
    assert re.search(r'class="removed">[^<]*支出 ¥123.45', diff)
    assert re.search(r'class="added">[^<]*支出 ¥23.45', diff)


def test_diff_collapses_long_unchanged_runs(app, world):
    from tests.disclosures.helpers import ledger_content
    from transparency.disclosures import services
    from transparency.disclosures.rendering import diff_versions, version_lines

    with app.app_context():
        first = publish_ledger(world, ledger_content(rows=30))
        draft = services.start_correction(
            db.session, actor=world.accounts["clerk_a"], disclosure=first.disclosure, reason="更正第 15 行"
        )
        content = ledger_content(rows=30)
        rows = list(content.ledger_rows)
        rows[14] = type(rows[14])(**{**vars(rows[14]), "summary": "改过的摘要"})
        content.ledger_rows = rows
        services.save_draft(db.session, actor=world.accounts["clerk_a"], version=draft, content=content)
        lines = diff_versions(first, draft)
        total = len(version_lines(first))
    kinds = [line.kind for line in lines]
    assert kinds.count("removed") == 1 and kinds.count("added") == 1
    assert kinds.count("skipped") == 2 and kinds.count("same") == 4
    # Every line of the old version is accounted for: shown, removed or counted as skipped.
    assert sum(line.count for line in lines if line.kind != "added") == total


def test_new_notice_suggests_the_usual_period_for_its_category(app, world):
    clerk = login_as(app, "clerk-a")
    finance = clerk.get("/manage/new/finance").get_data(as_text=True)
    assert re.search(r'<option selected value="quarter">|<option value="quarter" selected>', finance)
    decision = clerk.get("/manage/new/decisions").get_data(as_text=True)
    assert re.search(r'<option selected value="day">|<option value="day" selected>', decision)


def test_diff_never_hides_a_single_line_behind_a_placeholder(app, world):
    from tests.disclosures.helpers import ledger_content
    from transparency.disclosures import services
    from transparency.disclosures.rendering import diff_versions

    with app.app_context():
        first = publish_ledger(world, ledger_content(rows=3))
        draft = services.start_correction(
            db.session, actor=world.accounts["clerk_a"], disclosure=first.disclosure, reason="更正标题和说明"
        )
        content = ledger_content(rows=3, title="改过的标题")
        content.body = "改过的说明。"
        services.save_draft(db.session, actor=world.accounts["clerk_a"], version=draft, content=content)
        lines = diff_versions(first, draft)
    # Title and body changed; of the five lines between them only the middle one is beyond the
    # context, and it is shown rather than replaced by "未改动 1 行".
    assert [line.kind for line in lines] == ["removed", "added"] + ["same"] * 5 + ["removed", "added"]

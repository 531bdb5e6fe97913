"""Ledgers carry over: 期初余额 is the previous published ledger's 期末余额, or the clerk says why not."""

from __future__ import annotations

import re

import pytest

from tests.conftest import login_as
from tests.disclosures.helpers import ledger_content, version_id_from
from tests.disclosures.samples import LEDGER_FORM
from transparency.core.db import db
from transparency.disclosures import services
from transparency.disclosures.carry_over import carry_over_gaps
from transparency.disclosures.content import DraftContent
from transparency.disclosures.models import Category, DisclosureVersion, PeriodKind
from transparency.disclosures.periods import period_bounds

Q1_CLOSING = ledger_content().closing_balance or 0  # 1,876.55 from an opening of 1,000.00


def publish_quarter(world, quarter: int, content: DraftContent, year: int = 2025) -> DisclosureVersion:
    start, end = period_bounds(PeriodKind.QUARTER, year, quarter)
    version = services.start_disclosure(
        db.session, actor=world.accounts["clerk_a"], village=world.village_a, category=Category.FINANCE,
        period_kind=PeriodKind.QUARTER, period_start=start, period_end=end, content=content,
    )  # fmt: skip
    services.submit(db.session, actor=world.accounts["clerk_a"], version=version)
    reviewer = world.accounts["reviewer_a"]
    services.approve(db.session, actor=reviewer, version=version, signed_name=reviewer.display_name)
    db.session.commit()
    return version


def with_reason(content: DraftContent, reason: str) -> DraftContent:
    content.carry_over_reason = reason
    return content


def test_an_opening_balance_other_than_the_previous_closing_blocks_submission(app, world):
    with app.app_context():
        publish_quarter(world, 1, ledger_content())
        start, end = period_bounds(PeriodKind.QUARTER, 2025, 2)
        draft = services.start_disclosure(
            db.session, actor=world.accounts["clerk_a"], village=world.village_a, category=Category.FINANCE,
            period_kind=PeriodKind.QUARTER, period_start=start, period_end=end, content=ledger_content(100_000),
        )  # fmt: skip
        with pytest.raises(services.CannotSubmit) as refused:
            services.submit(db.session, actor=world.accounts["clerk_a"], version=draft)
        (problem,) = refused.value.problems
        assert "期初余额 ¥1,000.00 与上期（2025年第1季度）期末余额 ¥1,876.55 不符" in problem
        assert "相差 -¥876.55" in problem


def test_a_stated_reason_lets_it_through_and_is_shown_beside_the_balance_box(app, world, client):
    with app.app_context():
        publish_quarter(world, 1, ledger_content())
        q2 = publish_quarter(
            world, 2, with_reason(ledger_content(150_000), "上期有一笔利息收入漏记，已补记入本期期初。")
        )
        disclosure_id = q2.disclosure_id
    page = client.get(f"/d/{disclosure_id}").get_data(as_text=True)
    gap = page[page.index('data-testid="carry-over-gap"') :]
    assert "期初与上期期末不符：上期（2025年第1季度）期末余额 ¥1,876.55，本期期初余额 ¥1,500.00，相差 -¥376.55" in gap
    assert "上期有一笔利息收入漏记" in gap


def test_a_ledger_that_carries_over_shows_no_flag(app, world, client):
    with app.app_context():
        publish_quarter(world, 1, ledger_content())
        q2 = publish_quarter(world, 2, ledger_content(Q1_CLOSING))
        assert carry_over_gaps(db.session, [world.village_a.id]) == {}
        disclosure_id = q2.disclosure_id
    assert "期初与上期期末不符" not in client.get(f"/d/{disclosure_id}").get_data(as_text=True)


def test_the_reason_passes_the_personal_data_gate(app, world):
    with app.app_context():
        publish_quarter(world, 1, ledger_content())
    clerk = login_as(app, "clerk-a")
    form = {**LEDGER_FORM, "number": "2", "carry_over_reason": "差额问会计 13812345678"}
    response = clerk.post("/manage/new/finance", form)
    assert response.status_code == 422
    assert "期初与上期期末不符的原因" in response.get_data(as_text=True) and "手机号" in response.get_data(as_text=True)


def test_the_flag_reaches_the_village_calendar_and_the_inspectors_dashboard(app, world, client):
    with app.app_context():
        publish_quarter(world, 1, ledger_content())
        publish_quarter(world, 2, with_reason(ledger_content(150_000), "上期利息漏记"))
    code = world.village_a.code
    for page in (
        client.get(f"/v/{code}/calendar").get_data(as_text=True),
        client.get(f"/v/{code}").get_data(as_text=True),
        login_as(app, "inspector").get("/inspect/").get_data(as_text=True),
    ):
        flags = page[page.index('data-testid="carry-over-flags"') :].split("</section>")[0]
        assert "2025年第2季度" in flags and "期初与上期期末不符，相差 -¥376.55" in flags and "上期利息漏记" in flags


def test_the_new_ledger_form_proposes_the_next_quarter_with_the_opening_balance_filled_in(app, world):
    with app.app_context():
        publish_quarter(world, 1, ledger_content())
    page = login_as(app, "clerk-a").get("/manage/new/finance").get_data(as_text=True)
    assert re.search(r'<option selected value="quarter">|<option value="quarter" selected>', page)
    assert re.search(r'name="year"[^>]*value="2025"', page) and re.search(r'name="number"[^>]*value="2"', page)
    assert re.search(r'name="opening_balance"[^>]*value="1876.55"', page)
    assert "已按上期（2025年第1季度）期末余额 ¥1,876.55 填入" in page


def test_the_closing_balance_is_computed_on_save_and_on_request(app, world):
    clerk = login_as(app, "clerk-a")
    form = {k: v for k, v in LEDGER_FORM.items() if k != "closing_balance"}
    preview = clerk.post("/manage/new/finance", {**form, "compute_closing": "1"})
    assert preview.status_code == 200
    assert re.search(r'name="closing_balance"[^>]*value="1376.55"', preview.get_data(as_text=True))
    with app.app_context():
        assert db.session.query(DisclosureVersion).count() == 0  # computing saves nothing
    version_id = version_id_from(clerk.post("/manage/new/finance", form))
    with app.app_context():
        assert db.session.get(DisclosureVersion, version_id).closing_balance == 137_655


def test_a_blank_opening_balance_is_carried_over_on_save(app, world):
    with app.app_context():
        publish_quarter(world, 1, ledger_content())
    clerk = login_as(app, "clerk-a")
    form = {k: v for k, v in LEDGER_FORM.items() if k not in ("opening_balance", "closing_balance")}
    version_id = version_id_from(clerk.post("/manage/new/finance", {**form, "number": "2"}))
    with app.app_context():
        version = db.session.get(DisclosureVersion, version_id)
        assert version.opening_balance == Q1_CLOSING and version.closing_balance == Q1_CLOSING + 37_655


def test_correcting_an_earlier_ledger_flags_the_next_one_until_it_is_corrected_too(app, world):
    with app.app_context():
        q1 = publish_quarter(world, 1, ledger_content())
        q2 = publish_quarter(world, 2, ledger_content(Q1_CLOSING))
        q1_id, q2_id = q1.disclosure_id, q2.disclosure_id
    clerk = login_as(app, "clerk-a")
    reviewer = login_as(app, "reviewer-a")

    def correct(disclosure_id: int, opening: str, closing: str) -> int:
        draft = version_id_from(
            clerk.post(f"/manage/disclosures/{disclosure_id}/correct", {"reason": "按原始凭证更正"})
        )
        fields = {**LEDGER_FORM, "opening_balance": opening, "closing_balance": closing}
        del fields["period_kind"], fields["year"], fields["number"]
        assert clerk.post(f"/manage/versions/{draft}/edit", fields).status_code == 302
        return draft

    draft = correct(q1_id, "1,100.00", "1,476.55")  # the opening was mistyped: closing +100
    warning = clerk.get(f"/manage/versions/{draft}").get_data(as_text=True)
    assert 'data-testid="next-left-behind"' in warning and "2025年第2季度" in warning
    assert clerk.post(f"/manage/versions/{draft}/submit").status_code == 302
    assert reviewer.post(f"/manage/versions/{draft}/approve", {"signed_name": "李德华"}).status_code == 302
    with app.app_context():
        (gap,) = carry_over_gaps(db.session, [world.village_a.id])[world.village_a.id]
        assert gap.ledger.disclosure_id == q2_id and gap.difference == 40_000 and gap.ledger.reason is None
    assert "未说明原因" in login_as(app, "inspector").get("/inspect/").get_data(as_text=True)

    draft = correct(q2_id, "1,476.55", "1,853.10")
    assert clerk.post(f"/manage/versions/{draft}/submit").status_code == 302
    assert reviewer.post(f"/manage/versions/{draft}/approve", {"signed_name": "李德华"}).status_code == 302
    with app.app_context():
        assert carry_over_gaps(db.session, [world.village_a.id]) == {}

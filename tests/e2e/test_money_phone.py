"""Money that adds up, tried on a phone with JavaScript off.

A villager goes from the home page to their household's subsidy row in two lookups (the village,
then 查我家) and asks about it; the question arrives with the village and the notice chosen. The
clerk drafts the next quarter's ledger and finds the opening balance filled in.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect
from sqlalchemy import select

from tests.e2e.conftest import LiveSite
from tests.e2e.test_phone import assert_fits_phone, shoot
from transparency.areas.models import Area
from transparency.core.db import db
from transparency.core.money import format_yuan
from transparency.demo.county import DEMO_ACCOUNTS, MAIN_VILLAGE
from transparency.disclosures.carry_over import previous_ledger
from transparency.disclosures.models import Category, Disclosure, SubsidyRow
from transparency.disclosures.queries import published_in_village

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("e2e_money_phone")]

CLERK_USERNAME, _, _, _, CLERK_PASSWORD = next(a for a in DEMO_ACCOUNTS if a[0] == "clerk")


def a_household(live_site: LiveSite) -> tuple[str, str, str, str]:
    """Village code, name, ID last four and program of a recipient in the main village's newest subsidy list."""
    with live_site.app.app_context():
        village = db.session.scalars(select(Area).where(Area.name == MAIN_VILLAGE)).one()
        (newest, *_) = published_in_village(db.session, village, Category.SUBSIDY)
        row = db.session.scalars(
            select(SubsidyRow).where(SubsidyRow.version_id == newest.current.id, SubsidyRow.id_number.is_not(None))
        ).first()
        return village.code, row.recipient, row.id_number[-4:], row.program


def test_a_villager_finds_their_row_and_asks_about_it(phone_without_js: Page, live_site: LiveSite, tmp_path: Path):
    page = phone_without_js
    code, name, last4, program = a_household(live_site)
    page.goto(live_site("/"))
    page.locator("#village-q").fill(MAIN_VILLAGE)  # lookup 1: the village
    page.locator("#village-q").press("Enter")
    page.get_by_role("link", name=MAIN_VILLAGE).first.click()
    expect(page.get_by_role("heading", name="查我家")).to_be_visible()
    shoot(page, tmp_path, "money-village-lookup")
    page.get_by_test_id("household-lookup-link").click()
    expect(page.get_by_label("户主姓名")).to_be_visible()
    assert_fits_phone(page)
    page.get_by_label("户主姓名").fill(name)  # lookup 2: the household
    page.get_by_label("户主身份证号后四位").fill(last4)
    shoot(page, tmp_path, "money-lookup-form")
    page.get_by_role("button", name="查询").click()
    rows = page.get_by_test_id("household-row")
    expect(rows.first).to_contain_text(program)
    expect(rows.first.get_by_test_id("row-check").first).to_contain_text("✔")
    assert last4 not in page.content().replace(f"**{last4}", "")  # only inside the masked number
    assert_fits_phone(page)
    shoot(page, tmp_path, "money-lookup-result")
    rows.first.get_by_test_id("row-question").click()
    expect(page.get_by_label("咨询")).to_be_checked()
    expect(page.get_by_label("哪个村的事")).to_have_value(code)
    expect(page.get_by_label("一句话说明")).to_have_value(re.compile(r"^对第 \d+ 行有疑问"))
    assert_fits_phone(page)
    shoot(page, tmp_path, "money-question-form")


def test_the_clerk_drafts_the_next_quarter_with_the_opening_balance_filled_in(
    phone_without_js: Page, live_site: LiveSite, tmp_path: Path
):
    page = phone_without_js
    with live_site.app.app_context():
        village = db.session.scalars(select(Area).where(Area.name == MAIN_VILLAGE)).one()
        latest = previous_ledger(db.session, village.id, dt.date.max)
        assert latest is not None
        closing = latest.closing
    page.goto(live_site("/login"))
    page.get_by_label("用户名").fill(CLERK_USERNAME)
    page.get_by_label("密码").fill(CLERK_PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.goto(live_site("/manage/new/finance"))
    opening = page.get_by_label("期初余额")
    expect(opening).to_have_value(f"{closing // 100}.{closing % 100:02d}")
    expect(page.get_by_text(f"期末余额 {format_yuan(closing)} 填入")).to_be_visible()
    shoot(page, tmp_path, "money-ledger-form")
    page.get_by_label("标题").fill("石桥村下一季度财务收支明细")
    page.get_by_label("第 1 行 日期").fill("2026-10-08")
    page.get_by_label("第 1 行 凭证号").fill("2610-001")
    page.get_by_label("第 1 行 会计科目").fill("管理费用")
    page.get_by_label("第 1 行 摘要").fill("购买办公用品")
    page.get_by_label("第 1 行 支出").fill("120.00")
    page.get_by_role("button", name="按下面的明细计算期末余额").click()
    expect(page.get_by_label("期末余额")).to_have_value(f"{(closing - 12_000) // 100}.{(closing - 12_000) % 100:02d}")
    shoot(page, tmp_path, "money-ledger-computed")
    page.get_by_role("button", name="保存草稿").click()
    expect(page.get_by_test_id("closing")).to_have_text(format_yuan(closing - 12_000))
    expect(page.get_by_test_id("carry-over-gap")).to_have_count(0)
    assert_fits_phone(page)
    shoot(page, tmp_path, "money-ledger-draft")
    with live_site.app.app_context():
        drafts = db.session.scalars(select(Disclosure).where(Disclosure.first_published_at.is_(None))).all()
        assert any(d.work_in_progress and d.work_in_progress.opening_balance == closing for d in drafts)


def test_the_corrected_ledgers_of_the_main_village_carry_over(phone_without_js: Page, live_site: LiveSite, tmp_path):
    page = phone_without_js
    with live_site.app.app_context():
        village = db.session.scalars(select(Area).where(Area.name == MAIN_VILLAGE)).one()
        ledgers = published_in_village(db.session, village, Category.FINANCE)
        q2 = next(d for d in ledgers if d.current.title.endswith("2026年第2季度财务收支明细"))
        q1 = next(d for d in ledgers if d.current.title.endswith("2026年第1季度财务收支明细"))
        assert q1.current.number > 1 and q2.current.opening_balance == q1.current.closing_balance
        q2_id = q2.id
    page.goto(live_site(f"/d/{q2_id}"))
    expect(page.get_by_test_id("carry-over-gap")).to_have_count(0)
    expect(page.get_by_text("账目平衡")).to_be_visible()
    shoot(page, tmp_path, "money-ledger-q2")


def test_the_one_village_that_does_not_carry_over_says_why(phone_without_js: Page, live_site: LiveSite, tmp_path):
    page = phone_without_js
    with live_site.app.app_context():
        village = db.session.scalars(select(Area).where(Area.name == "东岭村")).one()
        ledgers = published_in_village(db.session, village, Category.FINANCE)
        q4 = next(d for d in ledgers if d.current.title.endswith("2025年第4季度财务收支明细"))
        compensation = db.session.scalars(select(Disclosure).where(Disclosure.category == Category.LAND_COMPENSATION))
        compensation_id = compensation.first().id
        code, q4_id = village.code, q4.id
    page.goto(live_site(f"/d/{q4_id}"))
    expect(page.get_by_test_id("carry-over-gap")).to_contain_text("期初与上期期末不符")
    expect(page.get_by_test_id("carry-over-reason")).to_contain_text("没有按时公开")
    assert_fits_phone(page)
    shoot(page, tmp_path, "money-flag-ledger")
    page.goto(live_site(f"/v/{code}/calendar"))
    expect(page.get_by_test_id("carry-over-flags")).to_contain_text("2025年第4季度")
    assert_fits_phone(page)
    shoot(page, tmp_path, "money-flag-calendar")
    page.goto(live_site(f"/d/{compensation_id}"))
    expect(page.get_by_test_id("compensation-rates")).to_contain_text("/ 亩")
    expect(page.get_by_test_id("rates-check")).to_be_visible()
    assert_fits_phone(page)
    shoot(page, tmp_path, "money-compensation")

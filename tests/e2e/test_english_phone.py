"""Issue 15's Done-when walked again in English (point 10: "the same in English"), on a 375-pixel
phone with JavaScript off, the language chosen by the header's link as a person would:
a villager finds their household's subsidy row in two lookups and asks about it, the question
arriving preselected; a clerk drafts the next quarter's ledger with the opening balance filled in;
an inspector reaches the audit log, the verification and the report in one tap each.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect
from sqlalchemy import select

from tests.e2e.conftest import PASSWORDS, LiveSite
from tests.e2e.test_money_phone import a_household
from tests.e2e.test_phone import assert_fits_phone, shoot
from transparency.areas.models import Area
from transparency.core.db import db
from transparency.demo.county import MAIN_VILLAGE
from transparency.disclosures.carry_over import previous_ledger

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("e2e_english_phone")]

# How many lines an element's text takes.
LINES = """e => { const r = document.createRange(); r.selectNodeContents(e);
  return new Set([...r.getClientRects()].map(rect => Math.round(rect.top))).size; }"""


def in_english(page: Page, live_site: LiveSite) -> None:
    page.goto(live_site("/"))
    page.get_by_test_id("language-en").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")


def log_in(page: Page, username: str) -> None:
    page.get_by_role("link", name="Staff login").click()
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORDS[username])
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_test_id("staff-tools")).to_be_visible()


def test_a_villager_finds_their_row_and_asks_about_it_in_english(
    phone_without_js: Page, live_site: LiveSite, tmp_path: Path
):
    page = phone_without_js
    code, name, last4, program = a_household(live_site)
    in_english(page, live_site)
    page.locator("#village-q").fill(MAIN_VILLAGE)  # lookup 1: the village
    page.locator("#village-q").press("Enter")
    page.get_by_role("link", name=MAIN_VILLAGE).first.click()
    page.get_by_test_id("household-lookup-link").click()
    expect(page.get_by_label("Household head's name")).to_be_visible()
    assert_fits_phone(page)
    page.get_by_label("Household head's name").fill(name)  # lookup 2: the household
    page.get_by_label("Last four characters of the household head's ID number").fill(last4)
    page.get_by_role("button", name="Look up").click()
    rows = page.get_by_test_id("household-row")
    expect(rows.first).to_contain_text(program)
    expect(rows.first).to_contain_text("Subsidy programme")
    expect(rows.first.get_by_test_id("row-check").first).to_contain_text("✔")
    assert_fits_phone(page)
    shoot(page, tmp_path, "english-lookup-result")
    rows.first.get_by_test_id("row-question").click()
    expect(page.get_by_label("Question", exact=True)).to_be_checked()
    expect(page.get_by_label("Which village is it about?")).to_have_value(code)
    expect(page.get_by_label("In one sentence")).to_have_value(re.compile(r"^Question about row \d+"))
    expect(page.locator("main p.flash").first).to_have_text(re.compile(r"^About the notice: \S"))
    assert_fits_phone(page)
    shoot(page, tmp_path, "english-question-form")


def test_the_clerk_drafts_the_next_quarter_in_english_with_the_opening_balance_filled_in(
    phone_without_js: Page, live_site: LiveSite, tmp_path: Path
):
    page = phone_without_js
    with live_site.app.app_context():
        village = db.session.scalars(select(Area).where(Area.name == MAIN_VILLAGE)).one()
        latest = previous_ledger(db.session, village.id, dt.date.max)
        assert latest is not None
        closing = latest.closing
    in_english(page, live_site)
    log_in(page, "clerk")
    page.get_by_role("link", name=re.compile(r"^Finances Q\d \d{4}")).first.click()  # the next period due
    expect(page.get_by_label("Opening balance", exact=True)).to_have_value(f"{closing // 100}.{closing % 100:02d}")
    assert_fits_phone(page)
    page.get_by_label("Title", exact=True).fill("Shiqiao ledger, next quarter")
    page.get_by_label("Row 1 Date").fill("2026-10-08")
    page.get_by_label("Row 1 Voucher no.").fill("2610-001")
    page.get_by_label("Row 1 Account").fill("管理费用")
    page.get_by_label("Row 1 Description").fill("Office supplies")
    page.get_by_label("Row 1 Expense").fill("120.00")
    page.get_by_role("button", name="Compute the closing balance from the rows below").click()
    page.get_by_role("button", name="Save draft").first.click()
    expect(page.get_by_role("status")).to_contain_text("Draft saved")
    expect(page.get_by_test_id("opening")).to_contain_text(f"{closing // 100:,}.{closing % 100:02d}")
    closing_box = page.get_by_test_id("closing")
    expect(closing_box).to_contain_text(f"{(closing - 12_000) // 100:,}.{(closing - 12_000) % 100:02d}")
    assert closing_box.evaluate(LINES) == 1, "the closing balance broke across lines"
    assert_fits_phone(page)
    shoot(page, tmp_path, "english-ledger-draft")


def test_an_inspector_reaches_the_log_the_verification_and_the_report_in_one_tap_each_in_english(
    phone_without_js: Page, live_site: LiveSite
):
    page = phone_without_js
    in_english(page, live_site)
    log_in(page, "inspector")
    page.get_by_test_id("staff-tools").get_by_role("link", name="Audit log").tap()
    expect(page.get_by_role("heading", level=1)).to_have_text("Audit log")
    assert_fits_phone(page)
    page.get_by_test_id("staff-tools").get_by_role("button", name="Verify").tap()
    expect(page.get_by_test_id("coverage")).to_contain_text("in this jurisdiction")
    assert_fits_phone(page)
    with page.expect_download(timeout=120_000) as download:
        page.get_by_test_id("staff-tools").get_by_role("button", name="Report").tap()
    assert download.value.suggested_filename.endswith(".pdf")

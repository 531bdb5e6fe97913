"""Nothing wider than the phone (issue 15, point 3): every page each role reaches from its landing
page, with every <details> opened, fits 375 CSS pixels, in Chinese and in English (point 10: the
same in English, whose words are longer); wide tables scroll in their own box with the first
column kept in view. And Enter in the ledger form saves it (point 8)."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import Page, expect

from tests.crawling import crawl
from tests.e2e.conftest import LiveSite, choose_language, log_in

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("e2e_roles")]

PHONE_WIDTH = 375
ROLES = ["public", "clerk", "reviewer", "inspector", "admin"]
LANGUAGES = ["zh_Hans", "en"]


@pytest.mark.page_sweep
@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("role", ROLES)
def test_every_page_a_role_reaches_fits_the_phone_with_every_details_open(
    phone_without_js: Page, live_site: LiveSite, role: str, language: str
):
    page = phone_without_js
    choose_language(page, live_site, language)
    start = "/" if role == "public" else log_in(page, live_site, role)
    too_wide: dict[str, int] = {}
    other_language: list[str] = []

    def visit(path: str) -> list[Any] | None:
        response = page.goto(live_site(path))
        if response is None or "text/html" not in (response.headers.get("content-type") or ""):
            return None
        if page.evaluate("document.documentElement.lang") != language.replace("_", "-"):
            other_language.append(path)
        page.evaluate("document.querySelectorAll('details').forEach(d => { d.open = true; })")
        width = page.evaluate("document.documentElement.scrollWidth")
        if width > PHONE_WIDTH:
            too_wide[path] = width
        return page.eval_on_selector_all("a[href]", "links => links.map(a => a.getAttribute('href'))")

    visited = crawl(start, visit)
    assert len(visited) > 15, visited
    assert not other_language, f"the crawl left {language}: {other_language[:5]}"
    assert not too_wide, f"wider than a {PHONE_WIDTH}px phone ({language}, {len(visited)} pages): {too_wide}"


def test_a_wide_table_scrolls_in_its_box_with_its_first_column_in_view(phone_without_js: Page, live_site: LiveSite):
    page = phone_without_js
    log_in(page, live_site, "admin")
    page.goto(live_site("/admin/accounts"))
    box = page.locator(".table-wrap").first
    assert box.evaluate("b => getComputedStyle(b).overflowX") == "auto"
    assert box.evaluate("b => b.scrollWidth > b.clientWidth"), "the account list should be wider than the phone"
    first = box.locator("tbody td").first
    assert first.evaluate("c => getComputedStyle(c).position") == "sticky"
    before = first.bounding_box()
    box.evaluate("b => { b.scrollLeft = b.scrollWidth; }")
    assert first.bounding_box()["x"] == pytest.approx(before["x"], abs=1)
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE_WIDTH


def test_enter_in_the_ledger_form_saves_the_draft(phone_without_js: Page, live_site: LiveSite):
    page = phone_without_js
    log_in(page, live_site, "clerk")
    page.goto(live_site("/manage/new/finance"))
    page.get_by_label("公开周期", exact=True).select_option(label="季度")
    page.get_by_label("年份").fill("2027")
    page.get_by_label("第几期（月份或季度）").fill("1")
    page.get_by_label("标题").fill("石桥村2027年第1季度财务收支明细")
    page.get_by_label("期初余额").fill("100.00")
    page.get_by_label("期末余额").fill("150.00")
    page.get_by_label("第 1 行 日期").fill("2027-01-08")
    page.get_by_label("第 1 行 凭证号").fill("2701-001")
    page.get_by_label("第 1 行 会计科目").fill("补助收入")
    page.get_by_label("第 1 行 摘要").fill("上级拨付")
    page.get_by_label("第 1 行 收入").fill("50.00")
    page.get_by_label("第 1 行 收入").press("Enter")
    expect(page.get_by_role("status")).to_contain_text("草稿已保存")
    expect(page.get_by_role("heading", level=1)).to_contain_text("石桥村2027年第1季度财务收支明细")


def test_an_inspector_reaches_the_log_the_verification_and_the_report_in_one_tap_each(
    phone_without_js: Page, live_site: LiveSite
):
    page = phone_without_js
    log_in(page, live_site, "inspector")
    tools = page.get_by_test_id("staff-tools")
    tools.get_by_role("link", name="审计日志").tap()
    expect(page.get_by_role("heading", level=1)).to_have_text("审计日志")
    page.get_by_test_id("staff-tools").get_by_role("button", name="核验").tap()
    expect(page.get_by_test_id("coverage")).to_contain_text("其中本辖区")
    with page.expect_download(timeout=120_000) as download:
        page.get_by_test_id("staff-tools").get_by_role("button", name="报告").tap()
    assert download.value.suggested_filename.endswith(".pdf")

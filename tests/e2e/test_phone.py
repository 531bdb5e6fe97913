"""A villager's phone and a clerk's phone, driving Debian's Chromium against the running site.

What is checked is what a person sees: the taps it takes, the numbers on the screen, that
they add up, that nothing but a table needs sideways scrolling, and that the staff forms
work with JavaScript switched off.
"""

from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.conftest import LiveSite
from transparency.demo.county import DEMO_ACCOUNTS, MAIN_VILLAGE
from transparency.demo.ledgers import QUARTERS

# One worker runs the whole module: its demo county and Chromium are built once per module.
pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("e2e_phone")]

PHONE_WIDTH = 375
CLERK_USERNAME, _, _, _, CLERK_PASSWORD = next(a for a in DEMO_ACCOUNTS if a[0] == "clerk")
_AMOUNT = re.compile(r"^(-?)¥((?:\d{1,3})(?:,\d{3})*)\.(\d{2})$")


def fen(shown: str) -> int:
    """'¥1,234.56' as printed on the page → 123456. Empty cells are zero."""
    text = shown.strip()
    if not text:
        return 0
    match = _AMOUNT.match(text)
    assert match, f"not an amount of money as the site prints it: {shown!r}"
    sign, yuan, cents = match.groups()
    value = int(Decimal(yuan.replace(",", "") + "." + cents) * 100)
    return -value if sign else value


def assert_fits_phone(page: Page) -> None:
    """Nothing on the page may need sideways scrolling on a 375-pixel phone."""
    page.wait_for_load_state()
    # Polled, so a page still being replaced after a click is measured once it has arrived.
    width = page.wait_for_function(
        "() => document.documentElement && document.documentElement.scrollWidth"
    ).json_value()
    assert width <= PHONE_WIDTH, f"{page.url} is {width}px wide on a {PHONE_WIDTH}px phone"


def shoot(page: Page, tmp_path: Path, name: str) -> None:
    page.screenshot(path=str(tmp_path / f"{name}.png"), full_page=True)


def column(table: Any, header: str) -> list[str]:
    """The visible text of one column's body cells, found by its header."""
    headers = [h.strip() for h in table.locator("thead th").all_text_contents()]
    assert header in headers, headers
    index = headers.index(header) + 1
    return table.locator(f"tbody tr > td:nth-child({index})").all_inner_texts()


def test_three_taps_from_home_to_the_latest_ledger_which_adds_up(phone: Page, live_site: LiveSite, tmp_path: Path):
    page = phone
    page.goto(live_site("/"))
    assert_fits_phone(page)

    page.get_by_role("link", name="石桥镇").tap()  # 1
    expect(page.get_by_role("heading", level=1)).to_have_text("石桥镇")
    page.get_by_role("link", name=MAIN_VILLAGE, exact=True).tap()  # 2
    expect(page.get_by_role("heading", level=1)).to_contain_text(MAIN_VILLAGE)
    page.get_by_test_id("latest-finance").tap()  # 3

    year, quarter = QUARTERS[-1]
    expect(page.get_by_role("heading", level=1)).to_have_text(f"{MAIN_VILLAGE}{year}年第{quarter}季度财务收支明细")
    assert re.search(r"/d/\d+$", page.url), page.url
    assert_fits_phone(page)
    shoot(page, tmp_path, "latest-ledger")

    balance = page.get_by_test_id("balance")
    expect(balance).to_be_visible()
    shown = {
        name: fen(balance.get_by_test_id(name).inner_text())
        for name in ("opening", "income-total", "expense-total", "closing")
    }
    assert shown["opening"] + shown["income-total"] - shown["expense-total"] == shown["closing"], shown

    table = page.get_by_role("table", name="明细账")
    incomes = [fen(cell) for cell in column(table, "收入")]
    expenses = [fen(cell) for cell in column(table, "支出")]
    assert len(incomes) >= 20 and any(incomes) and any(expenses)
    assert sum(incomes) == shown["income-total"]
    assert sum(expenses) == shown["expense-total"]


def test_typing_part_of_a_village_name_finds_it(phone: Page, live_site: LiveSite, tmp_path: Path):
    page = phone
    page.goto(live_site("/"))
    search = page.get_by_role("searchbox", name="村名")
    search.tap()
    search.press_sequentially("树湾")  # the middle of 柳树湾村
    search.press("Enter")

    expect(page.get_by_role("heading", name="找到的村")).to_be_visible()
    found = page.get_by_role("link", name=re.compile("^柳树湾村"))
    expect(found).to_have_count(1)
    expect(found).to_contain_text("石桥镇")
    assert_fits_phone(page)
    shoot(page, tmp_path, "search")

    found.tap()
    expect(page.get_by_role("heading", level=1)).to_have_text("石桥镇柳树湾村村务公开")


def test_clerk_logs_in_and_drafts_a_ledger_without_javascript(
    phone_without_js: Page, live_site: LiveSite, tmp_path: Path
):
    page = phone_without_js
    page.goto(live_site("/"))
    page.get_by_role("link", name="工作人员登录").tap()
    page.get_by_label("用户名").fill(CLERK_USERNAME)
    page.get_by_label("密码").fill(CLERK_PASSWORD)
    page.get_by_role("button", name="登录").tap()

    expect(page.get_by_role("heading", level=1)).to_have_text(f"石桥镇{MAIN_VILLAGE} · 工作台")
    expect(page.get_by_role("heading", name="接下来要公开的")).to_be_visible()
    assert_fits_phone(page)
    shoot(page, tmp_path, "dashboard")
    page.get_by_test_id("staff-tools").get_by_role("link", name="起草").tap()
    page.get_by_role("link", name="财务收支", exact=True).tap()

    expect(page.get_by_role("heading", level=1)).to_have_text("新建公开 · 财务收支")
    assert_fits_phone(page)
    shoot(page, tmp_path, "new-finance")
    page.get_by_label("公开周期", exact=True).select_option(label="季度")
    page.get_by_label("年份").fill("2026")
    page.get_by_label("第几期（月份或季度）").fill("4")
    page.get_by_label("标题").fill("石桥村2026年第4季度财务收支明细")
    page.get_by_label("期初余额").fill("1000.00")
    page.get_by_label("期末余额").fill("1450.50")
    page.get_by_label("第 1 行 日期").fill("2026-10-08")
    page.get_by_label("第 1 行 凭证号").fill("2610-001")
    page.get_by_label("第 1 行 会计科目").fill("补助收入")
    page.get_by_label("第 1 行 摘要").fill("上级拨付村级组织运转经费")
    page.get_by_label("第 1 行 收入").fill("450.50")

    # More rows come from the server, not from a script, and keep what was typed.
    page.get_by_role("button", name="再加 5 行").tap()
    expect(page.get_by_label("第 11 行 日期")).to_be_visible()
    expect(page.get_by_label("第 1 行 摘要")).to_have_value("上级拨付村级组织运转经费")

    page.get_by_role("button", name="保存草稿").tap()
    expect(page.get_by_role("heading", level=1)).to_contain_text("石桥村2026年第4季度财务收支明细")
    expect(page.get_by_role("status")).to_contain_text("草稿已保存")
    expect(page.get_by_test_id("closing")).to_have_text("¥1,450.50")
    assert_fits_phone(page)
    shoot(page, tmp_path, "draft")

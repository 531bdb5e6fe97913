"""A villager files a complaint on a phone, keeps the receipt, and comes back to follow it.

Between the visits the village clerk, on their own phone, accepts and replies. The villager then
rates the reply as unsatisfactory and asks for review. JavaScript is off for the villager: the
cheapest phones and the most careful users must manage without it.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.conftest import LiveSite
from tests.e2e.test_phone import assert_fits_phone, shoot
from transparency.demo.county import DEMO_ACCOUNTS, MAIN_VILLAGE

# One worker runs the whole module: its demo county and Chromium are built once per module.
pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("e2e_complaints_phone")]

CLERK_USERNAME, _, _, _, CLERK_PASSWORD = next(a for a in DEMO_ACCOUNTS if a[0] == "clerk")
TITLE = "村口垃圾站一周没人清运"
REPLY = "已联系镇环卫所，从本周起每两天清运一次。"


def file_matter(page: Page, live_site: LiveSite, tmp_path: Path) -> tuple[str, str]:
    page.goto(live_site("/"))
    page.get_by_test_id("report-link").click()
    expect(page.get_by_role("heading", name="我要反映")).to_be_visible()
    assert_fits_phone(page)
    page.get_by_label("投诉").check()
    page.get_by_label("哪个村的事").select_option(label=MAIN_VILLAGE)
    page.get_by_label("一句话说明").fill(TITLE)
    page.get_by_label("详细情况").fill("村口垃圾站从上周一起没人清运，味道很大，还招老鼠。")
    shoot(page, tmp_path, "complaint-form")
    page.get_by_role("button", name="提交").click()
    expect(page.get_by_role("heading", name="已收到，这是您的回执")).to_be_visible()
    assert_fits_phone(page)
    shoot(page, tmp_path, "complaint-receipt")
    number = page.get_by_test_id("tracking-number").inner_text().strip()
    code = page.get_by_test_id("tracking-code").inner_text().strip()
    assert code not in page.url and number not in page.url
    return number, code


def clerk_replies(page: Page, live_site: LiveSite, tmp_path: Path) -> None:
    page.goto(live_site("/login"))
    page.get_by_label("用户名").fill(CLERK_USERNAME)
    page.get_by_label("密码").fill(CLERK_PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.goto(live_site("/manage/complaints/"))
    page.get_by_test_id("queue-item").filter(has_text=TITLE).click()
    page.wait_for_url(re.compile(r"/manage/complaints/\d+$"))
    assert_fits_phone(page)
    shoot(page, tmp_path, "handler-matter")
    page.get_by_role("button", name="受理").first.click()
    expect(page.get_by_test_id("status")).to_have_text("办理中")
    page.get_by_label("答复内容").fill(REPLY)
    page.get_by_role("button", name="答复").click()
    expect(page.get_by_test_id("status")).to_have_text("已答复")


def look_up(page: Page, live_site: LiveSite, number: str, code: str) -> None:
    page.goto(live_site("/"))
    page.get_by_role("link", name="查询进度").click()
    page.get_by_label("受理编号").fill(number)
    page.get_by_label("查询码").fill(code.lower().replace("-", " "))  # as an elderly user might type it
    page.get_by_role("button", name="查询").click()


def test_file_keep_the_receipt_come_back_rate_and_ask_for_review(
    chromium, live_site: LiveSite, phone_without_js: Page, phone: Page, tmp_path: Path
):
    villager, clerk = phone_without_js, phone
    number, code = file_matter(villager, live_site, tmp_path)

    look_up(villager, live_site, number, code)
    expect(villager.get_by_test_id("status")).to_have_text("待受理")
    expect(villager.get_by_test_id("deadlines")).to_contain_text("还剩")

    clerk_replies(clerk, live_site, tmp_path)

    look_up(villager, live_site, number, code)
    expect(villager.get_by_test_id("status")).to_have_text("已答复")
    expect(villager.get_by_test_id("timeline")).to_contain_text(REPLY)
    assert_fits_phone(villager)
    shoot(villager, tmp_path, "complaint-replied")

    villager.get_by_label("不满意").check()
    villager.get_by_role("button", name="提交评价").click()
    expect(villager.get_by_text("谢谢您的评价。")).to_be_visible()
    villager.get_by_label("为什么申请复查").fill("只清运了一次，这周又没人来。")
    villager.get_by_role("button", name="申请复查").click()
    expect(villager.get_by_test_id("status")).to_have_text("复查中")
    expect(villager.get_by_test_id("timeline")).to_contain_text("申请复查")
    shoot(villager, tmp_path, "complaint-review")
    assert code.replace("-", "") not in villager.url

"""A villager on a phone types what they are looking for in the box at the top of every page."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import Page, expect
from sqlalchemy import func, select

from tests.e2e.conftest import LiveSite
from tests.e2e.test_phone import assert_fits_phone, shoot
from transparency.areas.models import Area
from transparency.core.db import db
from transparency.disclosures.models import Disclosure, DisclosureVersion, LedgerRow, SubsidyRow, VersionStatus

# One worker runs the whole module: its demo county and Chromium are built once per module.
pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("e2e_search_phone")]

LAND = "G318 国道石桥段改线工程征地补偿分配方案"


def _only_published_holder(app, column, row_model) -> tuple[str, str]:
    """A value (name, voucher) found in exactly one published disclosure, and that disclosure's title."""
    with app.app_context():
        query = (
            select(column, func.min(DisclosureVersion.title))
            .join(DisclosureVersion, DisclosureVersion.id == row_model.version_id)
            .where(DisclosureVersion.status == VersionStatus.PUBLISHED)
            .group_by(column)
            .having(func.count(func.distinct(DisclosureVersion.disclosure_id)) == 1)
            .order_by(column)
        )
        value, title = db.session.execute(query.limit(1)).one()
    return value, title


def search_from_home(page: Page, live_site: LiveSite, query: str) -> None:
    page.goto(live_site("/"))
    box = page.get_by_role("search").first.get_by_role("searchbox")
    box.fill(query)
    box.press("Enter")
    page.wait_for_url("**/search?**")


@pytest.mark.parametrize("query", ["征地补偿", "徵地補償"])
def test_land_compensation_in_simplified_or_traditional(phone: Page, live_site: LiveSite, tmp_path: Path, query):
    search_from_home(phone, live_site, query)
    results = phone.get_by_test_id("search-result")
    expect(results.first).to_contain_text(LAND)
    expect(results.first.locator("mark").first).to_be_visible()
    assert_fits_phone(phone)
    shoot(phone, tmp_path, f"search-{query}")


@pytest.mark.parametrize("query", ["低保", "最低生活保障"])
def test_minimum_living_allowance_by_either_name(phone: Page, live_site: LiveSite, query):
    search_from_home(phone, live_site, query)
    results = phone.get_by_test_id("search-result")
    expect(results).to_have_count(10)
    # The subsidy lists, and the demo's public question about 低保: nothing unrelated on page one.
    for title in results.locator("a").all_inner_texts():
        assert "惠农补贴发放名单" in title or "低保" in title
    lists = results.filter(has_text="惠农补贴发放名单")
    expect(lists.first.locator("mark").first).to_contain_text("最低生活保障")
    lists.first.locator("a").tap()
    expect(phone.locator("main")).to_contain_text("最低生活保障金")


def _recipient_of_one_list(app) -> tuple[str, str, str]:
    """A recipient (not of social assistance) in exactly one published list: name, title, village code."""
    with app.app_context():
        query = (
            select(SubsidyRow.recipient, func.min(DisclosureVersion.title), func.min(Area.code))
            .join(DisclosureVersion, DisclosureVersion.id == SubsidyRow.version_id)
            .join(Disclosure, Disclosure.id == DisclosureVersion.disclosure_id)
            .join(Area, Area.id == Disclosure.village_id)
            .where(DisclosureVersion.status == VersionStatus.PUBLISHED, SubsidyRow.program.like("耕地地力%"))
            .group_by(SubsidyRow.recipient)
            .having(func.count(func.distinct(DisclosureVersion.disclosure_id)) == 1)
            .order_by(SubsidyRow.recipient)
        )
        name, title, code = db.session.execute(query.limit(1)).one()
    return name, title, code


def test_a_recipient_name_is_found_from_the_village_page_and_not_from_the_home_page(
    phone: Page, live_site: LiveSite, tmp_path: Path
):
    name, title, village_code = _recipient_of_one_list(live_site.app)
    search_from_home(phone, live_site, name)  # the whole county: names are not searched
    expect(phone.get_by_test_id("search-empty")).to_be_visible()
    expect(phone.get_by_test_id("names-hint")).to_be_visible()
    phone.goto(live_site(f"/v/{village_code}"))
    box = phone.get_by_role("search").first.get_by_role("searchbox")
    box.fill(name)
    box.press("Enter")
    phone.wait_for_url("**/search?**")
    expect(phone.get_by_test_id("search-result").first.locator("a")).to_have_text(title)
    shoot(phone, tmp_path, "search-name")
    phone.get_by_test_id("search-result").first.locator("a").tap()
    expect(phone.locator("main")).to_contain_text(name)


def test_a_voucher_number(phone: Page, live_site: LiveSite, tmp_path: Path):
    voucher, title = _only_published_holder(live_site.app, LedgerRow.voucher_no, LedgerRow)
    search_from_home(phone, live_site, voucher)
    expect(phone.get_by_test_id("search-result").first.locator("a")).to_have_text(title)
    phone.get_by_test_id("search-result").first.locator("a").tap()
    expect(phone.locator("main")).to_contain_text(voucher)


def test_nothing_found_offers_a_way_on(phone: Page, live_site: LiveSite, tmp_path: Path):
    # No notice holds every word: the ones with some of them are shown, and the page says so.
    search_from_home(phone, live_site, "种粮大户补助")
    expect(phone.get_by_test_id("search-relaxed")).to_have_text("没有同时包含全部词语的结果，以下是包含部分词语的结果")
    expect(phone.get_by_test_id("search-result").first).to_be_visible()
    assert_fits_phone(phone)
    shoot(phone, tmp_path, "search-suggestions")

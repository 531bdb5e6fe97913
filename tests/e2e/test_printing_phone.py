"""Charts and 打印公示 on a phone with JavaScript off: the bars fit the screen, the numbers
under them match the ledger, and the print link hands over a PDF."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import Page, expect
from sqlalchemy import select

from tests.e2e.conftest import LiveSite
from tests.e2e.test_phone import PHONE_WIDTH, assert_fits_phone, fen, shoot
from transparency.areas.models import Area
from transparency.core.db import db
from transparency.demo.county import MAIN_VILLAGE

# One worker runs the whole module: its demo county and Chromium are built once per module.
pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("e2e_printing_phone")]


def _village_code(live_site: LiveSite) -> str:
    with live_site.app.app_context():
        return db.session.scalars(select(Area.code).where(Area.name == MAIN_VILLAGE)).one()


def test_village_charts_fit_a_phone_and_match_the_latest_ledger(
    phone_without_js: Page, live_site: LiveSite, tmp_path: Path
):
    page = phone_without_js
    page.goto(live_site(f"/v/{_village_code(live_site)}"))
    chart = page.get_by_test_id("chart-income-expense")
    expect(chart).to_be_visible()
    box = chart.locator("svg").bounding_box()
    assert box is not None and box["width"] <= PHONE_WIDTH
    assert_fits_phone(page)
    shoot(page, tmp_path, "village-charts")

    # The last row of the chart is the latest ledger: its bars say what its table's totals say.
    last = chart.locator("g.chart-row").last
    income = last.locator('text[data-series="收入"]').text_content() or ""
    expense = last.locator('text[data-series="支出"]').text_content() or ""
    page.get_by_test_id("latest-finance").click()
    assert fen(page.get_by_test_id("income-total").inner_text()) == fen(income)
    assert fen(page.get_by_test_id("expense-total").inner_text()) == fen(expense)

    # The numbers are also there as a table, opened without JavaScript.
    page.go_back()
    chart.locator("summary").click()
    expect(chart.locator("table")).to_be_visible()


def test_print_link_on_a_notice_hands_over_a_pdf(phone_without_js: Page, live_site: LiveSite):
    page = phone_without_js
    page.goto(live_site(f"/v/{_village_code(live_site)}"))
    page.get_by_test_id("latest-finance").click()
    link = page.get_by_test_id("print-pdf")
    expect(link).to_have_text("打印公示")
    response = page.request.get(live_site(link.get_attribute("href")))
    assert response.status == 200
    assert response.headers["content-type"] == "application/pdf"
    assert response.body().startswith(b"%PDF-")

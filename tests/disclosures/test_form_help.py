"""Forms that help (issue 15, point 8): Enter saves the draft, 会计科目 offers the standard
accounts, no "Markdown" on the page, example dates are hints and never placeholders, and the
error summary links to each field to fix."""

from __future__ import annotations

import re

from tests.conftest import login_as
from transparency.disclosures.chart_of_accounts import STANDARD_ACCOUNTS


def _new_ledger_page(app) -> str:
    return login_as(app, "clerk-a").get("/manage/new/finance").get_data(as_text=True)


def test_the_first_button_of_the_form_saves_so_enter_saves(app, world):
    html = _new_ledger_page(app)
    form = re.search(r'<form method="post" enctype="multipart/form-data" novalidate>.*?</form>', html, re.S).group(0)
    buttons = re.findall(r"<button[^>]*>[^<]*</button>", form)
    assert "保存草稿" in buttons[0] and "add_rows" not in buttons[0]
    assert any('name="add_rows"' in button and 'formaction="/manage/new/finance#rows"' in button for button in buttons)


def test_the_account_field_offers_the_standard_accounts_and_allows_others(app, world):
    html = _new_ledger_page(app)
    assert re.search(r'<input[^>]*id="rows-0-account"[^>]*list="standard-accounts"', html)
    datalist = re.search(r'<datalist id="standard-accounts">(.*?)</datalist>', html, re.S).group(1)
    offered = re.findall(r'<option value="([^"]+)"', datalist)
    assert offered == [name for _code, name in STANDARD_ACCOUNTS]
    assert {"现金", "银行存款", "发包及上交收入", "管理费用", "一事一议资金"} <= set(offered)
    assert "<select" not in re.search(r'<td data-label="会计科目">.*?</td>', html, re.S).group(0)


def test_no_markdown_and_the_simple_formatting_is_named(app, world):
    html = _new_ledger_page(app)
    assert "markdown" not in html.lower()
    assert "空一行另起一段" in html and "**重要**" in html


def test_example_dates_are_hints_not_placeholders(app, world):
    html = _new_ledger_page(app)
    assert "placeholder=" not in re.search(r"<main.*</main>", html, re.S).group(0)
    assert "日期按 2026-01-19 的样子填写" in html
    assert re.search(r'<p class="hint" id="day-hint">[^<]*；按 2025-03-01 的样子填写</p>', html)
    assert re.search(r'<input aria-describedby="day-hint"', html)


def test_the_error_summary_links_to_each_field_and_row_to_fix(app, world):
    clerk = login_as(app, "clerk-a")
    data = {
        "csrf_token": clerk.token("/manage/new/finance"),
        "period_kind": "quarter",
        "year": "2026",
        "number": "4",
        "title": "",
        "rows-0-entry_date": "2026-13-45",
        "rows-0-voucher_no": "2610-001",
        "rows-0-account": "补助收入",
        "rows-0-summary": "上级拨付",
        "rows-0-income": "10.00",
    }
    html = clerk.post("/manage/new/finance", data).get_data(as_text=True)
    summary = re.search(r'data-testid="error-summary">.*?</div>', html, re.S).group(0)
    assert '<a href="#title">标题：请填写标题</a>' in summary
    assert re.search(r'<a href="#rows-0-entry_date">明细账第 1 行 日期：日期格式不对', summary)
    assert "已用红色标出" not in summary
    # Fields left empty get no message: only the ones typed wrong or required.
    assert "#rows-1-" not in summary and "#opening_balance" not in summary

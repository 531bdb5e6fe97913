"""Hard disclosures get a readable PDF or a clear message — never a 500, never a hung worker."""

from __future__ import annotations

import datetime as dt
import multiprocessing
import re

import pytest

from tests.conftest import running_app
from tests.disclosures.helpers import ledger_content, publish_ledger
from transparency.disclosures.content import DraftContent, LedgerLine

pytestmark = pytest.mark.pdf_tools


def _pdf_url(version) -> str:
    return f"/d/{version.disclosure_id}/v/{version.number}/print.pdf"


def test_a_5000_row_ledger_is_refused_at_once_with_a_message(app, world, client):
    with app.app_context():
        version = publish_ledger(world, ledger_content(rows=5000))
    response = client.get(_pdf_url(version))
    assert response.status_code == 413
    page = response.get_data(as_text=True)
    assert "5,000 行" in page and "1,500 行" in page
    assert client.get(f"/d/{version.disclosure_id}").status_code == 200  # still readable online
    assert multiprocessing.active_children() == []  # nothing was started for it


def test_rendering_past_the_time_limit_is_stopped_with_a_message(database_url, tmp_path, world):
    with running_app(database_url, tmp_path, PRINT_TIME_LIMIT=0.05) as app:
        with app.app_context():
            version = publish_ledger(world, ledger_content(rows=60))
        response = app.test_client().get(_pdf_url(version))
    assert response.status_code == 503
    assert int(response.headers["Retry-After"]) > 0
    assert "生成打印文件超时" in response.get_data(as_text=True)
    assert multiprocessing.active_children() == []  # the child was killed, not left running


def test_a_rendering_that_runs_out_of_memory_gets_a_message(database_url, tmp_path, world):
    with running_app(database_url, tmp_path, PRINT_MEMORY_LIMIT=64 * 1024 * 1024) as app:
        with app.app_context():
            version = publish_ledger(world)
        response = app.test_client().get(_pdf_url(version))
    assert response.status_code == 503
    assert "生成打印文件时出了问题" in response.get_data(as_text=True)


def test_long_summaries_rare_characters_and_emoji_still_print(app, world, client, read_pdf):
    summary = ("村集体经济组织支付水渠清淤及道路维修人工费用" * 30)[:480] + "𠀀𠁆𪚥😀🌾"
    assert len(summary) <= 500
    lines = [
        LedgerLine(dt.date(2025, 1, 5), "2501-001", "补助收入", summary, income=500_000),
        LedgerLine(dt.date(2025, 1, 6), "2501-002", "管理费用𠮷", "购买办公用品😀", expense=12_345),
    ]
    content = DraftContent(
        title="2025年第1季度财务收支明细😀𠀀",
        body="生僻字：𠀀𠁆𪚥；表情：🌾😀。",
        opening_balance=100_000,
        closing_balance=587_655,
        ledger_rows=lines,
    )
    with app.app_context():
        version = publish_ledger(world, content)
    response = client.get(_pdf_url(version))
    assert response.status_code == 200
    pdf = read_pdf(response.data)
    assert pdf.pages >= 1
    flat = re.sub(r"\s+", "", pdf.text())
    assert "村集体经济组织支付水渠清淤及道路维修人工费用" * 3 in flat  # the long summary wraps, whole
    assert "¥5,000.00¥123.45" in flat  # totals row intact


def test_a_ledger_without_expense_prints_without_an_empty_chart(app, world, client, read_pdf):
    lines = [LedgerLine(dt.date(2025, 1, 5), "2501-001", "补助收入", "上级拨付村级组织运转经费", income=500_000)]
    content = DraftContent(title="只有收入的账", opening_balance=0, closing_balance=500_000, ledger_rows=lines)
    with app.app_context():
        version = publish_ledger(world, content)
    flat = re.sub(r"\s+", "", read_pdf(client.get(_pdf_url(version)).data).text())
    assert "¥5,000.00¥0.00" in flat
    assert "支出按会计科目" not in flat


def test_printing_is_rate_limited_per_visitor(database_url, tmp_path, world):
    with running_app(database_url, tmp_path, PRINT_RATE_LIMIT="2 per minute") as app:
        with app.app_context():
            version = publish_ledger(world)
        client = app.test_client()
        statuses = [client.get(_pdf_url(version) + "?size=letter").status_code for _ in range(3)]
    assert statuses == [400, 400, 429]

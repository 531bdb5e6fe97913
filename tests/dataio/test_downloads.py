"""Public downloads of published versions: CSV, XLSX, JSON; masked as on the page; no formulas."""

from __future__ import annotations

import csv
import io
import json

from openpyxl import load_workbook

from tests.disclosures.helpers import ledger_content, publish_ledger
from tests.disclosures.samples import ID_A, ID_B, SUBSIDY_FORM
from tests.disclosures.test_tables import _publish
from transparency.core.db import db
from transparency.disclosures.content import LedgerLine

HOSTILE = ['=HYPERLINK("http://evil","点我")', "+1+2", "-3+4", "@SUM(A1:A9)", "\tcmd", "\rcmd"]


def _hostile_ledger(app, world) -> int:
    content = ledger_content(rows=0)
    content.ledger_rows = [
        LedgerLine(
            entry_date=ledger_content().ledger_rows[0].entry_date,
            voucher_no=text[:30],
            account="管理费用",
            summary=text,
            expense=100,
        )
        for text in HOSTILE
    ]
    content.body = "=cmd|' /C calc'!A0"
    content.closing_balance = content.opening_balance - 100 * len(HOSTILE)
    with app.app_context():
        version = publish_ledger(world, content)
        return version.disclosure_id


def test_cells_that_would_be_formulas_are_written_as_text(app, world):
    disclosure_id = _hostile_ledger(app, world)
    client = app.test_client()
    rows = list(csv.reader(io.StringIO(client.get(f"/d/{disclosure_id}/v/1.csv").data.decode("utf-8-sig"))))
    summaries = [
        row[3] for row in rows[rows.index(["日期", "凭证号", "会计科目", "摘要", "收入（元）", "支出（元）"]) + 1 :]
    ]
    assert summaries == ["'" + text for text in HOSTILE]
    assert ["说明", "'=cmd|' /C calc'!A0"] in rows
    assert ["期初余额（元）", "1000.00"] in rows  # numbers stay numbers

    sheet = load_workbook(io.BytesIO(client.get(f"/d/{disclosure_id}/v/1.xlsx").data)).active
    cells = [cell for row in sheet.iter_rows() for cell in row if isinstance(cell.value, str)]
    assert not [c for c in cells if c.data_type == "f"]
    assert not [c for c in cells if c.value.startswith(("=", "+", "-", "@", "\t", "\r"))]
    assert '\'=HYPERLINK("http://evil","点我")' in [c.value for c in cells]
    amounts = [row[5].value for row in sheet.iter_rows() if row[0].value == "2025-01-05"]
    assert all(isinstance(v, float | int) for v in amounts)


def test_downloads_mask_id_numbers_exactly_as_the_public_page(app, world):
    _version_id, public_url = _publish(app, "subsidy", SUBSIDY_FORM)
    disclosure_id = int(public_url.rstrip("/").split("/")[-1])
    client = app.test_client()
    for fmt in ("csv", "xlsx", "json"):
        response = client.get(f"/d/{disclosure_id}/v/1.{fmt}")
        assert response.status_code == 200
        assert "attachment;" in response.headers["Content-Disposition"]
        assert response.headers["X-Content-Type-Options"] == "nosniff"
        if fmt == "xlsx":
            sheet = load_workbook(io.BytesIO(response.data)).active
            text = "\n".join(str(c.value) for row in sheet.iter_rows() for c in row)
        else:
            text = response.data.decode("utf-8-sig")
        assert "1101**********002X" in text and "5113**********1234" in text
        assert ID_A not in text and ID_B not in text
    document = json.loads(client.get(f"/d/{disclosure_id}/v/1.json").data)
    assert document["disclosure"]["village"]["code"] == world.village_a.code
    assert document["program_totals"] == [
        {"program": "耕地地力保护补贴", "declared_total": "1579.80"},
        {"program": "最低生活保障金", "declared_total": "3060.00"},
    ]
    assert document["subsidies"][0]["basis"] == "15" and document["subsidies"][0]["rate"] == "105.32"


def test_drafts_and_unknown_versions_are_not_downloadable(app, world):
    from tests.disclosures.helpers import draft_ledger

    with app.app_context():
        draft = draft_ledger(world)
        db.session.commit()
        draft_id = draft.disclosure_id
    client = app.test_client()
    assert client.get(f"/d/{draft_id}/v/1.csv").status_code == 404
    assert client.get("/d/999/v/1.xlsx").status_code == 404
    assert client.get(f"/d/{draft_id}/v/1.exe").status_code == 404


def test_the_public_page_links_its_downloads(app, world):
    with app.app_context():
        disclosure_id = publish_ledger(world).disclosure_id
    page = app.test_client().get(f"/d/{disclosure_id}").get_data(as_text=True)
    for fmt in ("xlsx", "csv", "json"):
        assert f'href="/d/{disclosure_id}/v/1.{fmt}"' in page

"""The clerk's upload page: who may use it, CSRF, size caps, and nothing written unless all is valid."""

from __future__ import annotations

import io

import pytest
from sqlalchemy import func, select

from tests.conftest import login_as
from tests.dataio.helpers import GOOD_LEDGER_ROWS, LEDGER_HEADER, excel_like_xlsx, ledger_sheet, upload, workbook_bytes
from transparency.audit.models import AuditEntry
from transparency.core.db import db
from transparency.disclosures.models import Disclosure, LedgerRow


def _written(app) -> tuple[int, int, int]:
    with app.app_context():
        s = db.session
        return (
            s.scalar(select(func.count(Disclosure.id))),
            s.scalar(select(func.count(LedgerRow.id))),
            s.scalar(select(func.count(AuditEntry.seq)).where(AuditEntry.action.like("disclosure.%"))),
        )


@pytest.mark.parametrize("username", ["reviewer-a", "inspector", "admin"])
def test_only_clerks_upload(app, world, username):
    browser = login_as(app, username)
    assert browser.get("/manage/import/finance").status_code == 403
    response = upload(browser, "finance", workbook_bytes(("账", ledger_sheet(GOOD_LEDGER_ROWS))))
    assert response.status_code == 403
    assert _written(app) == (0, 0, 0)


def test_anonymous_visitors_are_sent_to_log_in(client, world):
    assert client.get("/manage/import/finance").status_code == 302


def test_the_draft_belongs_to_the_clerks_own_village(app, world):
    response = upload(login_as(app, "clerk-b"), "finance", workbook_bytes(("账", ledger_sheet(GOOD_LEDGER_ROWS))))
    assert response.status_code == 302
    with app.app_context():
        assert db.session.scalars(select(Disclosure)).one().village_id == world.village_b.id


def test_a_post_without_the_csrf_token_is_refused(app, world):
    browser = login_as(app, "clerk-a")
    data = workbook_bytes(("账", ledger_sheet(GOOD_LEDGER_ROWS)))
    form = {"period_kind": "quarter", "year": "2025", "number": "1", "spreadsheet": (io.BytesIO(data), "a.xlsx")}
    response = browser.client.post("/manage/import/finance", data=form, content_type="multipart/form-data")
    assert response.status_code == 400
    assert _written(app) == (0, 0, 0)


def test_unknown_tables_are_404(app, world):
    assert login_as(app, "clerk-a").get("/manage/import/decisions").status_code == 404
    assert app.test_client().get("/data/templates/nothing.xlsx").status_code == 404


def test_missing_file_and_bad_period_keep_what_was_typed(app, world):
    response = login_as(app, "clerk-a").post(
        "/manage/import/finance", {"period_kind": "quarter", "year": "2025", "number": "7", "title": "第一季度"}
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "请选择要上传的表格文件" in html
    assert 'value="第一季度"' in html


def test_a_file_over_the_size_cap_gets_a_message_not_an_error(app, world):
    app.config["MAX_SPREADSHEET_BYTES"] = 2048
    response = upload(login_as(app, "clerk-a"), "finance", b"x" * 4096, "big.csv")
    assert response.status_code == 422
    assert "文件超过 2 KB，没有读取" in response.get_data(as_text=True)
    assert _written(app) == (0, 0, 0)


def test_a_request_over_the_servers_limit_is_a_413_page(app, world):
    app.config["MAX_CONTENT_LENGTH"] = 10_000
    response = upload(login_as(app, "clerk-a"), "finance", b"x" * 20_000, "big.csv")
    assert response.status_code == 413
    assert "文件太大" in response.get_data(as_text=True)


def test_a_100k_row_csv_is_refused_with_a_message_and_nothing_written(app, world):
    rows = [["2025-01-05", f"记-{i}", "管理费用", "购买办公用品", "", "1.00"] for i in range(100_000)]
    data = "\n".join(",".join(row) for row in [LEDGER_HEADER, *rows]).encode()
    response = upload(login_as(app, "clerk-a"), "finance", data, "大表.csv")
    assert response.status_code == 422
    assert "表格超过 1000 行，没有导入" in response.get_data(as_text=True)
    assert _written(app) == (0, 0, 0)


def test_a_disguised_file_is_named_on_the_page(app, world):
    response = upload(login_as(app, "clerk-a"), "finance", b"\x89PNG\r\n\x1a\n" + b"\x00" * 64, "账.xlsx")
    assert response.status_code == 422
    assert "文件的内容是 PNG，不是表格" in response.get_data(as_text=True)


def test_subsidy_and_compensation_tables_upload_from_their_templates(app, world):
    clerk = login_as(app, "clerk-a")
    for category, period in (
        ("subsidy", {"period_kind": "year"}),
        ("land_compensation", {"period_kind": "day", "day": "2026-05-06"}),
    ):
        template = clerk.get(f"/data/templates/{category}.xlsx").data
        response = upload(clerk, category, template, **period)  # the example row is a valid table
        assert response.status_code == 302, response.get_data(as_text=True)[-3000:]
    with app.app_context():
        assert db.session.scalar(select(func.count(Disclosure.id))) == 2


def test_an_excel_file_with_many_rows_under_the_limit_becomes_one_draft(app, world):
    rows = [["2025-01-05", f"记-{i}", "管理费用", "购买办公用品", "", "1.00"] for i in range(800)]
    sheet = [["期初余额", "1000"], ["期末余额", "200.00"], LEDGER_HEADER, *rows]
    response = upload(login_as(app, "clerk-a"), "finance", excel_like_xlsx(sheet), title="全年明细")
    assert response.status_code == 302, response.get_data(as_text=True)[-2000:]
    assert _written(app)[:2] == (1, 800)

"""The complaint receipt as a PDF: number, kind, village, date, deadlines, how to check online —
and the secret code only on the receipt made right after filing."""

from __future__ import annotations

import re

import pytest

from tests.complaints.helpers import file_matter
from tests.conftest import Browser, running_app

pytestmark = pytest.mark.pdf_tools

_FORM = re.compile(r'<form method="post" action="([^"]+)" class="print-receipt">(.*?)</form>', re.S)


def _receipt_form(html: str) -> tuple[str, dict[str, str]]:
    match = _FORM.search(html)
    assert match, "no receipt download on the receipt page"
    fields = dict(re.findall(r'name="([^"]+)" value="([^"]*)"', match.group(2)))
    return match.group(1), fields


def _flat(text: str) -> str:
    return re.sub(r"\s+", "", text)


def test_receipt_made_right_after_filing_carries_number_code_and_deadlines(app, world, client, read_pdf):
    receipt = file_matter(Browser(client), world.village_a.code)
    action, fields = _receipt_form(receipt.html)
    assert action == "/complaints/receipt.pdf" and fields["number"] == receipt.number
    response = client.post(action, data=fields)
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    assert response.headers["Cache-Control"] == "no-store"
    assert response.headers["Content-Disposition"].startswith("attachment;")
    pdf = read_pdf(response.data)
    flat = _flat(pdf.text())
    for expected in (
        receipt.number,
        receipt.code,  # shown as on the receipt page, e.g. ABCD-EFGH-JKLM-N
        "投诉回执",
        "石桥镇石桥村",
        "登记时间",
        "办理期限",
        "受理期限",
        "受理后60天内答复",
        "（/track）",
    ):
        assert expected in flat, expected
    assert pdf.qr_codes() == ["/track"]  # the page to check on; never the code


def test_a_receipt_made_later_leaves_the_code_out(database_url, tmp_path, world, read_pdf):
    with running_app(database_url, tmp_path, RECEIPT_CODE_MINUTES=0) as app:
        client = app.test_client()
        receipt = file_matter(Browser(client), world.village_a.code)
        action, fields = _receipt_form(receipt.html)
        response = client.post(action, data=fields)
    flat = _flat(read_pdf(response.data).text())
    assert receipt.number in flat
    assert receipt.code not in flat and receipt.code.replace("-", "") not in flat
    assert "事后打印的回执不含查询码" in flat


def test_a_wrong_code_gets_no_receipt(app, world, client):
    receipt = file_matter(Browser(client), world.village_a.code)
    action, fields = _receipt_form(receipt.html)
    wrong = "2222-2222-2222-2" if receipt.code != "2222-2222-2222-2" else "3333-3333-3333-3"
    response = client.post(action, data={**fields, "code": wrong})
    assert response.status_code == 422
    assert "受理编号或查询码不对" in response.get_data(as_text=True)
    assert client.post(action, data={**fields, "number": "2026-999999"}).status_code == 422


def test_the_receipt_is_never_reachable_by_get(app, world, client):
    assert client.get("/complaints/receipt.pdf").status_code == 405

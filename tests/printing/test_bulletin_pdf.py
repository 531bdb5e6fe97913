"""打印公示: the printed disclosure is the online disclosure — same text, same totals, a QR code to it,
the committee's approval and the audit record of its publication."""

from __future__ import annotations

import json
import re

import pytest
from sqlalchemy import select

from tests.conftest import running_app
from tests.disclosures.helpers import ledger_content, publish_ledger
from tests.disclosures.samples import ID_A, ID_B
from tests.printing.helpers import compensation_content, decision_content, publish, subsidy_content
from transparency.audit.models import AuditEntry
from transparency.core.db import db
from transparency.disclosures import services
from transparency.disclosures.models import Category, PeriodKind

pytestmark = pytest.mark.pdf_tools

CJK_FONTS = ("Noto-Sans-CJK-SC", "WenQuanYi-Micro-Hei")


def _pdf_url(version) -> str:
    return f"/d/{version.disclosure_id}/v/{version.number}/print.pdf"


def _flat(text: str) -> str:
    """pdftotext breaks long lines where the page did: compare without whitespace."""
    return re.sub(r"\s+", "", text)


def test_the_notice_page_links_to_its_print_and_poster(app, world, client):
    with app.app_context():
        version = publish_ledger(world)
    page = client.get(f"/d/{version.disclosure_id}").get_data(as_text=True)
    link = re.search(r'<a [^>]*href="([^"]+)"[^>]*data-testid="print-pdf"[^>]*>([^<]+)</a>', page)
    assert link and link.group(2) == "打印公示"
    assert link.group(1) == _pdf_url(version)
    assert f'href="{_pdf_url(version)}?size=a3"' in page


def test_ledger_pdf_embeds_a_cjk_font_and_gives_back_the_chinese(app, world, client, read_pdf):
    with app.app_context():
        version = publish_ledger(world)
    response = client.get(_pdf_url(version))
    assert response.status_code == 200
    assert response.mimetype == "application/pdf"
    assert "inline; filename*=UTF-8''" in response.headers["Content-Disposition"]
    pdf = read_pdf(response.data)

    cjk = [f for f in pdf.fonts() if f["name"].split("+")[-1].startswith(CJK_FONTS)]
    assert cjk, pdf.fonts()
    assert all(f["embedded"] == "yes" and f["unicode"] == "yes" for f in cjk)

    text = pdf.text()
    flat = _flat(text)
    for expected in (
        "2025年第1季度财务收支明细",  # title
        "石桥镇石桥村",  # village
        "财务收支",  # category
        "2025年第1季度",  # period
        "上级拨付村级组织运转经费",  # a summary from the table
        "购买办公用品",
        "期初余额",
        "¥1,000.00",  # opening balance
        "¥1,000.00¥123.45",  # the totals row: income, expense
        "¥1,876.55",  # closing balance
        "村务监督委员会李德华签名同意",  # the approval, by name
        "第1版，共1版",
        "第1页/共1页",
    ):
        assert expected in flat, expected
    assert "\ufffd" not in text  # no glyph came back as a replacement character


def test_qr_code_on_the_page_scans_to_the_configured_public_address(database_url, tmp_path, world, read_pdf):
    with running_app(database_url, tmp_path, PUBLIC_BASE_URL="https://cwgk.linjiang.gov.cn") as app:
        with app.app_context():
            version = publish_ledger(world)
        pdf = read_pdf(app.test_client().get(_pdf_url(version)).data)
    expected = f"https://cwgk.linjiang.gov.cn/d/{version.disclosure_id}/v/1"
    assert pdf.qr_codes(page=1) == [expected]
    assert expected in pdf.text()  # the address is printed too, for those without a scanner


def test_qr_code_never_takes_the_address_the_visitor_used(app, world, client, read_pdf):
    """Without PUBLIC_BASE_URL or an allow-list the Host is the visitor's to write (issue 12): relative."""
    with app.app_context():
        version = publish_ledger(world)
    pdf = read_pdf(client.get(_pdf_url(version), base_url="http://cun.example.cn:8080").data)
    assert pdf.qr_codes(page=1) == [f"/d/{version.disclosure_id}/v/1"]


def test_pdf_carries_the_chain_head_recorded_at_publication(app, world, client, read_pdf):
    with app.app_context():
        version = publish_ledger(world)
        published = db.session.scalars(select(AuditEntry).where(AuditEntry.action == "disclosure.publish")).one()
        head, fingerprint = published.hash, json.loads(published.payload)["content_sha256"]
        # Later entries move the chain on; the print keeps the head of its own publication.
        services.start_correction(
            db.session, actor=world.accounts["clerk_a"], disclosure=version.disclosure, reason="补录一行"
        )
        db.session.commit()
    flat = _flat(read_pdf(client.get(_pdf_url(version)).data).text())
    assert head in flat
    assert fingerprint in flat
    assert f"第{published.seq}条" in flat


def test_long_ledger_breaks_across_pages_with_the_header_repeated(app, world, client, read_pdf):
    with app.app_context():
        version = publish_ledger(world, ledger_content(rows=120))
    pdf = read_pdf(client.get(_pdf_url(version)).data)
    assert pdf.pages >= 3
    for page in range(1, pdf.pages + 1):
        text = _flat(pdf.text(page, layout=True))
        assert f"第{page}页/共{pdf.pages}页" in text
        if page < pdf.pages:  # the last page may hold only the approval record
            assert "序号日期凭证号会计科目摘要收入支出" in text, page
    whole = _flat(pdf.text())
    assert whole.count("合计") == 1 + whole.count("合计金额")  # the totals row once, at the end


def test_a3_poster_is_an_a3_page(app, world, client, read_pdf):
    with app.app_context():
        version = publish_ledger(world)
    pdf = read_pdf(client.get(_pdf_url(version) + "?size=a3").data)
    assert "(A3)" in pdf.info()["Page size"]
    # No PUBLIC_BASE_URL and no allowed host: the request's Host is never printed (issue 12).
    assert pdf.qr_codes(page=1, dpi=100) == [f"/d/{version.disclosure_id}/v/1"]


def test_subsidy_pdf_masks_id_numbers_and_shows_programme_totals(app, world, client, read_pdf):
    with app.app_context():
        version = publish(world, Category.SUBSIDY, subsidy_content(), kind=PeriodKind.YEAR)
    text = read_pdf(client.get(_pdf_url(version)).data).text()
    flat = _flat(text)
    assert ID_A not in flat and ID_B not in flat
    assert "1101**********002X" in flat and "5113**********1234" in flat
    assert "耕地地力保护补贴合计¥2,422.36" in flat
    assert "最低生活保障金合计¥3,060.00" in flat


def test_compensation_and_decision_notices_print(app, world, client, read_pdf):
    import datetime as dt

    with app.app_context():
        compensation = publish(
            world, Category.LAND_COMPENSATION, compensation_content(), kind=PeriodKind.DAY, day=dt.date(2026, 5, 6)
        )
        decision = publish(world, Category.DECISIONS, decision_content(), kind=PeriodKind.DAY, day=dt.date(2026, 6, 1))
    flat = _flat(read_pdf(client.get(_pdf_url(compensation)).data).text())
    assert "收支相符" in flat and "¥93,500.00" in flat and "¥6,500.00" in flat
    # The rates per mu are printed, and each household's amounts were checked against them.
    assert "土地补偿标准¥38,000.00/亩" in flat and "安置补助标准¥3,000.00/亩" in flat and "已逐户核对" in flat
    flat = _flat(read_pdf(client.get(_pdf_url(decision)).data).text())  # no table at all
    assert "经村民代表会议表决，鱼塘续包三年。" in flat


def test_an_old_version_prints_as_itself_and_says_it_was_corrected(app, world, client, read_pdf):
    with app.app_context():
        first = publish_ledger(world)
        second = services.start_correction(
            db.session, actor=world.accounts["clerk_a"], disclosure=first.disclosure, reason="更正摘要"
        )
        services.submit(db.session, actor=world.accounts["clerk_a"], version=second)
        services.approve(db.session, actor=world.accounts["reviewer_a"], version=second, signed_name="李德华")
        db.session.commit()
    flat = _flat(read_pdf(client.get(_pdf_url(first)).data).text())
    assert "已被第2版更正" in flat and "第1版，共2版" in flat
    flat = _flat(read_pdf(client.get(_pdf_url(second)).data).text())
    assert "更正说明：更正摘要" in flat and "已被" not in flat


def test_unpublished_or_missing_versions_are_not_printed(app, world, client):
    from tests.disclosures.helpers import draft_ledger

    with app.app_context():
        draft = draft_ledger(world)
        db.session.commit()
    assert client.get(_pdf_url(draft)).status_code == 404
    assert client.get("/d/999/v/1/print.pdf").status_code == 404


def test_an_unknown_paper_size_gets_a_message(app, world, client):
    with app.app_context():
        version = publish_ledger(world)
    response = client.get(_pdf_url(version) + "?size=letter")
    assert response.status_code == 400
    assert "纸张大小只能是 A4 或 A3" in response.get_data(as_text=True)

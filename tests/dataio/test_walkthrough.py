"""The issue's "done when": template → filled with a mistake → row-level message → fixed → draft →
published → in the village's Atom feed."""

from __future__ import annotations

import re

import feedparser
from sqlalchemy import func, select

from tests.conftest import login_as
from tests.dataio.helpers import fill_template, upload
from transparency.core.db import db
from transparency.disclosures.models import Disclosure, DisclosureVersion, VersionStatus

FIELDS = {"标题": "2025年第1季度财务收支明细", "期初余额（元）": 1000, "期末余额（元）": 1376.55}
MISTAKE = [
    ["2025-01-05", "记-001", "补助收入", "上级拨付村级组织运转经费", 500, None],
    ["2025-02-30", "记-002", "管理费用", "购买办公用品", None, 123.45],  # no 30 February
]
FIXED = [MISTAKE[0], ["2025-02-28", *MISTAKE[1][1:]]]


def _count(app, model) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(model))


def test_template_mistake_fix_draft_publish_feed(app, world):
    clerk = login_as(app, "clerk-a")
    page = clerk.get("/manage/import/finance").get_data(as_text=True)
    link = re.search(r'href="(/data/templates/finance\.xlsx)"', page).group(1)
    template = clerk.get(link)
    assert template.status_code == 200
    assert template.headers["Content-Type"].startswith("application/vnd.openxmlformats")

    wrong = upload(clerk, "finance", fill_template(template.data, MISTAKE, FIELDS))
    html = wrong.get_data(as_text=True)
    assert wrong.status_code == 422
    assert "表格有 1 处问题，没有保存任何内容" in html
    # The mistake is named by the spreadsheet's own row number and column.
    problem = re.search(r'<span class="where">(.*?)</span>\s*<span class="what">(.*?)</span>', html, re.S)
    assert problem.group(1) == "第 10 行 · A 列（日期）"  # below the fields: title, body, three balances
    assert problem.group(2) == "日期格式不对，应写成 2025-03-01"
    assert _count(app, Disclosure) == 0

    right = upload(clerk, "finance", fill_template(template.data, FIXED, FIELDS))
    assert right.status_code == 302, right.get_data(as_text=True)[:2000]
    draft_page = clerk.get(right.headers["Location"]).get_data(as_text=True)
    assert "已从表格读入 2 行，保存为草稿" in draft_page
    assert "购买办公用品" in draft_page
    with app.app_context():
        version = db.session.scalars(select(DisclosureVersion)).one()
        assert version.status is VersionStatus.DRAFT
        assert [row.expense for row in version.ledger_rows] == [0, 12345]
        version_id = version.id

    submitted = clerk.post(f"/manage/versions/{version_id}/submit")
    assert submitted.status_code == 302
    reviewer = login_as(app, "reviewer-a")
    approved = reviewer.post(f"/manage/versions/{version_id}/approve", {"signed_name": "李德华", "note": ""})
    assert approved.status_code == 302

    village_page = app.test_client().get(f"/v/{world.village_a.code}").get_data(as_text=True)
    alternate = re.search(r'<link rel="alternate" type="application/atom\+xml"[^>]*href="([^"]+)"', village_page)
    feed_url = alternate.group(1)
    feed = feedparser.parse(app.test_client().get(feed_url).data)
    assert not feed.bozo, feed.bozo_exception
    assert [entry.title for entry in feed.entries] == ["石桥村：2025年第1季度财务收支明细"]
    assert feed.entries[0].link.endswith(f"/d/{_disclosure_id(app)}/v/1")


def _disclosure_id(app) -> int:
    with app.app_context():
        return db.session.scalar(select(Disclosure.id))

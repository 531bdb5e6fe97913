"""Hostile text in disclosures: markup and scripts, SQL fragments, oversize and invisible text.
Every one gets a clear answer, none a 500 (TESTING propagates exceptions, so a crash fails the test)."""

from __future__ import annotations

import html
import re

import pytest
from sqlalchemy import func, select

from tests.conftest import login_as
from tests.core.hostile import (
    BREAKOUT,
    FINANCE_FORM,
    FORMS,
    HOSTILE_FIELDS,
    IMG,
    SCRIPT,
    assert_no_active_markup,
    count,
    error_messages,
    parse,
    shown_as_text,
    version_id_from,
)
from tests.disclosures.helpers import draft_ledger, publish_ledger
from transparency.core.db import db
from transparency.disclosures.models import Disclosure, DisclosureVersion


@pytest.mark.parametrize("category", list(HOSTILE_FIELDS))
def test_markup_in_every_text_field_is_shown_as_text_on_public_and_staff_pages(app, world, category):
    hostile = HOSTILE_FIELDS[category]
    clerk = login_as(app, "clerk-a")
    response = clerk.post(f"/manage/new/{category}", {**FORMS[category], **hostile})
    assert response.status_code == 302, error_messages(response.get_data(as_text=True))
    version_id = version_id_from(response)

    edit = clerk.get(f"/manage/versions/{version_id}/edit").get_data(as_text=True)
    inputs = {
        attrs.get("name"): attrs.get("value")
        for tag, attrs in assert_no_active_markup(edit, "edit").tags
        if tag == "input"
    }
    for name, value in hostile.items():
        if name != "body":
            assert inputs.get(name) == value, name  # kept whole, inside its attribute
    assert clerk.post(f"/manage/versions/{version_id}/submit").status_code == 302

    reviewer = login_as(app, "reviewer-a")
    staff = reviewer.get(f"/manage/versions/{version_id}").get_data(as_text=True)
    parsed = assert_no_active_markup(staff, "staff")
    for name, value in hostile.items():
        if name != "body":
            assert shown_as_text(parsed, value), name
    approved = reviewer.post(f"/manage/versions/{version_id}/approve", {"signed_name": "李德华", "note": SCRIPT})
    assert approved.status_code == 302
    public_url = approved.headers["Location"]

    visitor = app.test_client()
    public = visitor.get(public_url).get_data(as_text=True)
    parsed = assert_no_active_markup(public, "public")
    for name, value in hostile.items():
        if name != "body":
            assert shown_as_text(parsed, value), name
    assert "<script>" not in public and html.escape(SCRIPT, quote=False) in public
    for url in (f"/v/{world.village_a.code}", f"/v/{world.village_a.code}/{category}"):
        listing = visitor.get(url).get_data(as_text=True)
        assert shown_as_text(assert_no_active_markup(listing, url), hostile["title"])
    assert_no_active_markup(reviewer.get("/manage/").get_data(as_text=True), "dashboard")


def test_markup_in_correction_reason_review_notes_and_return_reasons_is_text(app, world):
    with app.app_context():
        disclosure_id = publish_ledger(world).disclosure_id
    clerk = login_as(app, "clerk-a")
    reviewer = login_as(app, "reviewer-a")
    response = clerk.post(f"/manage/disclosures/{disclosure_id}/correct", {"reason": SCRIPT + IMG + BREAKOUT})
    assert response.status_code == 302
    version_id = version_id_from(response)
    assert clerk.post(f"/manage/versions/{version_id}/submit").status_code == 302
    assert reviewer.post(f"/manage/versions/{version_id}/return", {"reasons": IMG + BREAKOUT}).status_code == 302
    for url in (f"/manage/versions/{version_id}", f"/manage/versions/{version_id}/edit"):
        parsed = assert_no_active_markup(clerk.get(url).get_data(as_text=True), url)
        assert shown_as_text(parsed, IMG + BREAKOUT), url
    assert clerk.post(f"/manage/versions/{version_id}/submit").status_code == 302
    approved = reviewer.post(f"/manage/versions/{version_id}/approve", {"signed_name": "李德华", "note": BREAKOUT})
    assert approved.status_code == 302
    parsed = assert_no_active_markup(reviewer.get(f"/manage/versions/{version_id}").get_data(as_text=True))
    assert shown_as_text(parsed, BREAKOUT)

    visitor = app.test_client()
    for url in (f"/d/{disclosure_id}", f"/d/{disclosure_id}/v/1", f"/d/{disclosure_id}/v/1/diff"):
        response = visitor.get(url)
        assert response.status_code == 200, url
        assert_no_active_markup(response.get_data(as_text=True), url)
    assert shown_as_text(parse(visitor.get(f"/d/{disclosure_id}").get_data(as_text=True)), SCRIPT + IMG + BREAKOUT)


MARKDOWN_BODY = "\n\n".join(
    [
        "<script>alert(1)</script>",
        "<img src=x onerror=alert(2)>",
        '<a href="javascript:alert(3)">raw link</a>',
        "[click me](javascript:alert(4))",
        "[also me](JaVaScRiPt:alert(5))",
        "[data](data:text/html;base64,PHNjcmlwdD5hbGVydCg2KTwvc2NyaXB0Pg==)",
        "<javascript:alert(7)>",
        "![pixel](https://evil.example/pixel.png)",
        '<iframe src="https://evil.example"></iframe>',
        "[文件](https://example.org/doc.pdf)",
        "**加粗**",
    ]
)


def test_markdown_body_is_rendered_then_cleaned(app, world):
    clerk = login_as(app, "clerk-a")
    response = clerk.post("/manage/new/finance", {**FINANCE_FORM, "body": MARKDOWN_BODY})
    assert response.status_code == 302
    version_id = version_id_from(response)
    assert clerk.post(f"/manage/versions/{version_id}/submit").status_code == 302
    reviewer = login_as(app, "reviewer-a")
    approved = reviewer.post(f"/manage/versions/{version_id}/approve", {"signed_name": "李德华"})
    page = app.test_client().get(approved.headers["Location"]).get_data(as_text=True)
    body = re.search(r'<div class="disclosure-body">(.*?)</div>', page, re.S).group(1)

    parsed = assert_no_active_markup(body, "markdown")
    assert not [t for t, _ in parsed.tags if t == "img"]  # remote images are dropped (tracking pixels)
    links = [attrs for tag, attrs in parsed.tags if tag == "a"]
    assert [a.get("href") for a in links] == ["https://example.org/doc.pdf"]
    rel = (links[0].get("rel") or "").split()
    assert {"noopener", "noreferrer", "nofollow"} <= set(rel)
    assert ("strong", {}) in parsed.tags  # Markdown still works
    assert_no_active_markup(page, "page")


def test_sql_fragments_in_forms_are_stored_and_shown_verbatim(app, world):
    title = "'; DROP TABLE disclosure; --"
    summary = "1' OR '1'='1"
    clerk = login_as(app, "clerk-a")
    response = clerk.post(
        "/manage/new/finance",
        {**FINANCE_FORM, "title": title, "rows-0-summary": summary, "rows-0-account": 'x" OR ""="'},
    )
    assert response.status_code == 302
    version_id = version_id_from(response)
    with app.app_context():
        version = db.session.get(DisclosureVersion, version_id)
        assert version.title == title
        assert version.ledger_rows[0].summary == summary
        assert db.session.scalar(select(func.count()).select_from(Disclosure)) == 1
    parsed = parse(clerk.get(f"/manage/versions/{version_id}").get_data(as_text=True))
    assert shown_as_text(parsed, title) and shown_as_text(parsed, summary)


LONG_BODY = "本期收支说明，请村民监督。" * 2700  # 35,100 characters, about 100 KB in UTF-8


def test_a_100_kb_body_is_refused_with_a_message_and_what_was_typed_is_kept(app, world):
    assert len(LONG_BODY.encode()) > 100_000 and len(LONG_BODY) > 20_000
    clerk = login_as(app, "clerk-a")
    response = clerk.post("/manage/new/finance", {**FINANCE_FORM, "body": LONG_BODY})
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "正文最多 20000 字" in page
    parsed = parse(page)
    textarea_text = "".join(parsed.text)
    assert LONG_BODY in textarea_text
    assert any(tag == "input" and attrs.get("value") == FINANCE_FORM["title"] for tag, attrs in parsed.tags)
    assert count(app, Disclosure) == 0


def test_a_100_kb_body_on_an_existing_draft_changes_nothing(app, world):
    with app.app_context():
        version_id = draft_ledger(world).id
        db.session.commit()
    clerk = login_as(app, "clerk-a")
    form = {k: v for k, v in FINANCE_FORM.items() if k not in ("period_kind", "year", "number")}
    response = clerk.post(f"/manage/versions/{version_id}/edit", {**form, "title": "改过的标题", "body": LONG_BODY})
    assert response.status_code == 422 and "正文最多 20000 字" in response.get_data(as_text=True)
    with app.app_context():
        version = db.session.get(DisclosureVersion, version_id)
        assert version.body == "本期收支如下。" and version.title != "改过的标题"


def test_a_body_of_exactly_20000_characters_is_accepted(app, world):
    body = "村" * 20_000
    clerk = login_as(app, "clerk-a")
    response = clerk.post("/manage/new/finance", {**FINANCE_FORM, "body": body})
    assert response.status_code == 302
    with app.app_context():
        assert len(db.session.get(DisclosureVersion, version_id_from(response)).body) == 20_000
    response = clerk.post("/manage/new/finance", {**FINANCE_FORM, "body": body + "村"})
    assert response.status_code == 422


@pytest.mark.parametrize(
    ("field", "limit", "message"),
    [("title", 120, "标题最多 120 字"), ("rows-0-summary", 500, None), ("rows-0-voucher_no", 30, None)],
)
def test_overlong_short_fields_are_refused_before_the_database(app, world, field, limit, message):
    clerk = login_as(app, "clerk-a")
    response = clerk.post("/manage/new/finance", {**FINANCE_FORM, field: "长" * (limit + 1)})
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert error_messages(page)
    if message:
        assert message in page
    assert count(app, Disclosure) == 0


def test_zero_width_and_control_characters_are_stripped_before_storage(app, world):
    clerk = login_as(app, "clerk-a")
    dirty = {
        "title": "\u200b村\u200c务\u200d公\u2060开\ufeff明细\u202e\x00\x07\x1b",
        "body": "第一段\u200b\r\n第二段\x00\u2066隐藏\u2069",
        "rows-0-voucher_no": "2501\u200b-001\x08",
        "rows-0-account": "\u202a补助收入\u202c",
        "rows-0-summary": "上级\x00拨付\x7f村级\x0b组织\x0c运转经费\u200e",
        "rows-0-income": "5\u200b00",
        "rows-0-entry_date": "2025-01-05\u200b",
    }
    response = clerk.post("/manage/new/finance", {**FINANCE_FORM, **dirty})
    assert response.status_code == 302, error_messages(response.get_data(as_text=True))
    with app.app_context():
        version = db.session.get(DisclosureVersion, version_id_from(response))
        assert version.title == "村务公开明细"
        assert version.body == "第一段\n第二段隐藏"
        row = version.ledger_rows[0]
        assert (row.voucher_no, row.account, row.summary) == ("2501-001", "补助收入", "上级拨付村级组织运转经费")
        assert row.income == 50_000


def test_a_title_of_only_invisible_characters_is_empty(app, world):
    clerk = login_as(app, "clerk-a")
    response = clerk.post("/manage/new/finance", {**FINANCE_FORM, "title": "\u200b\u200d\ufeff\x00 \u2060"})
    assert response.status_code == 422
    assert "请填写标题" in response.get_data(as_text=True)

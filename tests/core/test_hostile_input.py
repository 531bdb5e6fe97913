"""Hostile input: markup and scripts, SQL fragments, oversize text, invisible characters, broken
UTF-8, absurd numbers and dates, foreign and malformed ids. Every one gets a clear answer, none a 500
(TESTING propagates exceptions, so a crash fails the test)."""

from __future__ import annotations

import datetime as dt
import html
import io
import re
from html.parser import HTMLParser
from typing import Any
from urllib.parse import quote

import pytest
from flask import Flask
from PIL import Image
from sqlalchemy import func, select

from tests.conftest import PASSWORD, Browser, login_as
from tests.disclosures.helpers import draft_ledger, ledger_content, publish_ledger
from tests.disclosures.samples import COMPENSATION_FORM, LEDGER_FORM, SUBSIDY_FORM
from transparency.accounts.models import Role
from transparency.accounts.services import create_account
from transparency.areas.models import Area, AreaLevel
from transparency.areas.services import create_area
from transparency.core.db import db
from transparency.core.markdown import render_markdown
from transparency.core.uploads import UploadedFile
from transparency.disclosures import services
from transparency.disclosures.models import Category, Disclosure, DisclosureVersion, PeriodKind, VersionStatus

MEETING_DAY = dt.date(2025, 3, 1)
SCRIPT = "<script>alert(1)</script>"
IMG = "<img src=x onerror=alert(2)>"
BREAKOUT = '"><svg onload=alert(3)>'
PAYLOADS = (SCRIPT, IMG, BREAKOUT)

FINANCE_FORM = {k: v for k, v in LEDGER_FORM.items() if not k.startswith("rows-2-")}

FORMS = {"finance": FINANCE_FORM, "subsidy": SUBSIDY_FORM, "land_compensation": COMPENSATION_FORM}

# Every free-text field of each category, each given one of the payloads (within its length cap).
HOSTILE_FIELDS = {
    "finance": {
        "title": SCRIPT + "财务", "body": IMG + "\n\n" + SCRIPT, "rows-0-voucher_no": SCRIPT,
        "rows-0-account": IMG, "rows-0-summary": BREAKOUT + SCRIPT, "rows-1-voucher_no": BREAKOUT,
        "rows-1-account": SCRIPT, "rows-1-summary": IMG,
    },
    "subsidy": {
        "title": BREAKOUT + "补贴", "body": SCRIPT, "totals-0-program": SCRIPT, "rows-0-program": SCRIPT,
        "rows-0-recipient": IMG, "rows-0-household": BREAKOUT,
    },
    "land_compensation": {
        "title": IMG + "征地", "body": BREAKOUT, "project_name": SCRIPT, "rows-0-household": IMG,
        "rows-0-parcel": BREAKOUT,
    },
}  # fmt: skip


class PageParser(HTMLParser):
    """Every tag with its attributes, and the page's text as a reader sees it."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))

    handle_startendtag = handle_starttag

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def parse(page: str) -> PageParser:
    parser = PageParser()
    parser.feed(page)
    parser.close()
    return parser


def assert_no_active_markup(page: str, where: str = "") -> PageParser:
    """No script, no event handler, no javascript: URL, no image from anywhere but our attachments."""
    parsed = parse(page)
    for tag, attrs in parsed.tags:
        own_chart = tag == "svg" and attrs.get("class") == "chart-svg"  # templates/charts/_bars.html
        assert own_chart or tag not in ("script", "svg", "iframe", "object", "embed", "style", "math"), (where, tag)
        for name, value in attrs.items():
            assert not name.startswith("on"), (where, tag, name)
            if name in ("href", "src", "action", "formaction") and value:
                scheme = re.sub(r"[\s\x00-\x1f]", "", value).lower()
                assert not scheme.startswith(("javascript:", "data:", "vbscript:")), (where, value)
        if tag == "img":
            assert (attrs.get("src") or "").startswith("/attachments/"), (where, attrs)
    return parsed


def shown_as_text(parsed: PageParser, payload: str) -> bool:
    return payload in "".join(parsed.text)


def version_id_from(response: Any) -> int:
    return int(re.search(r"/manage/versions/(\d+)", response.headers["Location"]).group(1))


def png_bytes() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (6, 6), (20, 120, 40)).save(out, "PNG")
    return out.getvalue()


def count(app: Flask, model: type) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(model))


def error_messages(page: str) -> str:
    return " ".join(re.findall(r'class="error"[^>]*>([^<]*)<', page))


# --- markup and scripts -----------------------------------------------------------------------


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


def test_markup_in_names_of_places_and_people_and_files_is_text(app, world):
    """Administrators type village and staff names; uploads bring their own file names."""
    with app.app_context():
        township = db.session.get(Area, world.township.id)
        village = create_area(
            db.session, actor=None, code="511399101209", name=SCRIPT + "村", level=AreaLevel.VILLAGE, parent=township
        )
        clerk = create_account(
            db.session,
            actor=None,
            username="clerk-x",
            display_name=IMG,
            password=PASSWORD,
            role=Role.CLERK,
            area=village,
        )
        reviewer = create_account(
            db.session,
            actor=None,
            username="reviewer-x",
            display_name=BREAKOUT,
            password=PASSWORD,
            role=Role.REVIEWER,
            area=village,
        )
        version = services.start_disclosure(
            db.session,
            actor=clerk,
            village=village,
            category=Category.OTHER,
            period_kind=PeriodKind.DAY,
            period_start=MEETING_DAY,
            period_end=MEETING_DAY,
            content=ledger_content(title="村民代表会议决定"),
            files=[UploadedFile(filename=f"{BREAKOUT}<b>.png", data=png_bytes())],
        )
        services.submit(db.session, actor=clerk, version=version)
        services.approve(db.session, actor=reviewer, version=version, signed_name=BREAKOUT, note=SCRIPT)
        db.session.commit()
        disclosure_id, code = version.disclosure_id, village.code

    visitor = app.test_client()
    for url in (
        f"/t/{world.township.code}",
        f"/v/{code}",
        f"/v/{code}/other",
        f"/d/{disclosure_id}",
        "/?village=" + quote("script"),
    ):
        response = visitor.get(url)
        assert response.status_code == 200, url
        parsed = assert_no_active_markup(response.get_data(as_text=True), url)
        assert shown_as_text(parsed, SCRIPT + "村"), url
    page = visitor.get(f"/d/{disclosure_id}").get_data(as_text=True)
    parsed = parse(page)
    assert shown_as_text(parsed, IMG) and shown_as_text(parsed, BREAKOUT)
    images = [attrs for tag, attrs in parsed.tags if tag == "img"]
    assert len(images) == 1 and "<" not in (images[0]["alt"] or "")
    for who in ("clerk-x", "reviewer-x"):
        assert_no_active_markup(login_as(app, who).get("/manage/").get_data(as_text=True), who)


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
    body = re.search(r'<div class="notice-body">(.*?)</div>', page, re.S).group(1)

    parsed = assert_no_active_markup(body, "markdown")
    assert not [t for t, _ in parsed.tags if t == "img"]  # remote images are dropped (tracking pixels)
    links = [attrs for tag, attrs in parsed.tags if tag == "a"]
    assert [a.get("href") for a in links] == ["https://example.org/doc.pdf"]
    rel = (links[0].get("rel") or "").split()
    assert {"noopener", "noreferrer", "nofollow"} <= set(rel)
    assert ("strong", {}) in parsed.tags  # Markdown still works
    assert_no_active_markup(page, "page")


@pytest.mark.parametrize(
    "source",
    [
        '<a href="javascript:alert(1)">x</a>',
        "<div onclick=alert(1)>x</div>",
        "[x](javascript&#58;alert(1))",
        "[x](java\tscript:alert(1))",
        "![x](x.png)\n<style>body{}</style>",
        "<details open ontoggle=alert(1)>",
        "`<script>`",
    ],
)
def test_render_markdown_leaves_no_active_content(source):
    assert_no_active_markup(str(render_markdown(source)), source)


def test_reflected_markup_in_search_and_login_is_escaped(app, world):
    client = app.test_client()
    page = client.get("/?village=" + quote(BREAKOUT + SCRIPT)).get_data(as_text=True)
    parsed = assert_no_active_markup(page, "search")
    assert any(tag == "input" and attrs.get("value") == (BREAKOUT + SCRIPT)[:40] for tag, attrs in parsed.tags)
    browser = Browser(client)
    page = browser.post("/login", {"username": BREAKOUT, "password": "x"}).get_data(as_text=True)
    parsed = assert_no_active_markup(page, "login")
    assert any(tag == "input" and attrs.get("value") == BREAKOUT for tag, attrs in parsed.tags)


# --- SQL fragments ----------------------------------------------------------------------------

SQL_FRAGMENTS = [
    "' OR '1'='1",
    "' OR 1=1 --",
    "村'; DROP TABLE area; --",
    "%",
    "_",
    "%%",
    "\\",
    "\\%",
    "村%' OR '1'='1",
    "1) UNION SELECT username, password_hash FROM account --",
]


def test_sql_fragments_in_village_search_find_nothing_and_break_nothing(app, world):
    client = app.test_client()
    for fragment in SQL_FRAGMENTS:
        response = client.get("/?village=" + quote(fragment))
        assert response.status_code == 200, fragment
        page = response.get_data(as_text=True)
        assert "没有找到名字里含" in page, fragment
        assert not re.search(r'href="/v/\d{12}"', page), fragment  # no village listed ('%' would list all)
        assert "argon2" not in page
    # The table is intact and searching still works.
    found = client.get("/?village=" + quote("村")).get_data(as_text=True)
    assert all(f'href="/v/{v.code}"' in found for v in (world.village_a, world.village_b, world.village_c))


def test_search_matches_part_of_a_name_only(app, world):
    page = app.test_client().get("/?village=" + quote("石桥")).get_data(as_text=True)
    assert f'href="/v/{world.village_a.code}"' in page
    assert f'href="/v/{world.village_b.code}"' not in page


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


def test_sql_fragments_in_login_do_not_log_in(app, world):
    browser = Browser(app.test_client())
    for username in ("' OR '1'='1", "' OR 1=1 --", "clerk-a' --", "admin'/*", "%", "clerk-_"):
        response = browser.post("/login", {"username": username, "password": "' OR '1'='1"})
        assert response.status_code == 200, username
        assert "用户名或密码不对" in response.get_data(as_text=True), username
        assert browser.get("/manage/").status_code == 302, username


# --- oversize text ----------------------------------------------------------------------------

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


def test_an_oversize_request_is_refused_with_a_chinese_413(app, world):
    clerk = login_as(app, "clerk-a")
    app.config["MAX_CONTENT_LENGTH"] = 64 * 1024
    response = clerk.post("/manage/new/finance", {**FINANCE_FORM, "body": "x" * 100_000})
    assert response.status_code == 413
    assert "文件太大" in response.get_data(as_text=True)
    assert count(app, Disclosure) == 0


# --- invisible and control characters ---------------------------------------------------------


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


def test_zero_width_characters_in_search_are_ignored(app, world):
    page = app.test_client().get("/?village=" + quote("石\u200b桥\x00")).get_data(as_text=True)
    assert f'href="/v/{world.village_a.code}"' in page


def test_a_title_of_only_invisible_characters_is_empty(app, world):
    clerk = login_as(app, "clerk-a")
    response = clerk.post("/manage/new/finance", {**FINANCE_FORM, "title": "\u200b\u200d\ufeff\x00 \u2060"})
    assert response.status_code == 422
    assert "请填写标题" in response.get_data(as_text=True)


# --- broken UTF-8 -----------------------------------------------------------------------------

BROKEN_URLS = [
    "/v/%ff%fe",
    "/v/%c3%28",
    "/?village=%ff",
    "/?village=%c3%28%e2%82",
    "/?%ff=%fe",
    "/t/%ff",
    "/v/511399101201/%ff%fe",
    "/d/%ff",
    "/d/1/v/%ff",
    "/attachments/%ff",
    "/login?next=%ff%fe",
    "/login?next=/%ff",
    "/?lang=%ff",
    "/%ff",
    "/static/%ff",
    "/manage/versions/%ff",
    "/manage/new/%ff",
]


def test_invalid_utf8_in_urls_never_crashes(app, world):
    client = app.test_client()
    for url in BROKEN_URLS:
        response = client.get(url)
        response.close()
        assert response.status_code in (200, 302, 400, 404), url
    for username in ("clerk-a", "inspector"):
        staff = login_as(app, username)
        for url in ("/manage/new/%ff", "/manage/villages/%ff%fe", "/manage/versions/%ff/edit", "/manage/?x=%ff"):
            assert staff.get(url).status_code in (200, 400, 403, 404), (username, url)


def test_invalid_utf8_in_a_form_body_never_crashes(app, world):
    browser = Browser(app.test_client())
    token = browser.token()
    response = browser.client.post(
        "/login",
        data=b"username=%ff%fe&password=%c3%28&csrf_token=" + token.encode(),
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code in (200, 400)
    assert browser.get("/manage/").status_code == 302

    clerk = login_as(app, "clerk-a")
    token = clerk.token()
    body = "&".join(f"{quote(k)}={quote(v)}" for k, v in FINANCE_FORM.items() if k != "title")
    response = clerk.client.post(
        "/manage/new/finance",
        data=(body + "&title=%ff%fe%c3%28&csrf_token=" + token).encode(),
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code in (302, 400, 422)


# --- absurd numbers and dates -----------------------------------------------------------------


ABSURD_AMOUNTS = [
    ("rows-0-income", "1e20", "金额格式不对"),
    ("rows-0-income", "1E5", "金额格式不对"),
    ("rows-1-expense", "-123.45", "金额不能为负数"),
    ("rows-0-income", "1,2,3", "金额格式不对"),
    ("rows-0-income", "¥abc", "金额格式不对"),
    ("rows-0-income", "99999999999999999999", "金额过大"),
    ("rows-0-income", "9" * 5000, "金额过大"),
    ("rows-0-income", "0x1F", "金额格式不对"),
    ("rows-0-income", "12.345", "最多两位小数"),
    ("rows-0-income", "1_000", "金额格式不对"),
    ("opening_balance", "NaN", "金额格式不对"),
    ("opening_balance", "Infinity", "金额格式不对"),
    ("opening_balance", "-1e400", "金额格式不对"),
    ("closing_balance", "--5", "金额格式不对"),
    ("closing_balance", "1 000", "金额格式不对"),
]


def test_absurd_amounts_get_a_field_message_and_keep_what_was_typed(app, world):
    clerk = login_as(app, "clerk-a")
    for field, value, message in ABSURD_AMOUNTS:
        response = clerk.post("/manage/new/finance", {**FINANCE_FORM, field: value})
        assert response.status_code == 422, value
        page = response.get_data(as_text=True)
        assert message in error_messages(page), value
        inputs = {attrs.get("name"): attrs.get("value") for tag, attrs in parse(page).tags if tag == "input"}
        assert inputs[field] == value
    assert count(app, Disclosure) == 0


ABSURD_SUBSIDY_NUMBERS = [
    ("rows-0-basis_hundredths", "-1", "不小于 0"),
    ("rows-0-basis_hundredths", "1e9", "不小于 0"),
    ("rows-0-basis_hundredths", "9" * 300, "不小于 0"),
    ("rows-0-amount", "NaN", "金额格式不对"),
    ("rows-0-rate", "-105.32", "金额不能为负数"),
    ("totals-0-declared_total", "1e20", "金额格式不对"),
    ("rows-0-id_number", "' OR 1=1 --", "身份证号"),
    ("rows-0-id_number", "110105194912310021", "校验码"),
]


def test_absurd_numbers_in_a_subsidy_list_get_a_field_message(app, world):
    clerk = login_as(app, "clerk-a")
    for field, value, message in ABSURD_SUBSIDY_NUMBERS:
        response = clerk.post("/manage/new/subsidy", {**SUBSIDY_FORM, field: value})
        assert response.status_code == 422, value
        assert message in error_messages(response.get_data(as_text=True)), value
    assert count(app, Disclosure) == 0


ABSURD_DATES = [
    ("1025-01-01", "日期应在"),
    ("9999-12-31", "日期应在"),
    ("2525-01-01", "日期应在"),
    ("1989-12-31", "日期应在"),
    ("2025-02-30", "日期格式不对"),
    ("2025-13-01", "日期格式不对"),
    ("0000-00-00", "日期格式不对"),
    ("100000000000000000000-01-01", "日期格式不对"),
    ("2025-01-01-01", "日期格式不对"),
    ("-2025-01-01", "日期格式不对"),
    ("yesterday", "日期格式不对"),
    ("2025年2月29日", "日期格式不对"),
]


def test_dates_centuries_away_or_impossible_get_a_field_message(app, world):
    clerk = login_as(app, "clerk-a")
    for value, message in ABSURD_DATES:
        response = clerk.post("/manage/new/finance", {**FINANCE_FORM, "rows-0-entry_date": value})
        assert response.status_code == 422, value
        page = response.get_data(as_text=True)
        assert message in error_messages(page), value
        assert any(tag == "input" and attrs.get("value") == value for tag, attrs in parse(page).tags), value
    assert count(app, Disclosure) == 0


ABSURD_PERIODS = [
    ({"year": "1025"}, "年份应在 1990 到 2100 之间"),
    ({"year": "99999999999999999999"}, "年份应在 1990 到 2100 之间"),
    ({"year": "1e5"}, "年份应在 1990 到 2100 之间"),
    ({"year": "-2025"}, "年份应在 1990 到 2100 之间"),
    ({"number": "13"}, "应在 1 到 12 之间"),
    ({"number": "0"}, "应在 1 到 12 之间"),
    ({"number": "5"}, "季度的序号应在 1 到 4 之间"),
    ({"period_kind": "day", "day": "9999-12-31"}, "日期应在"),
    ({"period_kind": "day", "day": "2025-02-30"}, "日期格式不对"),
    ({"period_kind": "century"}, "不是有效的选择"),
]


def test_absurd_periods_get_a_message(app, world):
    clerk = login_as(app, "clerk-a")
    for changes, message in ABSURD_PERIODS:
        response = clerk.post("/manage/new/finance", {**FINANCE_FORM, **changes})
        assert response.status_code == 422, changes
        assert message in response.get_data(as_text=True), changes
    assert count(app, Disclosure) == 0


def test_compensation_with_absurd_dates_and_areas_gets_field_messages(app, world):
    clerk = login_as(app, "clerk-a")
    response = clerk.post(
        "/manage/new/land_compensation",
        {
            **COMPENSATION_FORM,
            "rows-0-paid_on": "9999-12-31",
            "rows-0-area_hundredths": "-3",
            "compensation_received": "1e20",
        },
    )
    assert response.status_code == 422
    messages = error_messages(response.get_data(as_text=True))
    assert "日期应在" in messages and "不小于 0" in messages and "金额格式不对" in messages
    assert count(app, Disclosure) == 0


def test_hostile_attachment_ids_to_remove_never_crash(app, world):
    with app.app_context():
        version = services.start_disclosure(
            db.session,
            actor=world.accounts["clerk_a"],
            village=world.village_a,
            category=Category.FINANCE,
            period_kind=PeriodKind.DAY,
            period_start=MEETING_DAY,
            period_end=MEETING_DAY,
            content=ledger_content(),
            files=[UploadedFile(filename="收据.png", data=png_bytes())],
        )
        db.session.commit()
        version_id = version.id
    clerk = login_as(app, "clerk-a")
    form = {k: v for k, v in FINANCE_FORM.items() if k not in ("period_kind", "year", "number")}
    with app.app_context():
        (attachment,) = db.session.get(DisclosureVersion, version_id).attachments
        own_id = attachment.id
    for value in ("²", "9" * 5000, "-1", "1; DROP TABLE attachment", "0x1", "1e0", str(own_id + 1)):
        response = clerk.post(f"/manage/versions/{version_id}/edit", {**form, "remove_attachments": value})
        assert response.status_code == 422, value  # not one of this version's attachments
    with app.app_context():
        assert len(db.session.get(DisclosureVersion, version_id).attachments) == 1
    response = clerk.post(f"/manage/versions/{version_id}/edit", {**form, "remove_attachments": str(own_id)})
    assert response.status_code == 302
    with app.app_context():
        assert db.session.get(DisclosureVersion, version_id).attachments == []


# --- foreign, malformed and enormous ids ------------------------------------------------------

# Accounts of the right role but the wrong village or township.
FOREIGN = {Role.CLERK: "clerk-b", Role.REVIEWER: "reviewer-b", Role.INSPECTOR: "other-inspector"}


def test_foreign_village_ids_in_every_manage_url_answer_403_with_a_message(app, world):
    with app.app_context():
        submitted = draft_ledger(world)
        services.submit(db.session, actor=world.accounts["clerk_a"], version=submitted)
        published = publish_ledger(world)
        values = {"version_id": submitted.id, "disclosure_id": published.disclosure_id, "code": world.village_a.code}
    browsers = {role: login_as(app, username) for role, username in FOREIGN.items()}
    checked = 0
    for rule in app.url_map.iter_rules():
        if not rule.rule.startswith("/manage") or not rule.arguments & set(values):
            continue
        path = rule.rule
        for name in rule.arguments:
            path = re.sub(r"<(?:[^:<>]+:)?" + name + ">", str(values[name]), path)
        access = app.view_functions[rule.endpoint].access
        for role, browser in browsers.items():
            if role not in access:
                continue
            for method in ("GET", "POST"):
                if method not in rule.methods:
                    continue
                response = browser.get(path) if method == "GET" else browser.post(path, {"reason": "更正理由写在这里"})
                page = response.get_data(as_text=True)
                assert response.status_code == 403, (method, path, role)
                assert "只能" in page or "辖区" in page, (method, path, role)
                checked += 1
    assert checked >= 9
    with app.app_context():
        assert db.session.get(DisclosureVersion, submitted.id).status is VersionStatus.SUBMITTED
        assert len(db.session.get(Disclosure, published.disclosure_id).versions) == 1


NOT_AN_ID_PUBLIC = [
        "/d/abc", "/d/1.5", "/d/-1", "/d/1e3", "/d/0x10", "/d/%20", "/d/1%00", "/d/0",
        "/d/2147483648", "/d/9223372036854775808", "/d/99999999999999999999999999999999",
        "/d/1/v/abc", "/d/1/v/-1", "/d/1/v/99999999999999999999", "/d/1/v/1/diff/x",
        "/attachments/abc", "/attachments/-1", "/attachments/99999999999999999999",
]  # fmt: skip


def test_non_integer_and_enormous_public_ids_are_404(app, world):
    with app.app_context():
        publish_ledger(world)
    client = app.test_client()
    assert client.get("/d/1").status_code == 200
    for url in NOT_AN_ID_PUBLIC:
        assert client.get(url).status_code == 404, url


NOT_AN_ID_STAFF = [
        ("GET", "/manage/versions/abc"), ("GET", "/manage/versions/1.5"), ("GET", "/manage/versions/-1"),
        ("GET", "/manage/versions/99999999999999999999999"), ("GET", "/manage/versions/2147483648/edit"),
        ("POST", "/manage/versions/abc/submit"), ("POST", "/manage/versions/99999999999999999999/submit"),
        ("GET", "/manage/disclosures/x/correct"), ("POST", "/manage/disclosures/99999999999999999999/correct"),
        ("GET", "/manage/versions/424242"), ("POST", "/manage/versions/424242/submit"),
]  # fmt: skip


def test_non_integer_and_missing_staff_ids_are_404(app, world):
    clerk = login_as(app, "clerk-a")
    for method, url in NOT_AN_ID_STAFF:
        response = clerk.get(url) if method == "GET" else clerk.post(url)
        assert response.status_code == 404, url
        assert "找不到页面" in response.get_data(as_text=True), url


def test_non_integer_and_enormous_admin_ids_are_404(app, world):
    admin = login_as(app, "admin")
    for url in (
        "/admin/accounts/x/active/0",
        "/admin/accounts/1/active/yes",
        "/admin/accounts/99999999999999999999/active/0",
        "/admin/accounts/1/active/99999999999999999999",
        "/admin/accounts/424242/active/0",
    ):
        assert admin.post(url).status_code == 404, url


def test_unknown_category_is_404(app, world):
    client = app.test_client()
    clerk = login_as(app, "clerk-a")
    assert client.get(f"/v/{world.village_a.code}/finance").status_code == 200
    for category in ("nonsense", "FINANCE", "Finance", "finance%20", "%3Cscript%3E", "__class__", "label", "%ff"):
        assert client.get(f"/v/{world.village_a.code}/{category}").status_code == 404, category
        assert clerk.get(f"/manage/new/{category}").status_code == 404, category


def test_unknown_or_malformed_area_codes_are_404(app, world):
    client = app.test_client()
    inspector = login_as(app, "inspector")
    for code in (
        "511399101299",
        "51139910120",
        "5113991012011",
        "abc",
        "５１１３９９１０１２０１",
        "511399101000",
        "' OR '1'='1",
    ):
        assert client.get(f"/v/{quote(code)}").status_code == 404, code
        assert client.get(f"/v/{quote(code)}/finance").status_code == 404, code
        assert inspector.get(f"/manage/villages/{quote(code)}").status_code == 404, code


PAGING = [
    "page=99999999999999999999999999",
    "page=-1",
    "page=abc",
    "page=1e308",
    "page=" + "9" * 5000,
    "per_page=100000000",
    "limit=-5&offset=99999999999999999999",
]


def test_huge_or_odd_paging_parameters_never_crash(app, world):
    with app.app_context():
        disclosure_id = publish_ledger(world).disclosure_id
    client = app.test_client()
    clerk = login_as(app, "clerk-a")
    for query in PAGING:
        for path in (
            "/",
            f"/v/{world.village_a.code}",
            f"/v/{world.village_a.code}/finance",
            f"/d/{disclosure_id}",
            f"/t/{world.township.code}",
        ):
            assert client.get(f"{path}?{query}").status_code == 200, (path, query)
        assert clerk.get(f"/manage/?{query}").status_code == 200, query


def test_search_text_is_capped(app, world):
    response = app.test_client().get("/?village=" + quote("石桥" * 5000))
    assert response.status_code == 200
    parsed = parse(response.get_data(as_text=True))
    values = [attrs.get("value") for tag, attrs in parsed.tags if tag == "input" and attrs.get("name") == "village"]
    assert values and len(values[0]) <= 40

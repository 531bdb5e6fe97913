"""Hostile input any page may get: broken UTF-8, oversize requests, malformed ids and paging, Markdown.
Every one gets a clear answer, none a 500 (TESTING propagates exceptions, so a crash fails the test)."""

from __future__ import annotations

from urllib.parse import quote

import pytest

from tests.conftest import Browser, login_as
from tests.core.hostile import FINANCE_FORM, assert_no_active_markup, count
from tests.disclosures.helpers import publish_ledger
from transparency.core.markdown import render_markdown
from transparency.disclosures.models import Disclosure


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


def test_an_oversize_request_is_refused_with_a_chinese_413(app, world):
    clerk = login_as(app, "clerk-a")
    app.config["MAX_CONTENT_LENGTH"] = 64 * 1024
    response = clerk.post("/manage/new/finance", {**FINANCE_FORM, "body": "x" * 100_000})
    assert response.status_code == 413
    assert "文件太大" in response.get_data(as_text=True)
    assert count(app, Disclosure) == 0


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


NOT_AN_ID_PUBLIC = [
        "/d/abc", "/d/1.5", "/d/-1", "/d/1e3", "/d/0x10", "/d/%20", "/d/1%00", "/d/0",
        "/d/2147483648", "/d/9223372036854775808", "/d/99999999999999999999999999999999",
        "/d/1/v/abc", "/d/1/v/-1", "/d/1/v/99999999999999999999", "/d/1/v/1/diff/x",
        "/attachments/abc", "/attachments/-1", "/attachments/99999999999999999999",
]  # fmt: skip


@pytest.mark.parametrize("url", NOT_AN_ID_PUBLIC)
def test_non_integer_and_enormous_public_ids_are_404(app, world, url):
    with app.app_context():
        publish_ledger(world)
    client = app.test_client()
    assert client.get("/d/1").status_code == 200
    assert client.get(url).status_code == 404, url


NOT_AN_ID_STAFF = [
        ("GET", "/manage/versions/abc"), ("GET", "/manage/versions/1.5"), ("GET", "/manage/versions/-1"),
        ("GET", "/manage/versions/99999999999999999999999"), ("GET", "/manage/versions/2147483648/edit"),
        ("POST", "/manage/versions/abc/submit"), ("POST", "/manage/versions/99999999999999999999/submit"),
        ("GET", "/manage/disclosures/x/correct"), ("POST", "/manage/disclosures/99999999999999999999/correct"),
        ("GET", "/manage/versions/424242"), ("POST", "/manage/versions/424242/submit"),
]  # fmt: skip


@pytest.mark.parametrize(("method", "url"), NOT_AN_ID_STAFF)
def test_non_integer_and_missing_staff_ids_are_404(app, world, method, url):
    clerk = login_as(app, "clerk-a")
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

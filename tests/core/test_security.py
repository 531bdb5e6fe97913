"""Security defaults, each proved: headers, session cookie, CSRF, deny-by-default, login throttling,
safe redirects after login, argon2id hashes, and sessions that end with their account."""

from __future__ import annotations

import datetime as dt
import io
import re
from collections.abc import Iterator
from typing import Any
from urllib.parse import parse_qs, quote, urlsplit

import pytest
from argon2 import PasswordHasher
from flask import Flask
from PIL import Image
from sqlalchemy import select

from tests.conftest import PASSWORD, Browser, login_as, running_app
from tests.disclosures.helpers import draft_ledger, ledger_content
from transparency.accounts.models import Account, Role
from transparency.audit.models import AuditEntry
from transparency.complaints import services as complaints
from transparency.complaints.models import MatterKind
from transparency.core.db import clock_at, db, utcnow
from transparency.core.security import PUBLIC
from transparency.core.uploads import UploadedFile
from transparency.disclosures import services
from transparency.disclosures.models import Category, PeriodKind
from transparency.disclosures.periods import period_bounds

CSRF_MESSAGE = "缺少安全令牌"
LOCK_MESSAGE = "账户已暂停登录"
WRONG_PASSWORD_MESSAGE = "用户名或密码不对"


# --- shared set-up ---------------------------------------------------------------------------


def png_bytes() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (8, 8), (200, 30, 30)).save(out, "PNG")
    return out.getvalue()


@pytest.fixture
def objects(app: Flask, world) -> dict[str, Any]:
    """Real ids to put in URL parameters: a draft, a published notice with an attachment."""
    with app.app_context():
        draft = draft_ledger(world)
        start, end = period_bounds(PeriodKind.QUARTER, 2025, 2)
        with_attachment = services.start_disclosure(
            db.session,
            actor=world.accounts["clerk_a"],
            village=world.village_a,
            category=Category.FINANCE,
            period_kind=PeriodKind.QUARTER,
            period_start=start,
            period_end=end,
            content=ledger_content(title="2025年第2季度财务收支明细"),
            files=[UploadedFile(filename="收据.png", data=png_bytes())],
        )
        services.submit(db.session, actor=world.accounts["clerk_a"], version=with_attachment)
        services.approve(db.session, actor=world.accounts["reviewer_a"], version=with_attachment, signed_name="李德华")
        matter = complaints.register(
            db.session,
            new=complaints.NewMatter(kind=MatterKind.COMPLAINT, village=world.village_a, title="路灯", body="路灯坏了"),
            photos=[UploadedFile(filename="路灯.png", data=png_bytes())],
        ).matter
        db.session.commit()
        return {
            "matter_id": matter.id,
            "photo_id": matter.photos[0].id,
            "version_id": draft.id,
            "disclosure_id": with_attachment.disclosure_id,
            "attachment_id": with_attachment.attachments[0].id,
            "number": 1,
            "code": world.village_a.code,
            "category": "finance",
            "account_id": world.accounts["clerk_b"].id,
            "active": 0,
            "fmt": "json",
        }


def url_for_rule(rule: Any, values: dict[str, Any]) -> str:
    """The rule's path with every parameter replaced by a real object's id from `values`."""
    missing = rule.arguments - set(values)
    if missing:
        pytest.fail(f"{rule.rule}: give the test a real value for {sorted(missing)}")
    path = rule.rule
    for name in rule.arguments:
        path = re.sub(r"<(?:[^:<>]+:)?" + name + r">", str(values[name]), path)
    return path


def rules(app: Flask, method: str) -> list[Any]:
    return sorted(
        (r for r in app.url_map.iter_rules() if method in r.methods and r.endpoint != "static"),
        key=lambda r: r.rule,
    )


def access_of(app: Flask, endpoint: str) -> Any:
    return getattr(app.view_functions[endpoint], "access", None)


def csp_directives(response: Any) -> dict[str, list[str]]:
    policy = response.headers.get("Content-Security-Policy", "")
    directives = {}
    for part in policy.split(";"):
        words = part.split()
        if words:
            directives[words[0].lower()] = words[1:]
    return directives


def assert_security_headers(response: Any) -> None:
    directives = csp_directives(response)
    assert directives, "no Content-Security-Policy"
    policy = response.headers["Content-Security-Policy"]
    assert "unsafe-inline" not in policy and "unsafe-eval" not in policy
    for kind in ("script-src", "style-src"):
        effective = directives.get(kind, directives.get("default-src"))
        assert effective is not None and "*" not in effective and "data:" not in effective, kind
    assert directives.get("frame-ancestors") == ["'none'"]
    assert directives.get("object-src", directives.get("default-src")) == ["'none'"]
    assert response.headers.get("X-Content-Type-Options") == "nosniff"
    assert response.headers.get("Referrer-Policy") in ("same-origin", "no-referrer", "strict-origin")
    assert response.headers.get("X-Frame-Options") == "DENY"


def session_cookie_attributes(response: Any, name: str) -> str:
    for header in response.headers.getlist("Set-Cookie"):
        if header.startswith(name + "="):
            return header
    pytest.fail(f"no {name} cookie set")


def audit_actions(app: Flask) -> list[str]:
    with app.app_context():
        return list(db.session.scalars(select(AuditEntry.action).order_by(AuditEntry.seq)))


# --- headers on every kind of response --------------------------------------------------------


RESPONSE_KINDS = [
    "html page",
    "404 page",
    "403 page",
    "405 page",
    "csrf 400 page",
    "attachment",
    "redirect (anonymous to login)",
    "redirect (after login)",
    "staff page",
    "static file",
]


@pytest.mark.parametrize("kind", RESPONSE_KINDS)
def test_security_headers_on_every_kind_of_response(app, world, objects, kind):
    client = app.test_client()
    expected_status = {
        "html page": 200, "404 page": 404, "403 page": 403, "405 page": 405, "csrf 400 page": 400,
        "attachment": 200, "redirect (anonymous to login)": 302, "redirect (after login)": 302,
        "staff page": 200, "static file": 200,
    }[kind]  # fmt: skip
    if kind == "html page":
        response = client.get(f"/d/{objects['disclosure_id']}")
    elif kind == "404 page":
        response = client.get("/no-such-page")
    elif kind == "403 page":
        response = login_as(app, "admin").get("/manage/new/finance")
    elif kind == "405 page":
        response = client.put("/login")
    elif kind == "csrf 400 page":
        response = client.post("/login", data={"username": "clerk-a", "password": PASSWORD})
    elif kind == "attachment":
        response = client.get(f"/attachments/{objects['attachment_id']}")
        assert response.mimetype == "image/png"
    elif kind == "redirect (anonymous to login)":
        response = client.get("/manage/")
    elif kind == "redirect (after login)":
        response = Browser(client).post("/login", {"username": "clerk-a", "password": PASSWORD})
    elif kind == "staff page":
        response = login_as(app, "clerk-a").get(f"/manage/versions/{objects['version_id']}")
    else:
        response = client.get("/static/site.css")
        response.close()  # a file response holds its file open until closed
    assert response.status_code == expected_status
    assert_security_headers(response)


def test_pages_carry_no_inline_script_or_style_that_the_policy_would_block(app, world, objects):
    """A CSP without 'unsafe-inline' only works if the templates never need it."""
    anonymous = app.test_client()
    clerk = login_as(app, "clerk-a")
    admin = login_as(app, "admin")
    pages = [
        (anonymous, "/"), (anonymous, "/login"), (anonymous, f"/v/{objects['code']}"),
        (anonymous, f"/d/{objects['disclosure_id']}"), (anonymous, f"/v/{objects['code']}/finance"),
        (clerk, "/manage/"), (clerk, "/manage/new/finance"), (clerk, f"/manage/versions/{objects['version_id']}"),
        (clerk, f"/manage/versions/{objects['version_id']}/edit"), (admin, "/admin/accounts"), (admin, "/admin/areas"),
    ]  # fmt: skip
    for who, url in pages:
        response = who.get(url)
        assert response.status_code == 200, url
        page = response.get_data(as_text=True)
        assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", page, re.I), url
        assert not re.search(r"<style\b", page, re.I), url
        assert not re.search(r"\sstyle\s*=", page, re.I), url
        assert not re.search(r"\son[a-z]+\s*=", page, re.I), url
        assert "javascript:" not in page.lower(), url


def test_pages_for_a_logged_in_account_are_not_cached(app, world, objects):
    clerk = login_as(app, "clerk-a")
    assert "no-store" in clerk.get("/manage/").headers.get("Cache-Control", "")


# --- session cookie ---------------------------------------------------------------------------


def test_session_cookie_is_httponly_and_samesite(app, world):
    response = Browser(app.test_client()).login("clerk-a")
    cookie = session_cookie_attributes(response, app.config["SESSION_COOKIE_NAME"])
    attributes = {part.strip().split("=")[0].lower(): part.strip() for part in cookie.split(";")[1:]}
    assert "httponly" in attributes
    assert attributes.get("samesite", "").lower() in ("samesite=lax", "samesite=strict")
    assert PASSWORD not in cookie


def test_login_starts_a_fresh_session(app, world):
    """The pre-login session (and any value planted in it) does not survive logging in."""
    client = app.test_client()
    with client.session_transaction() as session:
        session["planted"] = "by an attacker"
    Browser(client).login("clerk-a")
    with client.session_transaction() as session:
        assert "planted" not in session
        assert isinstance(session.get("account_id"), int)


# --- CSRF -------------------------------------------------------------------------------------

# A logged-in account for each role, so that only the missing token can stop the request.
ROLE_ACCOUNTS = {Role.CLERK: "clerk-a", Role.REVIEWER: "reviewer-a", Role.INSPECTOR: "inspector", Role.ADMIN: "admin"}

FORM_DATA = {
    "accounts.login": {"username": "clerk-a", "password": PASSWORD},
    "manage.new": {"period_kind": "quarter", "year": "2025", "number": "3", "title": "无令牌"},
    "manage.edit": {"title": "无令牌改写"},
    "manage.approve": {"signed_name": "李德华"},
    "manage.send_back": {"reasons": "无令牌退回"},
    "manage.correct": {"reason": "无令牌更正的理由"},
    "admin.accounts": {"username": "mallory", "display_name": "某人", "role": "admin", "password": "x" * 12},
    "admin.areas": {"code": "511399300000", "name": "新乡", "level": "township", "parent_code": "511399000000"},
}


def test_every_post_endpoint_refuses_a_request_without_csrf_token(app, world, objects):
    browsers: dict[str, Browser] = {}
    post_rules = rules(app, "POST")
    assert {r.endpoint for r in post_rules} >= {
        "accounts.login", "accounts.logout", "manage.new", "manage.edit", "manage.submit",
        "manage.approve", "manage.send_back", "manage.correct", "admin.accounts", "admin.set_active",
    }  # fmt: skip
    for rule in post_rules:
        access = access_of(app, rule.endpoint)
        browser = None
        if access != PUBLIC:
            # An account allowed in, so that nothing but the token can refuse the request.
            role = next(role for role in ROLE_ACCOUNTS if role in access)
            username = ROLE_ACCOUNTS[role]
            browser = browsers.get(username) or browsers.setdefault(username, login_as(app, username))
        client = browser.client if browser else app.test_client()
        before = [a for a in audit_actions(app) if not a.startswith("login.")]
        response = client.post(url_for_rule(rule, objects), data=FORM_DATA.get(rule.endpoint, {}))
        page = response.get_data(as_text=True)
        assert response.status_code == 400, rule.rule
        assert CSRF_MESSAGE in page and "请求有误" in page, rule.rule
        assert [a for a in audit_actions(app) if not a.startswith("login.")] == before, rule.rule
    # The accounts are still logged in (the refused logout did nothing).
    assert browsers["clerk-a"].get("/manage/").status_code == 200


def test_a_token_from_another_session_is_refused(app, world, objects):
    stranger_token = Browser(app.test_client()).token()
    clerk = login_as(app, "clerk-a")
    before = audit_actions(app)
    url = f"/manage/versions/{objects['version_id']}/submit"
    response = clerk.client.post(url, data={"csrf_token": stranger_token})
    assert response.status_code == 400 and CSRF_MESSAGE in response.get_data(as_text=True)
    assert audit_actions(app) == before


# --- deny by default --------------------------------------------------------------------------


def test_every_endpoint_declares_who_may_reach_it(app):
    for endpoint, view in app.view_functions.items():
        if endpoint == "static":
            continue  # files under static/, exempted by name in the access check
        access = getattr(view, "access", None)
        assert access is not None, f"{endpoint} declares neither @public nor @requires(...)"
        if access != PUBLIC:
            assert isinstance(access, frozenset) and access, endpoint
            assert all(isinstance(role, Role) for role in access), endpoint


def test_staff_and_admin_endpoints_are_never_public(app):
    for rule in app.url_map.iter_rules():
        if rule.rule.startswith(("/manage", "/admin", "/logout")):
            assert access_of(app, rule.endpoint) != PUBLIC, rule.rule


def test_a_view_registered_without_declaration_answers_403(app, world):
    def undeclared():
        return "secret internals"

    app.add_url_rule("/probe-undeclared", "probe_undeclared", undeclared, methods=["GET", "POST"])

    anonymous = app.test_client().get("/probe-undeclared")
    assert anonymous.status_code == 403
    assert "secret internals" not in anonymous.get_data(as_text=True)
    assert "无权访问" in anonymous.get_data(as_text=True)
    for username in ("admin", "county-inspector", "clerk-a"):
        browser = login_as(app, username)
        assert browser.get("/probe-undeclared").status_code == 403, username
        assert browser.post("/probe-undeclared").status_code == 403, username


def test_every_non_public_get_endpoint_sends_an_anonymous_visitor_to_login(app, world, objects):
    client = app.test_client()
    checked = 0
    for rule in rules(app, "GET"):
        if access_of(app, rule.endpoint) == PUBLIC:
            continue
        url = url_for_rule(rule, objects)
        response = client.get(url)
        assert response.status_code == 302, url
        location = urlsplit(response.headers["Location"])
        assert location.path == "/login", url
        assert parse_qs(location.query)["next"] == [url], url
        checked += 1
    assert checked >= 7


def test_every_non_public_endpoint_refuses_roles_it_does_not_list(app, world, objects):
    browsers = {role: login_as(app, username) for role, username in ROLE_ACCOUNTS.items()}
    before = [a for a in audit_actions(app) if not a.startswith("login.")]
    refused = 0
    for rule in sorted(app.url_map.iter_rules(), key=lambda r: r.rule):
        access = access_of(app, rule.endpoint)
        if rule.endpoint == "static" or access == PUBLIC:
            continue
        url = url_for_rule(rule, objects)
        for role, browser in browsers.items():
            if role in access:
                continue
            if "GET" in rule.methods:
                response = browser.get(url)
            else:
                response = browser.post(url, FORM_DATA.get(rule.endpoint, {}))
            assert response.status_code == 403, (url, role)
            assert "无权访问" in response.get_data(as_text=True)
            refused += 1
    assert refused >= 15
    assert [a for a in audit_actions(app) if not a.startswith("login.")] == before


# --- login throttling -------------------------------------------------------------------------


def _try_login(browser: Browser, username: str, password: str) -> Any:
    return browser.post("/login", {"username": username, "password": password})


def test_five_wrong_passwords_lock_the_account_even_against_the_right_one(app, world):
    browser = Browser(app.test_client())
    for attempt in range(5):
        response = _try_login(browser, "clerk-a", f"wrong-password-{attempt}")
        assert response.status_code == 200
        assert WRONG_PASSWORD_MESSAGE in response.get_data(as_text=True)
    response = _try_login(browser, "clerk-a", PASSWORD)
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert LOCK_MESSAGE in page
    assert browser.get("/manage/").status_code == 302  # not logged in
    with app.app_context():
        account = db.session.scalar(select(Account).where(Account.username == "clerk-a"))
        assert account.locked_until is not None and account.locked_until > utcnow()
    # The lock is on that account only.
    assert _try_login(Browser(app.test_client()), "reviewer-a", PASSWORD).status_code == 302


def test_four_wrong_passwords_do_not_lock_and_a_success_resets_the_count(app, world):
    browser = Browser(app.test_client())
    for attempt in range(4):
        assert WRONG_PASSWORD_MESSAGE in _try_login(browser, "clerk-a", f"nope-{attempt}").get_data(as_text=True)
    assert _try_login(browser, "clerk-a", PASSWORD).status_code == 302
    with app.app_context():
        account = db.session.scalar(select(Account).where(Account.username == "clerk-a"))
        assert account.failed_logins == 0 and account.locked_until is None


def test_the_lock_lifts_after_its_time(app, world):
    browser = Browser(app.test_client())
    for attempt in range(5):
        _try_login(browser, "clerk-a", f"wrong-{attempt}")
    assert LOCK_MESSAGE in _try_login(browser, "clerk-a", PASSWORD).get_data(as_text=True)
    later = utcnow() + dt.timedelta(seconds=app.config["LOGIN_LOCK_SECONDS"] + 60)
    with clock_at(later):
        assert _try_login(browser, "clerk-a", PASSWORD).status_code == 302


@pytest.fixture
def limited_app(database_url: str, tmp_path) -> Iterator[Flask]:
    with running_app(database_url, tmp_path, LOGIN_RATE_LIMIT="3 per minute") as application:
        yield application


def test_login_posts_are_rate_limited_per_ip_with_a_chinese_429_page(limited_app):
    browser = Browser(limited_app.test_client())
    for attempt in range(3):
        response = _try_login(browser, "nobody", f"guess-{attempt}")
        assert response.status_code == 200
    response = _try_login(browser, "nobody", "guess-4")
    assert response.status_code == 429
    page = response.get_data(as_text=True)
    assert "操作太频繁" in page and '<html lang="zh-Hans">' in page
    assert_security_headers(response)
    # Reading the login page is not limited, and another address still may try.
    assert browser.get("/login").status_code == 200
    other = Browser(limited_app.test_client())
    other.client.environ_base["REMOTE_ADDR"] = "10.0.0.2"
    assert _try_login(other, "nobody", "guess").status_code == 200


def test_default_login_rate_limit_applies_without_configuration(app):
    browser = Browser(app.test_client())
    statuses = [_try_login(browser, "nobody", f"guess-{i}").status_code for i in range(11)]
    assert statuses[:10] == [200] * 10
    assert statuses[10] == 429


# --- where login sends you --------------------------------------------------------------------


@pytest.mark.parametrize(
    "target",
    [
        "//evil.example",
        "//evil.example/manage/",
        "https://evil.example",
        "http://evil.example/manage/",
        "/\\evil.example",
        "\\\\evil.example",
        "/\\/evil.example",
        "/\t/evil.example",
        "/\n/evil.example",
        "https:/evil.example",
        "http:evil.example",
        "javascript:alert(1)",
        "evil.example",
        " //evil.example",
        "/manage/\r\nSet-Cookie: planted=1",
    ],
)
def test_next_after_login_refuses_off_site_targets(app, world, target):
    browser = Browser(app.test_client())
    response = browser.post(f"/login?next={quote(target, safe='')}", {"username": "clerk-a", "password": PASSWORD})
    assert response.status_code == 302
    location = response.headers["Location"]
    parts = urlsplit(location)
    assert parts.netloc in ("", "localhost") and parts.scheme in ("", "http")
    assert parts.path == "/manage/"
    assert "evil" not in location and "\\" not in location and "planted" not in str(response.headers)


def test_next_after_login_keeps_a_same_site_path(app, world, objects):
    target = f"/manage/versions/{objects['version_id']}"
    browser = Browser(app.test_client())
    response = browser.post(f"/login?next={quote(target, safe='')}", {"username": "clerk-a", "password": PASSWORD})
    assert response.status_code == 302
    assert urlsplit(response.headers["Location"]).path == target


# --- password hashes --------------------------------------------------------------------------


def test_passwords_are_stored_as_argon2id_hashes(app, world):
    with app.app_context():
        hashes = db.session.scalars(select(Account.password_hash)).all()
    assert len(hashes) == len(world.accounts)
    for stored in hashes:
        assert stored.startswith("$argon2id$")
        assert PASSWORD not in stored
        assert PasswordHasher().verify(stored, PASSWORD)
    assert len(set(hashes)) == len(hashes)  # salted: the same password never hashes alike


# --- sessions end with their account ----------------------------------------------------------


def test_a_deactivated_accounts_existing_session_stops_working(app, world, objects):
    clerk = login_as(app, "clerk-a")
    assert clerk.get("/manage/").status_code == 200
    admin = login_as(app, "admin")
    clerk_id = world.accounts["clerk_a"].id
    assert admin.post(f"/admin/accounts/{clerk_id}/active/0").status_code == 302

    response = clerk.get("/manage/")
    assert response.status_code == 302 and urlsplit(response.headers["Location"]).path == "/login"
    before = audit_actions(app)
    response = clerk.post(f"/manage/versions/{objects['version_id']}/submit")
    assert response.status_code == 302 and urlsplit(response.headers["Location"]).path == "/login"
    assert audit_actions(app) == before
    # Nor can it log in again.
    assert WRONG_PASSWORD_MESSAGE in _try_login(Browser(app.test_client()), "clerk-a", PASSWORD).get_data(as_text=True)

    # Reactivation does not bring the old session back: its epoch is gone for good.
    assert admin.post(f"/admin/accounts/{clerk_id}/active/1").status_code == 302
    assert clerk.get("/manage/").status_code == 302
    assert login_as(app, "clerk-a").get("/manage/").status_code == 200


def test_a_forged_session_cookie_is_not_a_login(app, world):
    """Without the secret key, a cookie claiming an account id is ignored."""
    client = app.test_client()
    client.set_cookie(app.config["SESSION_COOKIE_NAME"], "eyJhY2NvdW50X2lkIjoxLCJlcG9jaCI6MH0.Zz.forged")
    response = client.get("/manage/")
    assert response.status_code == 302 and urlsplit(response.headers["Location"]).path == "/login"

"""Security defaults, each proved: headers, session cookie, CSRF, deny-by-default.
(Login throttling, redirects after login, password hashes and sessions: tests/accounts/.)"""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlsplit

import pytest

from tests.conftest import PASSWORD, Browser, login_as
from tests.core.helpers import (
    access_of,
    assert_security_headers,
    audit_actions,
    route_table,
    rule_id,
    rules,
    session_cookie_attributes,
    url_for_rule,
)
from transparency.accounts.models import Role
from transparency.core.security import PUBLIC

CSRF_MESSAGE = "缺少安全令牌"


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


ROUTING = route_table()
POST_RULES = rules(ROUTING, "POST")
PROTECTED_GET_RULES = [r for r in rules(ROUTING, "GET") if access_of(ROUTING, r.endpoint) != PUBLIC]
# Every non-public rule with every role it does not list.
REFUSALS = [
    (rule, role)
    for rule in sorted(ROUTING.url_map.iter_rules(), key=lambda r: r.rule)
    if rule.endpoint != "static" and access_of(ROUTING, rule.endpoint) != PUBLIC
    for role in ROLE_ACCOUNTS
    if role not in access_of(ROUTING, rule.endpoint)
]


def test_the_csrf_check_reaches_every_form_that_changes_something():
    assert {r.endpoint for r in POST_RULES} >= {
        "accounts.login", "accounts.logout", "manage.new", "manage.edit", "manage.submit",
        "manage.approve", "manage.send_back", "manage.correct", "admin.accounts", "admin.set_active",
    }  # fmt: skip


@pytest.mark.parametrize("rule", POST_RULES, ids=rule_id)
def test_every_post_endpoint_refuses_a_request_without_csrf_token(app, world, objects, rule):
    access = access_of(app, rule.endpoint)
    browser = None
    if access != PUBLIC:
        # An account allowed in, so that nothing but the token can refuse the request.
        role = next(role for role in ROLE_ACCOUNTS if role in access)
        browser = login_as(app, ROLE_ACCOUNTS[role])
    client = browser.client if browser else app.test_client()
    before = [a for a in audit_actions(app) if not a.startswith("login.")]
    response = client.post(url_for_rule(rule, objects), data=FORM_DATA.get(rule.endpoint, {}))
    page = response.get_data(as_text=True)
    assert response.status_code == 400, rule.rule
    assert CSRF_MESSAGE in page and "请求有误" in page, rule.rule
    assert [a for a in audit_actions(app) if not a.startswith("login.")] == before, rule.rule


def test_a_logout_without_csrf_token_leaves_the_account_logged_in(app, world):
    clerk = login_as(app, "clerk-a")
    assert clerk.client.post("/logout").status_code == 400
    assert clerk.get("/manage/").status_code == 200


def test_a_token_from_another_session_is_refused(app, world, objects):
    stranger_token = Browser(app.test_client()).token()
    clerk = login_as(app, "clerk-a")
    before = audit_actions(app)
    url = f"/manage/versions/{objects['version_id']}/submit"
    response = clerk.client.post(url, data={"csrf_token": stranger_token})
    assert response.status_code == 400 and CSRF_MESSAGE in response.get_data(as_text=True)
    assert audit_actions(app) == before


# --- deny by default --------------------------------------------------------------------------


@pytest.mark.parametrize("endpoint", sorted(e for e in ROUTING.view_functions if e != "static"))
def test_every_endpoint_declares_who_may_reach_it(endpoint):
    # "static" (files under static/) is exempted by name in the access check.
    access = getattr(ROUTING.view_functions[endpoint], "access", None)
    assert access is not None, f"{endpoint} declares neither @public nor @requires(...)"
    if access != PUBLIC:
        assert isinstance(access, frozenset) and access, endpoint
        assert all(isinstance(role, Role) for role in access), endpoint


@pytest.mark.parametrize(
    "rule",
    [r for r in ROUTING.url_map.iter_rules() if r.rule.startswith(("/manage", "/admin", "/logout"))],
    ids=rule_id,
)
def test_staff_and_admin_endpoints_are_never_public(rule):
    assert access_of(ROUTING, rule.endpoint) != PUBLIC, rule.rule


@pytest.mark.parametrize("username", ["admin", "county-inspector", "clerk-a"])
def test_a_view_registered_without_declaration_answers_403(app, world, username):
    def undeclared():
        return "secret internals"

    app.add_url_rule("/probe-undeclared", "probe_undeclared", undeclared, methods=["GET", "POST"])

    anonymous = app.test_client().get("/probe-undeclared")
    assert anonymous.status_code == 403
    assert "secret internals" not in anonymous.get_data(as_text=True)
    assert "无权访问" in anonymous.get_data(as_text=True)
    browser = login_as(app, username)
    assert browser.get("/probe-undeclared").status_code == 403, username
    assert browser.post("/probe-undeclared").status_code == 403, username


def test_the_access_checks_below_cover_enough_endpoints():
    assert len(PROTECTED_GET_RULES) >= 7
    assert len(REFUSALS) >= 15


@pytest.mark.parametrize("rule", PROTECTED_GET_RULES, ids=rule_id)
def test_every_non_public_get_endpoint_sends_an_anonymous_visitor_to_login(app, world, objects, rule):
    assert access_of(app, rule.endpoint) != PUBLIC
    url = url_for_rule(rule, objects)
    response = app.test_client().get(url)
    assert response.status_code == 302, url
    location = urlsplit(response.headers["Location"])
    assert location.path == "/login", url
    assert parse_qs(location.query)["next"] == [url], url


@pytest.mark.parametrize(("rule", "role"), REFUSALS, ids=[f"{rule_id(rule)}-{role}" for rule, role in REFUSALS])
def test_every_non_public_endpoint_refuses_roles_it_does_not_list(app, world, objects, rule, role):
    browser = login_as(app, ROLE_ACCOUNTS[role])
    before = [a for a in audit_actions(app) if not a.startswith("login.")]
    assert role not in access_of(app, rule.endpoint)
    url = url_for_rule(rule, objects)
    if "GET" in rule.methods:
        response = browser.get(url)
    else:
        response = browser.post(url, FORM_DATA.get(rule.endpoint, {}))
    assert response.status_code == 403, (url, role)
    assert "无权访问" in response.get_data(as_text=True)
    assert [a for a in audit_actions(app) if not a.startswith("login.")] == before

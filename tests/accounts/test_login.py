"""Logging in: five wrong passwords lock the account for that client, login posts are rate-limited per address,
and `next` after login never leaves the site."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from urllib.parse import quote, urlsplit

import pytest
from flask import Flask
from sqlalchemy import select

from tests.accounts.helpers import LOCK_MESSAGE, WRONG_PASSWORD_MESSAGE, try_login
from tests.conftest import PASSWORD, Browser, running_app
from tests.core.helpers import assert_security_headers
from transparency.accounts.models import Account, LoginFailure
from transparency.accounts.throttle import client_key
from transparency.core.db import clock_at, db, utcnow

# --- login throttling -------------------------------------------------------------------------


def test_five_wrong_passwords_lock_that_client_out_even_against_the_right_one(app, world):
    browser = Browser(app.test_client())
    for attempt in range(5):
        response = try_login(browser, "clerk-a", f"wrong-password-{attempt}")
        assert response.status_code == 200
        assert WRONG_PASSWORD_MESSAGE in response.get_data(as_text=True)
    response = try_login(browser, "clerk-a", PASSWORD)
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert LOCK_MESSAGE in page
    assert browser.get("/manage/").status_code == 302  # not logged in
    with app.app_context():
        account = db.session.scalar(select(Account).where(Account.username == "clerk-a"))
        row = db.session.get(LoginFailure, (account.id, client_key("127.0.0.1")))
        assert row.locked_until is not None and row.locked_until > utcnow()
    # The lock is on that account only (and that client: tests/accounts/test_throttle.py).
    assert try_login(Browser(app.test_client()), "reviewer-a", PASSWORD).status_code == 302


def test_four_wrong_passwords_do_not_lock_and_a_success_resets_the_count(app, world):
    browser = Browser(app.test_client())
    for attempt in range(4):
        assert WRONG_PASSWORD_MESSAGE in try_login(browser, "clerk-a", f"nope-{attempt}").get_data(as_text=True)
    assert try_login(browser, "clerk-a", PASSWORD).status_code == 302
    with app.app_context():
        account = db.session.scalar(select(Account).where(Account.username == "clerk-a"))
        assert account.failed_logins == 0 and account.locked_until is None


def test_the_lock_lifts_after_its_time(app, world):
    browser = Browser(app.test_client())
    for attempt in range(5):
        try_login(browser, "clerk-a", f"wrong-{attempt}")
    assert LOCK_MESSAGE in try_login(browser, "clerk-a", PASSWORD).get_data(as_text=True)
    later = utcnow() + dt.timedelta(seconds=app.config["LOGIN_LOCK_SECONDS"] + 60)
    with clock_at(later):
        assert try_login(browser, "clerk-a", PASSWORD).status_code == 302


@pytest.fixture
def limited_app(database_url: str, tmp_path) -> Iterator[Flask]:
    with running_app(database_url, tmp_path, LOGIN_RATE_LIMIT="3 per minute") as application:
        yield application


def test_login_posts_are_rate_limited_per_ip_with_a_chinese_429_page(limited_app):
    browser = Browser(limited_app.test_client())
    for attempt in range(3):
        response = try_login(browser, "nobody", f"guess-{attempt}")
        assert response.status_code == 200
    response = try_login(browser, "nobody", "guess-4")
    assert response.status_code == 429
    page = response.get_data(as_text=True)
    assert "操作太频繁" in page and '<html lang="zh-Hans">' in page
    assert_security_headers(response)
    # Reading the login page is not limited, and another address still may try.
    assert browser.get("/login").status_code == 200
    other = Browser(limited_app.test_client())
    other.client.environ_base["REMOTE_ADDR"] = "10.0.0.2"
    assert try_login(other, "nobody", "guess").status_code == 200


def test_default_login_rate_limit_applies_without_configuration(app):
    browser = Browser(app.test_client())
    statuses = [try_login(browser, "nobody", f"guess-{i}").status_code for i in range(11)]
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

"""Fixtures for the browser tests: the real app on a real port, the demo county, Debian's Chromium.

The demo county is loaded once per module (it is the slow part) into a copy of the migrated
template database, and served by werkzeug in a background thread. Playwright never downloads
a browser here: it drives /usr/bin/chromium, which `make test` installs from Debian.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from werkzeug.serving import BaseWSGIServer, WSGIRequestHandler, make_server

from tests.conftest import BASE_CONFIG
from tests.databases import scratch_database
from transparency import create_app
from transparency.core.db import db
from transparency.demo.county import DEMO_ACCOUNTS
from transparency.demo.loader import load_demo_county

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",  # the test runs as root in a container
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
# A cheap phone held upright: 375 CSS pixels wide, a 2× screen, touch input.
PHONE: dict[str, Any] = {
    "viewport": {"width": 375, "height": 812},
    "device_scale_factor": 2,
    "is_mobile": True,
    "has_touch": True,
    "locale": "zh-CN",
    "timezone_id": "Asia/Shanghai",
}


PASSWORDS = {username: password for username, _name, _role, _area, password in DEMO_ACCOUNTS}


def _in_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() not in ("", "0", "false", "no")


@pytest.fixture(scope="session")
def chromium_executable() -> str:
    """Debian's Chromium. Missing: a skip on a developer's machine, a failure in CI."""
    if CHROMIUM.exists() and os.access(CHROMIUM, os.X_OK):
        return str(CHROMIUM)
    reason = f"{CHROMIUM} is missing: install Debian's chromium package (make system-test) to run the browser tests"
    if _in_ci():
        pytest.fail(f"CI must run the browser tests: {reason}", pytrace=False)
    pytest.skip(reason)


class _QuietHandler(WSGIRequestHandler):
    """No access log on the test output."""

    def log_request(self, *args: Any, **kwargs: Any) -> None:
        pass


@dataclass
class LiveSite:
    app: Flask
    url: str

    def __call__(self, path: str = "/") -> str:
        return self.url + path


@pytest.fixture(scope="module")
def demo_app(database_template: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Flask]:
    """An app on its own copy of the migrated database, with the demo county loaded and committed."""
    workdir = tmp_path_factory.mktemp("e2e")
    with scratch_database(database_template, workdir) as url:
        application = create_app({**BASE_CONFIG, "DATABASE_URL": url})
        application.instance_path = str(workdir / "instance")
        try:
            with application.app_context():
                load_demo_county(db.session, echo=lambda *_: None)
                db.session.commit()
            yield application
        finally:
            with application.app_context():
                db.engine.dispose()


@pytest.fixture(scope="module")
def live_site(demo_app: Flask) -> Iterator[LiveSite]:
    """The demo app served on 127.0.0.1 at a free port, in a background thread."""
    server: BaseWSGIServer = make_server("127.0.0.1", 0, demo_app, threaded=True, request_handler=_QuietHandler)
    thread = threading.Thread(target=server.serve_forever, name="e2e-server", daemon=True)
    thread.start()
    try:
        yield LiveSite(demo_app, f"http://127.0.0.1:{server.server_port}")
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)


@pytest.fixture(scope="module")
def chromium(chromium_executable: str) -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium_executable, args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


def _new_phone(chromium: Any, **overrides: Any) -> Iterator[Any]:
    context = chromium.new_context(**{**PHONE, **overrides})
    context.set_default_timeout(10_000)
    try:
        yield context.new_page()
    finally:
        context.close()


@pytest.fixture
def phone(chromium: Any, live_site: LiveSite) -> Iterator[Any]:
    """A page in a fresh phone-sized browser context (own cookies), JavaScript on."""
    yield from _new_phone(chromium)


@pytest.fixture
def phone_without_js(chromium: Any, live_site: LiveSite) -> Iterator[Any]:
    """The same phone with JavaScript switched off: the site must still work."""
    yield from _new_phone(chromium, java_script_enabled=False)


def log_in(page: Any, live_site: LiveSite, username: str) -> str:
    """Log in through the form (found by its fields, whatever the page's language); the landing page."""
    from playwright.sync_api import expect

    page.goto(live_site("/login"))
    page.locator("#username").fill(username)
    page.locator("#password").fill(PASSWORDS[username])
    page.locator("main form button[type=submit]").click()
    expect(page.get_by_test_id("staff-tools")).to_be_visible()
    return page.url.removeprefix(live_site.url)


def choose_language(page: Any, live_site: LiveSite, code: str) -> None:
    """As a person does: the header's language link, remembered in a cookie for every later page."""
    from playwright.sync_api import expect

    page.goto(live_site(f"/language/{code}"))
    expect(page.locator("html")).to_have_attribute("lang", code.replace("_", "-"))

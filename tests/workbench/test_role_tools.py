"""Each role's tools are one tap from its landing page, and following links from there reaches
every page the role may use (issue 15, point 2)."""

from __future__ import annotations

import re

import pytest
from flask import Flask
from werkzeug.exceptions import NotFound

from tests.conftest import Browser
from tests.crawling import crawl, links
from transparency.accounts.models import Role
from transparency.core.db import db
from transparency.demo.county import DEMO_ACCOUNTS
from transparency.demo.loader import load_demo_county
from transparency.workbench.tools import ROLE_TOOLS

# Not pages a person lands on: a complaint's photo (an image shown inside the matter's page).
NOT_PAGES = {"complaints_manage.photo"}
TOOLS = {
    Role.INSPECTOR: ["看板", "审计日志", "核验", "报告", "群众反映"],
    Role.CLERK: ["起草", "导入", "待办反映"],
    Role.REVIEWER: ["待审核"],
    Role.ADMIN: ["账户", "地区", "期限规则"],
}


@pytest.fixture
def demo(app: Flask) -> Flask:
    with app.app_context():
        load_demo_county(db.session, echo=lambda *_: None)
        db.session.commit()
    return app


def _pages_of(app: Flask, role: Role) -> set[str]:
    """The endpoints of every GET page restricted to this role (public pages are everyone's)."""
    found = set()
    for rule in app.url_map.iter_rules():
        access = getattr(app.view_functions[rule.endpoint], "access", None)
        if "GET" in rule.methods and isinstance(access, frozenset) and role in access:
            found.add(rule.endpoint)
    return found - NOT_PAGES


def _tools_shown(html: str) -> list[str]:
    nav = re.search(r'<nav class="staff-nav".*?</nav>', html, re.S)
    assert nav, "no tools in the header"
    return [re.sub(r"<[^>]+>", "", label).strip() for label in re.findall(r'class="tool"[^>]*>(.*?)</', nav.group(0))]


def test_the_header_lists_exactly_the_tools_of_each_role():
    assert {role: [str(tool.label) for tool in tools] for role, tools in ROLE_TOOLS.items()} == TOOLS


def _crawl_as(app: Flask, username: str, password: str, role: Role) -> tuple[str, set[str], list[tuple[str, int]]]:
    """Log in, follow every link from the landing page: (the landing page, endpoints reached, failures)."""
    adapter = app.url_map.bind("localhost")
    browser = Browser(app.test_client())
    landing = browser.login(username, password).headers["Location"]
    reached: set[str] = set()
    broken: list[tuple[str, int]] = []

    def visit(path: str) -> list[str] | None:
        response = browser.get(path)
        if response.status_code >= 400:
            broken.append((path, response.status_code))
        if response.mimetype != "text/html":
            return None
        try:
            endpoint, _args = adapter.match(path.split("?")[0])
        except NotFound:
            return None
        reached.add(endpoint)
        return links(response.get_data(as_text=True))

    if role is Role.CLERK:  # a draft of one's own: its edit and discard pages are the clerk's too
        form = {"period_kind": "year", "year": "2026", "title": "石桥村2026年其他事项说明"}
        saved = browser.post("/manage/new/other", {**form, "csrf_token": browser.token("/manage/new/other")})
        assert saved.status_code == 302, saved.get_data(as_text=True)[:300]
    home = browser.get(landing).get_data(as_text=True)
    crawl(landing, visit)
    return home, reached, broken


def test_from_each_landing_page_every_page_of_the_role_is_reached(demo: Flask):
    for username, _name, role, _area, password in DEMO_ACCOUNTS:
        if username in ("county-inspector", "clerk-qingshan"):
            continue  # the same roles as the township inspector and the clerk
        home, reached, broken = _crawl_as(demo, username, password, role)
        assert _tools_shown(home) == TOOLS[role], username
        assert not broken, f"{username}: links that fail: {broken}"
        missing = _pages_of(demo, role) - reached
        assert not missing, f"{username} cannot reach {sorted(missing)} from the landing page"

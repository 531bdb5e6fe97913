"""Fixtures in the manner of flaskr's: app, client, runner, and a logged-in browser helper.

Each test gets its own database, built by the Alembic migrations (never by create_all):
on SQLite a copy of a once-migrated template file; on PostgreSQL (TEST_DATABASE_URL) the
schema is migrated once per run and every table is emptied after each test.
"""

from __future__ import annotations

import os
import re
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import create_engine, text

from transparency import create_app
from transparency.accounts.models import Account, Role
from transparency.accounts.services import create_account
from transparency.areas.models import Area, AreaLevel
from transparency.areas.services import create_area
from transparency.core import migrations
from transparency.core.db import db, normalise_url
from transparency.models import metadata

PG_URL = os.environ.get("TEST_DATABASE_URL", "")
PASSWORD = "correct-horse-battery"

BASE_CONFIG: dict[str, Any] = {
    "TESTING": True,
    "SECRET_KEY": "test-secret-key",
    "ARGON2_TIME_COST": 1,
    "ARGON2_MEMORY_COST": 8,
    "ARGON2_PARALLELISM": 1,
    "RATELIMIT_STORAGE_URI": "memory://",
}


def _migrated(url: str, instance: Path) -> None:
    app = create_app({**BASE_CONFIG, "DATABASE_URL": url})
    app.instance_path = str(instance)
    with app.app_context():
        migrations.upgrade()
        db.engine.dispose()


@pytest.fixture(scope="session")
def database_template(tmp_path_factory: pytest.TempPathFactory) -> str:
    """A migrated SQLite file to copy, or the migrated PostgreSQL URL."""
    workdir = tmp_path_factory.mktemp("template")
    if PG_URL:
        engine = create_engine(normalise_url(PG_URL))
        with engine.begin() as conn:
            conn.execute(text("DROP SCHEMA public CASCADE"))
            conn.execute(text("CREATE SCHEMA public"))
        engine.dispose()
        _migrated(PG_URL, workdir)
        return PG_URL
    path = workdir / "template.sqlite3"
    _migrated(f"sqlite:///{path}", workdir)
    return str(path)


@pytest.fixture
def database_url(database_template: str, tmp_path: Path) -> Iterator[str]:
    if PG_URL:
        yield PG_URL
        engine = create_engine(normalise_url(PG_URL))
        tables = ", ".join(f'"{t.name}"' for t in metadata.sorted_tables)
        with engine.begin() as conn:
            conn.execute(text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))
        engine.dispose()
        return
    path = tmp_path / "test.sqlite3"
    shutil.copyfile(database_template, path)
    yield f"sqlite:///{path}"


@contextmanager
def running_app(database_url: str, tmp_path: Path, **config: Any) -> Iterator[Flask]:
    """An application on the test database, with `config` over the test defaults."""
    application = create_app({**BASE_CONFIG, "DATABASE_URL": database_url, **config})
    application.instance_path = str(tmp_path / "instance")
    try:
        yield application
    finally:
        with application.app_context():
            db.engine.dispose()


@pytest.fixture
def app(database_url: str, tmp_path: Path) -> Iterator[Flask]:
    with running_app(database_url, tmp_path) as application:
        yield application


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


@pytest.fixture
def runner(app: Flask):
    return app.test_cli_runner()


@dataclass
class World:
    """A county with two townships and three villages, and one account per role."""

    county: Area
    township: Area
    village_a: Area
    village_b: Area
    other_township: Area
    village_c: Area
    accounts: dict[str, Account]


@pytest.fixture
def world(app: Flask) -> World:
    with app.app_context():
        s = db.session
        county = create_area(s, actor=None, code="511399000000", name="临江县", level=AreaLevel.COUNTY, parent=None)
        township = create_area(
            s, actor=None, code="511399101000", name="石桥镇", level=AreaLevel.TOWNSHIP, parent=county
        )
        village_a = create_area(
            s, actor=None, code="511399101201", name="石桥村", level=AreaLevel.VILLAGE, parent=township
        )
        village_b = create_area(
            s, actor=None, code="511399101202", name="王家庄村", level=AreaLevel.VILLAGE, parent=township
        )
        other = create_area(s, actor=None, code="511399200000", name="柳林乡", level=AreaLevel.TOWNSHIP, parent=county)
        village_c = create_area(
            s, actor=None, code="511399200201", name="青山村", level=AreaLevel.VILLAGE, parent=other
        )
        specs = {
            "clerk_a": ("王秀英", Role.CLERK, village_a),
            "reviewer_a": ("李德华", Role.REVIEWER, village_a),
            "clerk_b": ("张建国", Role.CLERK, village_b),
            "reviewer_b": ("刘桂兰", Role.REVIEWER, village_b),
            "inspector": ("赵振华", Role.INSPECTOR, township),
            "other_inspector": ("周成林", Role.INSPECTOR, other),
            "county_inspector": ("孙国庆", Role.INSPECTOR, county),
            "admin": ("系统管理员", Role.ADMIN, None),
        }
        accounts = {
            username: create_account(
                s,
                actor=None,
                username=username.replace("_", "-"),
                display_name=name,
                password=PASSWORD,
                role=role,
                area=area,
            )
            for username, (name, role, area) in specs.items()
        }
        s.commit()
        return World(county, township, village_a, village_b, other, village_c, accounts)


_TOKEN = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"|name="csrf_token" value="([^"]+)"')


class Browser:
    """A test client that logs in and sends forms with their CSRF token, as a browser would."""

    def __init__(self, client: FlaskClient) -> None:
        self.client = client

    def token(self, page: str = "/login") -> str:
        html = self.client.get(page).get_data(as_text=True)
        match = _TOKEN.search(html)
        assert match, f"no CSRF token on {page}"
        return match.group(1) or match.group(2)

    def login(self, username: str, password: str = PASSWORD) -> Any:
        response = self.post("/login", {"username": username, "password": password})
        assert response.status_code == 302, response.get_data(as_text=True)[:500]
        return response

    def get(self, url: str, **kwargs: Any) -> Any:
        return self.client.get(url, **kwargs)

    def post(self, url: str, data: dict[str, Any] | None = None, **kwargs: Any) -> Any:
        data = dict(data or {})
        data.setdefault("csrf_token", self.token())
        return self.client.post(url, data=data, **kwargs)


@pytest.fixture
def browser(client: FlaskClient) -> Browser:
    return Browser(client)


def login_as(app: Flask, username: str) -> Browser:
    """A fresh browser, logged in as one of the world's accounts (e.g. 'clerk-a')."""
    browser = Browser(app.test_client())
    browser.login(username)
    return browser

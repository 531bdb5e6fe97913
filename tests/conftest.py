"""Fixtures in the manner of flaskr's: app, client, runner, and a logged-in browser helper.

Each test gets its own database, built by the Alembic migrations (never by create_all), once
per xdist worker (tests/databases.py): on SQLite a copy of the migrated template file; on
PostgreSQL (TEST_DATABASE_URL) the worker's own database, emptied after each test. A test that
asks for the demo `world` starts from a template that already holds it, built once per worker.
"""

from __future__ import annotations

import os
import re
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from flask import Flask
from flask.testing import FlaskClient
from hypothesis import settings
from sqlalchemy import select
from sqlalchemy.orm import Session

from tests.core.helpers import real_ids
from tests.databases import PG_URL, Snapshot, empty_postgres, migrated_template
from transparency import create_app
from transparency.accounts.models import Account, Role
from transparency.accounts.services import create_account
from transparency.areas.models import Area, AreaLevel
from transparency.areas.services import create_area
from transparency.core.db import db
from transparency.printing import background

PASSWORD = "correct-horse-battery"
# Property tests check rules, not speed: on a shared 2-core machine one example can take longer
# than Hypothesis's 200 ms default deadline, which would fail a correct rule.
settings.register_profile("project", deadline=None)
settings.load_profile("project")
TRANSLATIONS = Path(__file__).resolve().parents[1] / "transparency" / "translations"


def compile_catalogues() -> None:
    """What `make install` does (`pybabel compile`): the .mo files are built, not committed.

    Each .po whose .mo is missing or older is compiled to a temporary file and moved into place,
    so xdist workers doing it at the same time never read half a file."""
    for po in TRANSLATIONS.glob("*/LC_MESSAGES/messages.po"):
        mo = po.with_suffix(".mo")
        if mo.exists() and mo.stat().st_mtime >= po.stat().st_mtime:
            continue
        with po.open("rb") as source:
            catalog = read_po(source, locale=po.parents[1].name)
        fd, temporary = tempfile.mkstemp(dir=po.parent, suffix=".mo.tmp")
        with os.fdopen(fd, "wb") as out:
            write_mo(out, catalog)
        os.replace(temporary, mo)


def pytest_sessionstart(session: pytest.Session) -> None:
    compile_catalogues()


BASE_CONFIG: dict[str, Any] = {
    "TESTING": True,
    "SECRET_KEY": "test-secret-key",
    "ARGON2_TIME_COST": 1,
    "ARGON2_MEMORY_COST": 8,
    "ARGON2_PARALLELISM": 1,
    "RATELIMIT_STORAGE_URI": "memory://",
    # Publications queue their prints; a test that wants them rendered drains the table itself.
    "PRINT_BACKGROUND": False,
}


@pytest.fixture(scope="session")
def database_template(tmp_path_factory: pytest.TempPathFactory) -> str:
    """A migrated SQLite file to copy, or the URL of this worker's migrated PostgreSQL database."""
    return migrated_template(tmp_path_factory.mktemp("template"), BASE_CONFIG)


@pytest.fixture(scope="session")
def world_template(database_template: str, tmp_path_factory: pytest.TempPathFactory) -> str | Snapshot:
    """The migrated template with the demo `world` in it: a SQLite file, or a snapshot of its rows."""
    workdir = tmp_path_factory.mktemp("world")
    if PG_URL:
        url = database_template
    else:
        url = f"sqlite:///{workdir / 'world.sqlite3'}"
        shutil.copyfile(database_template, workdir / "world.sqlite3")
    with running_app(url, workdir) as application, application.app_context():
        build_world(db.session)
        db.session.commit()
    if not PG_URL:
        return str(workdir / "world.sqlite3")
    try:
        return Snapshot.take(url)
    finally:
        empty_postgres(url)


@pytest.fixture
def database_url(request: pytest.FixtureRequest, database_template: str, tmp_path: Path) -> Iterator[str]:
    """This test's own database; it holds the demo `world` when the test asks for it."""
    with_world = "world" in request.fixturenames
    template = request.getfixturevalue("world_template") if with_world else database_template
    if PG_URL:
        if with_world:
            template.restore(database_template)
        try:
            yield database_template
        finally:
            empty_postgres(database_template)
        return
    path = tmp_path / "test.sqlite3"
    shutil.copyfile(template, path)
    yield f"sqlite:///{path}"


@contextmanager
def running_app(database_url: str, tmp_path: Path, **config: Any) -> Iterator[Flask]:
    """An application on the test database, with `config` over the test defaults."""
    application = create_app({**BASE_CONFIG, "DATABASE_URL": database_url, **config})
    application.instance_path = str(tmp_path / "instance")
    try:
        yield application
    finally:
        background.stop(application)  # a renderer a test started must not outlive its database
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


# The demo world: (field, code, name, level, parent field) and (key, display name, role, area field).
AREAS = [
    ("county", "511399000000", "临江县", AreaLevel.COUNTY, None),
    ("township", "511399101000", "石桥镇", AreaLevel.TOWNSHIP, "county"),
    ("village_a", "511399101201", "石桥村", AreaLevel.VILLAGE, "township"),
    ("village_b", "511399101202", "王家庄村", AreaLevel.VILLAGE, "township"),
    ("other_township", "511399200000", "柳林乡", AreaLevel.TOWNSHIP, "county"),
    ("village_c", "511399200201", "青山村", AreaLevel.VILLAGE, "other_township"),
]
ACCOUNTS = [
    ("clerk_a", "王秀英", Role.CLERK, "village_a"),
    ("reviewer_a", "李德华", Role.REVIEWER, "village_a"),
    ("clerk_b", "张建国", Role.CLERK, "village_b"),
    ("reviewer_b", "刘桂兰", Role.REVIEWER, "village_b"),
    ("inspector", "赵振华", Role.INSPECTOR, "township"),
    ("other_inspector", "周成林", Role.INSPECTOR, "other_township"),
    ("county_inspector", "孙国庆", Role.INSPECTOR, "county"),
    ("admin", "系统管理员", Role.ADMIN, None),
]


def build_world(s: Session) -> None:
    """Create the world's areas and accounts through the services, as an administrator would."""
    areas: dict[str, Area] = {}
    for field, code, name, level, parent in AREAS:
        areas[field] = create_area(
            s, actor=None, code=code, name=name, level=level, parent=areas[parent] if parent else None
        )
    for key, name, role, area in ACCOUNTS:
        create_account(
            s,
            actor=None,
            username=key.replace("_", "-"),
            display_name=name,
            password=PASSWORD,
            role=role,
            area=areas[area] if area else None,
        )


def load_world(s: Session) -> World:
    """The world as `build_world` left it, with its areas' parents and children and accounts' areas loaded."""
    by_code = {area.code: area for area in s.scalars(select(Area).order_by(Area.code))}
    by_username = {account.username: account for account in s.scalars(select(Account))}
    for area in by_code.values():
        _ = area.parent, area.children
    areas = {field: by_code[code] for field, code, *_ in AREAS}
    accounts = {key: by_username[key.replace("_", "-")] for key, *_ in ACCOUNTS}
    for account in accounts.values():
        _ = account.area
    return World(**areas, accounts=accounts)


@pytest.fixture
def world(app: Flask) -> World:
    """The demo world, already in this test's database (see `database_url`)."""
    with app.app_context():
        loaded = load_world(db.session)
        db.session.commit()  # ends the transaction: the teardown's rollback would expire the objects
        return loaded


@pytest.fixture
def objects(app: Flask, world: World) -> dict[str, Any]:
    """Real ids to put in URL parameters: a draft, a published disclosure with an attachment, a matter."""
    return real_ids(app, world)


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

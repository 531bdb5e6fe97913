"""Strings in the Python code are marked for translation: a tiny English catalogue changes them.

Each assertion below would fail if its string were a plain literal, since only marked strings
are looked up in the catalogue; the rest of the page stays in Chinese.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from types import SimpleNamespace

import pytest
from babel.messages.catalog import Catalog
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.mofile import write_mo
from flask import Flask

from tests.conftest import BASE_CONFIG, Browser
from transparency import create_app
from transparency.accounts.forms import LoginForm
from transparency.accounts.models import Role
from transparency.core.db import db
from transparency.core.i18n import babel
from transparency.disclosures.checks import ledger_problems

ENGLISH = {
    "用户名": "Username",
    "请填写用户名": "Please enter your username",
    "请填写期初余额": "Enter the opening balance",
    "明细第 %(row)s 行收入和支出都是 0": "Ledger row %(row)s has neither income nor expense",
    "账不平：期初余额 %(opening)s + 收入合计 %(income)s − 支出合计 %(expense)s = %(computed)s，"
    "与期末余额 %(closing)s 相差 %(difference)s": "Off by %(difference)s: %(opening)s + %(income)s − %(expense)s "
    "= %(computed)s, not %(closing)s",
    "找不到页面": "Page not found",
    "村务公开员": "Clerk",
}


def _forget_loaded_catalogues(app: Flask) -> None:
    # Flask-Babel keeps loaded catalogues on the Babel object, which every test app shares.
    with app.app_context():
        babel.domain_instance.cache.clear()


@pytest.fixture
def english_app(database_url: str, tmp_path: Path) -> Iterator[Flask]:
    """The site with an English catalogue holding only the strings in ENGLISH."""
    catalog = Catalog(locale="en")
    for msgid, msgstr in ENGLISH.items():
        catalog.add(msgid, msgstr)
    messages = tmp_path / "translations" / "en" / "LC_MESSAGES"
    messages.mkdir(parents=True)
    with open(messages / "messages.mo", "wb") as out:
        write_mo(out, catalog)
    app = create_app(
        {
            **BASE_CONFIG,
            "DATABASE_URL": database_url,
            "LANGUAGES": ["zh_Hans", "en"],
            "BABEL_TRANSLATION_DIRECTORIES": str(tmp_path / "translations"),
        }
    )
    _forget_loaded_catalogues(app)
    try:
        yield app
    finally:
        _forget_loaded_catalogues(app)
        with app.app_context():
            db.engine.dispose()


def test_form_label_and_validator_message_are_translated(english_app: Flask) -> None:
    page = english_app.test_client().get("/login?lang=en").get_data(as_text=True)
    assert '<html lang="en">' in page
    assert ">Username</label>" in page

    response = Browser(english_app.test_client()).post("/login?lang=en", {"username": "", "password": "x"})
    assert "Please enter your username" in response.get_data(as_text=True)

    with english_app.test_request_context("/?lang=en"):
        assert str(LoginForm(meta={"csrf": False}).username.label.text) == "Username"
        assert Role.CLERK.label == "Clerk"


def test_check_problems_are_translated_with_named_placeholders(english_app: Flask) -> None:
    rows = [SimpleNamespace(income=0, expense=0), SimpleNamespace(income=10_000, expense=0)]
    with english_app.test_request_context("/?lang=en"):
        assert ledger_problems(None, rows, 0) == [
            "Enter the opening balance",
            "Ledger row 1 has neither income nor expense",
        ]
        assert ledger_problems(5_000, rows[1:], 0) == ["Off by ¥150.00: ¥50.00 + ¥100.00 − ¥0.00 = ¥150.00, not ¥0.00"]


def test_error_page_title_is_translated(english_app: Flask) -> None:
    client = english_app.test_client()
    english = client.get("/no-such-page?lang=en").get_data(as_text=True)
    assert "Page not found" in english and "找不到页面" not in english
    chinese = client.get("/no-such-page").get_data(as_text=True)
    assert "找不到页面" in chinese and '<html lang="zh-Hans">' in chinese


def test_messages_work_outside_a_request(app: Flask) -> None:
    """The CLI and the services run with an application context only: the source text comes back."""
    assert Role.CLERK.label == "村务公开员"
    with app.app_context():
        assert Role.CLERK.label == "村务公开员"
        assert ledger_problems(None, [], 0) == ["请填写期初余额", "明细账至少要有一行"]


def test_extraction_finds_lazy_and_runtime_strings() -> None:
    """`make messages` extracts with `-k _l`: lazily marked strings must be imported under that name."""
    root = Path(__file__).resolve().parents[2] / "transparency"
    keywords = {**DEFAULT_KEYWORDS, "_l": None}
    found = {message for _file, _line, message, _comments, _context in extract_from_dir(root, keywords=keywords)}
    for msgid in (
        "用户名",  # form label
        "密码至少 %(min)s 位",  # validator message
        "身份证号应为 18 位，最后一位可以是数字或 X",  # domain exception
        "账不平：发放到户 %(paid)s + 集体留存 %(retained)s = %(total)s，与收到补偿款 %(received)s 相差 %(difference)s",
        "找不到页面",  # error page
        "村务公开员",  # role, category, status and level labels
        "财务收支",
        "已公开",
        "乡镇",
    ):
        assert msgid in found, msgid

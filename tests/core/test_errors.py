"""Error pages are Chinese, friendly and never show a stack trace."""

import sqlite3

import pytest
from sqlalchemy.exc import OperationalError

from tests.conftest import running_app
from transparency.core.security import public


@pytest.fixture
def fragile_app(database_url, tmp_path):
    with running_app(database_url, tmp_path, PROPAGATE_EXCEPTIONS=False) as app:

        @app.get("/boom")
        @public
        def boom():
            raise RuntimeError("secret internals: password=hunter2")

        @app.get("/busy")
        @public
        def busy():
            raise OperationalError("BEGIN IMMEDIATE", {}, sqlite3.OperationalError("database is locked"))

        yield app


def test_500_page_is_chinese_without_traceback(fragile_app):
    response = fragile_app.test_client().get("/boom")
    page = response.get_data(as_text=True)
    assert response.status_code == 500
    assert "系统出错了" in page and "没有保存" in page
    assert "Traceback" not in page and "hunter2" not in page and "RuntimeError" not in page


def test_a_busy_sqlite_database_is_a_503_with_advice_not_a_500(fragile_app):
    response = fragile_app.test_client().get("/busy")
    page = response.get_data(as_text=True)
    assert response.status_code == 503
    assert "系统繁忙" in page and "没有保存" in page and "Traceback" not in page


@pytest.mark.parametrize(
    ("url", "method", "code", "title"),
    [
        ("/no-such-page", "get", 404, "找不到页面"),
        ("/login", "put", 405, "操作方式不对"),
        ("/logout", "post", 400, "请求有误"),
    ],
)
def test_error_pages(app, url, method, code, title):
    response = getattr(app.test_client(), method)(url)
    assert response.status_code == code
    page = response.get_data(as_text=True)
    assert title in page and '<html lang="zh-Hans">' in page

"""Logging in as a form does, and what the login page says."""

from __future__ import annotations

from typing import Any

from tests.conftest import Browser

LOCK_MESSAGE = "账户已暂停登录"
WRONG_PASSWORD_MESSAGE = "用户名或密码不对"


def try_login(browser: Browser, username: str, password: str) -> Any:
    return browser.post("/login", {"username": username, "password": password})

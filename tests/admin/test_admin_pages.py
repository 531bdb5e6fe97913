"""Administrators manage areas and accounts on simple pages; nobody else can."""

import pytest
from sqlalchemy import select

from tests.conftest import Browser, login_as
from transparency.accounts.models import Account
from transparency.core.db import db


def test_admin_creates_an_account_and_deactivates_it(app, world):
    admin = login_as(app, "admin")
    response = admin.post(
        "/admin/accounts",
        {
            "username": "chen",
            "display_name": "陈玉梅",
            "role": "reviewer",
            "area_code": "511399101202",
            "password": "a-long-password",
        },
    )
    assert response.status_code == 302
    Browser(app.test_client()).login("chen", "a-long-password")  # the new account works
    with app.app_context():
        chen = db.session.scalars(select(Account).where(Account.username == "chen")).one()
        assert chen.area.name == "王家庄村"
        chen_id = chen.id
    assert admin.post(f"/admin/accounts/{chen_id}/active/0").status_code == 302
    browser = Browser(app.test_client())
    response = browser.post("/login", {"username": "chen", "password": "a-long-password"})
    assert response.status_code == 200 and "用户名或密码不对" in response.get_data(as_text=True)


def test_admin_form_errors_keep_what_was_typed(app, world):
    admin = login_as(app, "admin")
    response = admin.post(
        "/admin/accounts",
        {
            "username": "clerk-a",
            "display_name": "重名的人",
            "role": "clerk",
            "area_code": "511399101201",
            "password": "a-long-password",
        },
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 422 and "已被使用" in page and 'value="重名的人"' in page
    response = admin.post(
        "/admin/accounts",
        {
            "username": "lisi",
            "display_name": "李四",
            "role": "inspector",
            "area_code": "511399101201",
            "password": "a-long-password",
        },
    )
    assert response.status_code == 422 and "必须绑定到乡镇、县" in response.get_data(as_text=True)


def test_admin_adds_a_village(app, world):
    admin = login_as(app, "admin")
    response = admin.post(
        "/admin/areas",
        {
            "code": "511399101203",
            "name": "柳树湾村",
            "level": "village",
            "parent_code": "511399101000",
        },
    )
    assert response.status_code == 302
    assert "柳树湾村" in app.test_client().get("/t/511399101000").get_data(as_text=True)


@pytest.mark.parametrize("username", ["clerk-a", "reviewer-a", "inspector"])
def test_staff_other_than_admin_cannot_reach_admin_pages(app, world, username):
    browser = login_as(app, username)
    assert browser.get("/admin/accounts").status_code == 403
    assert (
        browser.post(
            "/admin/areas", {"code": "511399101209", "name": "x", "level": "village", "parent_code": "511399101000"}
        ).status_code
        == 403
    )

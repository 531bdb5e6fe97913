"""A success message only after the commit succeeded (issue 14, point 4): when the commit raises
(a full disk, a read-only database), the visitor sees the error page alone, and nothing the view
announced (a flash, a receipt, a login) reaches the browser afterwards either."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from sqlalchemy import event, select
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session

from tests.complaints.helpers import form_token, matter_form
from tests.conftest import Browser, login_as, running_app
from tests.disclosures.helpers import version_id_from
from tests.disclosures.samples import LEDGER_FORM
from transparency.complaints.models import Matter
from transparency.core.db import db
from transparency.disclosures.models import DisclosureVersion, VersionStatus

VILLAGE_A = "511399101201"


@pytest.fixture
def fragile(database_url, tmp_path, world):
    """The app as in production: an exception becomes the 500 page instead of reaching the test."""
    with running_app(database_url, tmp_path, PROPAGATE_EXCEPTIONS=False) as application:
        yield application


@contextmanager
def disk_full() -> Iterator[None]:
    """Every commit in the block raises as SQLite does on a full disk."""

    def refuse(_session: Session) -> None:
        raise OperationalError("COMMIT", {}, Exception("database or disk is full"))

    event.listen(Session, "before_commit", refuse)
    try:
        yield
    finally:
        event.remove(Session, "before_commit", refuse)


def assert_error_page_alone(response, *successes: str) -> None:
    page = response.get_data(as_text=True)
    assert response.status_code == 500, page[:500]
    assert "系统出错了" in page and "没有保存" in page
    for success in successes:
        assert success not in page


def test_a_failed_approval_shows_the_error_alone_and_publishes_nothing(fragile):
    clerk = login_as(fragile, "clerk-a")
    version_id = version_id_from(clerk.post("/manage/new/finance", LEDGER_FORM))
    assert clerk.post(f"/manage/versions/{version_id}/submit").status_code == 302
    reviewer = login_as(fragile, "reviewer-a")
    approve = {"signed_name": "李德华", "csrf_token": reviewer.token(f"/manage/versions/{version_id}")}

    with disk_full():
        response = reviewer.client.post(f"/manage/versions/{version_id}/approve", data=approve)

    assert_error_page_alone(response, "审核通过", "已向村民公开")
    # Nor is the flash kept for the next page: the success never happened.
    assert "审核通过" not in reviewer.get(f"/manage/versions/{version_id}").get_data(as_text=True)
    with fragile.app_context():
        assert db.session.get(DisclosureVersion, version_id).status is VersionStatus.SUBMITTED


def test_a_failed_filing_shows_the_error_alone_and_no_receipt(fragile):
    browser = Browser(fragile.test_client())
    csrf, token = form_token(browser)
    data = {**matter_form(VILLAGE_A), "csrf_token": csrf, "form_token": token}

    with disk_full():
        response = browser.client.post("/complaints/new", data=data, content_type="multipart/form-data")

    assert_error_page_alone(response, "tracking-number", "tracking-code", "查询码")
    with fragile.app_context():
        assert db.session.scalars(select(Matter)).all() == []


def test_a_failed_login_commit_shows_the_error_alone_and_logs_nobody_in(fragile):
    browser = Browser(fragile.test_client())
    data = {"username": "clerk-a", "password": "correct-horse-battery", "csrf_token": browser.token()}

    with disk_full():
        response = browser.client.post("/login", data=data)

    assert_error_page_alone(response, "欢迎")
    page = browser.get("/manage/")
    assert page.status_code == 302 and "/login" in page.headers["Location"]  # still logged out
    assert "欢迎" not in browser.get("/login").get_data(as_text=True)


def test_a_view_that_raises_after_flashing_shows_no_flash(fragile):
    """The same rule for an exception in the view itself, after it queued its message."""
    from flask import flash

    from transparency.core.security import public

    @fragile.get("/flash-then-fail")
    @public
    def flash_then_fail():
        flash("已经办好了")
        raise RuntimeError("then the save failed")

    browser = Browser(fragile.test_client())
    assert_error_page_alone(browser.get("/flash-then-fail"), "已经办好了")
    assert "已经办好了" not in browser.get("/").get_data(as_text=True)

"""Nobody judges their own case, and the complainant's identity stays with the handler.

DESIGN rules 3 and 6: a matter routed around the village is invisible to every village account on
every page they can reach; contact details never reach public pages, URLs, cookies, logs or the
audit log; only the handler sees them, and each view is audited.
"""

from __future__ import annotations

import io
import logging
from typing import Any

import pytest
from PIL import Image
from sqlalchemy import select

from tests.complaints.helpers import file_matter, track
from tests.conftest import Browser, login_as
from tests.core.helpers import rules, url_for_rule
from transparency.audit.models import AuditEntry
from transparency.complaints.models import Channel, HandlerLevel, Matter, MatterKind, MatterPhoto
from transparency.core.blobs import AttachmentBlob
from transparency.core.db import db

SECRET_NAME = "欧阳明远"
SECRET_PHONE = "13912345678"
TITLE = "支部书记王大海虚报冒领低保金"
BODY = "王大海把已去世的三户老人继续列入低保名单，钱打到他亲戚的卡上。"


def jpeg_with_gps() -> bytes:
    image = Image.new("RGB", (32, 32), (10, 120, 30))
    exif = Image.Exif()
    exif[0x8825] = {1: "N", 2: (30.0, 40.0, 50.0)}  # GPSInfo
    exif[0x010F] = "PhoneMaker"
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif)
    return out.getvalue()


@pytest.fixture
def report(app, world, browser: Browser):
    """A 举报 naming the village secretary, with a name, a phone and a geotagged photo."""
    receipt = file_matter(
        browser,
        world.village_a.code,
        kind="complaint",
        title=TITLE,
        body=BODY,
        named_officials="村支部书记王大海",
        contact_name=SECRET_NAME,
        contact_phone=SECRET_PHONE,
        wants_public="y",
        photos=(io.BytesIO(jpeg_with_gps()), "现场.jpg"),
    )
    with app.app_context():
        matter = db.session.scalar(select(Matter).where(Matter.number == receipt.number))
        photo = db.session.scalar(select(MatterPhoto).where(MatterPhoto.matter_id == matter.id))
        return {"receipt": receipt, "matter_id": matter.id, "photo_id": photo.id}


def _values(world, report: dict[str, Any]) -> dict[str, Any]:
    return {
        "matter_id": report["matter_id"],
        "photo_id": report["photo_id"],
        "code": world.village_a.code,
        "category": "finance",
        "disclosure_id": 1,
        "version_id": 1,
        "attachment_id": 1,
        "number": 1,
        "account_id": 1,
        "active": 0,
        "fmt": "json",
    }


def _every_page(app, browser: Browser, values: dict[str, Any]) -> dict[str, str]:
    pages = {}
    for rule in rules(app, "GET"):
        url = url_for_rule(rule, values)
        response = browser.get(url)
        body = response.get_data().decode("utf-8", "replace")  # spreadsheet downloads are binary
        pages[url] = f"{response.status_code}\n{response.headers}\n{body}"
    return pages


@pytest.mark.parametrize("username", ["clerk-a", "reviewer-a", "clerk-b"])
def test_village_accounts_never_see_a_matter_routed_around_them(app, world, report, username):
    browser = login_as(app, username)
    for url, page in _every_page(app, browser, _values(world, report)).items():
        for secret in (TITLE, BODY, SECRET_NAME, SECRET_PHONE, report["receipt"].number):
            assert secret not in page, f"{username} saw {secret!r} on {url}"
    # The answer is the same as for a matter that does not exist: nothing tells them it does.
    for path in ("/manage/complaints/{}", "/manage/complaints/{}/photos/1"):
        assert browser.get(path.format(report["matter_id"])).status_code == browser.get(path.format(99999)).status_code
    for path in ("/manage/complaints/{}/contact", "/manage/complaints/{}/accept"):
        assert browser.post(path.format(report["matter_id"]), {}).status_code in (403, 404)
        assert (
            browser.post(path.format(report["matter_id"]), {}).status_code
            == browser.post(path.format(99999), {}).status_code
        )


def test_anonymous_visitors_never_see_it_either_though_it_was_marked_public(app, world, report):
    browser = Browser(app.test_client())
    for url, page in _every_page(app, browser, _values(world, report)).items():
        for secret in (TITLE, BODY, SECRET_NAME, SECRET_PHONE):
            assert secret not in page, f"the public saw {secret!r} on {url}"


@pytest.mark.parametrize("username", ["inspector", "county-inspector"])
def test_the_township_and_county_inspectors_see_and_handle_it(app, world, report, username):
    browser = login_as(app, username)
    queue = browser.get("/manage/complaints/").get_data(as_text=True)
    assert TITLE in queue
    page = browser.get(f"/manage/complaints/{report['matter_id']}").get_data(as_text=True)
    assert BODY in page and SECRET_NAME not in page  # identity only on request
    shown = browser.post(f"/manage/complaints/{report['matter_id']}/contact", {})
    assert shown.status_code == 200
    assert SECRET_NAME in shown.get_data(as_text=True) and SECRET_PHONE in shown.get_data(as_text=True)
    assert shown.headers["Cache-Control"] == "no-store"
    with app.app_context():
        viewed = db.session.execute(
            select(AuditEntry.actor_id, AuditEntry.object_id).where(AuditEntry.action == "complaint.contact_viewed")
        ).all()
    assert [tuple(row) for row in viewed] == [(world.accounts[username.replace("-", "_")].id, str(report["matter_id"]))]


def test_an_inspector_of_another_township_does_not_see_it(app, world, report):
    browser = login_as(app, "other-inspector")
    assert TITLE not in browser.get("/manage/complaints/").get_data(as_text=True)
    assert browser.get(f"/manage/complaints/{report['matter_id']}").status_code == 404


def test_identity_never_reaches_the_audit_log_logs_urls_or_cookies(app, world, browser, caplog):
    caplog.set_level(logging.DEBUG)
    receipt = file_matter(
        browser, world.village_a.code, contact_name=SECRET_NAME, contact_phone=SECRET_PHONE, wants_public="y"
    )
    looked_up = track(browser, receipt.number, receipt.code)
    handler = login_as(app, "clerk-a")  # an ordinary matter: the clerk handles it
    with app.app_context():
        matter_id = db.session.scalar(select(Matter.id).where(Matter.number == receipt.number))
    handler.post(f"/manage/complaints/{matter_id}/contact", {})
    with app.app_context():
        payloads = " ".join(db.session.scalars(select(AuditEntry.payload)).all())
    for secret in (SECRET_NAME, SECRET_PHONE, receipt.code, receipt.code.replace("-", "")):
        assert secret not in payloads
        assert secret not in caplog.text
    for response in (looked_up,):
        assert receipt.code.replace("-", "") not in (response.headers.get("Set-Cookie") or "")
        assert "Location" not in response.headers
        assert response.headers["Cache-Control"] == "no-store"
    for secret in (SECRET_NAME, SECRET_PHONE):
        public = browser.get(f"/m/{matter_id}").get_data(as_text=True)
        assert secret not in public and "村道路灯" in public
        assert secret not in browser.get(f"/v/{world.village_a.code}/matters").get_data(as_text=True)


def test_photos_lose_their_gps_and_camera_data(app, world, report):
    with app.app_context():
        photo = db.session.get(MatterPhoto, report["photo_id"])
        data = db.session.scalar(select(AttachmentBlob.data).where(AttachmentBlob.sha256 == photo.blob_sha256))
    image = Image.open(io.BytesIO(data))
    assert not image.getexif()
    assert b"PhoneMaker" not in data


def test_the_secret_code_is_stored_only_as_a_keyed_hash(app, world, browser):
    receipt = file_matter(browser, world.village_a.code)
    raw = receipt.code.replace("-", "")
    with app.app_context():
        row = db.session.execute(select(Matter.__table__)).mappings().one()
    assert all(raw not in str(value) for value in row.values())
    # The key comes from configuration: another key, and the same code no longer matches.
    app.config["TRACKING_CODE_KEY"] = "a-different-key"
    assert 'data-testid="status"' not in track(browser, receipt.number, receipt.code).get_data(as_text=True)


@pytest.mark.parametrize("wants_public", [False, True])
@pytest.mark.parametrize("conflict", [False, True])
def test_a_query_and_an_instance_agree_on_what_is_public(app, world, wants_public, conflict):
    """`Matter.is_public` is one rule: a routed-around matter is never public, whatever was asked."""
    with app.app_context():
        matter = Matter(
            code_digest="0" * 64,
            kind=MatterKind.COMPLAINT,
            channel=Channel.ONLINE,
            village_id=world.village_a.id,
            title=TITLE,
            body=BODY,
            handler_level=HandlerLevel.TOWNSHIP,
            wants_public=wants_public,
            conflict_of_interest=conflict,
        )
        db.session.add(matter)
        db.session.flush()
        found = db.session.scalar(select(Matter.id).where(Matter.id == matter.id, Matter.is_public))
        assert matter.is_public is (wants_public and not conflict)
        assert (found is not None) is matter.is_public
        db.session.rollback()

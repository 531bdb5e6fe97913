"""The public page cache: fresh at once after a change, never for a session, ETag and 304.

Changing a village's name with a plain UPDATE (no service, no signal) is how these tests see
whether a page came from the cache: a cached page still shows the old name.
"""

from __future__ import annotations

import datetime as dt
import uuid

import pytest
from flask import Flask
from flask_wtf.csrf import generate_csrf
from sqlalchemy import update

from tests.conftest import login_as, running_app
from tests.disclosures.helpers import publish_ledger
from transparency.areas.models import Area, AreaLevel
from transparency.areas.services import create_area
from transparency.core import page_cache
from transparency.core.db import clock_at, db
from transparency.core.page_revisions import ALL, AREAS, DISCLOSURES, tokens, village_scope
from transparency.core.security import public
from transparency.disclosures.models import Category
from transparency.obligations.models import Cadence
from transparency.obligations.services import set_rule

VILLAGE = "511399101201"
PAGES = [
    f"/v/{VILLAGE}",
    f"/v/{VILLAGE}/calendar",
    "/t/511399101000/calendar",
    "/t/511399101000",
    "/?village=%E6%A1%A5",
]


def rename_quietly(app: Flask, name: str, code: str = VILLAGE) -> None:
    """Change what the pages show behind the services' back: only an uncached render sees it."""
    with app.app_context():
        db.session.execute(update(Area).where(Area.code == code).values(name=name))
        db.session.commit()


def text(client, url: str, **kwargs) -> str:
    response = client.get(url, **kwargs)
    assert response.status_code == 200, url
    return response.get_data(as_text=True)


def test_a_public_page_is_served_from_the_cache_until_what_it_shows_changes(app, world):
    client = app.test_client()
    for url in PAGES:
        assert "石桥村" in text(client, url), url
    rename_quietly(app, "改名村")
    for url in PAGES:
        assert "改名村" not in text(client, url), f"{url} was rendered again, not served from the cache"
    with app.app_context():
        publish_ledger(world)  # the village's pages, its township's calendar, the lists: new at once
    for url in PAGES[:3]:
        assert "改名村" in text(client, url), f"{url} is stale after a publication"


def test_publishing_shows_the_new_disclosure_at_once(app, world):
    client = app.test_client()
    before_village, before_api = text(client, f"/v/{VILLAGE}"), client.get("/api/v1/disclosures").get_json()
    assert "2025年第1季度财务收支明细" not in before_village and before_api["items"] == []
    with app.app_context():
        version = publish_ledger(world)
        disclosure_id = version.disclosure_id
    assert f"/d/{disclosure_id}" in text(client, f"/v/{VILLAGE}")
    assert [item["id"] for item in client.get("/api/v1/disclosures").get_json()["items"]] == [disclosure_id]
    assert "2025年第1季度财务收支明细" in text(client, f"/v/{VILLAGE}/finance")
    statistics = client.get("/api/v1/statistics").get_json()["villages"]
    assert [row["village"]["code"] for row in statistics] == [VILLAGE]


def test_a_new_area_is_listed_at_once(app, world):
    client = app.test_client()
    assert "新河镇" not in text(client, "/")
    with app.app_context():
        county = db.session.get(Area, world.county.id)
        create_area(db.session, actor=None, code="511399300000", name="新河镇", level=AreaLevel.TOWNSHIP, parent=county)
        db.session.commit()
    assert "新河镇" in text(client, "/")
    assert any(
        area["code"] == "511399300000" for area in client.get("/api/v1/areas").get_json()["areas"][0]["children"]
    )


def test_a_changed_obligation_rule_moves_every_calendar(app, world):
    client = app.test_client()
    text(client, f"/v/{VILLAGE}/calendar")
    rename_quietly(app, "改名村")
    with app.app_context():
        before = tokens(db.session, [ALL])
        set_rule(db.session, actor=None, category=Category.DECISIONS, cadence=Cadence.AFTER_EVENT, within_days=3)
        db.session.commit()
        assert tokens(db.session, [ALL]) != before
    assert "改名村" in text(client, f"/v/{VILLAGE}/calendar")


def test_a_publication_moves_only_the_scopes_it_changes(app, world):
    with app.app_context():
        other = village_scope("511399200201")
        before = dict(zip([DISCLOSURES, AREAS, other], tokens(db.session, [DISCLOSURES, AREAS, other]), strict=True))
        publish_ledger(world)
        after = dict(zip([DISCLOSURES, AREAS, other], tokens(db.session, [DISCLOSURES, AREAS, other]), strict=True))
    assert after[DISCLOSURES] != before[DISCLOSURES]
    assert after[AREAS] == before[AREAS] and after[other] == before[other]  # 青山村's pages stay cached


def test_pages_that_count_days_are_rendered_again_the_next_day(app, world):
    client = app.test_client()
    first_day = dt.datetime(2026, 3, 2, 4, tzinfo=dt.UTC)
    with clock_at(first_day):
        text(client, f"/v/{VILLAGE}")
    rename_quietly(app, "改名村")
    with clock_at(first_day):
        assert "改名村" not in text(client, f"/v/{VILLAGE}")
    with clock_at(first_day + dt.timedelta(days=1)):
        assert "改名村" in text(client, f"/v/{VILLAGE}")


def test_a_signed_in_request_is_never_served_from_the_cache_nor_stored(app, world):
    anonymous, clerk = app.test_client(), login_as(app, "clerk-a")
    assert "石桥村" in text(anonymous, f"/v/{VILLAGE}")
    rename_quietly(app, "改名村")
    assert "改名村" in text(clerk.client, f"/v/{VILLAGE}")  # not the page cached for the anonymous
    assert "改名村" not in text(anonymous, f"/v/{VILLAGE}")
    rename_quietly(app, "再改村", code="511399101202")
    assert "再改村" in text(clerk.client, "/v/511399101202")  # rendered for the clerk, and not kept:
    rename_quietly(app, "三改村", code="511399101202")
    assert "三改村" in text(anonymous, "/v/511399101202")


def test_a_session_cookie_alone_bypasses_the_cache(app, world):
    client = app.test_client()
    text(client, f"/v/{VILLAGE}")
    rename_quietly(app, "改名村")
    with_session = app.test_client()
    with with_session.session_transaction() as session:
        session["_flashes"] = [("message", "已提交")]
    assert "改名村" in text(with_session, f"/v/{VILLAGE}")


def test_a_page_that_writes_the_session_is_not_stored(database_url, tmp_path, world):
    with running_app(database_url, tmp_path) as application:
        calls = []

        @public
        @page_cache.cached_page(lambda: [ALL])
        def with_form() -> str:
            calls.append(1)
            return f"<form>{generate_csrf()}</form>"

        application.add_url_rule("/test-form", view_func=with_form)
        first, second = application.test_client(), application.test_client()
        assert first.get("/test-form").headers.get("Set-Cookie")
        assert second.get("/test-form").headers.get("Set-Cookie")  # a token of its own, not the first one's
        assert len(calls) == 2


def test_etag_and_not_modified(app, world):
    client = app.test_client()
    first = client.get(f"/v/{VILLAGE}")
    etag = first.headers["ETag"]
    assert first.headers["Cache-Control"] == "no-cache"
    again = client.get(f"/v/{VILLAGE}", headers={"If-None-Match": etag})
    assert again.status_code == 304 and again.get_data() == b"" and again.headers["ETag"] == etag
    assert again.headers["X-Content-Type-Options"] == "nosniff"  # the usual headers, on a cached answer too
    with app.app_context():
        publish_ledger(world)
    changed = client.get(f"/v/{VILLAGE}", headers={"If-None-Match": etag})
    assert changed.status_code == 200 and changed.headers["ETag"] != etag


def test_a_signed_in_page_is_marked_no_store(app, world):
    clerk = login_as(app, "clerk-a")
    response = clerk.get(f"/v/{VILLAGE}")
    assert response.headers["Cache-Control"] == "no-store"


def test_without_the_cache_every_request_renders(database_url, tmp_path, world):
    with running_app(database_url, tmp_path, PAGE_CACHE="off") as application:
        client = application.test_client()
        text(client, f"/v/{VILLAGE}")
        rename_quietly(application, "改名村")
        response = client.get(f"/v/{VILLAGE}")
        assert "改名村" in response.get_data(as_text=True) and response.headers["ETag"]


def _redis_url() -> str:
    redis = pytest.importorskip("redis")
    url = "redis://127.0.0.1:6379/8"
    try:
        redis.Redis.from_url(url, socket_connect_timeout=0.5).ping()
    except redis.RedisError:
        pytest.skip("no Redis at 127.0.0.1:6379")
    return url


def test_with_redis_every_process_shares_the_pages_and_their_freshness(database_url, tmp_path, world):
    config = {"PAGE_CACHE_REDIS_URL": _redis_url(), "PAGE_CACHE_REDIS_PREFIX": f"test-{uuid.uuid4().hex}:"}
    with (
        running_app(database_url, tmp_path / "one", **config) as one,
        running_app(database_url, tmp_path / "two", **config) as two,
    ):
        assert "石桥村" in text(one.test_client(), f"/v/{VILLAGE}")
        rename_quietly(one, "改名村")
        assert "改名村" not in text(two.test_client(), f"/v/{VILLAGE}")  # the page the first process kept
        with one.app_context():
            publish_ledger(world)
        assert "改名村" in text(two.test_client(), f"/v/{VILLAGE}")

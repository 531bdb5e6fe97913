"""/api/v1/disclosures pages by cursor (`after=`) as by number, and counts once per change."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import update

from transparency.core import signals
from transparency.core.db import db
from transparency.disclosures.models import Category, Disclosure, DisclosureVersion, PeriodKind, VersionStatus

NOON = dt.datetime(2025, 4, 10, 4, tzinfo=dt.UTC)


def publish_quietly(app, world, count: int) -> list[int]:
    """`count` published finance ledgers, several first published in the same microsecond (ties)."""
    with app.app_context():
        ids = []
        for n in range(count):
            moment = NOON + dt.timedelta(hours=n // 3)  # three at each moment
            start = dt.date(2020 + n // 12, n % 12 + 1, 1)
            disclosure = Disclosure(
                village_id=world.village_a.id,
                category=Category.FINANCE,
                period_kind=PeriodKind.MONTH,
                period_start=start,
                period_end=start + dt.timedelta(days=27),
                first_published_at=moment,
            )
            disclosure.versions.append(
                DisclosureVersion(
                    number=1,
                    status=VersionStatus.PUBLISHED,
                    title=f"第{n}期",
                    drafted_by_id=world.accounts["clerk_a"].id,
                    published_at=moment,
                )
            )
            db.session.add(disclosure)
            db.session.flush()
            signals.disclosure_published.send(db.session, disclosure=disclosure)  # as publication does
            ids.append(disclosure.id)
        db.session.commit()
        return ids


def test_walking_by_cursor_gives_the_pages_by_number(app, client, world):
    publish_quietly(app, world, 7)
    by_number = []
    for page in (1, 2, 3, 4):
        body = client.get(f"/api/v1/disclosures?limit=2&page={page}").get_json()
        by_number.append([item["id"] for item in body["items"]])
    by_cursor, after, pages = [], None, []
    while True:
        body = client.get("/api/v1/disclosures?limit=2" + (f"&after={after}" if after else "")).get_json()
        by_cursor.append([item["id"] for item in body["items"]])
        pages.append(body["page"])
        after = body["next"]
        if after is None:
            break
    assert by_cursor == by_number and len(by_cursor) == 4
    assert pages == [1, None, None, None]  # a page found by cursor has no number
    assert by_number[0][0] > by_number[0][1]  # ties in the moment: the higher id first
    last = client.get("/api/v1/disclosures?limit=2&page=4").get_json()
    assert last["next"] is None and last["total"] == 7


@pytest.mark.parametrize("after", ["abc", "tn1", "t-5n1", "t12", "1n2", "t1n2n3", "t١٢n1", "1744257600000000-5"])
def test_a_malformed_cursor_is_a_json_400(client, world, after):
    response = client.get(f"/api/v1/disclosures?after={after}")
    assert response.status_code == 400 and response.get_json()["status"] == 400


def test_the_total_is_counted_once_per_publication(app, client, world):
    ids = publish_quietly(app, world, 3)
    assert client.get("/api/v1/disclosures?limit=1").get_json()["total"] == 3
    with app.app_context():  # behind the services' back: the kept count does not see it
        db.session.execute(update(Disclosure).where(Disclosure.id == ids[0]).values(first_published_at=None))
        db.session.commit()
    assert client.get("/api/v1/disclosures?limit=1&page=2").get_json()["total"] == 3
    publish_quietly(app, world, 1)
    assert client.get("/api/v1/disclosures?limit=1&page=3").get_json()["total"] == 3  # 3 − 1 + 1, counted again


def test_a_cursor_naming_an_id_beyond_the_column_lists_what_comes_before_it(client, world):
    # 3,000,000,000 does not fit PostgreSQL's INTEGER: it must not reach the database as a value.
    response = client.get("/api/v1/disclosures?after=t99999999999999999n3000000000")
    assert response.status_code == 200
    assert response.get_json()["items"] == client.get("/api/v1/disclosures").get_json()["items"]

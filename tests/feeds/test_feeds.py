"""Atom feeds per village and per township: new disclosures and corrections, parsed by feedparser."""

from __future__ import annotations

import feedparser

from tests.disclosures.helpers import draft_ledger, ledger_content, publish_ledger
from transparency.core.db import db
from transparency.disclosures import services


def _parse(client, url):
    response = client.get(url)
    assert response.status_code == 200
    assert response.mimetype == "application/atom+xml"
    feed = feedparser.parse(response.data)
    assert not feed.bozo, feed.bozo_exception
    return feed


def test_village_and_township_feeds_carry_new_notices_and_corrections(app, client, world):
    with app.app_context():
        version = publish_ledger(world, ledger_content(title="一季度收支 <&> 明细"))
        correction = services.start_correction(
            db.session, actor=world.accounts["clerk_a"], disclosure=version.disclosure, reason="补记一笔 & 更正"
        )
        services.submit(db.session, actor=world.accounts["clerk_a"], version=correction)
        services.approve(db.session, actor=world.accounts["reviewer_a"], version=correction, signed_name="李德华")
        draft_ledger(world, village=world.village_b, clerk="clerk_b")  # unpublished: in no feed
        db.session.commit()
        disclosure_id = version.disclosure_id

    village = _parse(client, f"/v/{world.village_a.code}/feed.atom")
    assert village.feed.title == "临江县石桥镇石桥村 · 村务公开"
    assert [e.title for e in village.entries] == ["【更正】石桥村：一季度收支 <&> 明细", "石桥村：一季度收支 <&> 明细"]
    assert "更正理由：补记一笔 & 更正" in village.entries[0].summary
    assert village.entries[0].link.endswith(f"/d/{disclosure_id}/v/2")
    assert village.entries[0].id != village.entries[1].id

    township = _parse(client, f"/t/{world.township.code}/feed.atom")
    assert len(township.entries) == 2
    assert _parse(client, f"/v/{world.village_b.code}/feed.atom").entries == []
    assert _parse(client, f"/t/{world.other_township.code}/feed.atom").entries == []


def test_pages_point_to_their_feeds(client, world):
    for page, feed in (
        (f"/v/{world.village_a.code}", f"/v/{world.village_a.code}/feed.atom"),
        (f"/t/{world.township.code}", f"/t/{world.township.code}/feed.atom"),
    ):
        html = client.get(page).get_data(as_text=True)
        assert '<link rel="alternate" type="application/atom+xml"' in html and f'href="{feed}"' in html


def test_unknown_or_wrong_level_codes_are_404(client, world):
    assert client.get("/v/000000000000/feed.atom").status_code == 404
    assert client.get(f"/v/{world.township.code}/feed.atom").status_code == 404
    assert client.get(f"/t/{world.village_a.code}/feed.atom").status_code == 404

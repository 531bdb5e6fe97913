"""Public complaint matters in the API (with their public timeline) and replies in the feeds."""

from __future__ import annotations

import feedparser

from transparency.complaints import services
from transparency.complaints.models import MatterKind
from transparency.core.db import db


def _matter(world, *, public: bool, title: str):
    registration = services.register(
        db.session,
        new=services.NewMatter(
            kind=MatterKind.COMPLAINT,
            village=world.village_a,
            title=title,
            body="村东头的六盏路灯坏了三个月。",
            wants_public=public,
            contact_name="张三",
            contact_phone="13812345678",
        ),
    )
    matter = registration.matter
    services.accept(db.session, matter=matter, actor=world.accounts["clerk_a"])
    services.reply(db.session, matter=matter, actor=world.accounts["clerk_a"], text="已更换路灯，请村民监督。")
    return matter


def test_public_matters_with_their_timeline_and_nothing_about_the_complainant(app, client, world):
    with app.app_context():
        shown = _matter(world, public=True, title="路灯坏了")
        _matter(world, public=False, title="不公开的反映")
        db.session.commit()
        shown_id = shown.id
    listing = client.get(f"/api/v1/matters?village={world.village_a.code}").get_json()
    assert [item["title"] for item in listing["items"]] == ["路灯坏了"]
    body = client.get(f"/api/v1/matters/{shown_id}")
    matter = body.get_json()
    assert [event["kind"] for event in matter["timeline"]] == ["registered", "accepted", "replied"]
    assert matter["timeline"][-1]["text"] == "已更换路灯，请村民监督。"
    text = body.get_data(as_text=True)
    assert "张三" not in text and "13812345678" not in text
    assert client.get(f"/api/v1/matters/{shown_id + 1}").status_code == 404  # not public


def test_replies_appear_in_the_village_feed(app, client, world):
    with app.app_context():
        _matter(world, public=True, title="路灯坏了")
        _matter(world, public=False, title="不公开的反映")
        db.session.commit()
    feed = feedparser.parse(client.get(f"/v/{world.village_a.code}/feed.atom").data)
    assert not feed.bozo
    assert [entry.title for entry in feed.entries] == ["【答复】石桥村：路灯坏了"]
    assert feed.entries[0].summary == "已更换路灯，请村民监督。"

"""Public complaint matters and their replies are searchable; private ones, routed-around ones and
anybody's identity never are."""

from __future__ import annotations

from tests.complaints.test_deadlines import at
from tests.conftest import Browser
from transparency.complaints import services
from transparency.complaints.models import Matter, MatterKind
from transparency.complaints.services import NewMatter
from transparency.core.db import clock_at, db


def _file(world, title: str, **fields) -> int:
    new = NewMatter(kind=MatterKind.COMPLAINT, village=world.village_a, title=title, body="具体情况见标题", **fields)
    with clock_at(at("2026-10-20")):
        matter = services.register(db.session, new=new).matter
    db.session.commit()
    return matter.id


def _search(app, words: str) -> str:
    return Browser(app.test_client()).get(f"/search?q={words}").get_data(as_text=True)


def test_a_public_matter_and_its_reply_are_found(app, world):
    with app.app_context():
        matter_id = _file(world, "村口垃圾站没人清运", wants_public=True, contact_name="欧阳明远")
        matter = db.session.get(Matter, matter_id)
        clerk = world.accounts["clerk_a"]
        with clock_at(at("2026-10-21")):
            services.accept(db.session, matter=matter, actor=clerk)
            services.reply(db.session, matter=matter, actor=clerk, text="已联系镇环卫所每两天清运一次")
        db.session.commit()
    found = _search(app, "环卫所")
    assert f'href="/m/{matter_id}"' in found and 'data-testid="search-result"' in found
    assert f'href="/m/{matter_id}"' in _search(app, "垃圾站")
    assert 'data-testid="search-result"' not in _search(app, "欧阳明远")


def test_private_and_routed_around_matters_are_not_found(app, world):
    with app.app_context():
        _file(world, "路灯坏了没人修")
        _file(world, "村会计挪用补偿款", wants_public=True, named_officials="村会计")
    assert 'data-testid="search-result"' not in _search(app, "路灯")
    assert 'data-testid="search-result"' not in _search(app, "挪用")

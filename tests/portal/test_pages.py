"""A villager finds their village: township list, name search, village page."""

from tests.disclosures.helpers import draft_ledger, publish_ledger
from transparency.core.db import db


def test_home_lists_townships_and_finds_villages_by_part_of_the_name(app, world):
    client = app.test_client()
    home = client.get("/").get_data(as_text=True)
    assert "石桥镇" in home and "柳林乡" in home and "/t/511399101000" in home
    found = client.get("/?village=桥").get_data(as_text=True)
    assert "/v/511399101201" in found and "/v/511399200201" not in found
    nothing = client.get("/?village=不存在的村").get_data(as_text=True)
    assert "没有找到" in nothing


def test_like_wildcards_in_the_search_are_literal(app, world):
    page = app.test_client().get("/?village=%25").get_data(as_text=True)
    assert "没有找到" in page


def test_township_lists_its_villages_only(app, world):
    page = app.test_client().get("/t/511399101000").get_data(as_text=True)
    assert "石桥村" in page and "王家庄村" in page and "青山村" not in page


def test_village_page_shows_published_but_never_drafts(app, world):
    with app.app_context():
        published = publish_ledger(world)
        draft = draft_ledger(world)
        db.session.commit()
        published_id, draft_disclosure = published.disclosure_id, draft.disclosure_id
    page = app.test_client().get("/v/511399101201").get_data(as_text=True)
    assert f"/d/{published_id}" in page and 'data-testid="latest-finance"' in page
    assert f'/d/{draft_disclosure}"' not in page
    assert app.test_client().get(f"/d/{draft_disclosure}").status_code == 404


def test_unknown_and_malformed_area_codes_are_404(app, world):
    client = app.test_client()
    for url in ("/v/999999999999", "/v/abc", "/t/511399101201", "/v/511399101000", "/v/5113991012011"):
        response = client.get(url)
        assert response.status_code == 404 and "找不到页面" in response.get_data(as_text=True)

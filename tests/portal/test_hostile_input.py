"""Hostile input to the public pages of places: names, village search, area codes.
Every one gets a clear answer, none a 500 (TESTING propagates exceptions, so a crash fails the test)."""

from __future__ import annotations

import re
from urllib.parse import quote

import pytest

from tests.conftest import PASSWORD, Browser, login_as
from tests.core.hostile import (
    BREAKOUT,
    IMG,
    MEETING_DAY,
    SCRIPT,
    assert_no_active_markup,
    parse,
    png_bytes,
    shown_as_text,
)
from tests.disclosures.helpers import ledger_content
from transparency.accounts.models import Role
from transparency.accounts.services import create_account
from transparency.areas.models import Area, AreaLevel
from transparency.areas.services import create_area
from transparency.core.db import db
from transparency.core.uploads import UploadedFile
from transparency.disclosures import services
from transparency.disclosures.models import Category, PeriodKind


def test_markup_in_names_of_places_and_people_and_files_is_text(app, world):
    """Administrators type village and staff names; uploads bring their own file names."""
    with app.app_context():
        township = db.session.get(Area, world.township.id)
        village = create_area(
            db.session, actor=None, code="511399101209", name=SCRIPT + "村", level=AreaLevel.VILLAGE, parent=township
        )
        clerk = create_account(
            db.session,
            actor=None,
            username="clerk-x",
            display_name=IMG,
            password=PASSWORD,
            role=Role.CLERK,
            area=village,
        )
        reviewer = create_account(
            db.session,
            actor=None,
            username="reviewer-x",
            display_name=BREAKOUT,
            password=PASSWORD,
            role=Role.REVIEWER,
            area=village,
        )
        version = services.start_disclosure(
            db.session,
            actor=clerk,
            village=village,
            category=Category.OTHER,
            period_kind=PeriodKind.DAY,
            period_start=MEETING_DAY,
            period_end=MEETING_DAY,
            content=ledger_content(title="村民代表会议决定"),
            files=[UploadedFile(filename=f"{BREAKOUT}<b>.png", data=png_bytes())],
        )
        services.submit(db.session, actor=clerk, version=version)
        services.approve(db.session, actor=reviewer, version=version, signed_name=BREAKOUT, note=SCRIPT)
        db.session.commit()
        disclosure_id, code = version.disclosure_id, village.code

    visitor = app.test_client()
    for url in (
        f"/t/{world.township.code}",
        f"/v/{code}",
        f"/v/{code}/other",
        f"/d/{disclosure_id}",
        "/?village=" + quote("script"),
    ):
        response = visitor.get(url)
        assert response.status_code == 200, url
        parsed = assert_no_active_markup(response.get_data(as_text=True), url)
        assert shown_as_text(parsed, SCRIPT + "村"), url
    page = visitor.get(f"/d/{disclosure_id}").get_data(as_text=True)
    parsed = parse(page)
    assert shown_as_text(parsed, IMG) and shown_as_text(parsed, BREAKOUT)
    images = [attrs for tag, attrs in parsed.tags if tag == "img"]
    assert len(images) == 1 and "<" not in (images[0]["alt"] or "")
    for who in ("clerk-x", "reviewer-x"):
        assert_no_active_markup(login_as(app, who).get("/manage/").get_data(as_text=True), who)


def test_reflected_markup_in_search_and_login_is_escaped(app, world):
    client = app.test_client()
    page = client.get("/?village=" + quote(BREAKOUT + SCRIPT)).get_data(as_text=True)
    parsed = assert_no_active_markup(page, "search")
    assert any(tag == "input" and attrs.get("value") == (BREAKOUT + SCRIPT)[:40] for tag, attrs in parsed.tags)
    browser = Browser(client)
    page = browser.post("/login", {"username": BREAKOUT, "password": "x"}).get_data(as_text=True)
    parsed = assert_no_active_markup(page, "login")
    assert any(tag == "input" and attrs.get("value") == BREAKOUT for tag, attrs in parsed.tags)


SQL_FRAGMENTS = [
    "' OR '1'='1",
    "' OR 1=1 --",
    "村'; DROP TABLE area; --",
    "%",
    "_",
    "%%",
    "\\",
    "\\%",
    "村%' OR '1'='1",
    "1) UNION SELECT username, password_hash FROM account --",
]


@pytest.mark.parametrize("fragment", SQL_FRAGMENTS)
def test_sql_fragments_in_village_search_find_nothing_and_break_nothing(app, world, fragment):
    client = app.test_client()
    response = client.get("/?village=" + quote(fragment))
    assert response.status_code == 200, fragment
    page = response.get_data(as_text=True)
    assert "没有找到名字里含" in page, fragment
    assert not re.search(r'href="/v/\d{12}"', page), fragment  # no village listed ('%' would list all)
    assert "argon2" not in page
    # The table is intact and searching still works.
    found = client.get("/?village=" + quote("村")).get_data(as_text=True)
    assert all(f'href="/v/{v.code}"' in found for v in (world.village_a, world.village_b, world.village_c))


def test_search_matches_part_of_a_name_only(app, world):
    page = app.test_client().get("/?village=" + quote("石桥")).get_data(as_text=True)
    assert f'href="/v/{world.village_a.code}"' in page
    assert f'href="/v/{world.village_b.code}"' not in page


def test_zero_width_characters_in_search_are_ignored(app, world):
    page = app.test_client().get("/?village=" + quote("石\u200b桥\x00")).get_data(as_text=True)
    assert f'href="/v/{world.village_a.code}"' in page


def test_unknown_or_malformed_area_codes_are_404(app, world):
    client = app.test_client()
    inspector = login_as(app, "inspector")
    for code in (
        "511399101299",
        "51139910120",
        "5113991012011",
        "abc",
        "５１１３９９１０１２０１",
        "511399101000",
        "' OR '1'='1",
    ):
        assert client.get(f"/v/{quote(code)}").status_code == 404, code
        assert client.get(f"/v/{quote(code)}/finance").status_code == 404, code
        assert inspector.get(f"/manage/villages/{quote(code)}").status_code == 404, code


def test_search_text_is_capped(app, world):
    response = app.test_client().get("/?village=" + quote("石桥" * 5000))
    assert response.status_code == 200
    parsed = parse(response.get_data(as_text=True))
    values = [attrs.get("value") for tag, attrs in parsed.tags if tag == "input" and attrs.get("name") == "village"]
    assert values and len(values[0]) <= 40

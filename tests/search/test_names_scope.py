"""People's names in lists are findable only where the list was posted (DESIGN rule 6).

A subsidy recipient's or a compensated household's name is found by the village's own search
(the village filter, or the search box on that village's pages) and by nothing else: not the
county-wide or township search, not /api/v1/search, not the feeds. Social assistance (低保 …) is
never indexed by name. Pages, downloads and prints that list people tell search engines not to
index them. On both backends.
"""

from __future__ import annotations

import datetime as dt
import re
from urllib.parse import quote

import pytest
from whoosh import index as whoosh_index
from whoosh.fields import ID, STORED, TEXT, Schema

from tests.disclosures.samples import ID_B
from tests.search.helpers import indexed_text, publish, publish_disclosure, subsidy_list, titles
from transparency.disclosures.content import CompensationLine, DraftContent
from transparency.disclosures.models import Category
from transparency.disclosures.people import is_social_assistance
from transparency.search import backends, service, whoosh_backend
from transparency.search.base import Filters, IndexBusy
from transparency.search.query import Query, Word

PROGRAM = "耕地地力保护补贴"
NAME = "钱多多"  # a recipient of PROGRAM
HOUSEHOLD = "孙有田"  # a household in a compensation table
ASSISTED = "赵福来"  # a recipient of 低保
FARM_TITLE = "2025年耕地地力保护补贴发放名单"
LAND_TITLE = "村道拓宽工程征地补偿分配方案"
DIBAO_TITLE = "2024年第四季度低保金发放名单"
RESULT = re.compile(r'data-testid="search-result"')


@pytest.fixture
def lists(app, world) -> dict[str, int]:
    with app.app_context():
        farm = subsidy_list(world, recipient=NAME, program=PROGRAM, title=FARM_TITLE)
        dibao = subsidy_list(
            world, recipient=ASSISTED, id_number=ID_B, program="农村最低生活保障金", title=DIBAO_TITLE, year=2024
        )
        land = publish(
            world,
            DraftContent(
                title=LAND_TITLE,
                project_name="村道拓宽工程",
                compensation_received=5_000_000,
                retained_by_collective=500_000,
                land_rate=3_000_000,  # ¥30,000 per 亩: 1.50 亩 make the household's ¥45,000
                compensation_rows=[
                    CompensationLine(f"{HOUSEHOLD}户", "二组 07 号", 150, 4_500_000, 0, 0, dt.date(2025, 6, 1))
                ],
            ),
            category=Category.LAND_COMPENSATION,
        )
        decision = publish_disclosure(world, "关于修建水渠的决议", body="预算二十万元。", year=2024)
        return {"farm": farm.id, "dibao": dibao.id, "land": land.id, "decision": decision.id}


def test_a_name_is_found_by_its_own_village_search_and_by_nothing_else(app, world, lists):
    own = Filters(village_id=world.village_a.id)
    with app.app_context():
        assert titles(app, NAME, own, names=True) == [FARM_TITLE]
        assert titles(app, HOUSEHOLD, own, names=True) == [LAND_TITLE]
        assert titles(app, f"{NAME} {PROGRAM}", own, names=True) == [FARM_TITLE]  # name and programme together
        elsewhere = [
            (Filters(), True),  # the whole county
            (Filters(township_id=world.township.id), True),  # the township
            (Filters(village_id=world.village_b.id), True),  # another village
            (own, False),  # the API: village filter set, but names are never asked for
            (Filters(), False),
        ]
        for filters, names in elsewhere:
            for name in (NAME, HOUSEHOLD):
                assert titles(app, name, filters, names=names) == [], (name, filters, names)
                assert titles(app, name, filters, names=names, by_date=True) == [], (name, filters, names)


def test_the_list_is_still_found_by_what_it_is_about_but_its_snippet_names_nobody(app, world, lists):
    with app.app_context():
        county = service.search(app, PROGRAM, Filters())
        assert [r.hit.title for r in county.results] == [FARM_TITLE]
        assert NAME not in county.results[0].snippet_text and NAME not in county.results[0].hit.content
        land = service.search(app, "二组 07 号", Filters())
        assert [r.hit.title for r in land.results] == [LAND_TITLE]
        assert HOUSEHOLD not in land.results[0].hit.content
        village = service.search(app, NAME, Filters(village_id=world.village_a.id), names=True)
        # 钱多多 is searched as 钱 多多; a single character (and a stop word) is not marked beside a longer word.
        assert NAME in village.results[0].snippet_text and "钱<mark>多多</mark>" in str(village.results[0].snippet)


def test_within_names_phrases_and_relaxation_work_as_in_any_text(app, world, lists):
    own = Filters(village_id=world.village_a.id)
    with app.app_context():
        # 多田 is no word of the index: the phrase of its characters, never found across two names.
        assert titles(app, "多多", own, names=True) == [FARM_TITLE]
        assert titles(app, "有田", own, names=True) == [LAND_TITLE]  # 孙有田户: 孙有 | 田, the phrase 有田
        assert titles(app, "多田", own, names=True) == []
        relaxed = service.search(app, f"{HOUSEHOLD}吗", own, names=True)  # 吗 is nowhere: dropped, a stop word
        assert [r.hit.title for r in relaxed.results] == [LAND_TITLE] and relaxed.dropped == ["吗"]
        for filters, names in ((Filters(), True), (own, False)):
            assert titles(app, "有田", filters, names=names) == []
            assert service.search(app, f"{HOUSEHOLD}吗", filters, names=names).total == 0


def test_corrections_and_suggestions_never_draw_on_names_unless_names_are_searched(app, world, lists):
    own = Filters(village_id=world.village_a.id)
    index = backends.backend(app)
    with app.app_context():
        assert index.frequencies(["多多", "孙有"]) == {"多多": 0, "孙有": 0}
        assert all(index.frequencies(["多多", "孙有"], names=True).values())
        # 钱多朵 is cut 钱 | 多朵; 多朵 → 多多 (duo duo), a word only a name holds here.
        village = service.search(app, "钱多朵", own, names=True)
        assert village.corrected == NAME and [r.hit.title for r in village.results] == [FARM_TITLE]
        for filters, names in ((Filters(), True), (own, False), (Filters(), False)):
            outcome = service.search(app, "钱多朵", filters, names=names)
            assert outcome.total == 0 and outcome.corrected is None and outcome.suggestion is None
            assert not any("多多" in word for word in outcome.related), outcome.related


def test_social_assistance_names_are_never_indexed(app, world, lists):
    with app.app_context():
        assert titles(app, ASSISTED, Filters(village_id=world.village_a.id), names=True) == []
        assert titles(app, "最低生活保障", Filters()) == [DIBAO_TITLE]  # the list itself is found
    indexed = indexed_text(app)
    assert NAME in indexed  # the check reads what the backend stores: other names are there
    name_tokens = [t.text for t in backends.analyzer(app).index_tokens(ASSISTED) if len(t.text) > 1]
    for token in [ASSISTED, *name_tokens]:
        assert token not in indexed, token


def test_a_rebuilt_index_holds_no_social_assistance_name_either(app, world, lists, runner):
    assert runner.invoke(args=["search", "rebuild"]).exit_code == 0
    assert ASSISTED not in indexed_text(app) and NAME in indexed_text(app)
    with app.app_context():
        assert titles(app, NAME, Filters(village_id=world.village_a.id), names=True) == [FARM_TITLE]
        assert titles(app, NAME) == []


def test_the_social_assistance_programmes_come_from_configuration(app, world):
    app.config["SOCIAL_ASSISTANCE_PROGRAMMES"] = ("残疾人两项补贴",)
    own = Filters(village_id=world.village_a.id)
    with app.app_context():
        subsidy_list(world, recipient="周济民", program="困难残疾人两项补贴", title="残疾人两项补贴名单")
        subsidy_list(world, recipient="吴长顺", program="最低生活保障金", title="低保名单", year=2024)
        assert titles(app, "周济民", own, names=True) == []
        assert titles(app, "吴长顺", own, names=True) == ["低保名单"]  # no longer on the list


@pytest.mark.parametrize(
    ("program", "assistance"),
    [
        ("最低生活保障金（第四季度）", True),
        ("农村低保", True),
        ("特困人员救助供养金", True),
        ("特困供养", True),
        ("临时 救助", True),
        ("耕地地力保护补贴", False),
        ("退耕还林补助", False),
    ],
)
def test_the_default_social_assistance_programmes(program, assistance):
    assert is_social_assistance(program) is assistance


def test_the_village_search_box_finds_a_name_and_the_county_box_and_the_api_do_not(client, world, lists):
    village_page = client.get(f"/v/{world.village_a.code}").get_data(as_text=True)
    assert f'<input type="hidden" name="village" value="{world.village_a.id}">' in village_page
    disclosure_page = client.get(f"/d/{lists['farm']}").get_data(as_text=True)
    assert f'<input type="hidden" name="village" value="{world.village_a.id}">' in disclosure_page
    home = client.get("/").get_data(as_text=True)
    assert 'type="hidden" name="village"' not in home

    found = client.get(f"/search?q={quote(NAME)}&village={world.village_a.id}").get_data(as_text=True)
    assert len(RESULT.findall(found)) == 1 and "钱<mark>多多</mark>" in found
    for query in ("", f"&township={world.township.id}", f"&village={world.village_b.id}"):
        page = client.get(f"/search?q={quote(NAME)}{query}").get_data(as_text=True)
        assert len(RESULT.findall(page)) == 0, query
        assert NAME not in page.replace(f"“{NAME}”", "").replace(f'value="{NAME}"', "").split("<title>")[0], query
        assert 'data-testid="suggest-unfiltered"' not in page, query
    county = client.get(f"/search?q={quote(NAME)}").get_data(as_text=True)
    assert 'data-testid="names-hint"' in county

    for query in (f"&village={world.village_a.id}", ""):
        answer = client.get(f"/api/v1/search?q={quote(NAME)}{query}").get_json()
        assert answer["total"] == 0 and answer["suggestions"]["without_filters"] in (0, None), query
    listed = client.get(f"/api/v1/search?q={quote(PROGRAM)}&village={world.village_a.id}")
    assert listed.get_json()["total"] == 1 and NAME not in listed.get_data(as_text=True)


def test_the_feeds_carry_no_names(client, world, lists):
    for url in (f"/v/{world.village_a.code}/feed.atom", f"/t/{world.township.code}/feed.atom"):
        feed = client.get(url).get_data(as_text=True)
        assert FARM_TITLE in feed and LAND_TITLE in feed, url
        for name in (NAME, HOUSEHOLD, ASSISTED):
            assert name not in feed, (url, name)


NOINDEX_META = '<meta name="robots" content="noindex">'


def test_pages_that_list_people_are_not_for_search_engines(client, lists):
    for key in ("farm", "dibao", "land"):
        number = lists[key]
        for url in (f"/d/{number}", f"/d/{number}/v/1"):
            assert NOINDEX_META in client.get(url).get_data(as_text=True), url
        for url in (
            f"/d/{number}/v/1.csv",
            f"/d/{number}/v/1.xlsx",
            f"/d/{number}/v/1.json",
            f"/api/v1/disclosures/{number}",
            f"/api/v1/disclosures/{number}/versions/1",
        ):
            response = client.get(url)
            assert response.status_code == 200 and response.headers.get("X-Robots-Tag") == "noindex", url
    decision = lists["decision"]
    assert NOINDEX_META not in client.get(f"/d/{decision}").get_data(as_text=True)
    for url in (f"/d/{decision}/v/1.csv", f"/api/v1/disclosures/{decision}"):
        assert "X-Robots-Tag" not in client.get(url).headers, url


@pytest.mark.pdf_tools
def test_the_print_of_a_list_of_people_is_not_for_search_engines(client, lists):
    printed = client.get(f"/d/{lists['farm']}/v/1/print.pdf")
    assert printed.status_code == 200 and printed.headers.get("X-Robots-Tag") == "noindex"
    assert "X-Robots-Tag" not in client.get(f"/d/{lists['decision']}/v/1/print.pdf").headers


def without_positions() -> Schema:
    """Today's fields, but the token fields without positions (as a release before phrases wrote them)."""
    old = whoosh_backend.schema()
    for name in ("title_tokens", "content_tokens", "names_tokens"):
        old.remove(name)
        old.add(name, TEXT(analyzer=whoosh_backend.PositionedTokenizer(), phrase=False))
    return old


@pytest.mark.parametrize(
    "old_schema",
    [lambda: Schema(key=ID(unique=True, stored=True), content=STORED), without_positions],
    ids=["no-names-field", "no-positions"],
)
def test_an_index_written_by_an_older_release_is_replaced_by_rebuild(app, world, runner, backend_name, old_schema):
    """One test of an index's age (whoosh_backend._current): fields and positions. An old index is
    written by no update and searched by no query until `search rebuild` replaces it."""
    if backend_name != "whoosh":
        pytest.skip("the PostgreSQL table changes by migration")
    path = backends.index_path(app)
    path.mkdir(parents=True, exist_ok=True)
    old = whoosh_index.create_in(str(path), old_schema())
    writer = old.writer()
    writer.add_document(key="disclosure:1", content=f"{PROGRAM} {ASSISTED} {ASSISTED}户")
    writer.commit()
    with app.app_context():
        with pytest.raises(IndexBusy):
            backends.backend(app).update([], ["disclosure:1"])
        with pytest.raises(whoosh_backend.OutdatedIndex):
            backends.backend(app).search(Query((Word(PROGRAM),)), Filters(), False, 0, 10)
        subsidy_list(world, recipient=NAME, program=PROGRAM, title=FARM_TITLE)  # stays in the outbox
    assert ASSISTED in indexed_text(app)
    assert runner.invoke(args=["search", "rebuild"]).exit_code == 0
    assert ASSISTED not in indexed_text(app)
    with app.app_context():
        assert titles(app, NAME, Filters(village_id=world.village_a.id), names=True) == [FARM_TITLE]

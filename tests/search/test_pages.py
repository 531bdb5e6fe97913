"""/search and /api/v1/search: results, filters, sorting, pagination, suggestions, hostile queries."""

from __future__ import annotations

import re
from urllib.parse import quote

import pytest

from tests.search.helpers import publish_disclosure, subsidy_list
from transparency.disclosures.models import Category
from transparency.search.service import MAX_QUERY_CHARS, PER_PAGE

RESULT = re.compile(r'data-testid="search-result"')


def result_count(html: str) -> int:
    return len(RESULT.findall(html))


@pytest.fixture
def disclosures(app, world):
    with app.app_context():
        ids = {
            "road": publish_disclosure(
                world, "关于硬化村组道路的一事一议决议", body="村民代表会议同意硬化三组道路。"
            ).id,
            "dibao": subsidy_list(world, recipient="钱多多").id,
            "other_village": publish_disclosure(
                world, "王家庄村道路维修公告", body="道路维修期间请绕行。", village=world.village_b, staff="b"
            ).id,
            "far": publish_disclosure(
                world,
                "青山村道路硬化工程招标公告",
                body="道路工程公开招标。",
                village=world.village_b,
                staff="b",
                category=Category.PROJECTS,
                year=2026,
            ).id,
        }
    return ids


def test_results_page_lists_hits_with_links_and_highlights(client, disclosures):
    page = client.get("/search?q=" + quote("道路硬化"))
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert result_count(html) == 2
    assert f'href="/d/{disclosures["road"]}"' in html
    assert "<mark>硬化</mark>" in html


def test_the_search_box_is_on_every_page(client, world):
    for path in ("/", f"/v/{world.village_a.code}/finance", "/login"):
        html = client.get(path).get_data(as_text=True)
        assert 'action="/search"' in html and 'name="q"' in html, path


def test_filters_by_township_village_category_year_and_kind(client, world, disclosures):
    def count(**filters):
        query = "&".join(f"{k}={v}" for k, v in filters.items())
        return result_count(client.get(f"/search?q={quote('道路')}&{query}").get_data(as_text=True))

    assert count() == 3
    assert count(township=world.township.id) == 3
    assert count(township=world.other_township.id) == 0
    assert count(village=world.village_b.id) == 2
    assert count(village=world.village_b.id, category="projects") == 1
    assert count(year=2026) == 1
    assert count(kind="disclosure") == 3


def test_sort_by_date_puts_the_newest_period_first(app, client, world):
    with app.app_context():
        publish_disclosure(world, "2024年水库维修公告", body="维修水库。维修水库。维修水库。", year=2024)
        publish_disclosure(world, "2026年水库维修公告", body="维修。", year=2026)

    def shown(sort: str) -> list[str]:
        body = client.get(f"/api/v1/search?sort={sort}&q=" + quote("水库维修")).get_json()
        return [hit["title"] for hit in body["hits"]]

    assert shown("relevance") == ["2024年水库维修公告", "2026年水库维修公告"]  # says it three times
    assert shown("date") == ["2026年水库维修公告", "2024年水库维修公告"]
    html = client.get("/search?sort=date&q=" + quote("水库维修")).get_data(as_text=True)
    assert html.index("2026年") < html.index("2024年")


def test_pagination(app, client, world):
    with app.app_context():
        for number in range(PER_PAGE + 2):
            publish_disclosure(world, f"第{number + 1}号护林防火通知", body="护林防火，人人有责。", year=2000 + number)
    first = client.get("/search?q=" + quote("护林防火")).get_data(as_text=True)
    assert result_count(first) == PER_PAGE
    assert "第 1 / 2 页" in first and 'rel="next"' in first
    second = client.get("/search?page=2&q=" + quote("护林防火")).get_data(as_text=True)
    assert result_count(second) == 2
    assert 'rel="prev"' in second
    assert client.get("/search?page=999&q=" + quote("护林防火")).status_code == 200


def test_nothing_found_suggests_the_query_without_filters_and_related_terms(client, world, disclosures):
    filtered = client.get(f"/search?q={quote('一事一议')}&village={world.village_b.id}").get_data(as_text=True)
    assert 'data-testid="search-empty"' in filtered
    assert "去掉筛选条件，可以找到 1 条" in filtered
    assert 'data-testid="suggest-related"' in filtered and ">村民议事<" in filtered
    # No notice names both: the one with some of the words is shown, and the page says so.
    partial = client.get("/search?q=" + quote("最低生活保障 钱少少")).get_data(as_text=True)
    assert "没有同时包含全部词语的结果，以下是包含部分词语的结果" in partial
    assert f'href="/d/{disclosures["dibao"]}"' in partial


def test_a_snippet_escapes_what_the_notice_says(app, client, world):
    with app.app_context():
        publish_disclosure(world, "关于<b>水费</b>收缴的通知", body="水费<script>alert(1)</script>每吨两元。")
    html = client.get("/search?q=" + quote("水费")).get_data(as_text=True)
    assert "<script>alert(1)" not in html and "<b>水费</b>" not in html
    assert "&lt;script" in html
    assert "<mark>水费</mark>" in html


def test_api_returns_hits_with_the_documented_fields(client, world, disclosures):
    response = client.get("/api/v1/search?q=" + quote("低保"))
    assert response.status_code == 200 and response.is_json
    body = response.get_json()
    assert body["total"] == 1 and body["page"] == 1
    (hit,) = body["hits"]
    assert set(hit) >= {"url", "title", "village", "category", "period", "snippet", "score"}
    assert hit["url"] == f"/d/{disclosures['dibao']}"
    assert hit["title"] == "2025年低保金发放名单"
    assert hit["village"] == "石桥镇石桥村"
    assert hit["category"] == "subsidy"
    assert hit["period"] and "最低生活保障金" in hit["snippet"]
    assert isinstance(hit["score"], float) and hit["score"] > 0
    filtered = client.get(f"/api/v1/search?q={quote('道路')}&village={world.village_b.id}&year=2025").get_json()
    assert [h["title"] for h in filtered["hits"]] == ["王家庄村道路维修公告"]


HOSTILE = [
    'title:"村务',
    '"unbalanced',
    "AND",
    "OR",
    "NOT",
    "AND OR NOT",
    "村务 AND",
    "* ? ~ ^ ( ) [ ] { } : \\ / -",
    "a" * 10_000,
    "！？，。、；：“”‘’（）",
    "...",
    "😀🙈💩",
    "'; DROP TABLE disclosure; --",
    "1' OR '1'='1",
    "低保' & '!",
    "& | ! <-> :* '",
    "\u0000\u200b\u202e",
    "%",
    "%E6%9D%91%FF%FE",
    "",
]


@pytest.mark.parametrize("query", HOSTILE)
def test_hostile_queries_get_a_page_or_a_clear_message(client, disclosures, query):
    page = client.get("/search", query_string={"q": query})
    assert page.status_code in (200, 422)
    html = page.get_data(as_text=True)
    assert "搜索公开内容" in html
    api = client.get("/api/v1/search", query_string={"q": query})
    assert api.status_code in (200, 400) and api.is_json


def test_invalid_utf8_in_the_query_string(client, disclosures):
    for raw in (b"/search?q=%FF%FE%E6%9D", b"/api/v1/search?q=%C0%AF%ED%A0%80", b"/search?q=%E6%9D%91&village=%FF"):
        response = client.get(raw.decode("latin-1"))
        assert response.status_code in (200, 400, 422)


def test_overlong_query_gets_a_message_not_a_search(client, disclosures):
    page = client.get("/search", query_string={"q": "低保" * MAX_QUERY_CHARS})
    assert page.status_code == 422
    assert f"不超过 {MAX_QUERY_CHARS} 个字" in page.get_data(as_text=True)
    api = client.get("/api/v1/search", query_string={"q": "低保" * MAX_QUERY_CHARS})
    assert api.status_code == 400 and "不超过" in api.get_json()["error"]


@pytest.mark.parametrize(
    "filters",
    [{"village": "abc"}, {"township": "99999999999999999999"}, {"year": "-1"}, {"category": "<x>"}, {"page": "zz"}],
)
def test_bad_filters_get_a_clear_message(client, disclosures, filters):
    page = client.get("/search", query_string={"q": "道路", **filters})
    assert page.status_code == 422
    assert "筛选条件不对" in page.get_data(as_text=True)
    assert client.get("/api/v1/search", query_string={"q": "道路", **filters}).status_code == 400


def test_an_empty_search_page_shows_the_form(client, disclosures):
    html = client.get("/search").get_data(as_text=True)
    assert 'name="q"' in html and result_count(html) == 0
    assert "请输入要找的字词" in client.get("/search?q=%20").get_data(as_text=True)

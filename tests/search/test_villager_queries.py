"""Queries as villagers type them: stop words and missing words, fragments, typos, amounts,
abbreviations, scraper noise; and snippets about what was asked. On both backends."""

from __future__ import annotations

from urllib.parse import quote

from tests.search.helpers import publish_disclosure, subsidy_list, titles
from tests.search.test_matters import _file
from transparency.core.db import db
from transparency.search import service
from transparency.search.base import Filters
from transparency.search.service import Relaxed

PARTIAL = "没有同时包含全部词语的结果，以下是包含部分词语的结果"


def test_stop_words_are_dropped_only_when_every_word_finds_nothing(app, world):
    with app.app_context():
        publish_disclosure(world, "关于修建水渠的决议", body="三组水渠清淤。")
        outcome = service.search(app, "水渠吗", Filters())
        assert outcome.relaxed is Relaxed.STOP_WORDS and outcome.dropped == ["吗"]
        assert [r.hit.title for r in outcome.results] == ["关于修建水渠的决议"]
        assert service.search(app, "水渠的决议", Filters()).relaxed is None  # 的 is in the notice


def test_any_word_when_no_notice_has_them_all_more_words_first(app, client, world):
    with app.app_context():
        publish_disclosure(world, "水渠维修公告", body="三组水渠维修。", year=2024)
        publish_disclosure(world, "水渠清淤公告", body="三组水渠清淤，清淤费用由村集体支付。", year=2025)
        publish_disclosure(world, "村道维修公告", body="村道维修。", year=2026)
        outcome = service.search(app, "水渠 清淤 鱼塘", Filters())
        assert outcome.relaxed is Relaxed.SOME_WORDS
        assert [r.hit.title for r in outcome.results] == ["水渠清淤公告", "水渠维修公告"]
    page = client.get("/search?q=" + quote("水渠 清淤 鱼塘")).get_data(as_text=True)
    assert PARTIAL in page and 'data-testid="search-result"' in page
    assert PARTIAL not in client.get("/search?q=" + quote("水渠 清淤")).get_data(as_text=True)


def test_single_characters_are_never_suggested(app, world):
    with app.app_context():
        publish_disclosure(world, "村里的钱怎么花", body="村集体的钱用于修路。", village=world.village_b, staff="b")
        outcome = service.search(app, "村里的钱 修路", Filters(village_id=world.village_a.id))
        assert outcome.total == 0 and outcome.unfiltered_total
        assert outcome.related and all(len(word) > 1 for word in outcome.related), outcome.related


def test_a_fragment_of_a_name_finds_the_list_as_a_phrase_of_its_characters(app, world):
    """Names are searched only by the village's own search (test_names_scope.py): there, phrases
    of characters work within the names as within any text; elsewhere the name finds nothing."""
    title = "2025年耕地地力保护补贴发放名单"
    own = Filters(village_id=world.village_a.id)
    with app.app_context():
        subsidy_list(world, recipient="叶翠富", program="耕地地力保护补贴", title=title)
        assert titles(app, "翠富", own, names=True) == [title]
        assert titles(app, "叶翠", own, names=True) == [title]
        assert titles(app, "富翠", own, names=True) == []  # the characters in sequence, not merely all present
        assert titles(app, "翠富") == [] and titles(app, "翠富", own) == []


def test_a_word_jieba_cuts_differently_still_finds_the_matter(app, world):
    with app.app_context():
        matter_id = _file(world, "村口垃圾站一周没人清运", wants_public=True)
        outcome = service.search(app, "垃圾站没人", Filters())
        assert [r.hit.object_id for r in outcome.results] == [matter_id]
        # 没人收 is one word to jieba and absent from the matter: the other words still find it.
        assert [r.hit.object_id for r in service.search(app, "垃圾没人收", Filters()).results] == [matter_id]


def test_a_homophone_typo_is_corrected_and_offered_as_a_link(app, client, world):
    with app.app_context():
        publish_disclosure(world, "关于征地补偿款发放的说明", body="补偿款已发放到户。")
        outcome = service.search(app, "征地补尝", Filters())
        assert outcome.corrected == "征地补偿"
        assert [r.hit.title for r in outcome.results] == ["关于征地补偿款发放的说明"]
    page = client.get("/search?q=" + quote("征地补尝")).get_data(as_text=True)
    assert "您要找的是不是：" in page and f'href="/search?q={quote("征地补偿")}"' in page
    assert 'data-testid="search-result"' in page


def test_a_correction_is_only_offered_when_what_was_typed_finds_a_little(app, world):
    with app.app_context():
        publish_disclosure(world, "补尝说明", body="此处原文如此。", year=2024)
        publish_disclosure(world, "征地补偿公告", body="补偿标准。", year=2025)
        publish_disclosure(world, "补偿款发放公告", body="补偿款到户。", year=2026)
        outcome = service.search(app, "补尝", Filters())
        assert outcome.corrected is None and outcome.suggestion == "补偿"
        assert [r.hit.title for r in outcome.results] == ["补尝说明"]


def test_amounts_are_found_as_people_write_them(app, world):
    with app.app_context():
        publish_disclosure(
            world, "人居环境整治奖补资金到账", body="2024-10-04 凭证 2410-004 收到奖补资金 收入 ¥8,289.00"
        )
        for query in ("8289", "8289.00", "8,289", "8289元", "¥8,289", "8289块"):
            assert titles(app, query) == ["人居环境整治奖补资金到账"], query
        for query in ("8290", "828", "2410", "004"):  # nor a part of the voucher number
            assert titles(app, query) == [], query
        assert titles(app, "2410-004") == ["人居环境整治奖补资金到账"]


def test_pinyin_in_brackets_does_not_split_the_word(app, world):
    with app.app_context():
        publish_disclosure(world, "关于建设服務(wù)型党组织的通知", body="建设服務(wù)型党组织。")
        outcome = service.search(app, "服务型党组织", Filters())
        assert [r.hit.title for r in outcome.results] == ["关于建设服務(wù)型党组织的通知"]
        # The mark covers the original characters, the annotation inside the word included.
        assert "<mark>服務(wù)型党组织</mark>" in outcome.results[0].title


def test_abbreviations_find_the_full_name(app, world):
    with app.app_context():
        publish_disclosure(world, "2025年种粮农民直接补贴发放表", body="按实际种植面积发放。")
        publish_disclosure(world, "口粮补贴说明", body="口粮补贴按人发放。", year=2024)
        assert titles(app, "粮补") == ["2025年种粮农民直接补贴发放表"]
        assert titles(app, "危改") == []
        publish_disclosure(world, "2026年农村危房改造名单", body="经评议列入名单。", year=2026)
        assert titles(app, "危改") == ["2026年农村危房改造名单"]


def test_the_snippet_is_about_the_rarest_longest_word_asked(app, world):
    with app.app_context():
        filler = "本期财务收支已经村务监督委员会审核，对账目有疑问的可到村委会反映。" * 4
        publish_disclosure(world, "石桥村第1季度财务收支明细", body=filler + "支付村道路灯维修材料费 ¥1,067.00。")
        (result,) = service.search(app, "石桥村，路灯 维修！", Filters()).results
        assert "<mark>路灯</mark><mark>维修</mark>" in str(result.snippet) or "<mark>路灯维修</mark>" in str(
            result.snippet
        )
        assert "路灯维修材料费" in result.snippet_text
        assert "<mark>村</mark>" not in str(result.snippet)  # a single character is not what was asked


def test_highlights_never_segment_the_whole_text(app, world, monkeypatch):
    with app.app_context():
        body = "本村道路维修公告。" + "村民代表会议同意，资金由村集体支付。" * 300 + "三组路灯维修。"
        publish_disclosure(world, "路灯维修公告", body=body)
        analyzer = app.extensions["search_analyzer"]
        segmented: list[int] = []
        original = analyzer.index_tokens

        def counting(text):
            segmented.append(len(text))
            return original(text)

        monkeypatch.setattr(analyzer, "index_tokens", counting)
        (result,) = service.search(app, "路灯维修", Filters()).results
        assert "<mark>" in str(result.snippet)
        assert all(length < 200 for length in segmented), segmented
        db.session.rollback()

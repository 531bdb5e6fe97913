"""The analyzer: Traditional folding, two-character words, synonyms both ways, offsets on the original."""

from __future__ import annotations

import pytest

from transparency.search.analysis import Analyzer, Synonyms, fold


@pytest.fixture(scope="module")
def analyzer() -> Analyzer:
    return Analyzer(Synonyms.load())


def index_words(analyzer: Analyzer, text: str) -> set[str]:
    return {token.text for token in analyzer.index_tokens(text)}


def finds(analyzer: Analyzer, query: str, text: str) -> bool:
    """What the backends do: every query term must be among the document's tokens."""
    return set(analyzer.query_terms(query)) <= index_words(analyzer, text)


@pytest.mark.parametrize(
    ("query", "text"),
    [
        ("村务公开", "石桥村村務公開欄"),
        ("村務公開", "石桥村村务公开栏"),
        ("征地补偿", "徵地補償分配方案"),
        ("徵地補償", "征地补偿分配方案"),
    ],
)
def test_traditional_and_simplified_find_each_other(analyzer, query, text):
    assert finds(analyzer, query, text)


@pytest.mark.parametrize("word", ["财务", "补贴", "低保"])
def test_two_character_words_are_found_inside_longer_ones(analyzer, word):
    text = {"财务": "2025年第1季度财务收支明细", "补贴": "耕地地力保护补贴发放名单", "低保": "本村低保户名单"}[word]
    assert analyzer.query_terms(word) == [word]
    assert finds(analyzer, word, text)


@pytest.mark.parametrize(
    ("query", "text"),
    [
        ("低保", "最低生活保障金（第四季度）发放名单"),
        ("最低生活保障", "2025年低保名单"),
        ("种粮直补", "2025年种粮农民直接补贴发放表"),
        ("种粮农民直接补贴", "种粮直补资金已发放"),
        ("種糧直補", "种粮农民直接补贴"),
    ],
)
def test_synonyms_work_both_ways(analyzer, query, text):
    assert finds(analyzer, query, text)


def test_a_synonym_group_does_not_match_unrelated_text(analyzer):
    assert not finds(analyzer, "低保", "2025年第1季度财务收支明细")


def test_deployers_extend_synonyms_with_their_own_file(tmp_path):
    extra = tmp_path / "synonyms.txt"
    extra.write_text("# 本县用语\n一卡通 惠民惠农财政补贴资金一卡通\n", encoding="utf-8")
    extended = Analyzer(Synonyms.load(str(extra)))
    assert finds(extended, "一卡通", "通过惠民惠农财政补贴资金一卡通发放")
    assert set(extended.query_terms("一卡通")) == set(extended.query_terms("惠民惠农财政补贴资金一卡通"))
    assert "低保" in extended.query_terms("最低生活保障")  # the built-in groups stay


def test_voucher_numbers_are_one_term(analyzer):
    assert analyzer.query_terms("2501-003") == ["2501-003"]
    assert finds(analyzer, "2501-003", "2025-01-05 凭证 2501-003 补助收入")
    assert not finds(analyzer, "2501-003", "2025-01-05 凭证 2501-004 补助收入 003")


def test_offsets_point_at_the_original_traditional_characters(analyzer):
    text = "關於村務公開的通知"
    spans = analyzer.highlight_spans(text, analyzer.query_terms("村务公开"))
    assert spans
    assert {text[start:end] for start, end in spans} >= {"村務公開"}


def test_folding_keeps_the_length(analyzer):
    for text in ["著名的乾隆皇帝", "頭髮與發展", "𠀀emoji 😀 村務"]:
        assert len(fold(text)) == len(text)


def test_related_terms_come_from_the_synonym_group(analyzer):
    assert "最低生活保障" in analyzer.synonyms.related("低保")
    assert "低保" in analyzer.synonyms.related("最低生活保障")
    assert analyzer.parts("种粮直补") == ["种粮", "直补"]


@pytest.mark.parametrize("query", ["", "   ", "！？。，、", "😀😀", '"', "( ) * ? ~ ^ :", "\ufffd\ufffd"])
def test_queries_without_words_have_no_terms(analyzer, query):
    assert analyzer.query_terms(query) == []


def test_a_name_is_found_however_jieba_cuts_its_surroundings(analyzer):
    # jieba reads 由张老三承包 as 由张 / 老三 / 承包 but the query 张老三 as 张 / 老三.
    assert finds(analyzer, "张老三", "预算二十万元，由张老三承包。")
    assert finds(analyzer, "王建国", "耕地地力保护补贴 王建国 王建国户 15亩")


@pytest.mark.parametrize(
    "text", ["服務(wù)型党组织", "服务（fú wù）型党组织", "服务(fu2wu4)型党组织", "服务(fuwu)型党组织"]
)
def test_pinyin_annotations_are_cut_out_and_offsets_stay_on_the_original(analyzer, text):
    assert finds(analyzer, "服务型党组织", text)
    (token,) = [t for t in analyzer.index_tokens(text) if t.text == "服务型"]
    assert text[token.start : token.end].startswith("服") and text[token.end - 1] == "型"


@pytest.mark.parametrize("text", ["全球定位(GPS)系统", "第（一）条", "合作社(2025)", "见附件(表)"])
def test_brackets_that_are_not_pinyin_stay(analyzer, text):
    from transparency.search.annotations import strip_annotations

    assert strip_annotations(text) == (text, None)


@pytest.mark.parametrize("query", ["8289", "8289.00", "8,289", "8289元", "¥8,289.00", "8289块钱"])
def test_amounts_have_one_form(analyzer, query):
    assert analyzer.query_terms(query) == ["8289"]
    assert finds(analyzer, query, "收到奖补资金 收入 ¥8,289.00")


def test_an_amount_with_cents_is_also_its_whole_yuan(analyzer):
    assert analyzer.query_terms("919.44元") == ["919.44"]
    assert finds(analyzer, "919.44", "叶翠富 叶翠富户 8.73亩 ¥919.44")
    assert finds(analyzer, "919元", "叶翠富 叶翠富户 8.73亩 ¥919.44")
    assert not finds(analyzer, "919.45", "叶翠富 叶翠富户 8.73亩 ¥919.44")


def test_codes_stay_whole(analyzer):
    tokens = index_words(analyzer, "2024-10-04 凭证 2410-004 收到")
    assert {"2024-10-04", "2410-004"} <= tokens
    assert not tokens & {"2410", "004", "10", "04"}


def test_abbreviations_join_their_group_only_as_whole_words(analyzer):
    assert analyzer.query_terms("粮补") == analyzer.query_terms("种粮直补")
    assert analyzer.query_terms("危改") == analyzer.query_terms("危房改造")
    assert finds(analyzer, "粮补", "种粮农民直接补贴发放表")
    assert not finds(analyzer, "粮补", "口粮补贴说明")  # 粮补 inside 口粮补贴 is no abbreviation


def test_deployers_extend_abbreviations_with_their_own_file(tmp_path):
    extra = tmp_path / "abbreviations.txt"
    extra.write_text("惠民惠农财政补贴资金一卡通 一折通\n最低生活保障 保障金\n", encoding="utf-8")
    extended = Analyzer(Synonyms.load(abbreviations=str(extra)))
    assert finds(extended, "一折通", "通过惠民惠农财政补贴资金一卡通发放")
    assert extended.query_terms("保障金") == extended.query_terms("低保")
    assert extended.query_terms("粮补") == extended.query_terms("种粮直补")  # the shipped ones stay


def test_consecutive_characters_have_consecutive_positions(analyzer):
    text = "耕地地力保护补贴 叶翠富 叶翠富户"
    singles = [t for t in analyzer.index_tokens(text) if len(t.text) == 1]
    assert [t.position for t in singles if t.text in "翠富"][:2] == [10, 11]

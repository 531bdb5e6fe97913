"""The analyzer segments a text a stretch (between whitespace) at a time and remembers each short
one: the tokens must be exactly those of segmenting the whole text at once."""

from __future__ import annotations

import jieba
import pytest

from transparency.search.analysis import Analyzer, Synonyms, fold
from transparency.search.annotations import strip_annotations


@pytest.fixture
def analyzer() -> Analyzer:
    return Analyzer(Synonyms.load())


def whole_text_tokens(analyzer: Analyzer, text: str) -> list[tuple[str, int, int, int]]:
    """The tokens of the whole text segmented in one piece, on the original text's offsets."""
    cleaned, offsets = strip_annotations(text)
    tokens = analyzer._segment(fold(cleaned))
    if offsets is None:
        return [tuple(t) for t in tokens]
    return [(t.text, offsets[t.start], offsets[t.end - 1] + 1, t.position) for t in tokens]


@pytest.mark.parametrize(
    "text",
    [
        "2024-01-05 凭证 记-00001 补助收入 上级拨付第 1 笔经费 收入 ¥1,234.50\n"
        "2024-01-05 凭证 记-00002 管理费用 购买办公用品第 2 笔 支出 8289元",
        "石桥村村務公開欄：徵地補償分配方案（一），最低生活保障金、五保户。粮补 口粮补贴",
        "服務(wù)型党组织（dǎng zǔ zhī）建设\u3000由张老三领取 T恤 3.5% A-12/3 2501-003",
        "低保低保\n\n  ，，低保。《村民议事》“一事一议”【财务公开】!?",
        "",
        "   \n",
    ],
)
def test_stretch_by_stretch_gives_the_tokens_of_the_whole_text(analyzer, text):
    assert [tuple(t) for t in analyzer.index_tokens(text)] == whole_text_tokens(analyzer, text)
    assert [tuple(t) for t in analyzer.index_tokens(text)] == whole_text_tokens(analyzer, text)  # from the memo


def test_a_synonym_phrase_is_found_across_punctuation_and_long_stretches(analyzer):
    text = "发放" + "最低生活保障金，" * 4 + "低保。" + "村务公开" * 10
    assert [tuple(t) for t in analyzer.index_tokens(text)] == whole_text_tokens(analyzer, text)
    assert "低保" in {t.text for t in analyzer.index_tokens(text)}


def test_a_repeated_cell_is_segmented_once(analyzer, monkeypatch):
    calls: list[str] = []
    tokenize = jieba.tokenize
    monkeypatch.setattr(jieba, "tokenize", lambda text, **kw: calls.append(text) or tokenize(text, **kw))
    tokens = analyzer.index_tokens("管理费用 购买办公用品\n管理费用 购买办公用品\n管理费用")
    assert calls == ["管理费用", "购买办公用品"]
    assert [t.start for t in tokens if t.text == "管理费用"] == [0, 12, 24]


def test_long_stretches_are_not_remembered(analyzer):
    analyzer.index_tokens("管理费用 " + "村务公开" * 10)
    assert list(analyzer._memo) == ["管理费用"]

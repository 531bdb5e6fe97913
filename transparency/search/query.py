"""What a backend is asked: words that must (or may) occur, each a token or a phrase of characters.

A word the index does not hold (翠富 of 叶翠富, 没人收 that jieba made one word) is searched
as its characters in sequence: every Chinese character is indexed on its own with its position,
so the phrase finds any text that contains the word however the segmenter cut it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from transparency.search.analysis import HAN

# Words that carry no meaning of their own in a villager's question; dropped only when requiring
# every word found nothing. Each is also never offered as a suggestion.
STOP_WORDS = frozenset(
    "的 了 和 与 及 或 在 是 有 我 我们 我家 你 你们 他 她 它 他们 这 那 这个 那个 吗 呢 吧 啊 呀 哦 么 "
    "个 把 被 给 跟 也 就 都 还 又 要 想 请 请问 问 问一下 一下 怎么 怎样 怎么样 如何 什么 啥 哪 哪里 哪儿 "
    "哪些 多少 几 为什么 为啥 谁 能 能不能 可以 可不可以 是不是 有没有 没有 到底 现在 今年 去年 知道 看 查 "
    "查询 找 里 里面 上 下 中 钱".split()  # 钱: villagers ask about 修路的钱; notices say 资金, 款, ¥
)


@dataclass(frozen=True)
class Word:
    """One word of the query: an index token, or (when the index lacks it) its characters in sequence."""

    text: str
    phrase: tuple[str, ...] = ()


@dataclass(frozen=True)
class Query:
    words: tuple[Word, ...]
    every: bool = True  # every word must occur; else any word, ranked by how many occur

    @property
    def texts(self) -> list[str]:
        return [word.text for word in self.words]


def is_phrase_candidate(term: str) -> bool:
    return len(term) > 1 and all(HAN.match(c) for c in term)


def words_for(terms: Sequence[str], frequencies: Mapping[str, int]) -> tuple[Word, ...]:
    """The query words; an all-Chinese term with no document becomes a phrase of its characters."""
    return tuple(
        Word(term, tuple(term)) if not frequencies.get(term) and is_phrase_candidate(term) else Word(term)
        for term in terms
    )


def without_stop_words(words: Sequence[Word]) -> tuple[Word, ...]:
    return tuple(word for word in words if word.text not in STOP_WORDS)

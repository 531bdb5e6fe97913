"""The one Chinese analyzer, used to index and to query, so both sides agree on every token.

Text is folded Traditional→Simplified with OpenCC (村務公開 → 村务公开), then cut into words
by jieba. Each token keeps the offsets of the characters it came from in the ORIGINAL text,
so highlights land on what the disclosure really says, Traditional characters included.

Synonyms (低保 ↔ 最低生活保障) come from synonyms.txt plus the deployer's file named by
SEARCH_SYNONYMS_PATH. Every phrase of a group becomes the group's first word as an extra
token, at index time and at query time: either spelling finds the other.
"""

from __future__ import annotations

import logging
import re
import threading
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import jieba
import opencc

BUILTIN_SYNONYMS = Path(__file__).with_name("synonyms.txt")
# A code such as a voucher number (2501-003) or a parcel (A-12/3) is one token as well as its parts.
CODE = re.compile(r"[0-9A-Za-z]+(?:[-/.][0-9A-Za-z]+)+")
WORD = re.compile(r"\w", re.UNICODE)
HAN = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")

_lock = threading.Lock()


@dataclass(frozen=True)
class Token:
    text: str  # folded, lower-case: what the index stores
    start: int  # offsets into the original text
    end: int


@cache
def _converter() -> opencc.OpenCC:
    return opencc.OpenCC("t2s")


def warm_up() -> None:
    """Load jieba's dictionary and OpenCC once per process (before a forking server forks)."""
    with _lock:
        jieba.setLogLevel(logging.WARNING)
        logging.getLogger("jieba").setLevel(logging.WARNING)
        jieba.initialize()
        _converter()


def fold(text: str) -> str:
    """Traditional → Simplified, lower case, with the same length so offsets still hold."""
    converted = _converter().convert(text)
    if len(converted) != len(text):
        # A phrase conversion changed the length: fold character by character instead.
        converted = "".join(c if len(c) == 1 else o for o, c in ((o, _converter().convert(o)) for o in text))
    return converted.lower()


class Synonyms:
    """Groups of interchangeable phrases; each phrase maps to its group's first word."""

    def __init__(self, lines: Iterable[str]) -> None:
        self.canonical: dict[str, str] = {}
        self.groups: dict[str, list[str]] = {}
        for line in lines:
            line = line.split("#", 1)[0].strip()
            words = [fold(w) for w in line.split()]
            if len(words) < 2:
                continue
            head = self.canonical.get(words[0], words[0])
            group = self.groups.setdefault(head, [head])
            for word in words:
                self.canonical.setdefault(word, head)
                if word not in group:
                    group.append(word)
        # Longest first, so 最低生活保障金 wins over 最低生活保障 in the same place.
        phrases = sorted(self.canonical, key=len, reverse=True)
        self.pattern = re.compile("|".join(map(re.escape, phrases))) if phrases else None

    @classmethod
    def load(cls, extra: str | None = None) -> Synonyms:
        lines = BUILTIN_SYNONYMS.read_text(encoding="utf-8").splitlines()
        if extra and Path(extra).is_file():
            lines += Path(extra).read_text(encoding="utf-8").splitlines()
        return cls(lines)

    def find(self, folded: str) -> list[Token]:
        if self.pattern is None:
            return []
        return [Token(self.canonical[m.group()], m.start(), m.end()) for m in self.pattern.finditer(folded)]

    def related(self, word: str) -> list[str]:
        """Other phrases of the group `word` belongs to (for "related terms" suggestions)."""
        head = self.canonical.get(fold(word))
        return [w for w in self.groups.get(head, []) if w != fold(word)] if head else []


class Analyzer:
    """Tokens for indexing (every sub-word, so 财务 finds 财务收支) and for queries (the words typed)."""

    def __init__(self, synonyms: Synonyms) -> None:
        self.synonyms = synonyms

    def index_tokens(self, text: str) -> list[Token]:
        folded = fold(text)
        tokens = [
            Token(word, start, end) for word, start, end in jieba.tokenize(folded, mode="search") if WORD.search(word)
        ]
        # Every Chinese character on its own too: jieba cuts 由张老三 as 由张/老三 but the query
        # 张老三 as 张/老三, so the single character must be findable (names!).
        singles = {t.start for t in tokens if t.end - t.start == 1}
        tokens += [Token(c, i, i + 1) for i, c in enumerate(folded) if HAN.match(c) and i not in singles]
        tokens += [Token(m.group(), m.start(), m.end()) for m in CODE.finditer(folded)]
        tokens += self.synonyms.find(folded)
        tokens.sort(key=lambda t: (t.start, t.end))
        return tokens

    def query_terms(self, text: str) -> list[str]:
        """The distinct words of a query; a synonym phrase or a code stands for itself, unsplit."""
        folded = fold(text)
        terms: list[str] = []
        spans = sorted(
            [(m.start(), m.end(), m.group()) for m in CODE.finditer(folded)]
            + [(t.start, t.end, t.text) for t in self.synonyms.find(folded)]
        )
        position = 0
        for start, end, term in spans:
            if start < position:
                continue
            terms += self._words(folded[position:start])
            terms.append(term)
            position = end
        terms += self._words(folded[position:])
        return list(dict.fromkeys(terms))

    @staticmethod
    def _words(text: str) -> list[str]:
        return [w for w in jieba.cut(text) if WORD.search(w) and not w.isspace()]

    def parts(self, term: str) -> list[str]:
        """The shorter words inside a word (种粮直补 → 种粮, 直补), for suggestions."""
        return [w for w in jieba.cut_for_search(term) if w != term and len(w) > 1]

    def highlight_spans(self, text: str, terms: Iterable[str]) -> list[tuple[int, int]]:
        """Where in the original `text` the query terms (or their synonyms) occur."""
        wanted = set(terms)
        return [(t.start, t.end) for t in self.index_tokens(text) if t.text in wanted]

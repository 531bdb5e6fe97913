"""The one Chinese analyzer, used to index and to query, so both sides agree on every token.

Text is folded Traditional→Simplified with OpenCC (村務公開 → 村务公开), then cut into words
by jieba. Each token keeps the offsets of the characters it came from in the ORIGINAL text,
so highlights land on what the disclosure really says, Traditional characters included.

Synonyms (低保 ↔ 最低生活保障) come from synonyms.txt plus the deployer's file named by
SEARCH_SYNONYMS_PATH. Every phrase of a group becomes the group's first word as an extra
token, at index time and at query time: either spelling finds the other. Abbreviations
(粮补 → 种粮直补) come from abbreviations.txt plus SEARCH_ABBREVIATIONS_PATH and join the
groups, but only where the segmenter cut them as a whole word: 粮补 inside 口粮补贴 is not one.

Before segmentation, pinyin annotations (服務(wù)型) are cut out (annotations.py) and amounts
get one canonical form (numbers.py). Each token also has a position, its character offset in
the cleaned text, so consecutive characters have consecutive positions and a word the index
does not know can be searched as a phrase of its characters.
"""

from __future__ import annotations

import logging
import re
import threading
from collections.abc import Iterable, Iterator, Sequence
from functools import cache
from operator import itemgetter
from pathlib import Path
from types import ModuleType
from typing import NamedTuple

import opencc

from transparency.search.annotations import strip_annotations
from transparency.search.numbers import amounts

BUILTIN_SYNONYMS = Path(__file__).with_name("synonyms.txt")
BUILTIN_ABBREVIATIONS = Path(__file__).with_name("abbreviations.txt")
# A code such as a voucher number (2501-003) or a parcel (A-12/3) is one token as well as its parts.
CODE = re.compile(r"[0-9A-Za-z]+(?:[-/.][0-9A-Za-z]+)+")
WORD = re.compile(r"\w", re.UNICODE)
SEPARATORS = re.compile(r"[^\w]+")  # spaces and punctuation between the words of a query
HAN = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
# Text is segmented a stretch between whitespace at a time (no token crosses whitespace), and
# each distinct short stretch once: the cells of a ledger repeat (管理费用, 上级拨付) row after row.
STRETCH = re.compile(r"\S+")
MEMO_LENGTH = 24  # longer stretches are prose, which seldom repeats: segmented, not remembered
MEMO_SIZE = 8_192  # stretches remembered per analyzer (a few MB at most)

_lock = threading.Lock()
_SPAN = itemgetter(1, 2)  # a token's (start, end)


class Token(NamedTuple):  # a tuple, not a dataclass: a document makes hundreds (rebuild speed)
    text: str  # folded, lower-case: what the index stores
    start: int  # offsets into the original text
    end: int
    position: int = 0  # character offset in the cleaned text (for phrases of characters)


@cache
def segmenter() -> ModuleType:
    """jieba, imported on first use: the import alone takes half a second and 20 MB, which
    create_app() (every command, every test, a process that never searches) need not pay."""
    import jieba

    return jieba


@cache
def _converter() -> opencc.OpenCC:
    return opencc.OpenCC("t2s")


def warm_up() -> None:
    """Load jieba's dictionary, OpenCC and pypinyin's phrase list once per process.

    gunicorn.conf.py calls it in the master before each fork, so the workers share what it
    loaded; create_app() does not (commands and tests start without it: each loads on first use).
    """
    with _lock:
        jieba = segmenter()
        jieba.setLogLevel(logging.WARNING)
        logging.getLogger("jieba").setLevel(logging.WARNING)
        jieba.initialize()
        _converter()
        import pypinyin  # noqa: F401, PLC0415 (spelling.py's suggestions read its phrase list)


def fold(text: str) -> str:
    """Traditional → Simplified, lower case, with the same length so offsets still hold."""
    converted = _converter().convert(text)
    if len(converted) != len(text):
        # A phrase conversion changed the length: fold character by character instead.
        converted = "".join(c if len(c) == 1 else o for o, c in ((o, _converter().convert(o)) for o in text))
    return converted.lower()


def _lines(builtin: Path, extra: str | None) -> list[str]:
    lines = builtin.read_text(encoding="utf-8").splitlines()
    if extra and Path(extra).is_file():
        lines += Path(extra).read_text(encoding="utf-8").splitlines()
    return lines


def _groups(lines: Iterable[str]) -> Iterator[list[str]]:
    for line in lines:
        words = [fold(w) for w in line.split("#", 1)[0].split()]
        if len(words) >= 2:
            yield words


class Synonyms:
    """Groups of interchangeable phrases; each phrase maps to its group's first word.
    An abbreviation line names a phrase of a group (or a new head) followed by its abbreviations."""

    def __init__(self, lines: Iterable[str], abbreviation_lines: Iterable[str] = ()) -> None:
        self.canonical: dict[str, str] = {}
        self.groups: dict[str, list[str]] = {}
        for words in _groups(lines):
            head = self._join(words[0], words)
            for word in words:
                self.canonical.setdefault(word, head)
        self.abbreviations: dict[str, str] = {}
        for words in _groups(abbreviation_lines):
            head = self._join(words[0], words)
            self.canonical.setdefault(words[0], head)
            for word in words[1:]:
                self.abbreviations.setdefault(word, head)
        # Longest first, so 最低生活保障金 wins over 最低生活保障 in the same place.
        phrases = sorted(self.canonical, key=len, reverse=True)
        self.pattern = re.compile("|".join(map(re.escape, phrases))) if phrases else None

    def _join(self, first: str, words: list[str]) -> str:
        head = self.canonical.get(first, first)
        group = self.groups.setdefault(head, [head])
        group += [word for word in words if word not in group]
        return head

    @classmethod
    def load(cls, extra: str | None = None, abbreviations: str | None = None) -> Synonyms:
        return cls(_lines(BUILTIN_SYNONYMS, extra), _lines(BUILTIN_ABBREVIATIONS, abbreviations))

    def find(self, folded: str) -> list[Token]:
        if self.pattern is None:
            return []
        return [Token(self.canonical[m.group()], m.start(), m.end(), m.start()) for m in self.pattern.finditer(folded)]

    def head_of(self, word: str) -> str | None:
        """The group a whole word stands for: a phrase of a group, or an abbreviation."""
        return self.canonical.get(word) or self.abbreviations.get(word)

    def phrases(self, head: str) -> list[str]:
        """Every spelling of the group `head` names (itself when it names none)."""
        return self.groups.get(head, [head])

    def related(self, word: str) -> list[str]:
        """Other phrases of the group `word` belongs to (for "related terms" suggestions)."""
        head = self.head_of(fold(word))
        return [w for w in self.groups.get(head, []) if w != fold(word)] if head else []


class Analyzer:
    """Tokens for indexing (every sub-word, so 财务 finds 财务收支) and for queries (the words typed)."""

    def __init__(self, synonyms: Synonyms) -> None:
        self.synonyms = synonyms
        self._memo: dict[str, tuple[int, tuple[Token, ...]]] = {}

    def index_tokens(self, text: str) -> list[Token]:
        cleaned, offsets = strip_annotations(text)
        folded = fold(cleaned)
        tokens: list[Token] = []
        for stretch in STRETCH.finditer(folded):
            text, at = stretch.group(), stretch.start()
            tokens += self._stretch_tokens(text, at) if len(text) <= MEMO_LENGTH else self._segment(text, at)
        if offsets is not None:  # back to the offsets of the original text
            tokens = [Token(t.text, offsets[t.start], offsets[t.end - 1] + 1, t.position) for t in tokens]
        return tokens

    def _stretch_tokens(self, stretch: str, at: int) -> Sequence[Token]:
        """The tokens of `stretch` where it starts at `at`, segmented once per distinct stretch.

        No token, code, amount or synonym phrase crosses whitespace, so a text's tokens are its
        stretches' tokens side by side. The memo keeps the tokens where they were first met and
        moves them to where the stretch is met again; when full it starts afresh.
        """
        known = self._memo.get(stretch)
        if known is None:
            tokens = self._segment(stretch, at)
            if len(self._memo) >= MEMO_SIZE:
                self._memo.clear()
            self._memo[stretch] = (at, tokens)
            return tokens
        first, tokens = known
        if first == at:
            return tokens
        shift = at - first
        return [Token(w, s + shift, e + shift, p + shift) for w, s, e, p in tokens]

    def _segment(self, folded: str, at: int = 0) -> tuple[Token, ...]:
        """The tokens of a folded text starting at offset `at`, in order of (start, end)."""
        tokens = [Token(word, at + s, at + e, at + s) for word, s, e in segmenter().tokenize(folded, mode="search")]
        codes = [Token(m.group(), at + m.start(), at + m.end(), at + m.start()) for m in CODE.finditer(folded)]
        if codes:  # a voucher or document number stays whole: not its parts, which jieba cuts apart
            inside = {i for code in codes for i in range(code.start, code.end)}
            tokens = [t for t in tokens if t.start not in inside]
        tokens = [t for t in tokens if WORD.search(t.text)] + codes
        abbreviated = self.synonyms.abbreviations
        tokens += [Token(abbreviated[t.text], t.start, t.end, t.start) for t in tokens if t.text in abbreviated]
        # Every Chinese character on its own too: jieba cuts 由张老三 as 由张/老三 but the query
        # 张老三 as 张/老三, so the single character must be findable (names!).
        singles = {t.start for t in tokens if t.end - t.start == 1}
        tokens += [Token(m.group(), i, i + 1, i) for m in HAN.finditer(folded) if (i := at + m.start()) not in singles]
        tokens += [Token(form, at + a.start, at + a.end, at + a.start) for a in amounts(folded) for form in a.forms]
        tokens += [Token(t.text, at + t.start, at + t.end, at + t.start) for t in self.synonyms.find(folded)]
        tokens.sort(key=_SPAN)
        return tuple(tokens)

    def query_terms(self, text: str) -> list[str]:
        """The distinct words of a query; a synonym phrase, a code or an amount stands for itself, unsplit."""
        folded = fold(strip_annotations(text)[0])
        terms: list[str] = []
        spans = sorted(
            [(a.start, a.end, a.forms[0]) for a in amounts(folded, query=True)]
            + [(m.start(), m.end(), m.group()) for m in CODE.finditer(folded)]
            + [(t.start, t.end, t.text) for t in self.synonyms.find(folded)],
            key=lambda span: (span[0], -span[1]),
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

    def _words(self, text: str) -> list[str]:
        abbreviated = self.synonyms.abbreviations
        words: list[str] = []
        cut_words = segmenter().cut
        for chunk in SEPARATORS.split(text):
            if chunk in abbreviated:  # typed on its own: an abbreviation, however jieba would cut it
                words.append(abbreviated[chunk])
                continue
            cut = [w for w in cut_words(chunk) if WORD.search(w) and not w.isspace()]
            words += [abbreviated.get(w, w) for w in cut]
        return words

    def parts(self, term: str) -> list[str]:
        """The shorter words inside a word (种粮直补 → 种粮, 直补), for suggestions."""
        return [w for w in segmenter().cut_for_search(term) if w != term and len(w) > 1]

    def highlight_spans(self, text: str, terms: Iterable[str]) -> list[tuple[int, int]]:
        """Where in the original `text` the query terms (or their synonyms) occur."""
        wanted = set(terms)
        return [(t.start, t.end) for t in self.index_tokens(text) if t.text in wanted]

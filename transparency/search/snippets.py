"""Snippets about what was asked: placed on the rarest, longest matching word, marked in a window.

The hit's text is never segmented (re-segmenting every hit was most of a search request's
time): the words are found by their spellings (synonym phrases, amounts as written, the
characters of a word the index lacks) in the folded text, and marked only in the window shown.
Single characters are marked only when the query has nothing longer, so 石桥村，路灯 维修！
shows 路灯维修, not every 村 of the notice.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from markupsafe import Markup, escape

from transparency.search.analysis import Analyzer, fold
from transparency.search.annotations import strip_annotations
from transparency.search.numbers import surface_pattern
from transparency.search.query import Word

SNIPPET_CHARS = 90
AMOUNT_TERM = re.compile(r"\d+(?:\.\d\d)?")  # the canonical form of an amount (numbers.canonical)
CONTEXT = 8  # characters looked at beyond each edge of the window, so a word across an edge is marked


@dataclass(frozen=True)
class Marks:
    """What to look for in each hit of one search, made once per search."""

    anchors: tuple[re.Pattern[str], ...]  # the words' spellings: where a snippet may be placed, best first


def _spellings(analyzer: Analyzer, term: str) -> str:
    if AMOUNT_TERM.fullmatch(term):
        return surface_pattern(term)
    # Abbreviations count only as whole words (口粮补贴 holds no 粮补): never looked for inside a text.
    abbreviations = analyzer.synonyms.abbreviations
    phrases = [p for p in analyzer.synonyms.phrases(term) if p == term or p not in abbreviations]
    return "|".join(map(re.escape, sorted(phrases, key=len, reverse=True)))


def marks_for(analyzer: Analyzer, words: Sequence[Word], frequencies: Mapping[str, int]) -> Marks:
    longer = [w for w in words if len(w.text) > 1]
    shown = longer or list(words)
    best_first = sorted(shown, key=lambda w: (frequencies.get(w.text, 0), -len(w.text)))
    return Marks(anchors=tuple(re.compile(_spellings(analyzer, w.text)) for w in best_first))


def _located(text: str, patterns: Sequence[re.Pattern[str]]) -> list[tuple[int, int]]:
    """Where the patterns match `text` (folded, annotations cut out), in offsets of `text`."""
    cleaned, offsets = strip_annotations(text)
    folded = fold(cleaned)
    spans = []
    for pattern in patterns:
        for match in pattern.finditer(folded):
            start, end = match.span()
            if offsets is not None:
                start, end = offsets[start], offsets[end - 1] + 1
            spans.append((start, end))
    return spans


def _anchor(text: str, marks: Marks) -> int | None:
    cleaned, offsets = strip_annotations(text)
    folded = fold(cleaned)
    for pattern in marks.anchors:
        match = pattern.search(folded)
        if match:
            return offsets[match.start()] if offsets is not None else match.start()
    return None


def spans_in(text: str, marks: Marks, start: int = 0, end: int | None = None) -> list[tuple[int, int]]:
    """The marked spans of text[start:end], looking only at that part (and a little context)."""
    end = len(text) if end is None else end
    left = max(0, start - CONTEXT)
    spans = [(left + s, left + e) for s, e in _located(text[left : end + CONTEXT], marks.anchors)]
    return [(s, e) for s, e in spans if s < end and e > start]


def snippet(text: str, marks: Marks) -> tuple[Markup, str]:
    """The snippet (marked) and its plain text."""
    text = text.replace("\n", " ")
    anchor = _anchor(text, marks)
    start = max(0, anchor - SNIPPET_CHARS // 3) if anchor is not None else 0
    end = min(len(text), start + SNIPPET_CHARS)
    prefix = "…" if start > 0 else ""
    suffix = "…" if end < len(text) else ""
    marked = marked_text(text, spans_in(text, marks, start, end), start, end)
    return Markup(prefix) + marked + Markup(suffix), prefix + text[start:end] + suffix


def marked_text(text: str, spans: list[tuple[int, int]], start: int, end: int) -> Markup:
    """text[start:end], escaped, with the matched spans in <mark>."""
    pieces: list[Markup] = []
    position = start
    for span_start, span_end in _merged(spans):
        span_start, span_end = max(span_start, position), min(span_end, end)
        if span_start >= span_end:
            continue
        pieces.append(escape(text[position:span_start]))
        pieces.append(Markup("<mark>%s</mark>") % text[span_start:span_end])
        position = span_end
    pieces.append(escape(text[position:end]))
    return Markup("").join(pieces)


def _merged(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    merged: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged

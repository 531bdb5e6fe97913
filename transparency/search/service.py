"""Searching: one query's results with snippets, suggestions when nothing is found."""

from __future__ import annotations

from dataclasses import dataclass, field

from flask import Flask
from markupsafe import Markup, escape

from transparency.search import indexer, retry, subscriptions
from transparency.search.analysis import Analyzer, warm_up
from transparency.search.backends import analyzer, backend
from transparency.search.base import Filters, Hit, names_searched

MAX_QUERY_CHARS = 100
MAX_TERMS = 12
PER_PAGE = 10
MAX_PAGE = 100
SNIPPET_CHARS = 90


class QueryTooLong(ValueError):
    pass


def init_app(app: Flask) -> None:
    """Configuration defaults, the analyzer's dictionary, the outbox hooks and the subscriptions."""
    app.config.setdefault("SEARCH_BACKEND", "whoosh")
    app.config.setdefault("SEARCH_INDEX_AFTER_COMMIT", True)
    app.config.setdefault("SEARCH_WRITER_TIMEOUT", 10.0)
    warm_up()  # jieba's dictionary, once per process and before a forking server forks
    indexer.install_hooks()
    subscriptions.connect()
    retry.init_app(app)  # failed index writes are tried again after later requests


@dataclass
class Result:
    hit: Hit
    title: Markup
    snippet: Markup
    snippet_text: str


@dataclass
class Outcome:
    query: str
    terms: list[str]
    filters: Filters
    by_date: bool
    page: int
    total: int = 0
    results: list[Result] = field(default_factory=list)
    # When nothing is found: the same query without filters (with its count) and related words.
    unfiltered_total: int | None = None
    related: list[str] = field(default_factory=list)

    @property
    def pages(self) -> int:
        return min(MAX_PAGE, (self.total + PER_PAGE - 1) // PER_PAGE)


def search(
    app: Flask, query: str, filters: Filters, by_date: bool = False, page: int = 1, names: bool = False
) -> Outcome:
    """Run one query. Raises QueryTooLong; never a backend syntax error (no query language).

    `names`: the village's own search page asks for people's names too; they are searched only
    when `filters` hold exactly one village (base.names_searched)."""
    query = " ".join(query.split())
    if len(query) > MAX_QUERY_CHARS:
        raise QueryTooLong(query)
    words = analyzer(app)
    terms = words.query_terms(query)[:MAX_TERMS]
    page = max(1, min(page, MAX_PAGE))
    outcome = Outcome(query=query, terms=terms, filters=filters, by_date=by_date, page=page)
    if not terms:
        return outcome
    found = backend(app).search(
        terms, filters, by_date, (page - 1) * PER_PAGE, PER_PAGE, names=names_searched(filters, names)
    )
    outcome.total = found.total
    outcome.results = [_with_snippet(words, hit, terms) for hit in found.hits]
    if not found.total:
        if filters.any:
            outcome.unfiltered_total = backend(app).search(terms, Filters(), False, 0, 1).total
        outcome.related = _related(app, words, terms)
    return outcome


def _related(app: Flask, words: Analyzer, terms: list[str]) -> list[str]:
    """Synonyms of the words typed, each word alone, and the shorter words inside a long one."""
    candidates = [other for term in terms for other in words.synonyms.related(term)]
    if len(terms) > 1:
        candidates += terms
    candidates += [part for term in terms for part in words.parts(term)]
    found = []
    for candidate in dict.fromkeys(candidates):
        if backend(app).search(words.query_terms(candidate), Filters(), False, 0, 1).total:
            found.append(candidate)
    return found[:6]


def _with_snippet(words: Analyzer, hit: Hit, terms: list[str]) -> Result:
    text = hit.content.replace("\n", " ")
    spans = words.highlight_spans(text, terms)
    start = max(0, spans[0][0] - SNIPPET_CHARS // 3) if spans else 0
    end = min(len(text), start + SNIPPET_CHARS)
    prefix = "…" if start > 0 else ""
    suffix = "…" if end < len(text) else ""
    return Result(
        hit=hit,
        title=_marked(hit.title, words.highlight_spans(hit.title, terms), 0, len(hit.title)),
        snippet=Markup(prefix) + _marked(text, spans, start, end) + Markup(suffix),
        snippet_text=prefix + text[start:end] + suffix,
    )


def _marked(text: str, spans: list[tuple[int, int]], start: int, end: int) -> Markup:
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

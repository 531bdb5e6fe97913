"""Searching: one query's results with snippets, suggestions when nothing is found."""

from __future__ import annotations

import enum
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from flask import Flask
from markupsafe import Markup

from transparency.search import indexer, retry, spelling, subscriptions
from transparency.search.analysis import Analyzer, fold
from transparency.search.backends import analyzer, backend
from transparency.search.base import Filters, Hit, ResultPage, names_searched
from transparency.search.query import STOP_WORDS, Query, Word, without_stop_words, words_for
from transparency.search.snippets import Marks, marked_text, marks_for, snippet, spans_in

MAX_QUERY_CHARS = 100
MAX_TERMS = 12
PER_PAGE = 10
MAX_PAGE = 100
FEW = 3  # fewer results than this and a correction is offered as a link


class QueryTooLong(ValueError):
    pass


def init_app(app: Flask) -> None:
    """Configuration defaults, the outbox hooks and the subscriptions (the dictionary: analysis.warm_up)."""
    app.config.setdefault("SEARCH_BACKEND", "whoosh")
    app.config.setdefault("SEARCH_INDEX_AFTER_COMMIT", True)
    app.config.setdefault("SEARCH_WRITER_TIMEOUT", 10.0)
    indexer.install_hooks()
    subscriptions.connect()
    retry.init_app(app)  # failed index writes are tried again after later requests


@dataclass
class Result:
    hit: Hit
    title: Markup
    snippet: Markup
    snippet_text: str


class Relaxed(enum.Enum):
    """How far the query was loosened to find something (nothing found with every word)."""

    STOP_WORDS = "stop_words"  # the words without 的, 吗, 怎么 …
    SOME_WORDS = "some_words"  # any of the words, documents with more of them first


@dataclass
class Outcome:
    query: str
    terms: list[str]
    filters: Filters
    by_date: bool
    page: int
    total: int = 0
    results: list[Result] = field(default_factory=list)
    # The words searched for when the query as typed found nothing: a correction or fewer words.
    corrected: str | None = None  # the corrected query whose results are shown
    suggestion: str | None = None  # a correction offered as a link (few results as typed)
    relaxed: Relaxed | None = None
    dropped: list[str] = field(default_factory=list)  # stop words left out
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

    Every word is required first; if that finds nothing, a correction of words the index lacks
    (by pinyin and spelling) is tried, then the words without stop words, then any word.

    `names`: the village's own search page asks for people's names too; they are searched only
    when `filters` hold exactly one village (base.names_searched). Otherwise the names field is
    neither searched nor counted, so no correction or suggestion comes from a person's name."""
    query = " ".join(query.split())
    if len(query) > MAX_QUERY_CHARS:
        raise QueryTooLong(query)
    words = analyzer(app)
    terms = words.query_terms(query)[:MAX_TERMS]
    page = max(1, min(page, MAX_PAGE))
    outcome = Outcome(query=query, terms=terms, filters=filters, by_date=by_date, page=page)
    if not terms:
        return outcome
    index = backend(app)
    with_names = names_searched(filters, names)

    def counted(candidates: Sequence[str]) -> dict[str, int]:
        return index.frequencies(candidates, names=with_names)

    def run(candidate: Query) -> ResultPage:
        return index.search(candidate, filters, by_date, (page - 1) * PER_PAGE, PER_PAGE, names=with_names)

    frequencies = counted(terms)
    asked = Query(words_for(terms, frequencies))
    chosen, found = asked, run(asked)
    if found.total < FEW and (corrected := _corrected(counted, terms, frequencies)):
        corrected_terms, corrected_frequencies = corrected
        attempt = Query(words_for(corrected_terms, {**frequencies, **corrected_frequencies}))
        if (again := run(attempt)).total > found.total:
            if found.total:  # what was typed found something: offer the correction, do not impose it
                outcome.suggestion = _replaced(query, terms, corrected_terms)
            else:
                chosen, found, frequencies = attempt, again, {**frequencies, **corrected_frequencies}
                outcome.corrected = _replaced(query, terms, corrected_terms)
    if not found.total and (content := without_stop_words(asked.words)):
        if len(content) < len(asked.words) and (again := run(Query(content))).total:
            chosen, found, outcome.relaxed = Query(content), again, Relaxed.STOP_WORDS
            outcome.dropped = [w.text for w in asked.words if w not in content]
        elif len(content) > 1 and (again := run(Query(content, every=False))).total:
            chosen, found, outcome.relaxed = Query(content, every=False), again, Relaxed.SOME_WORDS
    outcome.total = found.total
    marks = marks_for(words, chosen.words, frequencies)
    outcome.results = [_with_snippet(hit, marks) for hit in found.hits]
    if not found.total:
        if filters.any:
            outcome.unfiltered_total = index.search(asked, Filters(), False, 0, 1).total
        outcome.related = _related(app, words, terms)
    return outcome


def _corrected(counted: Callable[[Sequence[str]], dict[str, int]], terms: list[str], frequencies: dict[str, int]):
    """The terms with each word the index lacks (or holds in fewer than FEW documents) replaced by
    its likeliest correction, and their frequencies; None when there is nothing to correct.
    `counted` is the index's document frequencies in the fields this search looks in (names only
    when names are searched): the vocabulary of corrections is no wider than the search."""
    rare = [term for term in terms if frequencies.get(term, 0) < FEW]
    replaced = {term: spelling.correct(term, counted) for term in rare}
    replaced = {term: word for term, word in replaced.items() if word}
    if not replaced:
        return None
    corrected = [replaced.get(term, term) for term in terms]
    return corrected, counted(list(replaced.values()))


def _replaced(query: str, terms: list[str], corrected: list[str]) -> str:
    """The query as typed with the corrected words in place (folded where a word was replaced)."""
    text = fold(query)
    for term, word in zip(terms, corrected, strict=True):
        if term != word:
            text = text.replace(term, word)
    return text


def _related(app: Flask, words: Analyzer, terms: list[str]) -> list[str]:
    """Synonyms of the words typed, each word alone, and the shorter words inside a long one;
    never a single character (的, 元 help nobody)."""
    candidates = [other for term in terms for other in words.synonyms.related(term)]
    if len(terms) > 1:
        candidates += terms
    candidates += [part for term in terms for part in words.parts(term)]
    found = []
    for candidate in dict.fromkeys(candidates):
        if len(candidate) < 2 or candidate in STOP_WORDS:
            continue
        if backend(app).search(Query(tuple(map(Word, words.query_terms(candidate)))), Filters(), False, 0, 1).total:
            found.append(candidate)
    return found[:6]


def _with_snippet(hit: Hit, marks: Marks) -> Result:
    snippet_markup, snippet_text = snippet(hit.content, marks)
    return Result(
        hit=hit,
        title=marked_text(hit.title, spans_in(hit.title, marks), 0, len(hit.title)),
        snippet=snippet_markup,
        snippet_text=snippet_text,
    )

"""Totals and paging are exact on both backends: on random corpora and queries, every page of
the results, read in turn, lists exactly the documents an exhaustive scoring ranks, in its order.

Whoosh's default top-N collector skips blocks it believes cannot reach the top and counts the
total with a second run; with several blocks of postings per word (hundreds of documents) it
dropped real top hits and repeated others across pages. Plain random with fixed seeds, so a
failure is reproducible.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Iterator

import pytest
from sqlalchemy import select

from tests.conftest import running_app
from transparency.search import backends
from transparency.search.base import Filters
from transparency.search.documents import SearchDocument
from transparency.search.query import Query, Word

WORDS = "村务 公开 补贴 道路 低保 水渠 维修 资金 名单 发放 收入 支出 鱼塘 承包 路灯 清运".split()
CORPORA = 4
QUERIES = 6
PER_PAGE = 10


def corpus(rng: random.Random) -> list[SearchDocument]:
    documents = []
    for number in range(1, rng.randint(250, 450)):
        year = rng.choice([2024, 2025])
        documents.append(
            SearchDocument(
                key=f"disclosure:{number}",
                kind="disclosure",
                object_id=number,
                title="，".join(rng.choices(WORDS, k=rng.randint(1, 3))),
                content="，".join(rng.choices(WORDS, k=rng.randint(2, 25))),
                township_id=1,
                village_id=rng.choice([10, 11]),
                place="石桥镇石桥村",
                category="other",
                period=f"{year}年",
                year=year,
                period_start=dt.date(year, 1, 1),
                published_at=dt.datetime(year, 3, 1, tzinfo=dt.UTC),
            )
        )
    return documents


def queries(rng: random.Random) -> Iterator[Query]:
    for _ in range(QUERIES):
        words = tuple(Word(w) for w in rng.sample(WORDS, rng.randint(1, 3)))
        yield Query(words, every=rng.random() < 0.7)


def all_pages(backend, query: Query, filters: Filters) -> tuple[list[str], set[int]]:
    keys, totals, offset = [], set(), 0
    while True:
        page = backend.search(query, filters, False, offset, PER_PAGE)
        totals.add(page.total)
        if not page.hits:
            return keys, totals
        keys += [hit.key for hit in page.hits]
        offset += PER_PAGE


def matching(backend, documents: list[SearchDocument], query: Query) -> set[str]:
    """The documents holding every (or any) query word, from the analyzer's own tokens."""
    found = set()
    for document in documents:
        title, content, _names = backend.tokens(document)  # names are not searched here
        tokens = {t.text for t in title + content}
        hits = [word.text in tokens for word in query.words]
        if all(hits) if query.every else any(hits):
            found.add(document.key)
    return found


def exhaustive_whoosh(backend, query: Query, filters: Filters) -> list[str]:
    """Every matching document scored by the query's own matcher, no collector, no skipping."""
    from transparency.search.whoosh_backend import SEARCHED, _filter, _query

    searcher = backend.searcher()
    allowed = set(searcher.docs_for_query(_filter(filters))) if filters.any else None
    scored = []
    for leaf, offset in searcher.leaf_searchers():
        matcher = _query(query, SEARCHED).matcher(leaf, searcher.context())
        while matcher.is_active():
            docnum = offset + matcher.id()
            if allowed is None or docnum in allowed:
                scored.append((-matcher.score(), docnum))
            matcher.next()
    return [searcher.stored_fields(docnum)["key"] for _, docnum in sorted(scored)]


def exhaustive_postgres(backend, query: Query, filters: Filters) -> list[str]:
    """Every matching row with its rank, sorted here by the documented order (rank, newest, key)."""
    from sqlalchemy import func

    from transparency.search.models import SearchDocument as Row
    from transparency.search.postgres_backend import WITHOUT_NAMES, _tsquery, _word, tsquery_literal

    wanted = _tsquery(tsquery_literal(query.words, query.every, WITHOUT_NAMES))
    statement = select(
        Row.key, Row.period_start, Row.published_at, func.ts_rank_cd(Row.tokens, wanted).label("rank")
    ).where(Row.tokens.op("@@")(wanted))
    if filters.village_id is not None:
        statement = statement.where(Row.village_id == filters.village_id)
    with backend.engine.connect() as connection:
        rows = connection.execute(statement).all()
        found: dict[str, int] = {row.key: 0 for row in rows}
        for word in query.words:
            hit = select(Row.key).where(Row.tokens.op("@@")(_tsquery(_word(word, WITHOUT_NAMES))))
            for key in connection.scalars(hit):
                if key in found:
                    found[key] += 1
    count = (lambda row: -found[row.key]) if not query.every else (lambda row: 0)
    rows = sorted(rows, key=lambda r: r.key)  # the last key, then stable sorts by the earlier ones
    rows = sorted(rows, key=lambda r: (-r.period_start.toordinal(), -r.published_at.timestamp()))
    rows = sorted(rows, key=lambda r: (count(r), -r.rank))
    return [row.key for row in rows]


@pytest.fixture
def search_backend(database_url, tmp_path, backend_name):
    with running_app(database_url, tmp_path, SEARCH_BACKEND=backend_name) as app, app.app_context():
        yield backends.backend(app)


@pytest.mark.parametrize("seed", range(CORPORA))
def test_every_page_lists_the_exhaustive_ranking_once(search_backend, backend_name, seed):
    rng = random.Random(seed)
    documents = corpus(rng)
    search_backend.rebuild(documents, lambda _n: None)
    exhaustive = exhaustive_whoosh if backend_name == "whoosh" else exhaustive_postgres
    for query in queries(rng):
        for filters in (Filters(), Filters(village_id=10)):
            keys, totals = all_pages(search_backend, query, filters)
            expected = exhaustive(search_backend, query, filters)
            assert len(keys) == len(set(keys)), (query, "a document listed twice")
            assert totals == {len(expected)}, (query, totals, len(expected))
            assert keys == expected, query
            if not filters.any:
                assert set(keys) == matching(search_backend, documents, query), query


def test_any_word_ranks_documents_with_more_words_first(search_backend):
    rng = random.Random(99)
    documents = corpus(rng)
    search_backend.rebuild(documents, lambda _n: None)
    query = Query((Word("鱼塘"), Word("路灯"), Word("清运")), every=False)
    keys, _ = all_pages(search_backend, query, Filters())
    tokens = {}
    for document in documents:
        title, content, _names = search_backend.tokens(document)
        tokens[document.key] = {t.text for t in title + content}
    found = [sum(w.text in tokens[key] for w in query.words) for key in keys]
    assert found == sorted(found, reverse=True) and found[0] == 3 and found[-1] == 1

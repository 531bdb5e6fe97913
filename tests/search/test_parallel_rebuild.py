"""A Whoosh rebuild written by several processes (whoosh_rebuild.py) finds exactly what a
rebuild in one process finds, with the same scores, and reports its progress as it goes; a
worker that fails leaves the old index in place and the lock free."""

from __future__ import annotations

import random

import pytest

from tests.search.test_results import PER_PAGE, corpus, queries
from transparency.search.analysis import Analyzer, Synonyms, warm_up
from transparency.search.base import Filters
from transparency.search.whoosh_backend import WhooshBackend


@pytest.fixture(scope="module")
def analyzer() -> Analyzer:
    warm_up()
    return Analyzer(Synonyms.load())


def every_hit(backend: WhooshBackend, query, filters: Filters) -> tuple[int, set[tuple[str, float]]]:
    found: set[tuple[str, float]] = set()
    offset, total = 0, None
    while total is None or offset < total:
        page = backend.search(query, filters, False, offset, PER_PAGE)
        total = page.total
        found |= {(hit.key, hit.score) for hit in page.hits}
        offset += PER_PAGE
    return total, found


def test_two_processes_find_what_one_finds(analyzer, tmp_path):
    rng = random.Random(5)
    documents = corpus(rng)
    assert len(documents) > 200  # more than one chunk: both workers write a segment
    one, two = WhooshBackend(analyzer, tmp_path / "one"), WhooshBackend(analyzer, tmp_path / "two")
    progress: list[int] = []
    assert one.rebuild(documents, lambda _n: None) == len(documents)
    assert two.rebuild(documents, progress.append, processes=2) == len(documents)
    assert sum(progress) == len(documents) and len(progress) > 1  # shown as it goes, not at the end
    assert two.fingerprints() == one.fingerprints()
    for query in queries(rng):
        for filters in (Filters(), Filters(village_id=10)):
            assert every_hit(two, query, filters) == every_hit(one, query, filters), query


class Failing(WhooshBackend):
    def prepare(self, document):
        if document.object_id == 150:
            raise ValueError("cannot analyse")
        return super().prepare(document)


def test_a_failing_worker_leaves_the_old_index(analyzer, tmp_path):
    documents = corpus(random.Random(6))
    WhooshBackend(analyzer, tmp_path / "index").rebuild(documents[:20], lambda _n: None)
    failing = Failing(analyzer, tmp_path / "index")
    with pytest.raises(RuntimeError, match="cannot analyse"):
        failing.rebuild(documents, lambda _n: None, processes=2)
    backend = WhooshBackend(analyzer, tmp_path / "index")
    assert set(backend.fingerprints()) == {document.key for document in documents[:20]}
    backend.update(documents[20:21], [])  # the write lock was released
    assert len(backend.fingerprints()) == 21

"""What every search backend offers; the choice between them is configuration (SEARCH_BACKEND)."""

from __future__ import annotations

import abc
import datetime as dt
import multiprocessing
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from itertools import islice
from typing import Any

from transparency.search.analysis import Analyzer, Token
from transparency.search.documents import SearchDocument
from transparency.search.query import Query


class IndexBusy(RuntimeError):
    """Another process holds the index's write lock past the timeout; outbox rows stay pending."""


class OutdatedIndex(RuntimeError):
    """The index on disk was written by an older release; `transparency search rebuild` renews it.

    Raised by the Whoosh backend, defined here so that the blueprint's error handler does not
    import Whoosh with the app (issue 16: start-up); the backend loads it when it is built."""


@dataclass(frozen=True)
class Filters:
    township_id: int | None = None
    village_id: int | None = None
    category: str | None = None
    year: int | None = None
    kind: str | None = None

    @property
    def any(self) -> bool:
        return any(v is not None for v in vars(self).values())

    @property
    def one_village(self) -> bool:
        """Scoped to exactly one village: the only scope in which people's names are searched."""
        return self.village_id is not None


@dataclass(frozen=True)
class Hit:
    key: str
    kind: str
    object_id: int
    title: str
    content: str
    place: str
    category: str
    period: str
    published_at: dt.datetime | None
    score: float


@dataclass
class ResultPage:
    hits: list[Hit] = field(default_factory=list)
    total: int = 0


_worker_backend: SearchBackend | None = None  # set in the parent just before the pool forks
CHUNK = 256


def _prepare_in_worker(documents: list[SearchDocument]) -> list[dict[str, Any]]:
    assert _worker_backend is not None
    return [_worker_backend.prepare(document) for document in documents]


class SearchBackend(abc.ABC):
    def __init__(self, analyzer: Analyzer) -> None:
        self.analyzer = analyzer

    @abc.abstractmethod
    def prepare(self, document: SearchDocument) -> dict[str, Any]:
        """What the backend stores for one document (the analysis happens here)."""

    def prepared(self, documents: Iterable[SearchDocument], processes: int = 1) -> Iterator[dict[str, Any]]:
        """`prepare` over many documents; with processes > 1, analysed in forked workers
        while the caller writes the previous chunks (jieba is CPU-bound Python)."""
        if processes <= 1:
            yield from map(self.prepare, documents)
            return
        global _worker_backend
        _worker_backend = self
        iterator = iter(documents)
        with multiprocessing.get_context("fork").Pool(processes) as pool:
            pending: deque[Any] = deque()
            while chunk := list(islice(iterator, CHUNK)):
                pending.append(pool.apply_async(_prepare_in_worker, (chunk,)))
                if len(pending) > 2 * processes:
                    yield from pending.popleft().get()
            while pending:
                yield from pending.popleft().get()

    @abc.abstractmethod
    def update(self, documents: Sequence[SearchDocument], removed: Sequence[str]) -> None:
        """Add or replace `documents` and drop the keys in `removed`. Raises IndexBusy."""

    @abc.abstractmethod
    def rebuild(self, documents: Iterable[SearchDocument], progress: Callable[[int], None], processes: int = 1) -> int:
        """Replace the whole index with `documents`; returns how many. Raises IndexBusy."""

    @abc.abstractmethod
    def search(
        self, query: Query, filters: Filters, by_date: bool, offset: int, limit: int, names: bool = False
    ) -> ResultPage:
        """Documents containing every word of `query` (or, if not `query.every`, any of them, those
        with more words first), best first or newest first. `total` is the number of such
        documents; ties are broken by a stable key, so paging lists each document exactly once.

        With `names` (which the caller sets only for a query scoped to one village, see
        `names_searched`), a word or phrase may also match the rows that name people, and a
        hit's content shows them; without it the names field is never looked at."""

    @abc.abstractmethod
    def frequencies(self, words: Sequence[str], names: bool = False) -> dict[str, int]:
        """How many documents hold each of `words` as a token (0 for a word the index lacks); a
        backend may stop counting at a cap of a few dozen. The names field counts only with
        `names`, so that corrections and suggestions never draw on people's names otherwise."""

    @abc.abstractmethod
    def fingerprints(self) -> dict[str, str]:
        """Each indexed document's key and fingerprint, to compare with the database."""

    def tokens(self, document: SearchDocument) -> tuple[list[Token], list[Token], list[Token]]:
        """The analyzed title, content and names tokens (text and position), as both backends store them."""
        return (
            self.analyzer.index_tokens(document.title),
            self.analyzer.index_tokens(document.content),
            self.analyzer.index_tokens(document.names),
        )


def names_searched(filters: Filters, asked: bool) -> bool:
    """People's names are searched only when asked (the village's own search page) AND the query
    is scoped to exactly one village; never for the API, a township or the whole county."""
    return asked and filters.one_village


def shown_content(content: str, names: str, with_names: bool) -> str:
    """A hit's text for its snippet: the rows with names only where names were searched."""
    return f"{content}\n{names}" if with_names and names else content

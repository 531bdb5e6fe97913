"""What every search backend offers; the choice between them is configuration (SEARCH_BACKEND)."""

from __future__ import annotations

import abc
import datetime as dt
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field

from transparency.search.analysis import Analyzer
from transparency.search.documents import SearchDocument


class IndexBusy(RuntimeError):
    """Another process holds the index's write lock past the timeout; outbox rows stay pending."""


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


class SearchBackend(abc.ABC):
    def __init__(self, analyzer: Analyzer) -> None:
        self.analyzer = analyzer

    @abc.abstractmethod
    def update(self, documents: Sequence[SearchDocument], removed: Sequence[str]) -> None:
        """Add or replace `documents` and drop the keys in `removed`. Raises IndexBusy."""

    @abc.abstractmethod
    def rebuild(self, documents: Iterable[SearchDocument], progress: Callable[[int], None]) -> int:
        """Replace the whole index with `documents`; returns how many. Raises IndexBusy."""

    @abc.abstractmethod
    def search(self, terms: Sequence[str], filters: Filters, by_date: bool, offset: int, limit: int) -> ResultPage:
        """Documents containing every term (or its synonym group), best first or newest first."""

    @abc.abstractmethod
    def fingerprints(self) -> dict[str, str]:
        """Each indexed document's key and fingerprint, to compare with the database."""

    def tokens(self, document: SearchDocument) -> tuple[list[str], list[str]]:
        """The analyzed title and content tokens, as both backends store them."""
        return (
            [t.text for t in self.analyzer.index_tokens(document.title)],
            [t.text for t in self.analyzer.index_tokens(document.content)],
        )

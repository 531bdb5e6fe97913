"""The embedded index: Whoosh (whoosh-reloaded) in a folder under instance/.

Tokens come from our analyzer and are handed to Whoosh already cut, separated by spaces,
so the index holds exactly what the PostgreSQL backend holds. Writers wait for the lock at
most SEARCH_WRITER_TIMEOUT seconds, so several server processes can publish at once; each
process keeps one searcher and refreshes it when another process has committed.
"""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path

from whoosh import index as whoosh_index
from whoosh.analysis import SpaceSeparatedTokenizer
from whoosh.fields import ID, NUMERIC, STORED, TEXT, Schema
from whoosh.index import LockError
from whoosh.query import And, AndMaybe, Or, Query, Term
from whoosh.scoring import BM25F
from whoosh.searching import Searcher
from whoosh.writing import CLEAR

from transparency.search.analysis import Analyzer
from transparency.search.base import Filters, Hit, IndexBusy, ResultPage, SearchBackend, shown_content
from transparency.search.documents import SearchDocument, parse_key

TITLE_BOOST = 3.0


def schema() -> Schema:
    tokens = SpaceSeparatedTokenizer()
    return Schema(
        key=ID(unique=True, stored=True),
        kind=ID(stored=True),
        # No positions (phrase=False): queries are sets of words, and positions double the postings.
        title_tokens=TEXT(analyzer=tokens, field_boost=TITLE_BOOST, phrase=False),
        content_tokens=TEXT(analyzer=tokens, phrase=False),
        # People's names: queried only when the search is scoped to one village (base.names_searched).
        names_tokens=TEXT(analyzer=tokens, phrase=False),
        title=STORED,
        content=STORED,
        names=STORED,
        township=ID,
        village=ID,
        category=ID(stored=True),
        year=ID,
        place=STORED,
        period=STORED,
        period_start=NUMERIC(sortable=True),  # date ordinal: "newest first" means the latest period
        published=NUMERIC(bits=64, sortable=True, stored=True),
        fingerprint=STORED,
    )


class WhooshBackend(SearchBackend):
    def __init__(self, analyzer: Analyzer, path: Path, writer_timeout: float = 10.0) -> None:
        super().__init__(analyzer)
        self.path = path
        self.writer_timeout = writer_timeout
        self._searcher: Searcher | None = None
        self._lock = threading.Lock()

    def _index(self, *, fresh: bool = False):
        """The index; with `fresh`, a new empty one if the folder holds an index of an older schema
        (its files go first: an old segment must not keep on disk what the new schema leaves out)."""
        if whoosh_index.exists_in(str(self.path)):
            existing = whoosh_index.open_dir(str(self.path))
            if not fresh or _current(existing):
                return existing
            for old in self.path.iterdir():
                if old.is_file():
                    old.unlink()
        self.path.mkdir(parents=True, exist_ok=True)
        try:
            return whoosh_index.create_in(str(self.path), schema())
        except LockError:  # another process is creating it right now
            return whoosh_index.open_dir(str(self.path))

    def _writer(self, *, fresh: bool = False, **options):
        try:
            index = self._index(fresh=fresh)
            if not _current(index):
                # Written before a field was added: only `search rebuild` may replace it.
                raise IndexBusy("索引格式已更新，请运行 transparency search rebuild")
            return index.writer(timeout=self.writer_timeout, delay=0.05, **options)
        except LockError as error:
            raise IndexBusy(str(error)) from error

    def prepare(self, document: SearchDocument) -> dict[str, object]:
        title_tokens, content_tokens, names_tokens = self.tokens(document)
        published = document.published_at
        return {
            "key": document.key,
            "kind": document.kind,
            "title_tokens": " ".join(title_tokens),
            "content_tokens": " ".join(content_tokens),
            "names_tokens": " ".join(names_tokens),
            "title": document.title,
            "content": document.content,
            "names": document.names,
            "township": str(document.township_id or ""),
            "village": str(document.village_id or ""),
            "category": document.category,
            "year": str(document.year),
            "place": document.place,
            "period": document.period,
            "period_start": document.period_start.toordinal() if document.period_start else 0,
            "published": int(published.timestamp()) if published else 0,
            "fingerprint": document.fingerprint,
        }

    def update(self, documents: Sequence[SearchDocument], removed: Sequence[str]) -> None:
        writer = self._writer()
        try:
            for key in removed:
                writer.delete_by_term("key", key)
            for document in documents:
                writer.update_document(**self.prepare(document))
        except BaseException:
            writer.cancel()
            raise
        writer.commit()

    def rebuild(self, documents: Iterable[SearchDocument], progress: Callable[[int], None], processes: int = 1) -> int:
        writer = self._writer(fresh=True, limitmb=256)
        count = 0
        try:
            for fields in self.prepared(documents, processes):
                writer.add_document(**fields)
                count += 1
                progress(1)
        except BaseException:
            writer.cancel()
            raise
        writer.commit(mergetype=CLEAR)  # the old segments go only when the new ones are in
        return count

    def searcher(self) -> Searcher:
        """This process's searcher, refreshed if another writer committed since."""
        with self._lock:
            if self._searcher is None or not self._searcher.up_to_date():
                # A new searcher, not Searcher.refresh(): refresh reuses a segment's old reader
                # even when documents in it were deleted since (a corrected disclosure would show twice),
                # and fails outright on an index that was empty.
                self._searcher = self._index().searcher(weighting=BM25F())
            return self._searcher

    def search(
        self, terms: Sequence[str], filters: Filters, by_date: bool, offset: int, limit: int, names: bool = False
    ) -> ResultPage:
        if not terms:
            return ResultPage()
        fields = ("title_tokens", "content_tokens", "names_tokens") if names else ("title_tokens", "content_tokens")
        required = And([Or([Term(field, t) for field in fields]) for t in terms])
        # A title holding every word typed is what the villager meant, more than a long list mentioning them.
        query = AndMaybe(required, And([Term("title_tokens", t) for t in terms], boost=TITLE_BOOST))
        searcher = self.searcher()
        options: dict[str, object] = {"limit": offset + limit, "filter": _filter(filters)}
        if by_date:
            options.update(sortedby=["period_start", "published"], reverse=True)
        results = searcher.search(query, **options)
        # Sorted by date, Whoosh reports the sort key as the "score": there is no relevance then.
        hits = [_hit(r, 0.0 if by_date else r.score or 0.0, names) for r in results[offset : offset + limit]]
        return ResultPage(hits=hits, total=len(results))

    def fingerprints(self) -> dict[str, str]:
        if not whoosh_index.exists_in(str(self.path)):
            return {}
        with self._index().searcher() as searcher:
            return {fields["key"]: fields["fingerprint"] for fields in searcher.all_stored_fields()}


def _current(index) -> bool:
    return set(index.schema.names()) == set(schema().names())


def _filter(filters: Filters) -> Query | None:
    terms = [
        Term(name, str(value))
        for name, value in (
            ("township", filters.township_id),
            ("village", filters.village_id),
            ("category", filters.category),
            ("year", filters.year),
            ("kind", filters.kind),
        )
        if value is not None
    ]
    return And(terms) if terms else None


def _hit(fields, score: float, names: bool) -> Hit:
    parsed = parse_key(fields["key"])
    published = fields.get("published") or 0
    return Hit(
        key=fields["key"],
        kind=fields["kind"],
        object_id=parsed[1] if parsed else 0,
        title=fields["title"],
        content=shown_content(fields["content"], fields.get("names", ""), names),
        place=fields["place"],
        category=fields["category"],
        period=fields["period"],
        published_at=dt.datetime.fromtimestamp(published, dt.UTC) if published else None,
        score=round(float(score), 4),
    )

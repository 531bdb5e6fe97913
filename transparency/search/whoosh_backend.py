"""The embedded index: Whoosh (whoosh-reloaded) in a folder under instance/.

Tokens come from our analyzer and are handed to Whoosh already cut, each with its position
(its character offset), so the index holds exactly what the PostgreSQL backend holds and a
phrase of characters matches characters that stand side by side in the text. Writers wait for the lock at
most SEARCH_WRITER_TIMEOUT seconds, so several server processes can publish at once; each
process keeps one searcher and refreshes it when another process has committed.
"""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path

from whoosh import index as whoosh_index
from whoosh.analysis import Token as WhooshToken
from whoosh.analysis import Tokenizer
from whoosh.collectors import Collector, FilterCollector, SortingCollector, TopCollector
from whoosh.fields import ID, NUMERIC, STORED, TEXT, Schema
from whoosh.index import LockError
from whoosh.query import And, AndMaybe, ConstantScoreQuery, Or, Phrase, Query, Term
from whoosh.scoring import BM25F
from whoosh.searching import Searcher
from whoosh.sorting import FieldFacet
from whoosh.writing import CLEAR

from transparency.search.analysis import Analyzer, Token
from transparency.search.base import Filters, Hit, IndexBusy, OutdatedIndex, ResultPage, SearchBackend, shown_content
from transparency.search.documents import SearchDocument, parse_key
from transparency.search.query import Query as SearchQuery
from transparency.search.query import Word
from transparency.search.whoosh_rebuild import LIMIT_MB, codec, write_in_parallel

TITLE_BOOST = 3.0
SEARCHED = ("title_tokens", "content_tokens")
NAMES = "names_tokens"  # searched (and counted by `frequencies`) only when names are searched
# In any-word mode each word found adds this much, so more words found always ranks higher.
PER_WORD = 10_000.0


class PositionedTokenizer(Tokenizer):
    """Reads what `positioned` wrote: "0:服务 0:服 1:务" → tokens at the positions given."""

    def __call__(self, value, positions=False, chars=False, keeporiginal=False, removestops=True, **kwargs):
        token = WhooshToken(positions, chars, removestops=removestops, **kwargs)
        for item in value.split():
            position, _, text = item.partition(":")
            token.text = text
            token.boost = 1.0
            token.stopped = False
            if keeporiginal:
                token.original = text
            if positions:
                token.pos = int(position)
            yield token


def positioned(tokens: list[Token]) -> str:
    return " ".join(dict.fromkeys(f"{t.position}:{t.text}" for t in tokens))


def schema() -> Schema:
    tokens = PositionedTokenizer()
    return Schema(
        key=ID(unique=True, stored=True),
        kind=ID(stored=True),
        title_tokens=TEXT(analyzer=tokens, field_boost=TITLE_BOOST, phrase=True),
        content_tokens=TEXT(analyzer=tokens, phrase=True),
        # People's names: queried only when the search is scoped to one village (base.names_searched).
        names_tokens=TEXT(analyzer=tokens, phrase=True),
        title=STORED,
        content=STORED,
        names=STORED,
        township=ID,
        village=ID,
        category=ID(stored=True),
        year=ID,
        place=STORED,
        period=STORED,
        # Sorted on, never searched by range: one term per value (shift_step=0), not one per 4 bits.
        period_start=NUMERIC(sortable=True, shift_step=0),  # date ordinal: "newest first" means the latest period
        published=NUMERIC(bits=64, sortable=True, stored=True, shift_step=0),
        fingerprint=STORED,
    )


class WhooshBackend(SearchBackend):
    def __init__(self, analyzer: Analyzer, path: Path, writer_timeout: float = 10.0) -> None:
        super().__init__(analyzer)
        self.path = path
        self.writer_timeout = writer_timeout
        self._searcher: tuple[Searcher, bool] | None = None
        self._lock = threading.Lock()

    def _index(self, *, fresh: bool = False):
        """The index; with `fresh`, a new empty one if the folder holds an index of an older schema
        (its files go first: an old segment must not keep on disk what the new schema leaves out)."""
        if whoosh_index.exists_in(str(self.path)):
            existing = whoosh_index.open_dir(str(self.path))
            if not fresh or _current(existing.schema):
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
            if not _current(index.schema):
                # Written by an older release (no names field, no positions): only `search rebuild` replaces it.
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
            "title_tokens": positioned(title_tokens),
            "content_tokens": positioned(content_tokens),
            "names_tokens": positioned(names_tokens),
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
        writer = self._writer(fresh=True, limitmb=LIMIT_MB, codec=codec())
        try:
            if processes > 1:
                count = write_in_parallel(self._index(), writer, self.prepare, documents, progress, processes)
            else:
                count = 0
                for document in documents:
                    writer.add_document(**self.prepare(document))
                    count += 1
                    progress(1)
                writer.commit(mergetype=CLEAR)  # the old segments go only when the new ones are in
        except BaseException:
            if not writer.is_closed:
                writer.cancel()
            raise
        with self._lock:
            # A new index in place of an outdated one may reach the same generation number: the
            # old searcher would still call itself up to date.
            self._searcher = None
        return count

    def searcher(self) -> Searcher:
        """This process's searcher, refreshed if another writer committed since."""
        return self._opened()[0]

    def _opened(self) -> tuple[Searcher, bool]:
        """The searcher and whether its index is of the current schema (tested once per searcher)."""
        with self._lock:
            if self._searcher is None or not self._searcher[0].up_to_date():
                # A new searcher, not Searcher.refresh(): refresh reuses a segment's old reader
                # even when documents in it were deleted since (a corrected disclosure would show twice),
                # and fails outright on an index that was empty.
                searcher = self._index().searcher(weighting=BM25F())
                self._searcher = (searcher, _current(searcher.schema))
            return self._searcher

    def _current_searcher(self) -> Searcher:
        searcher, current = self._opened()
        if not current:
            raise OutdatedIndex("搜索索引是旧版本，请运行 transparency search rebuild")
        return searcher

    def search(
        self, query: SearchQuery, filters: Filters, by_date: bool, offset: int, limit: int, names: bool = False
    ) -> ResultPage:
        if not query.words:
            return ResultPage()
        collector: Collector
        if by_date:
            facets = [FieldFacet("period_start", reverse=True), FieldFacet("published", reverse=True)]
            collector = SortingCollector(facets, limit=offset + limit)
        else:
            # One pass that scores every match and counts it: no block skipping (it drops real top
            # hits), no matcher replacement (it changes scores between pages). Ties: lower docnum first.
            collector = TopCollector(offset + limit, usequality=False, replace=0)
        wanted = _filter(filters)
        if wanted is not None:
            collector = FilterCollector(collector, wanted, None)
        searcher = self._current_searcher()
        searcher.search_with_collector(_query(query, _fields(names)), collector)
        results = collector.results()
        score = (lambda r: 0.0) if by_date else (lambda r: (r.score or 0.0) % PER_WORD)
        hits = [_hit(r, score(r), names) for r in results[offset : offset + limit]]
        return ResultPage(hits=hits, total=collector.count())

    def frequencies(self, words, names: bool = False) -> dict[str, int]:
        reader = self._current_searcher().reader()
        fields = _fields(names)
        return {word: sum(reader.doc_frequency(field, word) for field in fields) for word in words}

    def fingerprints(self) -> dict[str, str]:
        if not whoosh_index.exists_in(str(self.path)):
            return {}
        with self._index().searcher() as searcher:
            return {fields["key"]: fields["fingerprint"] for fields in searcher.all_stored_fields()}


def _current(found: Schema) -> bool:
    """The one test of an index's age: the same fields as `schema()`, the searched ones with
    positions (older releases wrote no names field, then no positions). An index that fails it is
    searched by no query and written by no update; `transparency search rebuild` replaces it."""
    wanted = schema()
    return set(found.names()) == set(wanted.names()) and all(
        found[field].format.supports("positions") for field in (*SEARCHED, NAMES)
    )


def _fields(names: bool) -> tuple[str, ...]:
    """The token fields a query looks in: people's names only when names are searched."""
    return (*SEARCHED, NAMES) if names else SEARCHED


def _in_field(word: Word, field: str) -> Query:
    term = Term(field, word.text)
    return Or([term, Phrase(field, list(word.phrase))]) if word.phrase else term


def _query(query: SearchQuery, fields: tuple[str, ...]) -> Query:
    found = [Or([_in_field(word, field) for field in fields]) for word in query.words]
    if query.every:
        required: Query = And(found)
    else:
        required = Or([Or([ConstantScoreQuery(each, PER_WORD), each]) for each in found])
    # A title holding every word typed is what the villager meant, more than a long list mentioning them.
    return AndMaybe(required, And([_in_field(word, "title_tokens") for word in query.words], boost=TITLE_BOOST))


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

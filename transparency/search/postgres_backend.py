"""The index inside PostgreSQL, for deployments on several machines (no local disk to share).

The same analyzer cuts the text; its tokens are stored verbatim as a tsvector (title tokens
weighted A) with a GIN index, and queries are tsqueries of the same tokens, so PostgreSQL's
own parser and dictionaries never see the Chinese text. A token's position is its character
offset (the content's after the title's, with a gap), so `'翠' <-> '富'` finds 叶翠富. PostgreSQL
keeps at most 256 positions of a lexeme and none past 16383: a phrase beyond those is not found.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from itertools import islice

from sqlalchemy import Engine, Text, bindparam, case, cast, delete, func, literal, select, union_all
from sqlalchemy.dialects.postgresql import TSQUERY, insert

from transparency.search.analysis import Analyzer, Token
from transparency.search.base import Filters, Hit, ResultPage, SearchBackend
from transparency.search.documents import SearchDocument
from transparency.search.models import SearchDocument as Row
from transparency.search.query import Query, Word

MAX_POSITION = 16383  # PostgreSQL's limit for a lexeme position
FREQUENCY_CAP = 50  # documents counted per word at most (frequencies)
TITLE_GAP = 2  # between the title's last position and the content's first: no phrase spans both


def _quote(token: str) -> str:
    return "'" + token.replace("\\", "\\\\").replace("'", "''") + "'"


def tsvector_literal(title_tokens: Sequence[Token], content_tokens: Sequence[Token]) -> str:
    """ "'村务':1A,3 '公开':3A" — lexemes with positions (1 + character offset), title ones weighted A."""
    positions: dict[str, dict[int, str]] = {}
    for token in title_tokens:
        positions.setdefault(token.text, {}).setdefault(min(token.position + 1, MAX_POSITION), "A")
    offset = max((t.position for t in title_tokens), default=0) + TITLE_GAP
    for token in content_tokens:
        positions.setdefault(token.text, {}).setdefault(min(token.position + 1 + offset, MAX_POSITION), "")
    return " ".join(
        f"{_quote(token)}:{','.join(f'{p}{w}' for p, w in sorted(places.items())[:256])}"
        for token, places in positions.items()
    )


def _word(word: Word) -> str:
    if not word.phrase:
        return _quote(word.text)
    return f"({_quote(word.text)} | {' <-> '.join(map(_quote, word.phrase))})"


def tsquery_literal(words: Sequence[Word], every: bool = True) -> str:
    return (" & " if every else " | ").join(map(_word, words))


class PostgresBackend(SearchBackend):
    def __init__(self, analyzer: Analyzer, engine: Engine) -> None:
        super().__init__(analyzer)
        self.engine = engine

    def prepare(self, document: SearchDocument) -> dict[str, object]:
        title_tokens, content_tokens = self.tokens(document)
        return {
            "key": document.key,
            "kind": document.kind,
            "title": document.title,
            "content": document.content,
            "township_id": document.township_id,
            "village_id": document.village_id,
            "place": document.place,
            "category": document.category,
            "period": document.period,
            "year": document.year,
            "period_start": document.period_start,
            "published_at": document.published_at,
            "fingerprint": document.fingerprint,
            "tokens": tsvector_literal(title_tokens, content_tokens),
        }

    def _upsert(self, connection, documents: Sequence[SearchDocument]) -> None:
        if not documents:
            return
        statement = insert(Row).values([self.prepare(d) for d in documents])
        columns = {c.name: statement.excluded[c.name] for c in Row.__table__.columns if c.name != "key"}
        connection.execute(statement.on_conflict_do_update(index_elements=["key"], set_=columns))

    def update(self, documents: Sequence[SearchDocument], removed: Sequence[str]) -> None:
        with self.engine.begin() as connection:
            if removed:
                connection.execute(delete(Row).where(Row.key.in_(list(removed))))
            self._upsert(connection, documents)

    def rebuild(self, documents: Iterable[SearchDocument], progress: Callable[[int], None], processes: int = 1) -> int:
        count = 0
        rows = self.prepared(documents, processes)
        with self.engine.begin() as connection:  # one transaction: readers see old or new, never half
            connection.execute(delete(Row))
            while batch := list(islice(rows, 500)):
                connection.execute(insert(Row).values(batch))
                count += len(batch)
                progress(len(batch))
        return count

    def search(self, query: Query, filters: Filters, by_date: bool, offset: int, limit: int) -> ResultPage:
        if not query.words:
            return ResultPage()
        wanted = _tsquery(tsquery_literal(query.words, query.every))
        rank = func.ts_rank_cd(Row.tokens, wanted).label("rank")
        conditions = [Row.tokens.op("@@")(wanted)]
        for column, value in (
            (Row.township_id, filters.township_id),
            (Row.village_id, filters.village_id),
            (Row.category, filters.category),
            (Row.year, filters.year),
            (Row.kind, filters.kind),
        ):
            if value is not None:
                conditions.append(column == value)
        newest = [Row.period_start.desc(), Row.published_at.desc()]
        order = [*newest, rank.desc()] if by_date else [rank.desc(), *newest]
        if not query.every:  # more of the words found ranks higher, whatever the rank says
            found = sum(
                (case((Row.tokens.op("@@")(_tsquery(_word(word))), 1), else_=0) for word in query.words),
                start=literal(0),
            )
            order = [*newest, found.desc(), rank.desc()] if by_date else [found.desc(), *order]
        statement = (
            select(Row, rank, func.count().over().label("total"))
            .where(*conditions)
            .order_by(*order, Row.key)
            .offset(offset)
            .limit(limit)
        )
        with self.engine.connect() as connection:
            rows = connection.execute(statement).all()
        if not rows and offset:
            total = self._count(conditions)
        else:
            total = rows[0].total if rows else 0
        return ResultPage(hits=[_hit(row) for row in rows], total=total)

    def frequencies(self, words: Sequence[str]) -> dict[str, int]:
        if not words:
            return {}
        # Counted up to a cap: the callers ask "none?", "only a few?" and "rarer than?", and an
        # exact count of a common word would read most of the table.
        probes = [
            select(literal(number).label("n"), func.count().label("df")).select_from(
                select(Row.key).where(Row.tokens.op("@@")(_tsquery(_quote(word)))).limit(FREQUENCY_CAP).subquery()
            )
            for number, word in enumerate(words)
        ]
        with self.engine.connect() as connection:
            counted = dict(connection.execute(union_all(*probes)).all())
        return {word: counted.get(number, 0) for number, word in enumerate(words)}

    def _count(self, conditions) -> int:
        with self.engine.connect() as connection:
            return connection.scalar(select(func.count()).select_from(Row).where(*conditions)) or 0

    def fingerprints(self) -> dict[str, str]:
        with self.engine.connect() as connection:
            return {key: fingerprint for key, fingerprint in connection.execute(select(Row.key, Row.fingerprint))}


def _tsquery(literal_text: str):
    return cast(bindparam(None, literal_text, type_=Text), TSQUERY)


def _hit(row) -> Hit:
    return Hit(
        key=row.key,
        kind=row.kind,
        object_id=int(row.key.partition(":")[2]),
        title=row.title,
        content=row.content,
        place=row.place,
        category=row.category,
        period=row.period,
        published_at=row.published_at,
        score=round(float(row.rank), 4),
    )

"""The index inside PostgreSQL, for deployments on several machines (no local disk to share).

The same analyzer cuts the text; its tokens are stored verbatim as a tsvector (title tokens
weighted A, content unweighted, which is D, people's names weighted B) with a GIN index, and
queries are tsqueries of the same tokens, so PostgreSQL's own parser and dictionaries never see
the Chinese text. A token's position is its character offset (the content's after the title's,
the names' after the content's, each with a gap), so `'翠' <-> '富'` finds 叶翠富 and no phrase
spans two parts. A query not scoped to one village asks for weights A and D only (`'翠':AD`):
names are in the vector, and such a query, or a count of documents for corrections, cannot
match them. PostgreSQL keeps at most 256 positions of a lexeme and none past 16383: a phrase
beyond those is not found (names come last, so a very long table's names lose phrases first).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from itertools import islice

from sqlalchemy import Engine, Text, bindparam, case, cast, delete, func, literal, select, union_all
from sqlalchemy.dialects.postgresql import TSQUERY, insert

from transparency.search.analysis import Analyzer, Token
from transparency.search.base import Filters, Hit, ResultPage, SearchBackend, shown_content
from transparency.search.documents import SearchDocument
from transparency.search.models import SearchDocument as Row
from transparency.search.query import Query, Word

MAX_POSITION = 16383  # PostgreSQL's limit for a lexeme position
FREQUENCY_CAP = 50  # documents counted per word at most (frequencies)
TITLE_GAP = 2  # between one part's last position and the next part's first: no phrase spans both
NAMES_WEIGHT = "B"
WITHOUT_NAMES = "AD"  # title and content


def _quote(token: str) -> str:
    return "'" + token.replace("\\", "\\\\").replace("'", "''") + "'"


def tsvector_literal(
    title_tokens: Sequence[Token], content_tokens: Sequence[Token], names_tokens: Sequence[Token] = ()
) -> str:
    """ "'村务':1A,3 '公开':3A" — lexemes with positions (1 + character offset), title ones
    weighted A, names B."""
    positions: dict[str, dict[int, str]] = {}
    offset = 0
    for tokens, weight in ((title_tokens, "A"), (content_tokens, ""), (names_tokens, NAMES_WEIGHT)):
        for token in tokens:
            positions.setdefault(token.text, {}).setdefault(min(token.position + 1 + offset, MAX_POSITION), weight)
        offset += max((t.position for t in tokens), default=0) + TITLE_GAP
    # At most 256 positions a lexeme, the lowest first: a name's (B) positions, which come last,
    # go before any of the title's or content's.
    return " ".join(
        f"{_quote(token)}:{','.join(f'{p}{w}' for p, w in sorted(places.items())[:256])}"
        for token, places in positions.items()
    )


def _lexeme(token: str, weights: str) -> str:
    return _quote(token) + (f":{weights}" if weights else "")


def _word(word: Word, weights: str = "") -> str:
    """One word as a tsquery, each lexeme restricted to `weights` when given ("'村务':AD")."""
    if not word.phrase:
        return _lexeme(word.text, weights)
    return f"({_lexeme(word.text, weights)} | {' <-> '.join(_lexeme(c, weights) for c in word.phrase)})"


def tsquery_literal(words: Sequence[Word], every: bool = True, weights: str = "") -> str:
    return (" & " if every else " | ").join(_word(word, weights) for word in words)


class PostgresBackend(SearchBackend):
    def __init__(self, analyzer: Analyzer, engine: Engine) -> None:
        super().__init__(analyzer)
        self.engine = engine

    def prepare(self, document: SearchDocument) -> dict[str, object]:
        title_tokens, content_tokens, names_tokens = self.tokens(document)
        return {
            "key": document.key,
            "kind": document.kind,
            "title": document.title,
            "content": document.content,
            "names": document.names,
            "township_id": document.township_id,
            "village_id": document.village_id,
            "place": document.place,
            "category": document.category,
            "period": document.period,
            "year": document.year,
            "period_start": document.period_start,
            "published_at": document.published_at,
            "fingerprint": document.fingerprint,
            "tokens": tsvector_literal(title_tokens, content_tokens, names_tokens),
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

    def search(
        self, query: Query, filters: Filters, by_date: bool, offset: int, limit: int, names: bool = False
    ) -> ResultPage:
        if not query.words:
            return ResultPage()
        weights = _weights(names)
        wanted = _tsquery(tsquery_literal(query.words, query.every, weights))
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
                (case((Row.tokens.op("@@")(_tsquery(_word(word, weights))), 1), else_=0) for word in query.words),
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
        return ResultPage(hits=[_hit(row, names) for row in rows], total=total)

    def frequencies(self, words: Sequence[str], names: bool = False) -> dict[str, int]:
        if not words:
            return {}
        weights = _weights(names)
        # Counted up to a cap: the callers ask "none?", "only a few?" and "rarer than?", and an
        # exact count of a common word would read most of the table.
        probes = [
            select(literal(number).label("n"), func.count().label("df")).select_from(
                select(Row.key)
                .where(Row.tokens.op("@@")(_tsquery(_lexeme(word, weights))))
                .limit(FREQUENCY_CAP)
                .subquery()
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


def _weights(names: bool) -> str:
    """The weights a query may match: all of them (names too) only when names are searched."""
    return "" if names else WITHOUT_NAMES


def _tsquery(literal_text: str):
    return cast(bindparam(None, literal_text, type_=Text), TSQUERY)


def _hit(row, names: bool) -> Hit:
    return Hit(
        key=row.key,
        kind=row.kind,
        object_id=int(row.key.partition(":")[2]),
        title=row.title,
        content=shown_content(row.content, row.names, names),
        place=row.place,
        category=row.category,
        period=row.period,
        published_at=row.published_at,
        score=round(float(row.rank), 4),
    )

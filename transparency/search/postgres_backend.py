"""The index inside PostgreSQL, for deployments on several machines (no local disk to share).

The same analyzer cuts the text; its tokens are stored verbatim as a tsvector (title tokens
weighted A, people's names weighted B, content unweighted, which is D) with a GIN index, and
queries are tsqueries of the same tokens, so PostgreSQL's own parser and dictionaries never see
the Chinese text. A query not scoped to one village asks for weights A and D only: names are
in the vector, and such a query cannot match them.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from itertools import islice

from sqlalchemy import Engine, delete, func, select, text
from sqlalchemy.dialects.postgresql import insert

from transparency.search.analysis import Analyzer
from transparency.search.base import Filters, Hit, ResultPage, SearchBackend, shown_content
from transparency.search.documents import SearchDocument
from transparency.search.models import SearchDocument as Row

MAX_POSITION = 16383  # PostgreSQL's limit for a lexeme position
NAMES_WEIGHT = "B"
WITHOUT_NAMES = "AD"  # title and content


def _quote(token: str) -> str:
    return "'" + token.replace("\\", "\\\\").replace("'", "''") + "'"


def tsvector_literal(
    title_tokens: Sequence[str], content_tokens: Sequence[str], names_tokens: Sequence[str] = ()
) -> str:
    """ "'村务':1A,3 '公开':2A" — lexemes with positions, title ones weighted A, names B."""
    positions: dict[str, list[str]] = {}
    number = 0
    for tokens, weight in ((title_tokens, "A"), (content_tokens, ""), (names_tokens, NAMES_WEIGHT)):
        for token in tokens:
            number += 1
            positions.setdefault(token, []).append(f"{min(number, MAX_POSITION)}{weight}")
    # At most 256 positions a lexeme, title and content ones first: dropping a name's (B) position
    # then loses nothing, the lexeme being in title or content anyway.
    return " ".join(f"{_quote(token)}:{','.join(places[:256])}" for token, places in positions.items())


def tsquery_literal(terms: Sequence[str], weights: str = "") -> str:
    """ "'村务' & '公开'", each term restricted to `weights` when given ("'村务':AD")."""
    suffix = f":{weights}" if weights else ""
    return " & ".join(_quote(term) + suffix for term in terms)


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
        self, terms: Sequence[str], filters: Filters, by_date: bool, offset: int, limit: int, names: bool = False
    ) -> ResultPage:
        if not terms:
            return ResultPage()
        literal = tsquery_literal(terms, "" if names else WITHOUT_NAMES)
        query = text("CAST(:q AS tsquery)").bindparams(q=literal)
        rank = func.ts_rank_cd(Row.tokens, query).label("rank")
        conditions = [Row.tokens.op("@@")(query)]
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

    def _count(self, conditions) -> int:
        with self.engine.connect() as connection:
            return connection.scalar(select(func.count()).select_from(Row).where(*conditions)) or 0

    def fingerprints(self) -> dict[str, str]:
        with self.engine.connect() as connection:
            return {key: fingerprint for key, fingerprint in connection.execute(select(Row.key, Row.fingerprint))}


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

"""The public revision of each part of the site: what a cached public page is keyed by.

A scope names something public pages show — every published disclosure (`disclosures`), the
area tree (`areas`), public matters (`matters`), one village's (`v:<code>`) or township's
(`t:<code>`) disclosures, or everything (`all`: a redaction, a changed obligation rule). Each
scope holds a random token that is replaced, in the transaction of the action, whenever what it
names changes (portal/revision_subscriptions.py listens to the signals that say so). A page cached
under the old token is never looked up again. Random rather than counted: a database restored
from a backup cannot hand back a token an old cached page was stored under.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterable

from sqlalchemy import BigInteger, Engine, String, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Mapped, Session, mapped_column

from transparency.core.db import Base

ALL = "all"
AREAS = "areas"
DISCLOSURES = "disclosures"
MATTERS = "matters"


def village_scope(code: str) -> str:
    return f"v:{code}"


def township_scope(code: str) -> str:
    return f"t:{code}"


class PublicRevision(Base):
    """The current token of one scope; a scope never changed has no row (its token is 0)."""

    __tablename__ = "public_revision"

    scope: Mapped[str] = mapped_column(String(40), primary_key=True)
    token: Mapped[int] = mapped_column(BigInteger)


def bump(session: Session, scopes: Iterable[str]) -> None:
    """Give each scope a new token, in the caller's transaction (one statement; never commits).

    Scopes are written in sorted order so that two transactions on PostgreSQL lock rows in the
    same order and cannot deadlock.
    """
    rows = [{"scope": scope, "token": secrets.randbits(62)} for scope in sorted(set(scopes))]
    if not rows:
        return
    dialect = postgresql if session.get_bind().dialect.name == "postgresql" else sqlite
    statement = dialect.insert(PublicRevision).values(rows)
    session.execute(statement.on_conflict_do_update(index_elements=["scope"], set_={"token": statement.excluded.token}))


def tokens(session: Session, scopes: Iterable[str]) -> tuple[int, ...]:
    """The current token of each scope, in the order given (0 for a scope never changed)."""
    wanted = list(scopes)
    found = dict(
        session.execute(
            select(PublicRevision.scope, PublicRevision.token).where(PublicRevision.scope.in_(wanted))
        ).all()
    )
    return tuple(found.get(scope, 0) for scope in wanted)


def committed_tokens(engine: Engine, scopes: Iterable[str]) -> tuple[int, ...]:
    """`tokens` as last committed, read on a pooled driver connection outside any ORM session.

    The page cache asks this on every public request, before the view reads anything: a page
    answered from the cache then costs one indexed read and no session, and a page rendered
    afresh reads its content after the tokens it is stored under (never older content under a
    newer token)."""
    wanted = list(scopes)
    marker = "?" if engine.dialect.paramstyle == "qmark" else "%s"
    statement = f"SELECT scope, token FROM public_revision WHERE scope IN ({', '.join([marker] * len(wanted))})"
    connection = engine.raw_connection()
    try:
        cursor = connection.cursor()
        cursor.execute(statement, wanted)
        found = dict(cursor.fetchall())
        cursor.close()
        connection.rollback()  # ends PostgreSQL's implicit transaction; nothing to undo
    finally:
        connection.close()  # back to the pool
    return tuple(found.get(scope, 0) for scope in wanted)

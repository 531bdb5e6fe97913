"""Database: the declarative base, engine set-up and the one-commit-per-request rule.

Session rules (STYLE.md): services flush, never commit. A request commits once, after
its view returned a response below 400; anything else rolls back, so a failed save
leaves nothing half-written (core/request_cycle.py calls `finish_request` and, when the commit
fails, answers with the error page alone). CLI commands commit once at their end.

SQLite: the driver's implicit BEGIN is turned off and we emit our own, deferred for
reads and IMMEDIATE for writes, so two writers queue on the lock instead of one of them
losing its update (measured: plain defaults lose updates under concurrent read-then-write).

A write view marked `@reads_before_writing` (filing a matter) starts deferred instead and calls
`db.begin_writing()` right before its first write: the writer lock is held only from there to the
commit. Everything read before that call must be something no write depends on; every read that
decides what is written (a next number, the audit chain's head) comes after it. A flush before
the call raises WriteBeforeLock rather than upgrading a stale read transaction.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Annotated, Any, TypeVar

from flask import Flask, current_app, g, has_request_context, request
from sqlalchemy import (
    BigInteger,
    DateTime,
    Engine,
    Enum,
    MetaData,
    create_engine,
    event,
)
from sqlalchemy.engine import make_url
from sqlalchemy.orm import DeclarativeBase, Session, mapped_column, sessionmaker
from sqlalchemy.types import TypeDecorator

from transparency.core import clock

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


class UTCDateTime(TypeDecorator[dt.datetime]):
    """Aware UTC datetimes in Python, naive UTC in the database (same on SQLite and PostgreSQL)."""

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value: dt.datetime | None, dialect: Any) -> dt.datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given where a UTC time is required")
        return value.astimezone(dt.UTC).replace(tzinfo=None)

    def process_result_value(self, value: dt.datetime | None, dialect: Any) -> dt.datetime | None:
        return None if value is None else value.replace(tzinfo=dt.UTC)


# Shared column types.
Fen = Annotated[int, mapped_column(BigInteger)]
"""Money in integer fen (分); never a float."""
UTCTime = Annotated[dt.datetime, mapped_column(UTCDateTime)]


def utcnow() -> dt.datetime:
    """The domain's clock: a name for `core.clock.now` (the audit log uses the wall clock)."""
    return clock.now()


@contextmanager
def clock_at(moment: dt.datetime) -> Iterator[None]:
    """Make `utcnow()` (and every clock.today()) answer `moment` inside the block: `clock.freeze`.
    Raises ValueError for a naive `moment`."""
    with clock.freeze(moment):
        yield


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


def normalise_url(url: str) -> str:
    """Accept the usual postgres:// spellings and pick the psycopg 3 driver."""
    if url.startswith("postgres://"):
        url = "postgresql://" + url[len("postgres://") :]
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url[len("postgresql://") :]
    return url


def build_engine(url: str) -> Engine:
    url = normalise_url(url)
    if make_url(url).get_backend_name() == "sqlite":
        engine = create_engine(url, connect_args={"timeout": 30})
        _configure_sqlite(engine)
        return engine
    return create_engine(url, pool_pre_ping=True)


def _configure_sqlite(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def on_connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None  # we send BEGIN ourselves
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA busy_timeout=30000")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def on_begin(conn: Any) -> None:
        mode = "IMMEDIATE" if conn.get_execution_options().get("write") else "DEFERRED"
        conn.exec_driver_sql(f"BEGIN {mode}")


@dataclass(frozen=True)
class _Bound:
    """One application's engine and session factories (kept in app.extensions, never shared)."""

    engine: Engine
    readers: sessionmaker[Session]
    writers: sessionmaker[Session]
    reads_first: sessionmaker[Session]  # a write request that takes the lock at db.begin_writing()


class WriteBeforeLock(RuntimeError):
    """A `@reads_before_writing` request flushed before calling `db.begin_writing()`."""


View = TypeVar("View")


def reads_before_writing(view: View) -> View:
    """Mark a write view whose reads come first: its transaction begins deferred, and the view
    calls `db.begin_writing()` before its first write (see the module's docstring)."""
    view.reads_before_writing = True  # type: ignore[attr-defined]
    return view


def _writing(session: Session) -> bool:
    return bool(session.in_transaction() and session.connection().get_execution_options().get("write"))


def _refuse_early_flush(session: Session, _context: Any, _instances: Any) -> None:
    if (session.new or session.dirty or session.deleted) and not _writing(session):
        raise WriteBeforeLock("call db.begin_writing() before the first write of this request")


class Database:
    """Reached as `db.session` / `db.engine` inside a request or command of the current app."""

    def init_app(self, app: Flask) -> None:
        engine = build_engine(app.config["DATABASE_URL"])
        reads_first = sessionmaker(engine, expire_on_commit=False)
        event.listen(reads_first, "before_flush", _refuse_early_flush)
        app.extensions["database"] = _Bound(
            engine=engine,
            readers=sessionmaker(engine, expire_on_commit=False),
            writers=sessionmaker(engine.execution_options(write=True), expire_on_commit=False),
            reads_first=reads_first,
        )
        app.teardown_appcontext(_close_session)

    @property
    def engine(self) -> Engine:
        return _current().engine

    @property
    def session(self) -> Session:
        if "db_session" not in g:
            bound = _current()
            writes = not has_request_context() or request.method not in SAFE_METHODS
            if writes and has_request_context() and _view_reads_first():
                g.db_session = bound.reads_first()
            else:
                g.db_session = (bound.writers if writes else bound.readers)()
        return g.db_session

    def begin_writing(self) -> Session:
        """Take the writer lock now (BEGIN IMMEDIATE on SQLite) and answer the session.

        Ends the request's read transaction first: nothing was written in it, and the rows it
        loaded stay loaded (expire_on_commit=False); reads from here on see every commit made
        meanwhile. A no-op when the transaction already writes (any request not marked
        `@reads_before_writing`). Raises WriteBeforeLock when changes are pending.
        """
        session = self.session
        if _writing(session):
            return session
        if session.new or session.dirty or session.deleted:
            raise WriteBeforeLock("changes made before db.begin_writing()")
        if session.in_transaction():
            session.commit()
        session.connection(execution_options={"write": True})
        return session


def _current() -> _Bound:
    return current_app.extensions["database"]


def _view_reads_first() -> bool:
    view = current_app.view_functions.get(request.endpoint or "")
    return bool(getattr(view, "reads_before_writing", False))


def finish_request(status_code: int) -> None:
    """Commit the request's session when `status_code` is below 400, else roll it back.

    Raises whatever the commit raised, after rolling back: the caller answers with an error.
    """
    session: Session | None = g.pop("db_session", None)
    if session is None:
        return
    try:
        if status_code < 400:
            try:
                session.commit()
            except BaseException:
                session.rollback()
                raise
        else:
            session.rollback()
    finally:
        session.close()


def _close_session(_exc: BaseException | None) -> None:
    session: Session | None = g.pop("db_session", None)
    if session is not None:
        session.rollback()
        session.close()


db = Database()


def enum_column(enum_class: type) -> Enum:
    """Store a StrEnum by its value, as a plain string column (no native ENUM to migrate)."""
    return Enum(
        enum_class,
        native_enum=False,
        length=30,
        values_callable=lambda members: [m.value for m in members],
        validate_strings=True,
    )

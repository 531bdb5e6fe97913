"""The test databases: one per pytest-xdist worker, migrated once, copied or reset per test.

SQLite: each worker migrates its own template file (pytest's temporary directory is already
per worker) and every test gets a copy of it. PostgreSQL (TEST_DATABASE_URL): a serial run uses
that database; each xdist worker uses a database of its own named after it (`test_tests_gw0`),
dropped and created afresh; the schema is migrated once and every table is emptied after each test.

A template may hold rows (the demo `world`): on SQLite it is simply another file to copy; on
PostgreSQL its rows are kept in memory as a `Snapshot` and inserted again after each emptying.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, create_engine, select, text
from sqlalchemy.engine import make_url

from transparency import create_app
from transparency.core import migrations
from transparency.core.db import db, normalise_url
from transparency.models import metadata

PG_URL = os.environ.get("TEST_DATABASE_URL", "")
WORKER = os.environ.get("PYTEST_XDIST_WORKER", "")


def postgres_url() -> str:
    """This process's PostgreSQL database: TEST_DATABASE_URL, or one derived from it per xdist worker."""
    if not WORKER:
        return PG_URL
    url = make_url(normalise_url(PG_URL))
    return url.set(database=f"{url.database}_{WORKER}").render_as_string(hide_password=False)


def _create_worker_database(url: str) -> None:
    """Drop and create the worker's database, connected to the database the run was given."""
    name = make_url(url).database
    engine = create_engine(normalise_url(PG_URL), isolation_level="AUTOCOMMIT")
    try:
        with engine.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            conn.execute(text(f'CREATE DATABASE "{name}"'))
    finally:
        engine.dispose()


def migrate(url: str, instance: Path, config: dict[str, Any]) -> None:
    """Bring an empty database to the head revision with Alembic (never with create_all)."""
    app = create_app({**config, "DATABASE_URL": url})
    app.instance_path = str(instance)
    with app.app_context():
        migrations.upgrade()
        db.engine.dispose()


def migrated_template(workdir: Path, config: dict[str, Any]) -> str:
    """A migrated SQLite file to copy, or the URL of this process's migrated PostgreSQL database."""
    if PG_URL:
        url = postgres_url()
        if WORKER:
            _create_worker_database(url)
        engine = create_engine(normalise_url(url))
        with engine.begin() as conn:
            conn.execute(text("DROP SCHEMA public CASCADE"))
            conn.execute(text("CREATE SCHEMA public"))
        engine.dispose()
        migrate(url, workdir, config)
        return url
    path = workdir / "template.sqlite3"
    migrate(f"sqlite:///{path}", workdir, config)
    return str(path)


def empty_postgres(url: str) -> None:
    """Empty every table of the models (the migration history stays)."""
    engine = create_engine(normalise_url(url))
    tables = ", ".join(f'"{t.name}"' for t in metadata.sorted_tables)
    try:
        with engine.begin() as conn:
            conn.execute(text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))
    finally:
        engine.dispose()


@dataclass(frozen=True)
class Snapshot:
    """The rows of a PostgreSQL database, table by table, and where its id sequences stood."""

    rows: dict[str, list[dict[str, Any]]]
    sequences: dict[str, int]

    @classmethod
    def take(cls, url: str) -> Snapshot:
        engine = create_engine(normalise_url(url))
        try:
            with engine.connect() as conn:
                rows = {t.name: [dict(r._mapping) for r in conn.execute(select(t))] for t in metadata.sorted_tables}
                sequences = dict(_sequences(conn))
        finally:
            engine.dispose()
        return cls({name: found for name, found in rows.items() if found}, sequences)

    def restore(self, url: str) -> None:
        """Insert the rows into the emptied database, parents first, and move the sequences on."""
        engine = create_engine(normalise_url(url))
        try:
            with engine.begin() as conn:
                for table in metadata.sorted_tables:
                    if table.name in self.rows:
                        conn.execute(table.insert(), self.rows[table.name])
                for sequence, value in self.sequences.items():
                    conn.execute(text("SELECT setval(:sequence, :value)"), {"sequence": sequence, "value": value})
        finally:
            engine.dispose()


def _sequences(conn: Connection) -> Iterator[tuple[str, int]]:
    for table in metadata.sorted_tables:
        for column in table.primary_key.columns:
            sequence = conn.scalar(text("SELECT pg_get_serial_sequence(:t, :c)"), {"t": table.name, "c": column.name})
            if sequence is not None:
                value = conn.scalar(text(f'SELECT max("{column.name}") FROM "{table.name}"'))
                if value is not None:
                    yield sequence, value


@contextmanager
def scratch_database(template: str, workdir: Path) -> Iterator[str]:
    """A database for one module's fixture: a copy of the SQLite template, or the worker's PostgreSQL
    database, emptied again afterwards for the tests that follow."""
    if not PG_URL:
        path = workdir / "scratch.sqlite3"
        shutil.copyfile(template, path)
        yield f"sqlite:///{path}"
        return
    try:
        yield template
    finally:
        empty_postgres(template)

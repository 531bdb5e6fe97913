"""A real `pg_dump -Fc` / `pg_restore` round trip (the PostgreSQL pass of `make test`).

Skipped on SQLite runs, and when the PostgreSQL client programs are not installed (Debian's
postgresql-client, in the Makefile's TEST_PACKAGES); never skipped for a version mismatch: the
backup must refuse that with its own message, and the unit test below proves it does.
"""

from __future__ import annotations

import shutil

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.exc import DatabaseError

from tests.backup.helpers import backup, restored, site
from tests.complaints.helpers import file_matter
from tests.conftest import Browser
from tests.databases import PG_URL
from transparency.backup import snapshot
from transparency.core.db import normalise_url
from transparency.models import metadata

SEARCH_TABLES = ("search_outbox", "search_document")
needs_postgres = pytest.mark.skipif(not PG_URL, reason="needs TEST_DATABASE_URL (the PostgreSQL pass)")
needs_client = pytest.mark.skipif(
    not (shutil.which("pg_dump") and shutil.which("pg_restore")), reason="pg_dump/pg_restore not installed"
)


def _counts(url: str) -> dict[str, int]:
    engine = create_engine(normalise_url(url))
    try:
        with engine.connect() as connection:
            return {t.name: connection.scalar(text(f'SELECT count(*) FROM "{t.name}"')) for t in metadata.sorted_tables}
    finally:
        engine.dispose()


@needs_postgres
@needs_client
def test_pg_dump_and_pg_restore_bring_back_every_row_sequence_and_trigger(world, database_url, tmp_path):
    with site(database_url, tmp_path / "old" / "instance") as app:
        file_matter(Browser(app.test_client()), world.village_a.code)
        backup(app, tmp_path / "backup")
    dump = tmp_path / "backup" / snapshot.POSTGRES_FILE
    assert dump.read_bytes()[:5] == b"PGDMP"  # pg_dump's custom format
    before = _counts(database_url)
    with restored(database_url, tmp_path / "backup", tmp_path) as copy:
        after = _counts(copy.config["DATABASE_URL"])
        changed = {"audit_entry", "audit_checkpoint", *SEARCH_TABLES}  # the epoch; the rebuilt index
        assert {k: v for k, v in after.items() if k not in changed} == {
            k: v for k, v in before.items() if k not in changed
        }
        assert after["audit_entry"] == before["audit_entry"] + 1  # the epoch entry
        # The id sequences came back: a new filing does not collide with a restored row.
        receipt = file_matter(Browser(copy.test_client()), world.village_a.code)
        assert "-B-" in receipt.number
        # The append-only triggers came back too.
        engine = create_engine(normalise_url(copy.config["DATABASE_URL"]))
        try:
            with pytest.raises(DatabaseError, match="append-only"), engine.begin() as connection:
                connection.execute(text("UPDATE audit_entry SET action = 'forged' WHERE seq = 1"))
        finally:
            engine.dispose()


def test_a_pg_dump_older_than_the_server_is_refused_with_what_to_install(monkeypatch):
    monkeypatch.setattr(snapshot, "tool_major", lambda name: 14)
    monkeypatch.setattr(snapshot, "server_major", lambda connection: 15)
    with pytest.raises(
        snapshot.CopyFailed, match="pg_dump 是 14 版，数据库服务器是 15 版：请安装 postgresql-client-15"
    ):
        snapshot.check_client_version("pg_dump", connection=None)

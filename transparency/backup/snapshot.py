"""Consistent copies of a running database, and putting them back.

SQLite: the backup API (a plain `cp` misses what is still in the WAL). It copies step by step
for the progress bar; if writers keep restarting it, the rest is copied in one step, which holds
a read snapshot for that moment only (WAL lets the site keep writing meanwhile).

PostgreSQL: `pg_dump -Fc` inside a snapshot exported from our own REPEATABLE READ transaction,
so the manifest's facts are read from exactly the state the dump holds; `pg_restore` in one
transaction into an empty database.
"""

from __future__ import annotations

import os
import re
import shutil
import sqlite3
import subprocess
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from flask_babel import gettext as _
from sqlalchemy import Connection, Engine, create_engine, text
from sqlalchemy.engine import URL, make_url

from transparency.backup.manifest import Facts, read_facts
from transparency.core.db import normalise_url

SQLITE_FILE = "database.sqlite3"
POSTGRES_FILE = "database.dump"
STEP_PAGES = 4096  # 16 MB at SQLite's default page size
MAX_RESTARTS = 2
Progress = Callable[[int, int], None]  # done, total


class CopyFailed(RuntimeError):
    """The database could not be copied or put back; the message says why, in words."""


def dialect_of(url: str) -> str:
    return make_url(normalise_url(url)).get_backend_name()


def sqlite_path(url: str) -> Path:
    database = make_url(url).database
    if not database or database == ":memory:":
        raise CopyFailed(_("DATABASE_URL 没有指向一个 SQLite 文件。"))
    return Path(database)


class _Restarting(Exception):
    """Writers restarted the step-by-step copy too often."""


def copy_sqlite(source: Path, target: Path, progress: Progress) -> None:
    """Copy the live database file consistently into `target` (a new file). Raises CopyFailed."""
    if not source.is_file():
        raise CopyFailed(_("数据库文件 %(path)s 不存在。", path=source))
    live = sqlite3.connect(source, timeout=30)
    copy = sqlite3.connect(target)
    restarts, last = 0, None

    def step(_status: int, remaining: int, total: int) -> None:
        nonlocal restarts, last
        if last is not None and remaining > last:  # another connection wrote: the copy started over
            restarts += 1
            if restarts > MAX_RESTARTS:
                raise _Restarting
        last = remaining
        progress(total - remaining, total)

    try:
        try:
            live.backup(copy, pages=STEP_PAGES, progress=step)
        except _Restarting:
            live.backup(copy, pages=-1)
        copy.execute("PRAGMA journal_mode=DELETE")  # one self-contained file, no -wal beside it
        problem = copy.execute("PRAGMA quick_check").fetchone()[0]
    except sqlite3.Error as error:
        raise CopyFailed(_("复制 SQLite 数据库失败：%(error)s", error=error)) from None
    finally:
        copy.close()
        live.close()
    if problem != "ok":
        raise CopyFailed(_("复制出的数据库没有通过完整性检查：%(problem)s", problem=problem))


def sqlite_is_empty(path: Path) -> bool:
    """No file, an empty one, or one without tables (read without creating anything)."""
    if not path.exists() or path.stat().st_size == 0:
        return True
    connection = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        return connection.execute("SELECT count(*) FROM sqlite_master WHERE type = 'table'").fetchone()[0] == 0
    finally:
        connection.close()


def restore_sqlite(source: Path, target: Path) -> None:
    """Put the backup's file in place (the target was checked to be empty)."""
    target.parent.mkdir(parents=True, exist_ok=True)
    for leftover in (target, target.with_name(target.name + "-wal"), target.with_name(target.name + "-shm")):
        leftover.unlink(missing_ok=True)
    partial = target.with_name(target.name + ".restoring")
    shutil.copyfile(source, partial)
    partial.replace(target)


@contextmanager
def sqlite_facts(path: Path) -> Iterator[Facts]:
    engine = create_engine(f"sqlite:///{path}")
    try:
        with engine.connect() as connection:
            yield read_facts(connection)
    finally:
        engine.dispose()


@dataclass(frozen=True)
class Libpq:
    """How the PostgreSQL client programs reach the database: a URL without the password, and
    the password in their environment (never on a command line others can read)."""

    dsn: str
    environment: dict[str, str]

    @classmethod
    def from_url(cls, url: str) -> Libpq:
        parsed: URL = make_url(normalise_url(url))
        environment = {"PGPASSWORD": parsed.password} if parsed.password else {}
        dsn = parsed.set(drivername="postgresql", password=None).render_as_string(hide_password=False)
        return cls(dsn, environment)


def _tool(name: str) -> str:
    found = shutil.which(name)
    if found is None:
        raise CopyFailed(
            _("找不到 %(name)s：请安装与数据库服务器同一版本的 PostgreSQL 客户端（postgresql-client）。", name=name)
        )
    return found


def tool_major(name: str) -> int:
    """The major version of pg_dump or pg_restore on PATH. Raises CopyFailed."""
    output = subprocess.run([_tool(name), "--version"], capture_output=True, text=True, check=False).stdout
    match = re.search(r"(\d+)(?:\.\d+)?", output)
    if match is None:
        raise CopyFailed(_("无法读出 %(name)s 的版本：%(output)s", name=name, output=output.strip()))
    return int(match.group(1))


def server_major(connection: Connection) -> int:
    return int(connection.execute(text("SHOW server_version_num")).scalar()) // 10000


def check_client_version(name: str, connection: Connection) -> None:
    """pg_dump refuses a newer server; say so before starting, with what to install."""
    client, server = tool_major(name), server_major(connection)
    if client < server:
        raise CopyFailed(
            _(
                "%(name)s 是 %(client)s 版，数据库服务器是 %(server)s 版：请安装 postgresql-client-%(server)s。",
                name=name,
                client=client,
                server=server,
            )
        )


def _run(command: list[str], libpq: Libpq, marker: str, total: int, progress: Progress) -> None:
    """Run a PostgreSQL client program, counting its verbose lines that contain `marker`."""
    done, errors = 0, []
    environment = {**os.environ, **libpq.environment}
    with subprocess.Popen(
        command, stderr=subprocess.PIPE, stdout=subprocess.DEVNULL, text=True, env=environment
    ) as process:
        assert process.stderr is not None
        for line in process.stderr:
            if marker in line:
                done += 1
                progress(min(done, total), total)
            elif "error" in line.lower() or "错误" in line:
                errors.append(line.strip())
    if process.returncode != 0:
        raise CopyFailed(_("%(tool)s 失败：%(errors)s", tool=Path(command[0]).name, errors=" ".join(errors[-5:])))
    progress(total, total)


def _table_count(connection: Connection) -> int:
    return (
        connection.execute(
            text(
                "SELECT count(*) FROM information_schema.tables "
                "WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'"
            )
        ).scalar()
        or 0
    )


def dump_postgres(engine: Engine, url: str, target: Path, progress: Progress) -> Facts:
    """pg_dump the database into `target`, and read the facts in the very snapshot it dumps."""
    libpq = Libpq.from_url(url)
    with engine.connect().execution_options(isolation_level="REPEATABLE READ") as connection:
        check_client_version("pg_dump", connection)
        snapshot = connection.execute(text("SELECT pg_export_snapshot()")).scalar()
        facts = read_facts(connection)
        tables = _table_count(connection)
        command = [_tool("pg_dump"), "-Fc", "--verbose", f"--snapshot={snapshot}", "-f", str(target), libpq.dsn]
        _run(command, libpq, "dumping contents of table", tables, progress)
        connection.rollback()
    return facts


def postgres_is_empty(engine: Engine) -> bool:
    with engine.connect() as connection:
        return _table_count(connection) == 0


def restore_postgres(engine: Engine, url: str, source: Path, progress: Progress) -> None:
    """pg_restore into the (empty) database, all or nothing. Raises CopyFailed."""
    libpq = Libpq.from_url(url)
    with engine.connect() as connection:
        check_client_version("pg_restore", connection)
    listing = subprocess.run([_tool("pg_restore"), "--list", str(source)], capture_output=True, text=True, check=False)
    if listing.returncode != 0:
        raise CopyFailed(_("pg_restore 读不了备份文件：%(error)s", error=listing.stderr.strip()))
    tables = sum(1 for line in listing.stdout.splitlines() if " TABLE DATA " in line)
    command = [
        _tool("pg_restore"),
        "--verbose",
        "--exit-on-error",
        "--single-transaction",
        "--no-owner",
        "--no-privileges",
        f"--dbname={libpq.dsn}",
        str(source),
    ]
    _run(command, libpq, "processing data for table", tables, progress)

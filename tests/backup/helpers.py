"""Backing up a test site and restoring it into an empty one, on SQLite or on PostgreSQL."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from flask import Flask
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from tests.conftest import running_app
from transparency.core.db import normalise_url

UNLIMITED = {"COMPLAINT_RATE_LIMIT": "100000 per second", "TRACK_RATE_LIMIT": "100000 per second"}


def _admin(url: str) -> Any:
    return create_engine(normalise_url(url), isolation_level="AUTOCOMMIT")


@contextmanager
def empty_target(source_url: str, workdir: Path, name: str = "restore") -> Iterator[str]:
    """The URL of an empty database beside the test's: a new SQLite file, or `<database>_<name>`."""
    if make_url(source_url).get_backend_name() == "sqlite":
        yield f"sqlite:///{workdir / name / 'instance' / 'transparency.sqlite3'}"
        return
    url = make_url(normalise_url(source_url))
    target = url.set(database=f"{url.database}_{name}")
    engine = _admin(source_url)
    try:
        with engine.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{target.database}" WITH (FORCE)'))
            connection.execute(text(f'CREATE DATABASE "{target.database}"'))
        yield target.render_as_string(hide_password=False)
    finally:
        with engine.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{target.database}" WITH (FORCE)'))
        engine.dispose()


@contextmanager
def site(url: str, instance: Path, **config: Any) -> Iterator[Flask]:
    """An app on `url` whose instance folder is `instance` (where a restore checks for leftovers)."""
    with running_app(url, instance.parent, **{**UNLIMITED, **config}) as app:
        app.instance_path = str(instance)
        yield app


def invoke(app: Flask, *args: str) -> Any:
    return app.test_cli_runner().invoke(args=list(args))


def backup(app: Flask, directory: Path) -> Any:
    result = invoke(app, "backup", str(directory))
    assert result.exit_code == 0, (result.output, result.exception)
    return result


@contextmanager
def restored(source_url: str, backup_dir: Path, workdir: Path, name: str = "restore") -> Iterator[Flask]:
    """A new, empty site with the backup restored into it (the restore must succeed)."""
    with empty_target(source_url, workdir, name) as url, site(url, workdir / name / "instance") as app:
        result = invoke(app, "restore", str(backup_dir))
        assert result.exit_code == 0, (result.output, result.exception)
        yield app

"""Configuration: safe defaults for the demo, refusal of unsafe ones in production."""

from __future__ import annotations

import pytest
from sqlalchemy import text

from transparency import create_app
from transparency.core.config import InsecureConfiguration
from transparency.core.db import db


def test_production_refuses_to_start_without_a_secret_key(monkeypatch, database_url):
    monkeypatch.setenv("TRANSPARENCY_ENV", "production")
    monkeypatch.delenv("SECRET_KEY", raising=False)
    with pytest.raises(InsecureConfiguration):
        create_app({"DATABASE_URL": database_url})
    monkeypatch.setenv("SECRET_KEY", "x" * 64)
    assert create_app({"DATABASE_URL": database_url}).config["SECRET_KEY"] == "x" * 64


def test_demo_key_is_random_and_kept_across_restarts(monkeypatch, tmp_path, database_url):
    monkeypatch.delenv("SECRET_KEY", raising=False)
    monkeypatch.setenv("TRANSPARENCY_ENV", "development")
    monkeypatch.setenv("TRANSPARENCY_INSTANCE_PATH", str(tmp_path / "instance"))
    first = create_app({"DATABASE_URL": database_url})
    second = create_app({"DATABASE_URL": database_url})
    assert len(first.config["SECRET_KEY"]) == 64
    assert first.config["SECRET_KEY"] == second.config["SECRET_KEY"]
    assert (tmp_path / "instance" / "secret_key").stat().st_mode & 0o077 == 0  # readable by its owner only


def test_sqlite_connections_use_wal_foreign_keys_and_a_busy_timeout(app):
    if not app.config["DATABASE_URL"].startswith("sqlite"):
        pytest.skip("SQLite pragmas")
    with app.app_context():
        session = db.session
        assert session.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert session.execute(text("PRAGMA foreign_keys")).scalar() == 1
        assert session.execute(text("PRAGMA busy_timeout")).scalar() >= 5000


def test_client_address_comes_from_the_proxy_only_when_configured(monkeypatch, database_url):
    from flask import request

    from transparency.core.security import public

    def remote_seen(app):
        @app.get("/whoami")
        @public
        def whoami():
            return request.remote_addr or ""

        return app.test_client().get("/whoami", headers={"X-Forwarded-For": "203.0.113.9"}).get_data(as_text=True)

    monkeypatch.setenv("SECRET_KEY", "k" * 32)
    assert remote_seen(create_app({"DATABASE_URL": database_url})) == "127.0.0.1"
    monkeypatch.setenv("TRUSTED_PROXY_COUNT", "1")
    assert remote_seen(create_app({"DATABASE_URL": database_url})) == "203.0.113.9"


def test_two_applications_keep_their_own_databases(tmp_path):
    from tests.conftest import BASE_CONFIG

    first = create_app({**BASE_CONFIG, "DATABASE_URL": f"sqlite:///{tmp_path / 'a.sqlite3'}"})
    second = create_app({**BASE_CONFIG, "DATABASE_URL": f"sqlite:///{tmp_path / 'b.sqlite3'}"})
    with first.app_context():
        assert db.engine.url.database.endswith("a.sqlite3")
        db.engine.dispose()
    with second.app_context():
        assert db.engine.url.database.endswith("b.sqlite3")
        db.engine.dispose()


def test_rotated_keys_come_from_the_environment_as_lists(monkeypatch, database_url):
    monkeypatch.setenv("TRACKING_CODE_KEYS", "key-of-2026, key-of-2025")
    monkeypatch.setenv("SECRET_KEY_FALLBACKS", "secret-of-2025,")
    config = create_app({"DATABASE_URL": database_url, "SECRET_KEY": "s"}).config
    assert config["TRACKING_CODE_KEYS"] == ["key-of-2026", "key-of-2025"]
    assert config["SECRET_KEY_FALLBACKS"] == ["secret-of-2025"]

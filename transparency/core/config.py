"""Configuration from environment variables, with safe defaults for the embedded demo.

Nothing here runs at import time; `load()` is called by `create_app`.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path
from typing import Any

from flask import Flask

DEFAULTS: dict[str, Any] = {
    # Uploads: whole request, then each attachment.
    "MAX_CONTENT_LENGTH": 25 * 1024 * 1024,
    "MAX_ATTACHMENT_BYTES": 10 * 1024 * 1024,
    "MAX_ATTACHMENTS_PER_VERSION": 20,
    "MAX_FORM_MEMORY_SIZE": 1024 * 1024,
    # Spreadsheet uploads (dataio): file size, and rows per table for the administrator's import.
    "MAX_SPREADSHEET_BYTES": 10 * 1024 * 1024,
    "MAX_IMPORT_ROWS": 50_000,
    "MAX_IMPORT_BYTES": 100 * 1024 * 1024,
    "SESSION_COOKIE_HTTPONLY": True,
    "SESSION_COOKIE_SAMESITE": "Lax",
    "SESSION_COOKIE_NAME": "cwgk_session",
    "PERMANENT_SESSION_LIFETIME": 8 * 3600,
    "WTF_CSRF_TIME_LIMIT": 8 * 3600,
    "BABEL_DEFAULT_LOCALE": "zh_Hans",
    "TIME_ZONE": "Asia/Shanghai",  # core.clock's zone; Flask-Babel is given the same one
    # The Chinese catalogue is the source (msgids); English is transparency/translations/en.
    "LANGUAGES": ["zh_Hans", "en"],
    "LANGUAGE_COOKIE_NAME": "lang",
    "LANGUAGE_COOKIE_MAX_AGE": 365 * 24 * 3600,
    # argon2id parameters (RFC 9106 second recommendation); tests lower them.
    "ARGON2_TIME_COST": 3,
    "ARGON2_MEMORY_COST": 64 * 1024,
    "ARGON2_PARALLELISM": 4,
    # Failed logins (accounts/throttle.py): after this many in a row from one client, that client
    # waits; after the account-wide number, clients that failed before wait a little.
    "LOGIN_MAX_FAILURES": 5,
    "LOGIN_LOCK_SECONDS": 15 * 60,
    "LOGIN_ACCOUNT_MAX_FAILURES": 50,
    "LOGIN_ACCOUNT_BACKOFF_SECONDS": 60,
    "LOGIN_RATE_LIMIT": "10 per minute",
    "RATELIMIT_STORAGE_URI": "memory://",
    # Set on every application: Flask-Limiter would otherwise carry the last one's choice over.
    "RATELIMIT_ENABLED": True,
    # A moving window: a fixed one lets twice the limit through across a minute boundary.
    "RATELIMIT_STRATEGY": "moving-window",
    "RATELIMIT_HEADERS_ENABLED": True,
    # A stopped Redis must not stop filing (issue 14, point 4): limits are then counted in each
    # process's memory, with a warning in the log, and /readyz says so. Redis is asked again every
    # so often and used as soon as it answers; a dead address costs at most the timeouts below.
    "RATELIMIT_REDIS_TIMEOUT": 1.0,
    # Complaints: per client. The tracking-code key defaults to one derived from SECRET_KEY.
    "COMPLAINT_RATE_LIMIT": "20 per hour",
    "TRACK_RATE_LIMIT": "30 per hour",
    # 查我家 (household lookup on a village page): per client. Its key defaults to one derived
    # from SECRET_KEY; changing either makes the stored household keys unreachable until re-saved.
    "HOUSEHOLD_LOOKUP_RATE_LIMIT": "20 per hour",
    # Disclosure calendar: obligations count from this day; shares need this many items due.
    "OBLIGATIONS_START": "2025-01-01",
    "STATS_MIN_SAMPLE": 5,
}

# Settings that may come from the environment, and how to read them.
ENVIRONMENT = {
    "SECRET_KEY": str,
    "DATABASE_URL": str,
    "RATELIMIT_STORAGE_URI": str,
    "SESSION_COOKIE_SECURE": lambda v: v.lower() in ("1", "true", "yes"),
    "SITE_NAME": str,
    "TRUSTED_PROXY_COUNT": int,
    "TRACKING_CODE_KEY": str,
    # Key rotation (issue 14, point 5): the current key first, then the older ones, comma-separated.
    "TRACKING_CODE_KEYS": lambda v: _words(v),
    "SECRET_KEY_FALLBACKS": lambda v: _words(v),
    "COMPLAINT_RULES_FILE": str,
    "TIME_ZONE": str,
    "HOLIDAYS_FILE": str,
    "COMPLAINT_RATE_LIMIT": str,
    "TRACK_RATE_LIMIT": str,
    "HOUSEHOLD_LOOKUP_RATE_LIMIT": str,
    "HOUSEHOLD_LOOKUP_KEY": str,
    "PUBLIC_BASE_URL": str,
    "TRUSTED_HOSTS": lambda v: [
        h.strip() for h in v.split(",") if h.strip()
    ],  # printed disclosures: the site's address in their QR codes
    "OBLIGATIONS_START": str,
    "STATS_MIN_SAMPLE": int,
    # Search (issue 4): backend, index folder, extra synonyms.
    "SEARCH_BACKEND": str,
    "SEARCH_INDEX_PATH": str,
    "SEARCH_SYNONYMS_PATH": str,
    "SEARCH_ABBREVIATIONS_PATH": str,
    # Programmes whose recipients are never searchable by name (disclosures/people.py has the defaults).
    "SOCIAL_ASSISTANCE_PROGRAMMES": lambda v: tuple(p.strip() for p in v.split(",") if p.strip()),
    # Operations (issue 14, point 6): logs, readiness, who may read /metrics.
    "LOG_FORMAT": str,  # json (default) or plain
    "LOG_LEVEL": str,
    "READINESS_MAX_OUTBOX": int,  # pending index writes above this make /readyz answer 503
    "METRICS_TOKEN": str,  # `Authorization: Bearer …` lets a scraper in from any address
    "METRICS_ALLOWED_NETWORKS": lambda v: _words(v),  # e.g. 10.0.0.0/8,192.168.1.5
    # Public page cache (core/page_cache.py): "off" to render every request; Redis to share it.
    "PAGE_CACHE": str,
    "PAGE_CACHE_REDIS_URL": str,
    "PAGE_CACHE_REDIS_PREFIX": str,
    "PAGE_CACHE_MAX_BYTES": int,
    # A published version's tables and charts, per process (disclosures/published_memo.py); 0: off.
    "PUBLISHED_MEMO_MAX_BYTES": int,
    # Printing (printing/background.py): published prints laid out in the web processes' background
    # thread (off: `transparency printing work` from a timer), kept in PRINT_CACHE_DIR.
    "PRINT_BACKGROUND": lambda v: v.lower() in ("1", "true", "yes", "on"),
    "PRINT_CACHE_DIR": str,
}


def _words(value: str) -> list[str]:
    return [word.strip() for word in value.split(",") if word.strip()]


class InsecureConfiguration(RuntimeError):
    """Production was asked to start with a setting that is only safe for the demo."""


def load(app: Flask, test_config: dict[str, Any] | None) -> None:
    app.config.update(DEFAULTS)
    app.config["SITE_NAME"] = "村务公开"
    app.config["ENV_NAME"] = os.environ.get("TRANSPARENCY_ENV", "development")
    for key, parse in ENVIRONMENT.items():
        value = os.environ.get(key) or os.environ.get(f"TRANSPARENCY_{key}")
        if value:
            app.config[key] = parse(value)
    if test_config:
        app.config.update(test_config)
    app.config["BABEL_DEFAULT_TIMEZONE"] = app.config["TIME_ZONE"]  # one zone for the whole site

    instance = Path(app.instance_path)
    instance.mkdir(parents=True, exist_ok=True)
    app.config.setdefault("DATABASE_URL", f"sqlite:///{instance / 'transparency.sqlite3'}")
    # The deployer's holiday schedules (`transparency holidays add`), beside the shipped ones.
    app.config.setdefault("HOLIDAYS_FILE", str(instance / "holidays.toml"))

    if not app.config.get("SECRET_KEY"):
        if app.config["ENV_NAME"] == "production":
            raise InsecureConfiguration("生产环境必须通过环境变量 SECRET_KEY 设置密钥。")
        app.config["SECRET_KEY"] = _demo_secret_key(instance)
        app.config["SECRET_KEY_FILE"] = str(instance / "secret_key")  # what a backup must carry


def _demo_secret_key(instance: Path) -> str:
    """A random key kept in instance/ so demo sessions survive a restart."""
    path = instance / "secret_key"
    if not path.exists():
        path.write_text(secrets.token_hex(32))
        path.chmod(0o600)
    return path.read_text().strip()

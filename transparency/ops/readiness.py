"""Is this process ready for traffic? Each check says ok, or what is wrong, in a few words.

- database: reachable, and at the migration head (a process started before `db upgrade` is not);
- search: the Whoosh index folder writable, or the PostgreSQL backend's table reachable;
- outbox: fewer pending index writes than READINESS_MAX_OUTBOX;
- rate_limits: the configured Redis answers. When it does not, the site still works (limits
  are counted per process) and the answer is "degraded" with 200: taking every process out of
  the load balancer because Redis stopped would turn a weaker limit into an outage.

Anything else failing makes the answer "unavailable" with 503.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from flask import Flask
from sqlalchemy import func, select, text

from transparency.core import migrations
from transparency.core.security import limit_storage_state
from transparency.search import backends
from transparency.search.models import SearchDocument, SearchOutbox

DEFAULT_MAX_OUTBOX = 100


@dataclass
class Readiness:
    checks: dict[str, str] = field(default_factory=dict)
    failed: bool = False
    degraded: bool = False

    @property
    def status(self) -> str:
        return "unavailable" if self.failed else "degraded" if self.degraded else "ok"

    def as_json(self) -> dict[str, object]:
        return {"status": self.status, "checks": self.checks}


@cache
def _migration_heads() -> frozenset[str]:
    from alembic.script import ScriptDirectory  # not at import: see core/migrations.py

    return frozenset(ScriptDirectory(str(migrations.MIGRATIONS)).get_heads())


def _database(app: Flask, result: Readiness) -> bool:
    try:
        with app.extensions["database"].engine.connect() as connection:
            connection.execute(text("SELECT 1"))
            current = frozenset(connection.scalars(text("SELECT version_num FROM alembic_version")))
    except Exception as error:  # noqa: BLE001 (any failure to reach it is the answer)
        result.checks["database"], result.failed = f"unreachable: {type(error).__name__}", True
        return False
    if current != _migration_heads():
        result.checks["database"], result.failed = "not at the migration head: run `transparency db upgrade`", True
        return True
    result.checks["database"] = "ok"
    return True


def _writable(folder: Path) -> bool:
    """By writing a file, not by mode bits, which say nothing for root or a read-only mount."""
    probe = folder / f".ready-{uuid.uuid4().hex}"
    try:
        folder.mkdir(parents=True, exist_ok=True)
        probe.write_bytes(b"")
        probe.unlink()
    except OSError:
        return False
    return True


def _search(app: Flask, result: Readiness, database_ok: bool) -> None:
    if app.config.get("SEARCH_BACKEND") == "postgres":
        if not database_ok:
            result.checks["search"], result.failed = "unreachable with the database", True
            return
        try:
            with app.extensions["database"].readers() as session:
                session.execute(select(SearchDocument.key).limit(1))
        except Exception as error:  # noqa: BLE001
            result.checks["search"], result.failed = f"unreachable: {type(error).__name__}", True
            return
        result.checks["search"] = "ok"
        return
    if _writable(backends.index_path(app)):
        result.checks["search"] = "ok"
    else:
        result.checks["search"], result.failed = "index folder not writable", True


def _outbox(app: Flask, result: Readiness) -> None:
    limit = int(app.config.get("READINESS_MAX_OUTBOX") or DEFAULT_MAX_OUTBOX)
    with app.extensions["database"].readers() as session:
        pending = session.scalar(select(func.count()).select_from(SearchOutbox)) or 0
    if pending >= limit:
        result.checks["outbox"], result.failed = f"{pending} pending index writes (limit {limit})", True
    else:
        result.checks["outbox"] = f"ok ({pending} pending)"


def _rate_limits(result: Readiness) -> None:
    state = limit_storage_state()
    if state == "fallback":
        result.checks["rate_limits"], result.degraded = "Redis unreachable: counted per process", True
    else:
        result.checks["rate_limits"] = "ok" if state == "ok" else "per process (no Redis configured)"


def readiness(app: Flask) -> Readiness:
    result = Readiness()
    database_ok = _database(app, result)
    _search(app, result, database_ok)
    if database_ok:
        _outbox(app, result)
    _rate_limits(result)
    return result

"""The app's search backend and analyzer, made once per application from its configuration.

Both the query side (`service`) and the indexer use them; neither imports the other.
"""

from __future__ import annotations

import os
from pathlib import Path

from flask import Flask

from transparency.search.analysis import Analyzer, Synonyms
from transparency.search.base import SearchBackend


class UnknownBackend(RuntimeError):
    pass


def analyzer(app: Flask) -> Analyzer:
    if "search_analyzer" not in app.extensions:
        synonyms = Synonyms.load(app.config.get("SEARCH_SYNONYMS_PATH"), app.config.get("SEARCH_ABBREVIATIONS_PATH"))
        app.extensions["search_analyzer"] = Analyzer(synonyms)
    return app.extensions["search_analyzer"]


def index_path(app: Flask) -> Path:
    return Path(app.config.get("SEARCH_INDEX_PATH") or Path(app.instance_path) / "search-index")


def backend(app: Flask) -> SearchBackend:
    """The configured backend, made once per application (and so once per server process)."""
    chosen = app.config["SEARCH_BACKEND"]
    cached = app.extensions.get("search_backend")
    if cached is not None and cached[0] == (chosen, str(index_path(app))):
        return cached[1]
    if chosen == "whoosh":
        from transparency.search.whoosh_backend import WhooshBackend

        instance: SearchBackend = WhooshBackend(analyzer(app), index_path(app), app.config["SEARCH_WRITER_TIMEOUT"])
    elif chosen == "postgres":
        from transparency.search.postgres_backend import PostgresBackend

        engine = app.extensions["database"].engine
        if engine.dialect.name != "postgresql":
            raise UnknownBackend("SEARCH_BACKEND=postgres 需要 PostgreSQL 数据库")
        instance = PostgresBackend(analyzer(app), engine)
    else:
        raise UnknownBackend(f"未知的 SEARCH_BACKEND：{chosen}（可选 whoosh 或 postgres）")
    app.extensions["search_backend"] = ((chosen, str(index_path(app))), instance)
    return instance


def rebuild_processes(documents: int) -> int:
    """Analyse in forked workers only when there is enough to be worth the fork."""
    return min(os.cpu_count() or 1, 4) if documents >= 2000 else 1

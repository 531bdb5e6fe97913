"""With several worker processes and no Redis, the site says at start-up that its rate limits
are counted per process (issue 12, point 6)."""

from __future__ import annotations

import logging

from tests.conftest import running_app
from transparency.core.security import shared_limits_problem, worker_count


def test_worker_count_reads_gunicorn_then_web_concurrency_and_ignores_garbage():
    assert worker_count({"GUNICORN_WORKERS": "4", "WEB_CONCURRENCY": "2"}) == 4
    assert worker_count({"WEB_CONCURRENCY": "3"}) == 3
    assert worker_count({"WEB_CONCURRENCY": "²"}) == 1
    assert worker_count({}) == 1


def test_only_several_workers_without_shared_storage_is_a_problem():
    assert "redis" in shared_limits_problem({"RATELIMIT_STORAGE_URI": "memory://"}, {"WEB_CONCURRENCY": "4"})
    assert shared_limits_problem({"RATELIMIT_STORAGE_URI": "memory://"}, {"WEB_CONCURRENCY": "1"}) is None
    assert (
        shared_limits_problem({"RATELIMIT_STORAGE_URI": "redis://127.0.0.1:6379/0"}, {"WEB_CONCURRENCY": "4"}) is None
    )


def test_the_app_logs_a_warning_at_start_up(database_url, tmp_path, monkeypatch, caplog):
    monkeypatch.setenv("GUNICORN_WORKERS", "4")
    with caplog.at_level(logging.WARNING), running_app(database_url, tmp_path):
        pass
    assert any("RATELIMIT_STORAGE_URI" in record.getMessage() for record in caplog.records)


def test_the_readme_production_example_uses_redis():
    from pathlib import Path

    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text()
    example = readme[readme.index("transparency db upgrade") :]
    example = example[: example.index("```")]
    assert "RATELIMIT_STORAGE_URI=redis://" in example and "gunicorn" in example

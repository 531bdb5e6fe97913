"""Rate limits count what they say: per application, and over a moving window."""

from __future__ import annotations

from types import SimpleNamespace

import limits.storage.memory

from tests.conftest import running_app

# Any limited public route will do: the limit is counted before the view answers 404.
LIMITED = "/d/999999/v/1/print.pdf"


def _statuses(app, count: int) -> list[int]:
    client = app.test_client()
    return [client.get(LIMITED).status_code for _ in range(count)]


def test_an_application_with_limits_off_does_not_turn_them_off_for_the_next(database_url, tmp_path):
    with running_app(database_url, tmp_path / "off", RATELIMIT_ENABLED=False, PRINT_RATE_LIMIT="1 per minute") as app:
        assert _statuses(app, 2) == [404, 404]
    with running_app(database_url, tmp_path / "on", PRINT_RATE_LIMIT="1 per minute") as app:
        assert _statuses(app, 2) == [404, 429]


def test_the_window_moves_so_a_boundary_lets_no_extra_request_through(database_url, tmp_path, monkeypatch):
    now = [1_000_000.0]
    monkeypatch.setattr(limits.storage.memory, "time", SimpleNamespace(time=lambda: now[0]))
    with running_app(database_url, tmp_path, PRINT_RATE_LIMIT="2 per minute") as app:
        client = app.test_client()
        statuses = []
        for offset in (0.0, 59.0, 60.5, 61.0):  # a fixed window restarts at 60 and lets all four in
            now[0] = 1_000_000.0 + offset
            statuses.append(client.get(LIMITED).status_code)
    assert statuses == [404, 404, 404, 429]

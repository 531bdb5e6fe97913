"""An index written by an older release answers 503 with a message, never a 500."""

from __future__ import annotations

import pytest

from transparency.search import service
from transparency.search.whoosh_backend import OutdatedIndex


@pytest.fixture
def outdated(monkeypatch):
    def refuse(*args, **kwargs):
        raise OutdatedIndex("搜索索引是旧版本，请运行 transparency search rebuild")

    monkeypatch.setattr(service, "search", refuse)


def test_the_search_page_says_to_come_back(client, outdated):
    response = client.get("/search?q=低保")
    assert response.status_code == 503
    assert "搜索索引正在更新" in response.get_data(as_text=True)


def test_the_api_answers_in_json(client, outdated):
    response = client.get("/api/v1/search?q=低保")
    assert response.status_code == 503 and response.get_json()["status"] == 503

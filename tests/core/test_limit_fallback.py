"""A stopped Redis does not stop villagers (issue 14, point 4): rate limits fall back to the
process's memory, with a warning in the log, and filing and tracking keep working."""

from __future__ import annotations

import logging
import socket

import pytest

from tests.complaints.helpers import file_matter, track
from tests.conftest import Browser, running_app

VILLAGE_A = "511399101201"


def closed_port() -> int:
    """A local TCP port nobody listens on (bound, then released)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def stopped_redis() -> str:
    return f"redis://127.0.0.1:{closed_port()}/5"


@pytest.fixture
def app_without_redis(database_url, tmp_path, world):
    config = {"RATELIMIT_STORAGE_URI": stopped_redis(), "PROPAGATE_EXCEPTIONS": False, "COMPLAINT_RATE_LIMIT": "3/hour"}
    with running_app(database_url, tmp_path, **config) as application:
        yield application


def test_filing_and_tracking_work_while_redis_is_stopped(app_without_redis, caplog):
    browser = Browser(app_without_redis.test_client())
    with caplog.at_level(logging.WARNING):
        receipt = file_matter(browser, VILLAGE_A)
    response = track(browser, receipt.number, receipt.code)
    assert response.status_code == 200 and receipt.number in response.get_data(as_text=True)
    assert any("falling back to in-memory" in record.getMessage() for record in caplog.records)


def test_the_filing_limit_still_holds_in_memory(app_without_redis):
    browser = Browser(app_without_redis.test_client())
    for _ in range(3):
        file_matter(browser, VILLAGE_A)
    with pytest.raises(AssertionError, match="操作太频繁"):
        file_matter(browser, VILLAGE_A)

"""Two app servers as if on two machines (issue 14, point 7): separate processes and instance
folders, one PostgreSQL database, one Redis, the PostgreSQL search backend.

Shown through real HTTP: a disclosure published through one is found, printed and in the feed
through the other; a matter filed through one is tracked and answered through the other; the
filing limit is one count across both; `audit verify` passes after concurrent work through both.

Runs when the suite runs on PostgreSQL (TEST_DATABASE_URL) and Redis answers at TEST_REDIS_URL
(default redis://127.0.0.1:6379/5, a database of its own that the test empties); skips otherwise.
"""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import pytest
import requests

from tests.complaints.helpers import matter_form
from tests.conftest import PASSWORD
from tests.databases import PG_URL
from tests.disclosures.samples import LEDGER_FORM

PROJECT = Path(__file__).resolve().parents[2]
REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/5")
FILING_LIMIT = 8  # per client per hour, counted in Redis: both servers see the same client
START_SECONDS = 90
VILLAGE_A = "511399101201"
_TOKEN = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"|name="csrf_token" value="([^"]+)"')
_FORM_TOKEN = re.compile(r'name="form_token" type="hidden" value="([^"]*)"|name="form_token" value="([^"]*)"')
_NUMBER = re.compile(r'data-testid="tracking-number">([^<]+)<')
_CODE = re.compile(r'data-testid="tracking-code">([^<]+)<')


def _redis_answers() -> bool:
    try:
        import redis

        return bool(redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1).ping())
    except Exception:
        return False


pytestmark = [
    pytest.mark.skipif(not PG_URL, reason="needs PostgreSQL (TEST_DATABASE_URL)"),
    pytest.mark.skipif(not _redis_answers(), reason=f"needs Redis at {REDIS_URL}"),
]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class Server:
    name: str
    url: str
    process: subprocess.Popen
    log: Path

    def browser(self) -> Browser:
        return Browser(self.url)


class Browser:
    """One visitor's cookies on one server, sending forms with their CSRF token."""

    def __init__(self, url: str) -> None:
        self.url, self.http = url, requests.Session()

    def get(self, path: str, **kwargs) -> requests.Response:
        return self.http.get(self.url + path, timeout=60, allow_redirects=False, **kwargs)

    def token(self, page: str) -> tuple[str, str | None]:
        html = self.get(page).text
        csrf, form = _TOKEN.search(html), _FORM_TOKEN.search(html)
        assert csrf, f"no CSRF token on {page}: {html[:300]}"
        return csrf.group(1) or csrf.group(2), (form.group(1) or form.group(2)) if form else None

    def post(self, path: str, data: dict, page: str | None = None) -> requests.Response:
        csrf, form_token = self.token(page or path)
        data = {"csrf_token": csrf, **data}
        if form_token is not None:
            data.setdefault("form_token", form_token)
        return self.http.post(self.url + path, data=data, timeout=60, allow_redirects=False)

    def login(self, username: str) -> None:
        response = self.post("/login", {"username": username, "password": PASSWORD})
        assert response.status_code == 302, response.text[:500]


def _start(name: str, database_url: str, workdir: Path) -> Server:
    port = _free_port()
    instance = workdir / f"instance-{name}"
    log = workdir / f"{name}.log"
    env = {
        **os.environ,
        "PYTHONPATH": str(PROJECT),
        "TRANSPARENCY_ENV": "production",
        "SECRET_KEY": "one-secret-for-both-machines-" + "x" * 32,
        "DATABASE_URL": database_url,
        "TRANSPARENCY_INSTANCE_PATH": str(instance),
        "RATELIMIT_STORAGE_URI": REDIS_URL,
        "SEARCH_BACKEND": "postgres",
        "COMPLAINT_RATE_LIMIT": f"{FILING_LIMIT} per hour",
        "TRACK_RATE_LIMIT": "1000 per hour",
        "WEB_CONCURRENCY": "2",
    }
    env.pop("PROMETHEUS_MULTIPROC_DIR", None)  # gunicorn.conf.py makes one per server
    command = [sys.executable, "-m", "gunicorn", "-c", "gunicorn.conf.py", "--bind", f"127.0.0.1:{port}", "wsgi:app"]
    with log.open("wb") as output:
        process = subprocess.Popen(command, cwd=PROJECT, env=env, stdout=output, stderr=subprocess.STDOUT)
    server = Server(name, f"http://127.0.0.1:{port}", process, log)
    deadline = time.monotonic() + START_SECONDS
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"server {name} exited: {log.read_text()[-2000:]}")
        try:
            if requests.get(server.url + "/healthz", timeout=2).status_code == 200:
                return server
        except (requests.ConnectionError, requests.Timeout):
            pass  # not listening yet, or listening while its workers are still loading the word lists
        time.sleep(0.5)
    process.kill()
    pytest.fail(f"server {name} did not answer within {START_SECONDS} s: {log.read_text()[-2000:]}")


@pytest.fixture
def servers(world, database_url, tmp_path) -> Iterator[tuple[Server, Server]]:
    import redis

    redis.Redis.from_url(REDIS_URL).flushdb()  # the test's own Redis database: no counts of an earlier run
    started: list[Server] = []
    try:
        for name in ("a", "b"):
            started.append(_start(name, database_url, tmp_path))
        yield started[0], started[1]
    finally:
        for server in started:
            server.process.terminate()
        for server in started:
            try:
                server.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                server.process.kill()
                server.process.wait()


def _publish(server: Server, title: str) -> int:
    clerk = server.browser()
    clerk.login("clerk-a")
    response = clerk.post("/manage/new/finance", {**LEDGER_FORM, "title": title})
    assert response.status_code == 302, response.text[:500]
    version_id = int(re.search(r"/manage/versions/(\d+)", response.headers["Location"]).group(1))
    assert clerk.post(f"/manage/versions/{version_id}/submit", {}, f"/manage/versions/{version_id}").status_code == 302
    reviewer = server.browser()
    reviewer.login("reviewer-a")
    approve = {"signed_name": "李德华", "note": "同意"}
    response = reviewer.post(f"/manage/versions/{version_id}/approve", approve, f"/manage/versions/{version_id}")
    assert response.status_code == 302, response.text[:500]
    return version_id


def _file(server: Server, title: str) -> requests.Response:
    return server.browser().post("/complaints/new", matter_form(VILLAGE_A, title=title))


def _receipt(response: requests.Response) -> tuple[str, str]:
    assert response.status_code == 200, response.text[:500]
    return _NUMBER.search(response.text).group(1).strip(), _CODE.search(response.text).group(1).strip()


def _filed_count(server: Server) -> float:
    from prometheus_client.parser import text_string_to_metric_families

    text = requests.get(server.url + "/metrics", timeout=30).text
    return sum(
        sample.value
        for family in text_string_to_metric_families(text)
        for sample in family.samples
        if sample.name == "transparency_matters_filed_total"
    )


def test_two_servers_share_one_database_one_index_and_one_limit(servers, app):
    a, b = servers
    for server in servers:
        ready = requests.get(server.url + "/readyz", timeout=30)
        assert ready.status_code == 200 and ready.json()["status"] == "ok", ready.text

    # Published through A: found, printed and in the feed through B.
    title = "2025年第1季度财务收支明细（石桥村）"
    _publish(a, title)
    found = b.browser().get("/search", params={"q": "财务收支"})
    link = re.search(r'href="/d/(\d+)"', found.text)
    assert found.status_code == 200 and link, found.text[:1000]
    disclosure_id = int(link.group(1))
    printed = b.browser().get(f"/d/{disclosure_id}/v/1/print.pdf")
    assert printed.status_code == 200 and printed.content.startswith(b"%PDF")
    feed = b.browser().get(f"/v/{VILLAGE_A}/feed.atom")
    assert feed.status_code == 200 and f"/d/{disclosure_id}" in feed.text

    # Filed through A: tracked and answered through B, the answer read back through A.
    number, code = _receipt(_file(a, "村道路灯坏了三个月"))
    tracked = b.browser().post("/track", {"number": number, "code": code})
    assert tracked.status_code == 200 and number in tracked.text
    matter_id = int(number.split("-")[1])
    clerk = b.browser()
    clerk.login("clerk-a")
    page = f"/manage/complaints/{matter_id}"
    assert clerk.post(f"{page}/accept", {}, page).status_code == 302
    assert clerk.post(f"{page}/reply", {"text": "路灯已修好，谢谢反映。"}, page).status_code == 302
    assert "路灯已修好" in a.browser().post("/track", {"number": number, "code": code}).text

    # Concurrent filings through both: one limit across the two, counted in Redis.
    with ThreadPoolExecutor(max_workers=6) as pool:
        responses = list(pool.map(lambda i: _file((a, b)[i % 2], f"并发反映 {i}"), range(FILING_LIMIT + 3)))
    statuses = sorted(response.status_code for response in responses)
    # One filing was spent above: FILING_LIMIT - 1 more are accepted, whichever server they reach.
    assert statuses.count(200) == FILING_LIMIT - 1, statuses
    assert statuses.count(429) == 4, statuses
    assert _file(a, "再来一次").status_code == 429 and _file(b, "再来一次").status_code == 429

    # Each server's metrics add up its two workers (prometheus_client's multiprocess mode): together
    # they count every filing that was accepted, whichever worker of whichever server took it.
    filed = sum(_filed_count(server) for server in servers)
    assert filed == FILING_LIMIT, filed

    # The log both servers appended to verifies from end to end.
    result = app.test_cli_runner().invoke(args=["audit", "verify"])
    assert result.exit_code == 0, result.output
    for server in servers:
        log = server.log.read_text()
        assert "Traceback" not in log, log[-3000:]

"""Filing takes the writer lock at its first write, not its first read (issue 16, target 3).

The reads before it (the replay check, the village and its township) run in a deferred
transaction; `db.begin_writing()` then begins the write transaction, and every read that decides
a write (the numbering series, the audit chain's head) comes after it. The tests step into the
filing request at its reads, through a statement hook, and act from another connection there:
- SQLite: another connection takes the writer lock (BEGIN IMMEDIATE, timeout 0) at each read
  before the first write, and cannot at the first write, which shows the probe sees the lock;
- another villager files a whole matter in between, or the same form is sent again in between:
  no number is taken twice, the audit chain stays whole, the second copy of a form gets the
  first one's receipt.
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from sqlalchemy import event, select

from tests.complaints.helpers import RECEIPT, file_matter, form_token, matter_form
from tests.conftest import Browser
from tests.databases import PG_URL
from transparency.audit.chain import verify_chain
from transparency.complaints.models import Matter, MatterEvent
from transparency.core.db import db

UNLIMITED = {"COMPLAINT_RATE_LIMIT": "100000 per second"}
JOIN_SECONDS = 120


@contextmanager
def on_statements(app: Any, hook: Callable[[str], None]) -> Iterator[None]:
    """`hook(statement)` before each statement the current thread sends, while the block runs."""
    thread = threading.get_ident()

    def before(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        if threading.get_ident() == thread:
            hook(statement)

    with app.app_context():
        engine = db.engine
    event.listen(engine, "before_cursor_execute", before)
    try:
        yield
    finally:
        event.remove(engine, "before_cursor_execute", before)


def post_form(browser: Browser, data: dict[str, Any]) -> tuple[int, str]:
    response = browser.client.post("/complaints/new", data=data, content_type="multipart/form-data")
    return response.status_code, response.get_data(as_text=True)


def opened_form(app: Any, village: str, title: str) -> tuple[Browser, dict[str, Any]]:
    browser = Browser(app.test_client())
    csrf, token = form_token(browser)
    return browser, {**matter_form(village, title=title), "csrf_token": csrf, "form_token": token}


def in_another_thread(work: Callable[[], Any]) -> Any:
    """Run `work` on a thread of its own and wait for it: it must finish, not wait on our lock."""
    outcome: dict[str, Any] = {}
    thread = threading.Thread(target=lambda: outcome.setdefault("value", work()))
    thread.start()
    thread.join(JOIN_SECONDS)
    assert not thread.is_alive(), "the other filing waited on the first one's lock"
    return outcome["value"]


def assert_chain_whole(app: Any) -> None:
    with app.app_context():
        verdict = verify_chain(db.engine)
        assert verdict.ok, verdict.problem
        seqs = [(e.matter_id, e.seq) for e in db.session.scalars(select(MatterEvent))]
        assert len(seqs) == len(set(seqs))


@pytest.mark.skipif(bool(PG_URL), reason="SQLite's writer lock (BEGIN IMMEDIATE)")
def test_reads_before_the_first_write_leave_the_writer_lock_free(world, database_url, tmp_path):
    from tests.conftest import running_app

    path = database_url.removeprefix("sqlite:///")
    probes: list[tuple[str, bool]] = []  # (phase, could another connection take the writer lock)

    def lock_is_free() -> bool:
        other = sqlite3.connect(path, timeout=0, isolation_level=None)
        try:
            other.execute("BEGIN IMMEDIATE")  # what any writer must take first
            other.execute("ROLLBACK")
            return True
        except sqlite3.OperationalError:  # database is locked
            return False
        finally:
            other.close()

    def probe(statement: str) -> None:
        wrote = any(phase == "first write" for phase, _ in probes)
        if statement.startswith("INSERT INTO matter ") and not wrote:
            probes.append(("first write", lock_is_free()))
        elif statement.startswith("SELECT") and not wrote:
            probes.append(("read", lock_is_free()))

    with running_app(database_url, tmp_path, **UNLIMITED) as app:
        browser, data = opened_form(app, world.village_a.code, "路灯坏了")
        with on_statements(app, probe):
            status, html = post_form(browser, data)
    assert status == 200 and RECEIPT.search(html), html[:500]
    reads = [free for phase, free in probes if phase == "read"]
    assert len(reads) >= 2  # the replay check, the village with its township (the picker reads no session)
    assert all(reads), probes
    assert probes[-1] == ("first write", False), probes  # the probe does see a held lock


def test_a_filing_completed_during_the_reads_takes_its_own_number(world, database_url, tmp_path):
    from tests.conftest import running_app

    with running_app(database_url, tmp_path, **UNLIMITED) as app:
        first, first_data = opened_form(app, world.village_a.code, "第一件")
        second, second_data = opened_form(app, world.village_b.code, "第二件")
        meanwhile: list[tuple[int, str]] = []

        def other_files(statement: str) -> None:
            if "matter.form_token =" in statement and not meanwhile:  # the replay check, before the lock
                meanwhile.append(in_another_thread(lambda: post_form(second, second_data)))

        with on_statements(app, other_files):
            status, html = post_form(first, first_data)
        assert meanwhile, "the other filing never ran in between"
        (other_status, other_html) = meanwhile[0]
        numbers = [RECEIPT.search(page) for page in (html, other_html)]
        assert status == other_status == 200 and all(numbers), (html[:500], other_html[:500])
        assert numbers[0].group(1) != numbers[1].group(1)
        with app.app_context():
            stored = {m.number: m.title for m in db.session.scalars(select(Matter))}
        assert stored == {numbers[0].group(1).strip(): "第一件", numbers[1].group(1).strip(): "第二件"}
        assert_chain_whole(app)
        # And the next filing, with nobody in between, numbers on from both.
        assert file_matter(Browser(app.test_client()), world.village_a.code).number not in stored


def test_the_same_form_sent_again_during_the_reads_files_once(world, database_url, tmp_path):
    from tests.conftest import running_app

    with running_app(database_url, tmp_path, **UNLIMITED) as app:
        browser, data = opened_form(app, world.village_a.code, "只交一次")
        meanwhile: list[tuple[int, str]] = []

        def sent_again(statement: str) -> None:
            if "matter.form_token =" in statement and not meanwhile:
                meanwhile.append(in_another_thread(lambda: post_form(browser, data)))

        with on_statements(app, sent_again):
            status, html = post_form(browser, data)
        assert meanwhile, "the second copy never ran in between"
        receipts = [RECEIPT.search(page) for page in (html, meanwhile[0][1])]
        assert status == meanwhile[0][0] == 200 and all(receipts), (html[:500], meanwhile[0][1][:500])
        assert receipts[0].groups() == receipts[1].groups()  # the first copy's receipt, shown again
        with app.app_context():
            assert [m.title for m in db.session.scalars(select(Matter))] == ["只交一次"]
        assert_chain_whole(app)

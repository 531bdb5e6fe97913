"""A matter is durable before its receipt is shown: 32 villagers filing at once, from 4 processes.

Rule of the issue: "Under 32 concurrent submissions every number is unique and none is lost."
Each of 4 OS processes (spawned, so nothing is shared but the database) builds its own app and
opens the filing form in 8 test clients; a barrier across all 32 threads releases the POSTs
together, through the real view, CSRF included. The parent then reads the database back.

Each thread also reads its number back on a connection of its own as soon as the receipt is in
hand: "durable before the receipt is shown", stated literally.

Each of these breakages, tried on a scratch copy of the source, makes this test fail:
- committing after the response went out (a timer instead of after_request): receipts whose
  matter another connection cannot see yet;
- a deferred BEGIN for writes on SQLite: "database is locked" on the INSERT, a 500 for a villager;
- no advisory lock around the audit append on PostgreSQL: two entries take the same seq, and the
  primary key refuses one of the filings;
- numbering by counting matters instead of from the inserted id: duplicate numbers refused by the
  unique constraint on PostgreSQL (SQLite's single writer happens to hide this one).
"""

from __future__ import annotations

import json
import multiprocessing
import re
import threading
import traceback
from collections import Counter
from pathlib import Path
from typing import Any

from flask import Flask
from sqlalchemy import func, select

from tests.complaints.helpers import form_token, matter_form
from tests.conftest import Browser, running_app
from transparency.audit.models import AuditEntry
from transparency.audit.services import GENESIS_HASH, entry_hash
from transparency.complaints import codes
from transparency.complaints.models import EventKind, Matter, MatterEvent
from transparency.core.db import db

PROCESSES = 4
THREADS = 8
SUBMISSIONS = PROCESSES * THREADS
KINDS = ("suggestion", "question", "complaint", "report")
UNLIMITED = {"COMPLAINT_RATE_LIMIT": "100000 per second", "TRACK_RATE_LIMIT": "100000 per second"}
# Long enough for a loaded 2-core machine; a broken barrier or a hung child fails, never hangs.
WAIT_SECONDS = 60

_NUMBER = re.compile(r'data-testid="tracking-number">([^<]+)<')
_CODE = re.compile(r'data-testid="tracking-code">([^<]+)<')


def _title(process: int, thread: int) -> str:
    return f"并发提交 {process}-{thread}"


def _visible_elsewhere(app: Flask, number: str) -> bool:
    """Whether another connection sees the matter now, while the villager is reading the receipt."""
    with app.app_context(), db.engine.connect() as connection:
        return connection.scalar(select(Matter.id).where(Matter.number == number)) is not None


def file_together(
    database_url: str, workdir: str, village: str, process: int, barrier: Any, results: Any
) -> None:  # pragma: no cover - runs in a spawned process
    """One process: its own app, THREADS open forms, then THREADS POSTs released by `barrier`."""
    outcomes: list[dict[str, Any]] = []
    try:
        with running_app(database_url, Path(workdir) / f"process-{process}", **UNLIMITED) as app:
            clients = []
            for thread in range(THREADS):
                browser = Browser(app.test_client())
                csrf, token = form_token(browser)
                data = matter_form(village, kind=KINDS[thread % len(KINDS)], title=_title(process, thread))
                clients.append((browser, {**data, "csrf_token": csrf, "form_token": token}))

            def submit(thread: int) -> None:
                browser, data = clients[thread]
                outcome: dict[str, Any] = {"title": data["title"]}
                try:
                    barrier.wait()
                    response = browser.client.post("/complaints/new", data=data, content_type="multipart/form-data")
                    html = response.get_data(as_text=True)
                    number, code = _NUMBER.search(html), _CODE.search(html)
                    outcome["status"] = response.status_code
                    if response.status_code == 200 and number and code:
                        outcome["number"], outcome["code"] = number.group(1).strip(), code.group(1).strip()
                        outcome["visible"] = _visible_elsewhere(app, outcome["number"])
                    else:
                        outcome["error"] = html[:500]
                except BaseException:
                    outcome["error"] = traceback.format_exc()
                outcomes.append(outcome)

            threads = [threading.Thread(target=submit, args=(t,)) for t in range(THREADS)]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join()
    except BaseException:
        barrier.abort()  # the other processes stop waiting for threads that will never come
        outcomes.append({"error": traceback.format_exc()})
    results.put(json.dumps(outcomes))


def test_32_concurrent_filings_from_4_processes_all_get_a_unique_durable_number(app, world, database_url, tmp_path):
    spawn = multiprocessing.get_context("spawn")
    barrier = spawn.Barrier(SUBMISSIONS, timeout=WAIT_SECONDS)
    results = spawn.Queue()
    village = world.village_a.code
    processes = [
        spawn.Process(target=file_together, args=(database_url, str(tmp_path), village, p, barrier, results))
        for p in range(PROCESSES)
    ]
    for process in processes:
        process.start()
    try:
        outcomes = [o for _ in processes for o in json.loads(results.get(timeout=2 * WAIT_SECONDS))]
    finally:
        for process in processes:
            process.join(timeout=WAIT_SECONDS)
            if process.is_alive():  # pragma: no cover - only after a failure above
                process.kill()
                process.join()

    failures = [o for o in outcomes if "number" not in o]
    assert failures == [], failures[:3]
    assert [o for o in outcomes if not o["visible"]] == []  # durable before the receipt was read
    receipts = {o["number"]: o for o in outcomes}
    assert len(outcomes) == SUBMISSIONS
    assert len(receipts) == SUBMISSIONS, Counter(o["number"] for o in outcomes).most_common(3)

    with app.app_context():
        matters = {m.number: m for m in db.session.scalars(select(Matter))}
        assert sorted(matters) == sorted(receipts)  # none lost, none extra
        for number, receipt in receipts.items():
            matter = matters[number]
            assert matter.title == receipt["title"]  # the receipt names the villager's own matter
            assert codes.matches(matter.code_digest, number, codes.normalise_code(receipt["code"]))

        events = db.session.execute(
            select(MatterEvent.matter_id, MatterEvent.seq, MatterEvent.kind).order_by(MatterEvent.matter_id)
        ).all()
        assert sorted(e.matter_id for e in events) == sorted(m.id for m in matters.values())
        assert {(e.seq, e.kind) for e in events} == {(1, EventKind.REGISTERED)}

        entries = db.session.scalars(select(AuditEntry).order_by(AuditEntry.seq)).all()
        assert [e.seq for e in entries] == list(range(1, len(entries) + 1))
        previous = GENESIS_HASH
        for entry in entries:
            assert entry.prev_hash == previous and entry.hash == entry_hash(entry), entry.seq
            previous = entry.hash
        registered = [json.loads(e.payload)["number"] for e in entries if e.action == "complaint.registered"]
        assert sorted(registered) == sorted(receipts)
        assert db.session.scalar(select(func.count()).select_from(Matter)) == SUBMISSIONS

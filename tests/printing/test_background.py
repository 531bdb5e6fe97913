"""Publication queues its A4 and A3 prints; the background renderer lays them out, one at a time
per machine, and the print view answers from the copy it kept (issue 16, target 6)."""

from __future__ import annotations

import datetime as dt
import os
import time
from dataclasses import replace
from functools import partial

import pytest
from sqlalchemy import select

from tests.conftest import running_app
from tests.disclosures.helpers import draft_ledger, publish_ledger
from transparency.core.db import clock_at, db, utcnow
from transparency.core.limits import Limits, run_bounded
from transparency.disclosures import services
from transparency.printing import background
from transparency.printing.models import PendingRender
from transparency.printing.worker import PrintFailed

pytestmark = pytest.mark.pdf_tools


def _rows(app) -> list[PendingRender]:
    with app.extensions["database"].readers() as session:
        return list(session.scalars(select(PendingRender).order_by(PendingRender.size)))


def _url(version, size: str = "a4") -> str:
    return f"/d/{version.disclosure_id}/v/{version.number}/print.pdf?size={size}"


def test_a_publication_queues_its_a4_and_a3_prints_in_its_own_transaction(app, world):
    with app.app_context():
        version = publish_ledger(world)
        version_id = version.id
    rows = _rows(app)
    assert [(row.version_id, row.size, row.attempts) for row in rows] == [(version_id, "a3", 0), (version_id, "a4", 0)]


def test_a_publication_rolled_back_queues_nothing(app, world):
    with app.app_context():
        version = draft_ledger(world)
        services.submit(db.session, actor=world.accounts["clerk_a"], version=version)
        db.session.commit()
        services.approve(
            db.session,
            actor=world.accounts["reviewer_a"],
            version=version,
            signed_name=world.accounts["reviewer_a"].display_name,
        )
        db.session.flush()
        assert len([row for row in db.session.scalars(select(PendingRender))]) == 2
        db.session.rollback()
    assert _rows(app) == []


def test_the_renderer_drains_the_table_and_the_view_serves_the_kept_copy(app, world, client, view_renders, read_pdf):
    with app.app_context():
        version = publish_ledger(world)
    outcome = background.drain(app)
    assert (outcome.rendered, outcome.failed, outcome.busy) == (2, 0, False)
    assert _rows(app) == []
    a4, a3 = client.get(_url(version)), client.get(_url(version, "a3"))
    assert a4.status_code == a3.status_code == 200
    assert view_renders == []  # neither was laid out while the visitor waited
    assert a4.data != a3.data
    assert "上级拨付村级组织运转经费" in read_pdf(a4.data).text()
    # The kept copy is exactly what the view would have made: with it gone, the view's own
    # layout is the same page (PDFs differ only in their creation date).
    app.config["PRINT_CACHE_DIR"] = str(app.instance_path) + "/elsewhere"
    fresh = client.get(_url(version))
    assert len(view_renders) == 1
    assert read_pdf(fresh.data).text() == read_pdf(a4.data).text()


def test_a_correction_makes_the_older_print_anew_with_its_warning(app, world, client, view_renders, read_pdf):
    with app.app_context():
        first = publish_ledger(world)
    background.drain(app)
    with app.app_context():
        correction = services.start_correction(
            db.session,
            actor=world.accounts["clerk_a"],
            disclosure=db.session.get(type(first), first.id).disclosure,
            reason="补录一笔支出",
        )
        services.submit(db.session, actor=world.accounts["clerk_a"], version=correction)
        services.approve(
            db.session,
            actor=world.accounts["reviewer_a"],
            version=correction,
            signed_name=world.accounts["reviewer_a"].display_name,
        )
        db.session.commit()
        corrected_id = correction.id
    assert {row.version_id for row in _rows(app)} == {corrected_id}
    old = client.get(_url(first))
    assert len(view_renders) == 1  # the copy kept before the correction is not the sheet any more
    assert "已被第 2 版更正" in read_pdf(old.data).text().replace("\n", "")


def test_queued_rows_survive_a_new_app_instance(app, world, database_url, tmp_path):
    with app.app_context():
        version = publish_ledger(world)
        version_id = version.id
    with running_app(database_url, tmp_path / "restarted") as restarted:
        assert {(row.version_id, row.size) for row in _rows(restarted)} == {(version_id, "a4"), (version_id, "a3")}
        assert background.drain(restarted).rendered == 2
        assert _rows(restarted) == []


def test_the_machine_lock_lets_one_renderer_work_at_a_time(app, world):
    with app.app_context():
        publish_ledger(world)
    with background.machine_lock(app) as mine:
        assert mine
        with background.machine_lock(app) as second:
            assert not second  # another thread or process of the machine does not get it
        outcome = background.drain(app)
        assert outcome.busy and outcome.rendered == 0
        assert len(_rows(app)) == 2  # untouched: the holder renders them
    assert background.drain(app).rendered == 2


def test_a_failing_render_keeps_its_row_and_is_retried_later(app, world, monkeypatch, caplog):
    with app.app_context():
        publish_ledger(world)

    def broken(html, **kwargs):
        raise PrintFailed("the child process ended without an answer")

    monkeypatch.setattr(background, "render_pdf", broken)
    outcome = background.drain(app)
    assert (outcome.rendered, outcome.failed) == (0, 2)
    rows = _rows(app)
    assert [row.attempts for row in rows] == [1, 1]
    assert all("PrintFailed" in row.last_error for row in rows)
    assert all(row.next_attempt_at > utcnow() for row in rows)
    assert "background print of version" in caplog.text
    assert background.drain(app).failed == 0  # not due yet: no second try at once
    with clock_at(utcnow() + dt.timedelta(minutes=2)):
        assert background.drain(app).failed == 2
    assert [row.attempts for row in _rows(app)] == [2, 2]  # the delay doubles
    monkeypatch.undo()
    with clock_at(utcnow() + dt.timedelta(minutes=10)):
        assert background.drain(app).rendered == 2
    assert _rows(app) == []


def test_the_web_process_starts_its_renderer_and_it_drains_the_table(app, world, client, monkeypatch):
    app.config["PRINT_BACKGROUND"] = True
    made = []

    class Laid:
        pdf, pages, peak_bytes = b"%PDF-1.7 kept", 1, 0

    def quick(html, **kwargs):  # the layout itself is tested above; here, who starts it and when
        made.append((kwargs["concurrency"], kwargs["background"]))
        return Laid()

    monkeypatch.setattr(background, "render_pdf", quick)
    with app.app_context():
        version = publish_ledger(world)
    try:
        assert client.get("/").status_code == 200  # the first request starts this process's renderer
        deadline = time.monotonic() + 60
        while _rows(app) and time.monotonic() < deadline:
            time.sleep(0.1)
    finally:
        background.stop(app)
    assert _rows(app) == []
    assert made == [(1, True), (1, True)]  # one layout at a time, below the visitors' priority
    assert client.get(_url(version)).data == b"%PDF-1.7 kept"
    renderer = app.extensions["print_renderer"]
    assert not renderer.thread.is_alive()  # a stopped renderer is not started again by that request


def test_printing_work_drains_the_table_from_the_command_line(app, world, runner):
    with app.app_context():
        publish_ledger(world)
    result = runner.invoke(args=["printing", "work"])
    assert result.exit_code == 0, result.output
    assert "已生成 2 份" in result.output
    assert _rows(app) == []


def test_a_background_render_runs_below_the_visitors_cpu_priority():
    here = os.nice(0)
    limits = Limits(time_limit=30, memory_limit=512 * 2**20, concurrency=1, pool="test-nice", niceness=10)
    assert run_bounded(partial(os.nice, 0), limits=limits) == min(here + 10, 19)
    assert run_bounded(partial(os.nice, 0), limits=replace(limits, niceness=0)) == here


def test_a_print_too_long_to_make_leaves_the_table_with_a_line_in_the_log(app, world, caplog):
    app.config["PRINT_MAX_ROWS"] = 2
    with app.app_context():
        publish_ledger(world)  # three rows: the view answers 413 for it, there is nothing to keep
    with caplog.at_level("INFO", logger="transparency.printing.background"):
        outcome = background.drain(app)
    assert (outcome.rendered, outcome.failed, outcome.dropped) == (0, 0, 2)
    assert _rows(app) == []
    assert "is not kept" in caplog.text

"""The hourly escalation under concurrency, one matter per transaction, and closed matters.

Rules of issue 13 point 6: escalation locks each matter and commits per matter, so one failure
leaves the rest escalated; event numbers cannot collide when a handler acts during the run;
every action on a closed matter is refused with a message.
"""

from __future__ import annotations

import datetime as dt
import threading
import time
from collections import Counter

import pytest
from sqlalchemy import select

from tests.complaints.test_deadlines import at, register
from tests.databases import PG_URL
from transparency.accounts.models import Account
from transparency.complaints import services
from transparency.complaints.models import EventKind, Matter, MatterEvent, MatterStatus
from transparency.core.db import clock_at, db

NOVEMBER = dt.datetime(2026, 11, 1, 2, tzinfo=dt.UTC)  # every matter filed in September is overdue
MATTERS = 12


def _events(app) -> dict[int, list[tuple[int, EventKind]]]:
    """(seq, kind) of every event, by matter, in the order of their numbers."""
    with app.app_context():
        query = select(MatterEvent.matter_id, MatterEvent.seq, MatterEvent.kind)
        rows = db.session.execute(query.order_by(MatterEvent.matter_id, MatterEvent.seq)).all()
    by_matter: dict[int, list[tuple[int, EventKind]]] = {}
    for matter_id, seq, kind in rows:
        by_matter.setdefault(matter_id, []).append((seq, kind))
    return by_matter


@pytest.mark.skipif(not PG_URL, reason="row locks and concurrent writers: PostgreSQL (TEST_DATABASE_URL)")
def test_escalation_and_a_handler_acting_at_the_same_time_never_collide(app, world):
    with app.app_context():
        ids = [register(world, at("2026-09-01")) for _ in range(MATTERS)]
    inspector_id = world.accounts["inspector"].id
    barrier = threading.Barrier(2, timeout=30)
    errors: list[BaseException] = []
    outcome: dict[str, object] = {}

    def run_job() -> None:
        try:
            with clock_at(NOVEMBER):
                barrier.wait()
                outcome["job"] = app.test_cli_runner().invoke(args=["complaints", "escalate"])
        except BaseException as error:  # noqa: BLE001 (reported by the main thread)
            errors.append(error)

    def handle() -> None:
        """Accept every matter in one transaction, and let the job start while the locks are held."""
        try:
            with clock_at(NOVEMBER), app.app_context():
                actor = db.session.get(Account, inspector_id)
                for matter_id in ids:
                    services.accept(db.session, matter=services.lock(db.session, matter_id), actor=actor)
                barrier.wait()
                time.sleep(0.5)  # the job is running now, and meets these uncommitted steps
                db.session.commit()
        except BaseException as error:  # noqa: BLE001
            errors.append(error)

    threads = [threading.Thread(target=run_job), threading.Thread(target=handle)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert not errors, errors
    job = outcome["job"]
    assert job.exit_code == 0, job.output  # type: ignore[attr-defined]

    by_matter = _events(app)
    assert sorted(by_matter) == sorted(ids)
    for events in by_matter.values():
        assert [seq for seq, _ in events] == list(range(1, len(events) + 1))
        kinds = Counter(kind for _, kind in events)
        # Escalated once for the missed acceptance, by whichever came first; accepted once.
        assert kinds[EventKind.ESCALATED] == 1 and kinds[EventKind.ACCEPTED] == 1


def test_one_matter_failing_leaves_the_others_escalated(app, world, runner, monkeypatch):
    with app.app_context():
        first, broken, last = (register(world, at("2026-09-01")) for _ in range(3))
    real = services.escalation.escalate

    def fails_for_one(session, *, matter, today):
        if matter.id == broken:
            raise RuntimeError("disk full")
        return real(session, matter=matter, today=today)

    monkeypatch.setattr(services.escalation, "escalate", fails_for_one)
    with clock_at(NOVEMBER):
        result = runner.invoke(args=["complaints", "escalate"])
    assert result.exit_code == 1
    assert "共 2 件" in result.output and f"事项 {broken} 督办失败" in result.output
    by_matter = _events(app)
    escalated = {m for m, events in by_matter.items() if any(kind is EventKind.ESCALATED for _, kind in events)}
    assert escalated == {first, last}


def _closed_matter(app, world) -> int:
    """A matter accepted, replied and closed by the village clerk, with an extension still pending."""
    clerk = world.accounts["clerk_a"]
    with app.app_context():
        matter_id = register(world, at("2026-11-02"))
        with clock_at(at("2026-11-03")):
            matter = services.lock(db.session, matter_id)
            actor = db.session.get(Account, clerk.id)
            services.accept(db.session, matter=matter, actor=actor)
            services.request_extension(db.session, matter=matter, actor=actor, days=10, reason="需要现场核实")
            services.reply(db.session, matter=matter, actor=actor, text="已修好")
            services.close(db.session, matter=matter, actor=actor)
            db.session.commit()
    return matter_id


ACTIONS = {
    "accept": lambda s, m, a: services.accept(s, matter=m, actor=a),
    "decline": lambda s, m, a: services.decline(s, matter=m, actor=a, reason="不属于本村"),
    "reply": lambda s, m, a: services.reply(s, matter=m, actor=a, text="再答复一次"),
    "request_extension": lambda s, m, a: services.request_extension(s, matter=m, actor=a, days=5, reason="再延"),
    "approve_extension": lambda s, m, a: services.decide_extension(s, matter=m, actor=a, approve=True),
    "refuse_extension": lambda s, m, a: services.decide_extension(s, matter=m, actor=a, approve=False, note="不批"),
    "answer_review": lambda s, m, a: services.answer_review(s, matter=m, actor=a, text="复查答复"),
    "close": lambda s, m, a: services.close(s, matter=m, actor=a),
}


@pytest.mark.parametrize("action", sorted(ACTIONS))
@pytest.mark.parametrize("who", ["clerk_a", "inspector"])
def test_every_action_on_a_closed_matter_is_refused_with_a_message(app, world, action, who):
    matter_id = _closed_matter(app, world)
    with app.app_context(), clock_at(at("2026-11-04")):
        matter = services.lock(db.session, matter_id)
        before = len(matter.events)
        with pytest.raises(services.NotAllowed, match="已办结"):
            ACTIONS[action](db.session, matter, db.session.get(Account, world.accounts[who].id))
        db.session.rollback()
        matter = db.session.get(Matter, matter_id)
        assert matter.status is MatterStatus.CLOSED and matter.extension_days == 0
        assert len(matter.events) == before

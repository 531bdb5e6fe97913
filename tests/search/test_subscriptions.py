"""Features announce publications by signal; search subscribes and writes its outbox row in the
publishing transaction, so a subscriber that fails takes the publication down with it."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from tests.complaints.test_deadlines import at
from tests.conftest import login_as
from tests.search.helpers import correct, publish_disclosure
from tests.search.test_matters import _file
from transparency.audit.models import AuditEntry
from transparency.complaints import services as matter_services
from transparency.complaints.models import Matter, MatterEvent
from transparency.core import signals
from transparency.core.db import clock_at, db
from transparency.disclosures import services
from transparency.disclosures.content import DraftContent
from transparency.disclosures.models import Category, Disclosure, DisclosureVersion, PeriodKind, VersionStatus
from transparency.disclosures.periods import period_bounds
from transparency.search.models import SearchOutbox


class SubscriberFailed(RuntimeError):
    pass


def _fail(_sender, **_kwargs) -> None:
    raise SubscriberFailed("a subscriber broke")


def _count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model)) or 0


def _submitted(world) -> int:
    clerk = world.accounts["clerk_a"]
    start, end = period_bounds(PeriodKind.YEAR, 2025, 1)
    version = services.start_disclosure(
        db.session, actor=clerk, village=world.village_a, category=Category.OTHER,
        period_kind=PeriodKind.YEAR, period_start=start, period_end=end,
        content=DraftContent(title="关于村道维修的公告", body="详见村委会。"),
    )  # fmt: skip
    services.submit(db.session, actor=clerk, version=version)
    db.session.commit()
    return version.id


def test_a_failing_subscriber_rolls_the_publication_back(app, world):
    with app.app_context():
        version_id = _submitted(world)
    reviewer = login_as(app, "reviewer-a")
    signals.disclosure_published.connect(_fail)
    try:
        with pytest.raises(SubscriberFailed):
            reviewer.post(f"/manage/versions/{version_id}/approve", {"signed_name": "李德华"})
    finally:
        signals.disclosure_published.disconnect(_fail)
    with app.app_context():
        version = db.session.get(DisclosureVersion, version_id)
        assert version.status is VersionStatus.SUBMITTED and version.published_at is None
        assert version.disclosure.first_published_at is None
        assert (
            db.session.scalars(select(AuditEntry.action).where(AuditEntry.action == "disclosure.publish")).all() == []
        )
        assert _count(SearchOutbox) == 0
    # Without the broken subscriber the same request publishes, and search queues its row.
    assert reviewer.post(f"/manage/versions/{version_id}/approve", {"signed_name": "李德华"}).status_code == 302
    with app.app_context():
        assert db.session.get(DisclosureVersion, version_id).status is VersionStatus.PUBLISHED


def test_a_failing_subscriber_rolls_a_public_matter_change_back(app, world):
    with app.app_context():
        matter_id = _file(world, "村口垃圾站没人清运", wants_public=True)
        matter = db.session.get(Matter, matter_id)
        events, outbox = _count(MatterEvent), _count(SearchOutbox)
        signals.matter_changed.connect(_fail)
        try:
            with clock_at(at("2026-10-21")), pytest.raises(SubscriberFailed):
                matter_services.accept(db.session, matter=matter, actor=world.accounts["clerk_a"])
        finally:
            signals.matter_changed.disconnect(_fail)
        db.session.rollback()
        assert _count(MatterEvent) == events and _count(SearchOutbox) == outbox
        assert not db.session.scalars(select(AuditEntry).where(AuditEntry.action == "complaint.accepted")).all()


def test_publishing_and_each_correction_send_the_signal_once_with_the_notice(app, world):
    sent: list[tuple[Disclosure, object]] = []

    def receiver(session, *, disclosure: Disclosure) -> None:
        sent.append((disclosure, session))

    with app.app_context(), signals.disclosure_published.connected_to(receiver):
        disclosure = publish_disclosure(world, "关于修建水渠的决议")
        assert sent == [(disclosure, db.session)]
        correct(world, disclosure, DraftContent(title="关于修建水渠的决议（更正）", body="公开招标。"))
        assert sent == [(disclosure, db.session)] * 2


def test_a_change_to_a_private_matter_sends_nothing(app, world):
    sent: list[Matter] = []

    def receiver(session, *, matter: Matter) -> None:
        sent.append(matter)

    with app.app_context(), signals.matter_changed.connected_to(receiver):
        private_id = _file(world, "路灯坏了没人修")
        assert sent == []
        public_id = _file(world, "村口垃圾站没人清运", wants_public=True)
        assert [matter.id for matter in sent] == [public_id] and private_id != public_id

"""`transparency demo-data` builds the promised county, reconciled, and is idempotent."""

from __future__ import annotations

from sqlalchemy import func, select

from transparency.accounts.models import Account
from transparency.areas.models import Area, AreaLevel
from transparency.complaints.models import EventKind, Matter, MatterEvent
from transparency.core.db import db
from transparency.disclosures.carry_over import carry_over_gaps
from transparency.disclosures.checks import problems_before_publication
from transparency.disclosures.models import Category, Disclosure, DisclosureVersion, VersionStatus


def test_demo_county_is_complete_and_idempotent(app, runner):
    result = runner.invoke(args=["demo-data"])
    assert result.exit_code == 0, result.output
    assert "clerk-demo-2026" in result.output and "reviewer-demo-2026" in result.output

    with app.app_context():
        s = db.session
        count = lambda model, *where: s.scalar(select(func.count()).select_from(model).where(*where))  # noqa: E731
        assert count(Area, Area.level == AreaLevel.COUNTY) == 1
        assert count(Area, Area.level == AreaLevel.TOWNSHIP) >= 3
        assert count(Area, Area.level == AreaLevel.VILLAGE) >= 12
        assert {a.role.value for a in s.scalars(select(Account))} == {"clerk", "reviewer", "inspector", "admin"}

        ledgers = s.scalars(
            select(DisclosureVersion)
            .join(Disclosure)
            .where(Disclosure.category == Category.FINANCE, DisclosureVersion.status == VersionStatus.PUBLISHED)
        ).all()
        villages = {v.disclosure.village_id for v in ledgers}
        assert len(villages) >= 12
        quarters = {(v.disclosure.village_id, v.disclosure.period_start) for v in ledgers}
        assert len(quarters) >= 12 * 8 - 1  # two years of quarters; one village skipped one
        assert all(len(v.ledger_rows) >= 20 for v in ledgers)
        for version in (
            ledgers
            + s.scalars(select(DisclosureVersion).where(DisclosureVersion.status == VersionStatus.PUBLISHED)).all()
        ):
            assert problems_before_publication(version.disclosure.category, version) == []

        subsidy = s.scalars(
            select(DisclosureVersion).join(Disclosure).where(Disclosure.category == Category.SUBSIDY)
        ).first()
        assert len({row.program for row in subsidy.subsidy_rows}) >= 3
        compensation = s.scalars(
            select(DisclosureVersion).join(Disclosure).where(Disclosure.category == Category.LAND_COMPENSATION)
        ).one()
        assert len(compensation.compensation_rows) >= 30
        # Rates per mu stated, every household findable by 查我家 (a key, no ID number kept).
        assert compensation.land_rate and compensation.crop_rate and compensation.relocation_rate
        assert all(row.household_key for row in compensation.compensation_rows)
        # Balances carry over everywhere but 东岭村, which says why after its skipped quarter.
        village_ids = [a.id for a in s.scalars(select(Area).where(Area.level == AreaLevel.VILLAGE))]
        gaps = carry_over_gaps(s, village_ids)
        assert [s.get(Area, village_id).name for village_id in gaps] == ["东岭村"]
        (gap,) = next(iter(gaps.values()))
        assert gap.ledger.period == "2025年第4季度" and "第3季度的账目没有按时公开" in (gap.ledger.reason or "")
        corrected = s.scalars(select(DisclosureVersion).where(DisclosureVersion.number > 1)).all()
        assert len(corrected) >= 2 and all(v.correction_reason for v in corrected)
        # Complaints in every state the tracker shows, one escalated on the record, one routed around the village.
        statuses = {m.status.value for m in s.scalars(select(Matter))}
        assert statuses >= {"closed", "replied", "under_review", "registered", "accepted"}
        assert count(MatterEvent, MatterEvent.kind == EventKind.ESCALATED) >= 1
        assert count(Matter, Matter.conflict_of_interest.is_(True)) >= 1
        totals = (count(Disclosure), count(DisclosureVersion), count(Account))

    again = runner.invoke(args=["demo-data"])
    assert again.exit_code == 0 and "已经载入过" in again.output
    with app.app_context():
        s = db.session
        assert (
            s.scalar(select(func.count()).select_from(Disclosure)),
            s.scalar(select(func.count()).select_from(DisclosureVersion)),
            s.scalar(select(func.count()).select_from(Account)),
        ) == totals

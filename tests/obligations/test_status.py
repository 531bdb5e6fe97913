"""The stored status the dashboard and the public calendars read: kept up to date in the
publishing transaction, equal to a rebuild from scratch, and rendering the same pages as the live
calendars."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from sqlalchemy import delete, select

from tests.complaints.test_deadlines import at
from tests.conftest import login_as
from tests.obligations.helpers import publish_on
from tests.search.helpers import correct
from transparency.complaints import services as matter_services
from transparency.complaints.models import Matter, MatterKind
from transparency.complaints.services import NewMatter
from transparency.core.db import clock_at, db
from transparency.disclosures.content import DraftContent
from transparency.disclosures.models import Category, Disclosure, PeriodKind, VersionStatus
from transparency.obligations import status_subscriptions
from transparency.obligations.models import VillageFlag
from transparency.obligations.services import set_flag
from transparency.obligations.status import current_build, rebuild
from transparency.obligations.status_models import MatterDeadline, ObligationStatus, StatusBuild
from transparency.obligations.status_reads import summaries

TODAY = dt.datetime(2025, 11, 20, 4, 0, tzinfo=dt.UTC)


def _stored() -> tuple[list[tuple], list[tuple]]:
    """Both tables as sorted tuples, ids left out (a rebuild numbers rows anew)."""
    status = sorted(
        (
            r.village_id,
            str(r.category),
            str(r.period_kind),
            r.period_start,
            r.period_end,
            r.due,
            r.published_at,
            r.published_on,
            r.disclosure_id,
        )  # fmt: skip
        for r in db.session.scalars(select(ObligationStatus))
    )
    deadlines = sorted(
        (r.matter_id, r.step, r.due, r.met_at, r.met_on, r.counted_from, r.for_handler, r.unverified)
        for r in db.session.scalars(select(MatterDeadline))
    )
    return status, deadlines


def _file(world, day: str, title: str, *, wants_public: bool = True) -> Matter:
    new = NewMatter(
        kind=MatterKind.COMPLAINT,
        village=world.village_a,
        title=title,
        body="具体情况见标题",
        wants_public=wants_public,
    )
    with clock_at(at(day)):
        matter = matter_services.register(db.session, new=new).matter
    db.session.commit()
    return matter


@pytest.fixture
def season(app, world):
    app.config.update(OBLIGATIONS_START="2025-01-01", STATS_MIN_SAMPLE=5)
    with app.app_context():
        publish_on(world, world.village_a, dt.date(2025, 4, 10), number=1)
        publish_on(world, world.village_a, dt.date(2025, 7, 20), number=2)
        publish_on(world, world.village_a, dt.date(2025, 5, 10), category=Category.DECISIONS, event=dt.date(2025, 5, 1))
        for month, day in ((1, dt.date(2025, 2, 3)), (2, dt.date(2025, 3, 3)), (3, dt.date(2025, 4, 20))):
            publish_on(world, world.village_b, day, kind=PeriodKind.MONTH, number=month)
    with clock_at(TODAY):
        yield world


def test_the_maintained_tables_equal_a_rebuild_after_publications_corrections_and_matter_steps(app, season):
    world = season
    with app.app_context():
        clerk = world.accounts["clerk_a"]
        assert current_build(db.session) is not None  # the world's first village started the build
        publish_on(world, world.village_a, dt.date(2025, 10, 30), number=3)
        decision = publish_on(
            world, world.village_a, dt.date(2025, 10, 1), category=Category.DECISIONS, event=dt.date(2025, 9, 20)
        )
        disclosure = db.session.get(Disclosure, decision)
        with clock_at(at("2025-11-02")):
            correct(world, disclosure, DraftContent(title="更正", body="更正后的内容。"))
        public = _file(world, "2025-09-01", "路灯坏了")
        private = _file(world, "2025-09-03", "村干部收钱", wants_public=False)
        with clock_at(at("2025-09-05")):
            matter_services.accept(db.session, matter=public, actor=clerk)
            matter_services.accept(db.session, matter=private, actor=clerk)
        with clock_at(at("2025-09-20")):
            matter_services.reply(db.session, matter=public, actor=clerk, text="已经修好。")
        db.session.commit()
        with clock_at(TODAY):
            set_flag(db.session, actor=None, village=world.village_b, flag=VillageFlag.MANY_TRANSACTIONS, on=True)
        db.session.commit()
        kept = _stored()
        assert kept[0] and kept[1]
        assert {row[0] for row in kept[1]} >= {public.id, private.id}
        rebuild(db.session)
        db.session.commit()
        status, deadlines = _stored()
        assert sorted(set(status) ^ set(kept[0])) == []
        assert sorted(set(deadlines) ^ set(kept[1])) == []
        assert (status, deadlines) == kept


def test_a_registration_stores_its_deadlines_once_without_replacing_any(app, season):
    world = season
    with app.app_context():
        matter = _file(world, "2025-11-03", "水渠堵了")
        kept = _stored()[1]
        assert [row for row in kept if row[0] == matter.id]
        rebuild(db.session)
        db.session.commit()
        assert _stored()[1] == kept


def _pages(app) -> list[str]:
    county = login_as(app, "county-inspector")
    pages = [county.get(f"/inspect/?year={y}").get_data(as_text=True) for y in ("2025", "all")]
    with app.app_context():
        code = season_township(app).code
    for query in ("", "?year=2025"):
        pages.append(app.test_client().get(f"/t/{code}/calendar{query}").get_data(as_text=True))
    return [re.sub(r"<input[^>]*csrf_token[^>]*>", "", page) for page in pages]


def season_township(app):
    from transparency.areas.models import Area, AreaLevel

    return db.session.scalars(select(Area).where(Area.level == AreaLevel.TOWNSHIP).order_by(Area.code)).first()


def test_the_pages_read_from_the_tables_are_the_pages_computed_live(app, season):
    with app.app_context():
        _file(season, "2025-09-01", "路灯坏了")
    app.config["PAGE_CACHE"] = "off"
    stored = _pages(app)
    assert "逾期没有公开" in stored[0] and "/inspect/villages/" in stored[0]
    with app.app_context():
        db.session.execute(delete(StatusBuild))  # no build: the pages compute the calendars live
        db.session.commit()
    assert _pages(app) == stored


def test_a_day_passing_turns_due_into_missing_without_any_write(app, season):
    with app.app_context():
        village = db.session.merge(season.village_a)
        with clock_at(dt.datetime(2026, 1, 14, 4, tzinfo=dt.UTC)):  # Q4 2025 due on 15 January
            (before,) = summaries(db.session, [village], year=2025)
        with clock_at(dt.datetime(2026, 1, 16, 4, tzinfo=dt.UTC)):
            (after,) = summaries(db.session, [village], year=2025)
    # Q3 was missing already; Q4 and the year's subsidies and officials' pay (due 31 January) open.
    assert (before.tally.missing, before.tally.open) == (1, 3)
    assert (after.tally.missing, after.tally.open) == (2, 2)


def test_a_publication_shows_at_once_on_the_dashboard_and_the_cached_public_calendar(app, season):
    with app.app_context():
        code = season_township(app).code
    public, county = app.test_client(), login_as(app, "county-inspector")

    def missing() -> tuple[str, str]:
        calendar = public.get(f"/t/{code}/calendar?year=2025").get_data(as_text=True)
        dashboard = county.get("/inspect/?year=2025").get_data(as_text=True)
        return calendar, dashboard

    calendar, dashboard = missing()
    # 石桥村: Q2 and a decision late, Q3 missing; the page is in the cache now.
    assert "逾期公开 2 项" in calendar and "逾期公开 3 项" not in calendar
    with app.app_context():
        publish_on(season, season.village_a, dt.date(2025, 10, 20), number=3)  # after the 15th: late
    calendar_after, dashboard_after = missing()
    assert "逾期公开 3 项" in calendar_after
    assert "公开于 2025年10月20日" in calendar_after.split("石桥村", 1)[1].split("</section>", 1)[0]
    assert dashboard_after != dashboard


def test_a_failing_status_subscriber_rolls_the_publication_back(app, season, monkeypatch):
    def broken(*_args, **_kwargs):
        raise RuntimeError("the status subscriber broke")

    monkeypatch.setattr(status_subscriptions, "build_villages", broken)
    with app.app_context():
        before = _stored()
        with pytest.raises(RuntimeError):
            publish_on(season, season.village_a, dt.date(2025, 10, 12), number=3)
        db.session.rollback()
        published = db.session.scalars(
            select(Disclosure).where(
                Disclosure.village_id == season.village_a.id, Disclosure.period_start == dt.date(2025, 7, 1)
            )
        ).all()
        assert all(d.first_published_at is None for d in published)
        assert all(v.status is not VersionStatus.PUBLISHED for d in published for v in d.versions)
        assert _stored() == before


def test_the_command_rebuilds_and_says_how_far(app, season, runner):
    with app.app_context():
        db.session.execute(delete(ObligationStatus))
        db.session.commit()
    result = runner.invoke(args=["obligations", "rebuild-status"])
    assert result.exit_code == 0, result.output
    assert "状态表已重建" in result.output or "rebuilt" in result.output.lower()
    with app.app_context():
        assert db.session.scalars(select(ObligationStatus)).first() is not None

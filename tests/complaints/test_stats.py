"""Complaint statistics: inspectors count private matters, the public pages do not; small samples say so;
every timeline event and every view of a complainant's contact is in the log, tagged with its village."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from sqlalchemy import select

from tests.conftest import login_as
from transparency.audit.models import AuditEntry
from transparency.complaints import services
from transparency.complaints.models import MatterKind, MatterStatus, Rating
from transparency.complaints.services import NewMatter
from transparency.complaints.stats import matter_stats
from transparency.core.db import clock_at, db

CST = dt.timezone(dt.timedelta(hours=8))


def _at(day: dt.date):
    return clock_at(dt.datetime.combine(day, dt.time(10), CST))


def _new(world, kind=MatterKind.COMPLAINT, public=True, title="路灯坏了"):
    new = NewMatter(kind=kind, village=world.village_a, title=title, body="请尽快修理。", wants_public=public,
                    contact_name="张三", contact_phone="13800138000")  # fmt: skip
    return services.register(db.session, new=new).matter


@pytest.fixture
def matters(app, world):
    """Answered on time and rated; never accepted (overdue); a private report answered late."""
    app.config.update(OBLIGATIONS_START="2025-01-01", STATS_MIN_SAMPLE=2)
    clerk, inspector = world.accounts["clerk_a"], world.accounts["inspector"]
    with app.app_context():
        with _at(dt.date(2025, 8, 1)):
            answered, forgotten = _new(world), _new(world, title="水渠堵了")
            report = _new(world, kind=MatterKind.REPORT, public=False, title="举报村干部")
        with _at(dt.date(2025, 8, 4)):
            services.accept(db.session, matter=answered, actor=clerk)
            services.accept(db.session, matter=report, actor=inspector)
        with _at(dt.date(2025, 8, 20)):
            services.reply(db.session, matter=answered, actor=clerk, text="已经修好。")
            services.rate(db.session, matter=answered, rating=Rating.SATISFIED)
            services.reveal_contact(db.session, matter=report, actor=inspector)
        with _at(dt.date(2025, 11, 1)):
            # 60 days from 4 August: late
            services.reply(db.session, matter=report, actor=inspector, text="已查实并处理。")
        db.session.commit()
        ids = answered.id, forgotten.id, report.id
    with clock_at(dt.datetime(2025, 11, 20, 4, tzinfo=dt.UTC)):
        yield ids


def test_inspectors_count_every_matter(app, world, matters):
    with app.app_context():
        stats, by_village = matter_stats(db.session, [world.village_a], dt.date(2025, 11, 20), public_only=False)
    assert stats.total == 3 and by_village[world.village_a.id].total == 3
    assert (stats.answered_on_time, stats.answered_late, stats.overdue_now) == (1, 1, 1)
    assert stats.median_days_to_accept(2) == 3 and stats.median_days_to_reply(2) == (19 + 92) / 2
    assert stats.satisfaction.percent(2) is None  # one rating: too few
    assert stats.satisfaction.percent(1) == 100
    assert stats.review_share.percent(2) == 0 and stats.extended_share.percent(2) == 0


def test_the_public_basis_leaves_private_matters_out(app, world, matters):
    with app.app_context():
        stats, _ = matter_stats(db.session, [world.village_a], dt.date(2025, 11, 20), public_only=True)
    assert stats.total == 2 and stats.answered_late == 0


def test_dashboard_and_public_page_show_their_own_bases(app, client, world, matters):
    dashboard = login_as(app, "inspector").get("/inspect/").get_data(as_text=True)
    block = dashboard[dashboard.index('data-testid="complaint-stats"') :].split("</dl>")[0]
    assert "<dt>收到反映</dt><dd>3</dd>" in block and "已答复 2" in block and "待受理 1" in block
    assert "按期答复率</dt><dd>50%（1/2）" in block
    assert "满意度（满意和基本满意）</dt><dd>样本不足" in block
    row = dashboard[dashboard.index('data-testid="complaint-dashboard"') :].split("</tr>")[1]
    assert "石桥村" in row and 'data-label="收到反映">3<' in row

    public = client.get(f"/t/{world.township.code}/calendar").get_data(as_text=True)
    block = public[public.index('data-testid="complaint-stats"') :].split("</dl>")[0]
    assert "<dt>收到反映</dt><dd>2</dd>" in block and "举报村干部" not in public


def test_drill_down_lists_the_matters(app, world, matters):
    html = login_as(app, "inspector").get(f"/inspect/villages/{world.village_a.code}").get_data(as_text=True)
    for matter_id in matters:
        assert f"/manage/complaints/{matter_id}" in html
    assert "举报村干部" in html


def test_complaint_csv_export(app, world, matters):
    inspector = login_as(app, "inspector")
    token = inspector.token("/inspect/")
    response = inspector.post("/inspect/export", {"csrf_token": token, "table": "complaints", "year": "2025"})
    lines = response.get_data(as_text=True).lstrip("\ufeff").splitlines()
    assert lines[1].startswith(f"石桥村,{world.village_a.code},3,1,1,1,50%")


def test_every_timeline_event_and_contact_view_is_logged_without_contact_details(app, world, matters):
    with app.app_context():
        query = select(AuditEntry.action, AuditEntry.area_code, AuditEntry.payload).where(
            AuditEntry.object_type == "matter"
        )
        entries = db.session.execute(query).all()
    actions = [e.action for e in entries]
    assert actions.count("complaint.registered") == 3 and actions.count("complaint.accepted") == 2
    assert actions.count("complaint.replied") == 2 and "complaint.rated" in actions
    assert "complaint.contact_viewed" in actions
    assert {e.area_code for e in entries} == {world.village_a.code}
    for entry in entries:
        assert "13800138000" not in entry.payload and "张三" not in entry.payload
        assert not {"phone", "contact_phone", "contact_name"} & set(json.loads(entry.payload))


def _figures(stats):
    """Every figure of a MatterStats (the day samples as sorted lists: their order means nothing)."""
    return {name: sorted(value) if isinstance(value, list) else value for name, value in vars(stats).items()}


@pytest.mark.parametrize("public_only", [False, True])
def test_the_stored_deadlines_give_the_figures_counted_live(app, world, matters, public_only):
    from transparency.obligations.status_matter_stats import stored_matter_stats

    clerk = world.accounts["clerk_a"]
    with app.app_context():
        with _at(dt.date(2025, 9, 1)):
            declined, reviewed = _new(world, title="不属于村里管"), _new(world, title="垃圾没人收")
            services.decline(db.session, matter=declined, actor=clerk, reason="不属于本村职责")
            services.accept(db.session, matter=reviewed, actor=clerk)
        with _at(dt.date(2025, 9, 10)):
            services.reply(db.session, matter=reviewed, actor=clerk, text="已安排清运。")
            services.rate(db.session, matter=reviewed, rating=Rating.UNSATISFIED)
            services.request_review(db.session, matter=reviewed, reason="还是没人收")
        db.session.commit()
        villages, today = [world.village_a, world.village_b], dt.date(2025, 11, 20)
        live = matter_stats(db.session, villages, today, public_only=public_only)
        stored = stored_matter_stats(db.session, villages, today, public_only=public_only)
        for year in (2025, 2024):
            assert _figures(
                stored_matter_stats(db.session, villages, today, public_only=public_only, year=year)[0]
            ) == (_figures(matter_stats(db.session, villages, today, public_only=public_only, year=year)[0]))
    assert _figures(stored[0]) == _figures(live[0])
    # Every branch of the counting is met: declined, overdue, late, reviewed, rated.
    assert stored[0].total == (4 if public_only else 5) and stored[0].by_status[MatterStatus.DECLINED] == 1
    assert stored[0].overdue_now and stored[0].answered_late and stored[0].reviewed and stored[0].rated
    assert {village: _figures(s) for village, s in stored[1].items()} == {
        village: _figures(s) for village, s in live[1].items()
    }

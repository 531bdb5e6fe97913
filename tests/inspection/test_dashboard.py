"""The inspector's dashboard: their jurisdiction only, drill-down, CSV export (logged), bad input."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest
from sqlalchemy import select

from tests.conftest import login_as
from tests.obligations.helpers import publish_on
from transparency.audit.models import AuditEntry
from transparency.core.db import clock_at, db


@pytest.fixture
def season(app, world):
    app.config.update(OBLIGATIONS_START="2025-01-01")
    with app.app_context():
        publish_on(world, world.village_a, dt.date(2025, 4, 10), number=1)
        publish_on(world, world.village_a, dt.date(2025, 7, 20), number=2)
    with clock_at(dt.datetime(2025, 11, 20, 4, 0, tzinfo=dt.UTC)):
        yield world


def _rows(html: str) -> str:
    return html[html.index('data-testid="disclosure-dashboard"') : html.index("</table>")]


def test_township_inspector_sees_only_their_villages(app, season):
    table = _rows(login_as(app, "inspector").get("/inspect/?year=2025").get_data(as_text=True))
    assert "石桥村" in table and "王家庄村" in table and "青山村" not in table
    first = table[table.index("石桥村") :].split("</tr>")[0]
    assert 'data-label="应公开">3<' in first and 'data-label="按时">1<' in first
    assert 'data-label="逾期公开">1<' in first and 'data-label="逾期没有公开">1<' in first
    assert "样本不足" in first


def test_county_inspector_sees_every_village(app, season):
    table = _rows(login_as(app, "county-inspector").get("/inspect/").get_data(as_text=True))
    assert all(name in table for name in ("石桥村", "王家庄村", "青山村"))


def test_drill_down_inside_and_outside_the_jurisdiction(app, season):
    inspector = login_as(app, "inspector")
    html = inspector.get(f"/inspect/villages/{season.village_a.code}?year=2025").get_data(as_text=True)
    assert "2025年第3季度" in html and "逾期没有公开" in html and f"/manage/villages/{season.village_a.code}" in html
    outside = inspector.get(f"/inspect/villages/{season.village_c.code}")
    assert outside.status_code == 403 and "青山村" not in outside.get_data(as_text=True)
    assert inspector.get("/inspect/villages/999999999999").status_code == 404
    assert login_as(app, "county-inspector").get(f"/inspect/villages/{season.village_c.code}").status_code == 200


def test_csv_export_of_both_tables_appends_an_audit_entry(app, season):
    inspector = login_as(app, "inspector")
    token = inspector.token("/inspect/")
    response = inspector.post("/inspect/export", {"csrf_token": token, "table": "summary", "year": "2025"})
    assert response.status_code == 200 and response.mimetype == "text/csv"
    rows = list(csv.reader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff"))))
    assert rows[0][:2] == ["乡镇", "村"] and [r[1] for r in rows[1:]] == ["石桥村", "王家庄村"]
    assert rows[1][3:] == ["3", "1", "1", "1", "样本不足"]
    response = inspector.post("/inspect/export", {"csrf_token": token, "table": "periods", "year": "all"})
    rows = list(csv.reader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff"))))
    assert ["石桥村", season.village_a.code, "财务收支", "2025年第3季度", "2025-10-15", "", "逾期没有公开"] in rows
    with app.app_context():
        exports = db.session.scalars(select(AuditEntry).where(AuditEntry.action == "inspection.export")).all()
        assert [e.payload for e in exports] == [
            '{"format":"csv","table":"summary","year":"2025"}',
            '{"format":"csv","table":"periods","year":"all"}',
        ]
        assert exports[0].actor_id == season.accounts["inspector"].id


def test_bad_export_and_dashboard_input(app, season):
    inspector = login_as(app, "inspector")
    token = inspector.token("/inspect/")
    for data in ({"table": "everything", "year": "2025"}, {"table": "summary", "year": "1850"}):
        response = inspector.post("/inspect/export", {"csrf_token": token, **data})
        assert response.status_code == 400 and "请求有误" in response.get_data(as_text=True)
    assert inspector.client.post("/inspect/export", data={"table": "summary", "year": "2025"}).status_code == 400
    for year in ("abc", "1900", "20255"):
        response = inspector.get(f"/inspect/?year={year}")
        assert response.status_code == 400 and "年份应在" in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(AuditEntry).where(AuditEntry.action == "inspection.export")) is None


@pytest.mark.parametrize("who", ["clerk-a", "reviewer-a", "admin"])
def test_staff_who_are_not_inspectors_get_403(app, season, who):
    browser = login_as(app, who)
    for url in ("/inspect/", f"/inspect/villages/{season.village_a.code}", "/inspect/audit"):
        assert browser.get(url).status_code == 403, url
    token = browser.token("/login") if who == "admin" else browser.token("/manage/")
    assert browser.post("/inspect/export", {"csrf_token": token, "table": "summary", "year": "all"}).status_code == 403
    assert browser.post("/inspect/audit/verify", {"csrf_token": token}).status_code == 403


@pytest.mark.parametrize("url", ["/inspect/", "/inspect/audit", "/inspect/villages/{village}"])
def test_anonymous_visitors_are_sent_to_log_in(client, season, url):
    response = client.get(url.format(village=season.village_a.code))
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_anonymous_exports_are_refused(client, season):
    assert client.post("/inspect/export").status_code in (302, 400)


def test_matters_whose_deadlines_reach_an_unverified_year_are_marked(app, world):
    from transparency.complaints import services
    from transparency.complaints.models import MatterKind
    from transparency.complaints.services import NewMatter

    def registered_on(moment: dt.datetime) -> None:
        new = NewMatter(kind=MatterKind.COMPLAINT, village=world.village_a, title="路灯", body="路灯坏了")
        with app.app_context(), clock_at(moment):
            services.register(db.session, new=new)
            db.session.commit()

    registered_on(dt.datetime(2026, 11, 2, 2, 0, tzinfo=dt.UTC))  # accept due 11-17: all in 2026
    with clock_at(dt.datetime(2026, 12, 3, 2, 0, tzinfo=dt.UTC)):
        page = login_as(app, "inspector").get("/inspect/?year=2026").get_data(as_text=True)
        assert "节假日安排未经核实" not in page
        registered_on(dt.datetime(2026, 12, 20, 2, 0, tzinfo=dt.UTC))  # accept due 2027-01-04
        page = login_as(app, "inspector").get("/inspect/?year=2026").get_data(as_text=True)
    assert "节假日安排未经核实</span> 1" in page

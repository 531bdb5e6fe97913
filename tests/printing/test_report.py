"""The inspector's report as a PDF: the dashboard's tables, the chain head, the verification."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select, text

from tests.conftest import login_as
from tests.inspection.test_dashboard import season  # noqa: F401  (the fixture)
from transparency.audit.models import AuditEntry
from transparency.core.db import db

pytestmark = [pytest.mark.pdf_tools, pytest.mark.usefixtures("season")]


def _report(app, username: str = "inspector", year: str = "2025"):
    inspector = login_as(app, username)
    token = inspector.token("/inspect/")
    return inspector.post("/inspect/report.pdf", {"csrf_token": token, "table": "summary", "year": year})


def test_the_report_holds_the_tables_the_chain_head_and_a_passing_verification(app, read_pdf):
    response = _report(app)
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    flat = re.sub(r"\s+", "", read_pdf(response.data).text())
    for expected in ("村务公开和群众反映情况报告", "石桥村", "王家庄村", "逾期没有公开", "核验通过", "样本不足"):
        assert expected in flat
    assert "青山村" not in flat  # another township's village
    with app.app_context():
        head = db.session.scalar(select(AuditEntry.hash).order_by(AuditEntry.seq.desc()).offset(1).limit(1))
        logged = db.session.scalars(select(AuditEntry.payload).where(AuditEntry.action == "inspection.export")).all()
    assert head[:16] in flat  # the head as it stood when the report was made
    assert logged == ['{"format":"pdf","table":"report","year":"2025"}']


def test_a_tampered_log_shows_in_the_report(app, read_pdf):
    with app.app_context():
        engine = db.engine
        with engine.begin() as conn:  # behind the triggers' back, as an intruder with the file would
            if engine.dialect.name == "sqlite":
                conn.execute(text("DROP TRIGGER audit_entry_no_update"))
                conn.execute(text("UPDATE audit_entry SET payload = '{}' WHERE seq = 2"))
            else:
                pytest.skip("the trigger names differ on PostgreSQL; verification itself is tested in tests/audit")
    flat = re.sub(r"\s+", "", read_pdf(_report(app).data).text())
    assert "核验不通过" in flat and "第2条" in flat


def test_only_inspectors_get_a_report(app):
    clerk = login_as(app, "clerk-a")
    response = clerk.post("/inspect/report.pdf", {"csrf_token": clerk.token("/manage/"), "year": "2025"})
    assert response.status_code == 403

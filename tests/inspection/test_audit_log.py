"""Inspectors browse the log of their jurisdiction and verify the chain with one button."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from tests.audit.tampering import behind_the_triggers_back
from tests.conftest import login_as
from tests.disclosures.helpers import publish_ledger
from transparency.audit.models import AuditEntry
from transparency.audit.services import record
from transparency.core.db import db
from transparency.inspection.audit_log import PAGE_SIZE


@pytest.fixture
def logged(app, world):
    with app.app_context():
        publish_ledger(world)  # 石桥村, in the township inspector's jurisdiction
        for n in range(3):
            record(
                db.session,
                actor=None,
                action="test.elsewhere",
                object_type="thing",
                object_id=n,
                area_code=world.village_c.code,
            )
        db.session.commit()
    return world


def _seqs(html: str) -> list[int]:
    return [int(n) for n in re.findall(r'data-label="序号">(\d+)<', html)]


def _actions(html: str) -> list[str]:
    """The action code of each entry shown (the page shows its Chinese label; the code is an attribute)."""
    return re.findall(r'data-action="([^"]+)"', html)


def _log(browser, query: str = ""):
    response = browser.get(f"/inspect/audit{query}")
    return response.status_code, response.get_data(as_text=True)


def test_township_inspector_sees_only_their_jurisdiction(app, logged):
    status, html = _log(login_as(app, "inspector"))
    assert status == 200 and "disclosure.publish" in _actions(html) and "test.elsewhere" not in _actions(html)
    status, html = _log(login_as(app, "county-inspector"))
    assert "test.elsewhere" in _actions(html) and "disclosure.publish" in _actions(html)


def test_filters_by_actor_village_action_object_and_date(app, logged):
    inspector = login_as(app, "county-inspector")
    _status, html = _log(inspector, "?actor=reviewer-a")
    assert "disclosure.publish" in _actions(html) and "disclosure.submit" not in _actions(html)
    _status, html = _log(inspector, "?action=disclosure")
    assert {"disclosure.draft", "disclosure.submit", "disclosure.publish"} <= set(_actions(html))
    assert not [action for action in _actions(html) if action.startswith("login.")]
    _status, html = _log(inspector, f"?village={logged.village_c.code}")
    assert _actions(html).count("test.elsewhere") == 3
    _status, html = _log(inspector, "?village=青山村&object_type=thing&object_id=1")
    assert _actions(html).count("test.elsewhere") == 1
    _status, html = _log(inspector, "?date_from=2001-01-01&date_to=2001-12-31")
    assert "没有符合条件的记录" in html
    _status, html = _log(inspector, "?actor=nobody")
    assert "没有用户名为“nobody”的账户" in html and "没有符合条件的记录" in html


def test_a_village_outside_the_jurisdiction_is_refused(app, logged):
    status, html = _log(login_as(app, "inspector"), f"?village={logged.village_c.code}")
    assert status == 403 and "不在您的辖区内" in html and "test.elsewhere" not in _actions(html)


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("?date_from=2025-13-45", "日期格式不对"),
        ("?date_from=yesterday", "日期格式不对"),
        ("?date_from=2025-06-01&date_to=2025-01-01", "结束日期早于开始日期"),
        ("?date_from=0001-01-01&date_to=9999-12-31", "日期应在"),
        ("?date_from=1200-01-01", "日期应在"),
        ("?action=DROP%20TABLE", "操作名称只能"),
        ("?object_type=a;b", "对象类型只能"),
        ("?page=-3", "页码应是"),
        ("?page=abc", "页码应是"),
        ("?page=" + "9" * 30, "页码"),
        ("?actor=" + "x" * 500, "操作人"),
    ],
)
def test_bad_filters_get_a_message_not_a_500(app, logged, query, message):
    status, html = _log(login_as(app, "inspector"), query)
    assert status == 400 and message in html
    assert "test.elsewhere" not in _actions(html)


def test_pages_and_a_page_far_past_the_end(app, logged):
    with app.app_context():
        for n in range(PAGE_SIZE + 5):
            record(
                db.session,
                actor=None,
                action="test.bulk",
                object_type="thing",
                object_id=n,
                area_code=logged.village_a.code,
            )
        db.session.commit()
    inspector = login_as(app, "inspector")
    _status, first = _log(inspector)
    assert len(_seqs(first)) == PAGE_SIZE and "下一页" in first
    total = int(re.search(r"共 (\d+) 条记录", first).group(1))
    assert PAGE_SIZE + 5 < total < 2 * PAGE_SIZE
    _status, second = _log(inspector, "?page=2")
    assert len(_seqs(second)) == total - PAGE_SIZE
    assert max(_seqs(second)) < min(_seqs(first))
    status, far = _log(inspector, "?page=999999")
    assert status == 200 and "没有第 999999 页" in far and _seqs(far) == _seqs(second)


def test_one_button_verification_with_csrf(app, logged):
    inspector = login_as(app, "inspector")
    assert inspector.client.post("/inspect/audit/verify").status_code == 400  # no CSRF token
    token = inspector.token("/inspect/audit")
    response = inspector.post("/inspect/audit/verify", {"csrf_token": token})
    assert response.status_code == 200 and "核验通过" in response.get_data(as_text=True)
    with app.app_context():
        behind_the_triggers_back(db.engine, "UPDATE audit_entry SET action = 'forged' WHERE seq = 3")
    html = inspector.post("/inspect/audit/verify", {"csrf_token": token}).get_data(as_text=True)
    assert "核验失败" in html and "第一条有问题的记录：第 3 条" in html
    with app.app_context():
        checks = db.session.scalars(select(AuditEntry.payload).where(AuditEntry.action == "audit.verify")).all()
    assert len(checks) == 2 and '"ok":false' in checks[1] and '"bad_seq":3' in checks[1]

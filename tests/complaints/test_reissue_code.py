"""A lost code re-issued in person (issue 13 point 9).

The clerk re-issues the code of an ordinary matter of their village, an inspector over the village
that of a matter routed around it; the old code stops working, the new one is shown once and never
cached, and the step is audited twice without either code.
"""

from __future__ import annotations

import re

from sqlalchemy import select

from tests.complaints.helpers import file_matter, form_token, matter_form, track
from tests.conftest import login_as
from transparency.audit.models import AuditEntry
from transparency.complaints.models import EventKind, Matter, MatterEvent
from transparency.core.db import db

_NEW_CODE = re.compile(r'data-testid="tracking-code">([^<]+)<')
FOUND = 'data-testid="status">'


def _matter_id(app, number: str) -> int:
    with app.app_context():
        return db.session.scalar(select(Matter.id).where(Matter.number == number))


def _reissue(staff, matter_id: int, **data):
    return staff.post(f"/manage/complaints/{matter_id}/code", {"identity": "id_card", "knows_matter": "y", **data})


def test_the_old_code_stops_working_and_the_new_one_is_shown_once(app, world, browser):
    receipt = file_matter(browser, world.village_a.code)
    matter_id = _matter_id(app, receipt.number)
    clerk = login_as(app, "clerk-a")
    assert "补发查询码" in clerk.get(f"/manage/complaints/{matter_id}").get_data(as_text=True)

    answer = _reissue(clerk, matter_id)
    html = answer.get_data(as_text=True)
    assert answer.status_code == 200 and answer.headers["Cache-Control"] == "no-store"
    new_code = _NEW_CODE.search(html).group(1).strip()
    assert new_code != receipt.code and "旧的查询码已经作废" in html

    assert FOUND not in track(browser, receipt.number, receipt.code).get_data(as_text=True)
    page = track(browser, receipt.number, new_code).get_data(as_text=True)
    assert FOUND in page and "重新发放查询码" in page  # the complainant sees it happened
    assert new_code not in clerk.get(f"/manage/complaints/{matter_id}").get_data(as_text=True)


def test_both_steps_are_audited_without_the_code(app, world, browser):
    receipt = file_matter(browser, world.village_a.code)
    matter_id = _matter_id(app, receipt.number)
    clerk = login_as(app, "clerk-a")
    new_code = _NEW_CODE.search(_reissue(clerk, matter_id).get_data(as_text=True)).group(1).strip()
    with app.app_context():
        entries = db.session.scalars(
            select(AuditEntry).where(AuditEntry.action.in_(["complaint.code_revoked", "complaint.code_reissued"]))
        ).all()
        assert sorted(e.action for e in entries) == ["complaint.code_reissued", "complaint.code_revoked"]
        assert {e.actor_id for e in entries} == {world.accounts["clerk_a"].id}
        assert {e.object_id for e in entries} == {str(matter_id)}
        every_payload = " ".join(db.session.scalars(select(AuditEntry.payload)))
    for code in (receipt.code, new_code):
        assert code not in every_payload and code.replace("-", "") not in every_payload


def test_the_clerk_cannot_reissue_a_routed_around_matter_the_inspector_can(app, world, browser):
    receipt = file_matter(browser, world.village_a.code, kind="report")
    matter_id = _matter_id(app, receipt.number)
    assert _reissue(login_as(app, "clerk-a"), matter_id).status_code == 404  # it does not exist for them
    assert FOUND in track(browser, receipt.number, receipt.code).get_data(as_text=True)

    other = _reissue(login_as(app, "other-inspector"), matter_id)
    assert other.status_code == 404  # not their township
    answer = _reissue(login_as(app, "inspector"), matter_id)
    assert answer.status_code == 200
    new_code = _NEW_CODE.search(answer.get_data(as_text=True)).group(1).strip()
    assert FOUND in track(browser, receipt.number, new_code).get_data(as_text=True)


def test_an_inspector_leaves_an_ordinary_matter_to_the_clerk(app, world, browser):
    receipt = file_matter(browser, world.village_a.code)
    answer = _reissue(login_as(app, "inspector"), _matter_id(app, receipt.number))
    assert answer.status_code == 422 and "查询码不由您补发" in answer.get_data(as_text=True)
    assert FOUND in track(browser, receipt.number, receipt.code).get_data(as_text=True)


def test_without_an_identity_check_nothing_changes(app, world, browser):
    receipt = file_matter(browser, world.village_a.code)
    matter_id = _matter_id(app, receipt.number)
    answer = _reissue(login_as(app, "clerk-a"), matter_id, identity="", knows_matter="")
    html = answer.get_data(as_text=True)
    assert answer.status_code == 422
    assert "请选择怎样核实了反映人的身份" in html and "来人须说得出反映的内容" in html
    assert FOUND in track(browser, receipt.number, receipt.code).get_data(as_text=True)
    with app.app_context():
        kinds = db.session.scalars(select(MatterEvent.kind).where(MatterEvent.matter_id == matter_id)).all()
    assert EventKind.CODE_REISSUED not in kinds


def test_the_filing_form_sent_again_after_a_reissue_never_shows_the_old_code(app, world, browser):
    csrf, token = form_token(browser)
    data = {"csrf_token": csrf, "form_token": token, **matter_form(world.village_a.code)}
    first = browser.client.post("/complaints/new", data=dict(data)).get_data(as_text=True)
    old_code = _NEW_CODE.search(first).group(1).strip()
    number = re.search(r'data-testid="tracking-number">([^<]+)<', first).group(1).strip()
    _reissue(login_as(app, "clerk-a"), _matter_id(app, number))
    again = browser.client.post("/complaints/new", data=dict(data)).get_data(as_text=True)
    assert old_code not in again and "提交成功" in again

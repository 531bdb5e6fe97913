"""Routed around means routed around, everywhere (DESIGN rule 3).

A 举报, or a matter naming village officials, does not exist for any village account on any path:
a clerk who registers one on paper hands the villager the receipt, and from then on their own
lookup with that very number and code answers exactly as for an unknown number — /track, the
complainant's steps, the receipt PDF, the filing form sent again — as do the staff pages, the
search, the API and the feeds. The villager, and the inspectors over the village, still find it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import quote

import pytest
from sqlalchemy import select

from tests.complaints.helpers import Receipt, file_matter, form_token, matter_form, track
from tests.conftest import Browser, login_as
from transparency.accounts.models import Account
from transparency.complaints import services
from transparency.complaints.access import hidden_from, may_see
from transparency.complaints.models import Channel, HandlerLevel, Matter, MatterKind
from transparency.complaints.services import NotAllowed
from transparency.core.db import db

TITLE = "村主任钱有财挪用修路款"
BODY = "修路款二十万元，村主任钱有财拿去还了自己的账。"
FOUND = 'data-testid="status">'
VILLAGE_ACCOUNTS = ["clerk-a", "reviewer-a", "clerk-b"]
_CSRF = re.compile(r'(name="csrf_token" (?:type="hidden" )?value=")[^"]+(")')
UNKNOWN_NUMBER = "2026-99999"
WRONG_CODE = "ABCD-EFGH-JKLM-N"


@dataclass(frozen=True)
class Registered:
    receipt: Receipt
    matter_id: int
    clerk: Browser  # the session that registered it
    form: dict


@pytest.fixture
def paper_report(app, world) -> Registered:
    """A 举报 about the village's own officials, written down by its clerk from a letter."""
    clerk = login_as(app, "clerk-a")
    page = "/manage/complaints/register"
    csrf, token = form_token(clerk, page)
    form = matter_form(
        world.village_a.code, kind="report", channel="letter_box", title=TITLE, body=BODY, contact_name="欧阳明远"
    )
    form.update(csrf_token=csrf, form_token=token)
    receipt = file_matter(clerk, world.village_a.code, page=page, **form)
    with app.app_context():
        matter = db.session.scalar(select(Matter).where(Matter.number == receipt.number))
        assert matter.conflict_of_interest and matter.registered_by_id == world.accounts["clerk_a"].id
        return Registered(receipt=receipt, matter_id=matter.id, clerk=clerk, form=form)


def _same(first, second, typed: tuple[str, str] = ("", "")) -> None:
    """Two answers that must not tell anything apart: status, type and body, CSRF tokens aside and
    with what was typed into the second (typed[1]) read as what was typed into the first (typed[0])."""
    assert first.status_code == second.status_code
    assert first.mimetype == second.mimetype
    one, other = (_CSRF.sub(r"\1…\2", r.get_data(as_text=True)) for r in (first, second))
    assert one == (other.replace(typed[1], typed[0]) if typed[1] else other)


def test_the_villager_and_the_inspectors_follow_it_with_the_receipt(app, paper_report):
    receipt = paper_report.receipt
    assert FOUND in track(Browser(app.test_client()), receipt.number, receipt.code).get_data(as_text=True)
    for username in ("inspector", "county-inspector"):
        assert FOUND in track(login_as(app, username), receipt.number, receipt.code).get_data(as_text=True)


@pytest.mark.parametrize("username", VILLAGE_ACCOUNTS)
def test_track_with_the_real_receipt_answers_as_an_unknown_number(app, paper_report, username):
    receipt = paper_report.receipt
    staff = login_as(app, username)
    real = track(staff, receipt.number, receipt.code)
    assert real.status_code == 422 and FOUND not in real.get_data(as_text=True)
    _same(real, track(staff, UNKNOWN_NUMBER, receipt.code), (receipt.number, UNKNOWN_NUMBER))
    _same(real, track(staff, receipt.number, WRONG_CODE), (receipt.code, WRONG_CODE))
    for secret in (TITLE, BODY):
        assert secret not in real.get_data(as_text=True)


@pytest.mark.parametrize("username", VILLAGE_ACCOUNTS)
@pytest.mark.parametrize(
    ("path", "fields"),
    [
        ("/track/information", {"text": "补充：还有一笔五万元。"}),
        ("/track/rating", {"rating": "unsatisfied"}),
        ("/track/review", {"reason": "答复没有说清楚钱的去向。"}),
        ("/complaints/receipt.pdf", {}),
    ],
)
def test_every_step_taken_with_the_receipt_answers_as_for_an_unknown_number(app, paper_report, username, path, fields):
    receipt = paper_report.receipt
    staff = login_as(app, username)
    real = staff.post(path, {"number": receipt.number, "code": receipt.code, **fields})
    unknown = staff.post(path, {"number": UNKNOWN_NUMBER, "code": receipt.code, **fields})
    assert real.status_code == 422
    _same(real, unknown, (receipt.number, UNKNOWN_NUMBER))
    anonymous = Browser(app.test_client()).post(path, {"number": receipt.number, "code": receipt.code, **fields})
    # The same request from the villager reaches the matter (its status page, or the PDF receipt).
    assert anonymous.mimetype == "application/pdf" or FOUND in anonymous.get_data(as_text=True)


def test_sending_the_registration_form_again_shows_no_receipt_to_the_clerk(app, paper_report):
    # The same session, the same form: an ordinary matter would show its receipt again (test_replay).
    again = paper_report.clerk.client.post("/manage/complaints/register", data=dict(paper_report.form))
    html = again.get_data(as_text=True)
    assert again.status_code == 200 and 'data-testid="filed-before"' in html
    assert paper_report.receipt.code not in html and paper_report.receipt.number not in html
    assert TITLE not in html
    with app.app_context():
        assert db.session.query(Matter).count() == 1  # and nothing was filed twice


STEPS = [
    ("accept", {}),
    ("decline", {"text": "不属于受理范围"}),
    ("reply", {"text": "已核实"}),
    ("extension", {"days": "10", "reason": "需要调查"}),
    ("extension/decision", {"decision": "approve"}),
    ("review", {"text": "复查结论"}),
    ("close", {"text": "办结"}),
    ("contact", {}),
    ("code", {"identity": "id_card", "knows_matter": "y"}),
]


@pytest.mark.parametrize("username", VILLAGE_ACCOUNTS)
def test_staff_pages_and_steps_answer_as_for_a_matter_that_does_not_exist(app, paper_report, username):
    staff = login_as(app, username)
    matter_id = paper_report.matter_id
    queue = staff.get("/manage/complaints/")
    assert TITLE not in queue.get_data(as_text=True) and paper_report.receipt.number not in queue.get_data(as_text=True)
    for path in ("/manage/complaints/{}", "/manage/complaints/{}/photos/1"):
        _same(staff.get(path.format(matter_id)), staff.get(path.format(99999)))
    for step, fields in STEPS:
        real = staff.post(f"/manage/complaints/{matter_id}/{step}", fields)
        _same(real, staff.post(f"/manage/complaints/{99999}/{step}", fields))
        assert real.status_code in (403, 404), step


@pytest.mark.parametrize("username", VILLAGE_ACCOUNTS)
def test_search_api_feeds_and_public_pages_do_not_show_it_to_village_accounts(app, world, paper_report, username):
    staff = login_as(app, username)
    pages = [
        f"/search?q={quote('挪用修路款')}",
        f"/search?q={quote('挪用修路款')}&village={world.village_a.id}",
        f"/api/v1/search?q={quote('挪用修路款')}",
        f"/api/v1/matters?village={world.village_a.code}",
        f"/api/v1/matters/{paper_report.matter_id}",
        f"/v/{world.village_a.code}/matters",
        f"/m/{paper_report.matter_id}",
        f"/v/{world.village_a.code}/feed.atom",
        f"/t/{world.township.code}/feed.atom",
        "/audit/export.jsonl",
        "/manage/",
    ]
    for url in pages:
        body = staff.get(url).get_data(as_text=True)
        for secret in (TITLE, "钱有财", paper_report.receipt.number):
            assert secret not in body, (url, secret)


def test_a_clerk_cannot_reissue_its_code_even_through_the_service(app, world, paper_report):
    with app.app_context():
        matter = db.session.get(Matter, paper_report.matter_id)
        with pytest.raises(NotAllowed):
            services.reissue_code(db.session, matter=matter, actor=world.accounts["clerk_a"], identity_check="id_card")
        found = services.find_by_tracking(
            db.session, paper_report.receipt.number, paper_report.receipt.code, viewer=world.accounts["clerk_a"]
        )
        assert found is None
        inspector = world.accounts["inspector"]
        assert services.find_by_tracking(
            db.session, paper_report.receipt.number, paper_report.receipt.code, viewer=inspector
        )


def _matter(world, *, routed_around: bool) -> Matter:
    return Matter(
        code_digest="0" * 64,
        kind=MatterKind.REPORT if routed_around else MatterKind.COMPLAINT,
        channel=Channel.LETTER_BOX,
        village_id=world.village_a.id,
        title=TITLE,
        body=BODY,
        handler_level=HandlerLevel.TOWNSHIP if routed_around else HandlerLevel.VILLAGE,
        conflict_of_interest=routed_around,
    )


@pytest.mark.parametrize("routed_around", [True, False])
def test_one_rule_hides_it_from_every_village_account_and_from_nobody_else(app, world, routed_around):
    with app.app_context():
        matter = _matter(world, routed_around=routed_around)
        matter.village = db.session.get(type(world.village_a), world.village_a.id)
        accounts: dict[str, Account | None] = {key: db.session.merge(a) for key, a in world.accounts.items()}
        accounts["anonymous"] = None
        village_accounts = {"clerk_a", "reviewer_a", "clerk_b", "reviewer_b"}
        for key, account in accounts.items():
            hidden = hidden_from(account, matter)
            assert hidden is (routed_around and key in village_accounts), key
            if hidden:
                assert not may_see(account, matter), key
        assert may_see(accounts["clerk_a"], matter) is not routed_around  # an ordinary matter: the clerk's own
        assert may_see(accounts["inspector"], matter)
        db.session.rollback()

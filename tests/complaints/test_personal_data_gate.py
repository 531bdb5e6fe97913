"""The personal-data gate on matters: what a villager asks to make public, and every public step."""

from __future__ import annotations

import html

import pytest
from sqlalchemy import func, select

from tests.complaints.helpers import file_matter, form_token, matter_form
from tests.conftest import login_as
from transparency.complaints import services
from transparency.complaints.errors import NotAllowed
from transparency.complaints.models import EventKind, Matter, MatterEvent, MatterKind
from transparency.core.db import db
from transparency.core.personal_data import id_check_digit

ID = "51139919800101123" + id_check_digit("51139919800101123")
MOBILE = "13987654321"


def _matters(app) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count(Matter.id)))


def _post(browser, code, **overrides):
    csrf, token = form_token(browser)
    data = {"csrf_token": csrf, "form_token": token, **matter_form(code, **overrides)}
    return browser.client.post("/complaints/new", data=data, content_type="multipart/form-data")


@pytest.mark.parametrize("field", ["title", "body"])
def test_a_number_in_a_public_filing_gets_a_plain_message_and_the_text_is_kept(app, world, browser, field):
    typed = f"路灯坏了，请打我电话{MOBILE}"
    response = _post(browser, world.village_a.code, wants_public="y", **{field: typed})
    page = html.unescape(response.get_data(as_text=True))
    assert response.status_code == 422
    assert "电话请填在下面的“电话”栏，只有办理人能看到" in page
    assert typed in page
    assert _matters(app) == 0


def test_a_private_filing_may_hold_a_number_the_handler_alone_reads(app, world, browser):
    file_matter(browser, world.village_a.code, body=f"请打我电话{MOBILE}")
    assert _matters(app) == 1


def _public_matter(app, world, browser) -> int:
    receipt = file_matter(browser, world.village_a.code, wants_public="y")
    with app.app_context():
        return db.session.scalar(select(Matter.id).where(Matter.number == receipt.number))


def _events(app, matter_id: int) -> list[EventKind]:
    with app.app_context():
        return list(db.session.scalars(select(MatterEvent.kind).where(MatterEvent.matter_id == matter_id)))


def test_a_clerk_reply_with_an_id_number_is_refused_naming_the_place(app, world, browser):
    matter_id = _public_matter(app, world, browser)
    clerk = login_as(app, "clerk-a")
    assert clerk.post(f"/manage/complaints/{matter_id}/accept").status_code == 302
    typed = f"已核实，补贴发给了身份证{ID}的户主"
    response = clerk.post(f"/manage/complaints/{matter_id}/reply", {"text": typed})
    page = html.unescape(response.get_data(as_text=True))
    assert response.status_code == 422
    assert "答复第 1 行第 13 个字符处有未遮盖的身份证号" in page
    assert typed in page
    assert EventKind.REPLIED not in _events(app, matter_id)


def test_a_decline_reason_with_a_mobile_is_refused(app, world, browser):
    matter_id = _public_matter(app, world, browser)
    clerk = login_as(app, "clerk-a")
    response = clerk.post(f"/manage/complaints/{matter_id}/decline", {"text": f"请联系{MOBILE}"})
    assert response.status_code == 422
    assert "不予受理第 1 行第 4 个字符处有未遮盖的手机号" in html.unescape(response.get_data(as_text=True))
    assert EventKind.DECLINED not in _events(app, matter_id)


def test_services_refuse_too_so_imports_the_cli_and_the_demo_cannot_go_around(app, world):
    with app.app_context():
        new = services.NewMatter(
            kind=MatterKind.SUGGESTION, village=world.village_a, title="建议", body=f"电话{MOBILE}", wants_public=True
        )
        with pytest.raises(NotAllowed):
            services.register(db.session, new=new)
        db.session.rollback()
        matter = services.register(
            db.session,
            new=services.NewMatter(
                kind=MatterKind.SUGGESTION, village=world.village_a, title="建议", body="修路", wants_public=True
            ),
        ).matter
        clerk = db.session.merge(world.accounts["clerk_a"])
        services.accept(db.session, matter=matter, actor=clerk)
        # Each refused step leaves the matter as it was: the extension is tried before the reply.
        with pytest.raises(NotAllowed, match="申请延期第 1 行第 2 个字符处有未遮盖的手机号"):
            services.request_extension(db.session, matter=matter, actor=clerk, days=5, reason=f"问{MOBILE}")
        with pytest.raises(NotAllowed, match="答复第 1 行第 4 个字符处有未遮盖的身份证号"):
            services.reply(db.session, matter=matter, actor=clerk, text=f"身份证{ID}")
        db.session.rollback()


def test_a_private_matter_step_may_hold_a_number(app, world):
    with app.app_context():
        matter = services.register(
            db.session, new=services.NewMatter(kind=MatterKind.QUESTION, village=world.village_a, title="问", body="问")
        ).matter
        clerk = db.session.merge(world.accounts["clerk_a"])
        services.accept(db.session, matter=matter, actor=clerk)
        services.reply(db.session, matter=matter, actor=clerk, text=f"请致电村委会{MOBILE}")
        assert matter.events[-1].kind is EventKind.REPLIED
        db.session.rollback()

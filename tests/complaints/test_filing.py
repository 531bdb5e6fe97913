"""Filing and looking up a matter: bad input gets a message, keeps the typed text, never a 500."""

from __future__ import annotations

import io

import pytest
from sqlalchemy import func, select

from tests.complaints.helpers import RECEIPT, file_matter, form_token, matter_form, track
from tests.conftest import Browser, running_app
from transparency.complaints import services
from transparency.complaints.models import Matter, MatterKind
from transparency.core.db import db


def count(app) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count(Matter.id)))


def post_form(browser: Browser, village_code: str, **overrides):
    csrf, token = form_token(browser)
    data = {"csrf_token": csrf, "form_token": token, **matter_form(village_code, **overrides)}
    return browser.client.post("/complaints/new", data=data, content_type="multipart/form-data")


def test_the_form_says_who_will_see_what_and_defaults_to_anonymous(client, world):
    html = client.get("/complaints/new").get_data(as_text=True)
    assert 'data-testid="who-sees"' in html and "默认匿名" in html
    assert 'name="contact_name" type="text" value=""' in html
    assert 'name="wants_public" type="checkbox" value="y">' in html  # unticked


def test_a_filing_linked_to_a_disclosure_keeps_the_link(app, world, browser):
    from tests.disclosures.helpers import publish_ledger

    with app.app_context():
        version = publish_ledger(world)
        db.session.commit()
        disclosure_id = version.disclosure_id
    page = browser.get(f"/complaints/new?disclosure={disclosure_id}").get_data(as_text=True)
    assert f'name="disclosure" type="hidden" value="{disclosure_id}"' in page
    assert f'<option selected value="{world.village_a.code}">' in page
    receipt = file_matter(
        browser, world.village_a.code, page=f"/complaints/new?disclosure={disclosure_id}", disclosure=str(disclosure_id)
    )
    with app.app_context():
        matter = db.session.scalar(select(Matter).where(Matter.number == receipt.number))
        assert matter.disclosure_id == disclosure_id


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"body": "字" * 5001}, "详细情况最多 5000 字"),
        ({"body": ""}, "请写下具体情况"),
        ({"title": "长" * 61}, "一句话说明最多 60 字"),
        ({"contact_phone": "call me maybe"}, "电话号码只能包含数字"),
        ({"village": "999999999999"}, "不是有效的选择"),
        ({"kind": "bribe"}, "不是有效的选择"),
    ],
)
def test_bad_input_gets_a_message_and_keeps_the_typed_text(app, world, browser, overrides, message):
    kept = "村东头到小学门口的六盏路灯坏了三个月"
    response = post_form(browser, world.village_a.code, **overrides)
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert message in html
    if "body" not in overrides:
        assert kept in html
    assert count(app) == 0


def test_a_photo_that_is_not_a_photo_is_refused_and_the_text_kept(app, world, browser):
    response = post_form(browser, world.village_a.code, photos=(io.BytesIO(b"MZ\x90\x00 not a picture"), "证据.jpg"))
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "证据.jpg" in html and "村东头到小学门口" in html and "照片需要重新选择" in html
    assert count(app) == 0


def test_a_pdf_is_not_a_photo(app, world, browser):
    pdf = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
    response = post_form(browser, world.village_a.code, photos=(io.BytesIO(pdf), "scan.pdf"))
    assert response.status_code == 422 and "只能上传 JPG 或 PNG 照片" in response.get_data(as_text=True)


def test_the_honeypot_turns_simple_bots_away(app, world, browser):
    response = post_form(browser, world.village_a.code, website="http://spam.example")
    assert response.status_code == 422 and "提交没有成功" in response.get_data(as_text=True)
    assert count(app) == 0


def test_a_missing_csrf_token_is_refused(app, world, client):
    response = client.post("/complaints/new", data=matter_form(world.village_a.code))
    assert response.status_code == 400
    assert count(app) == 0


def test_reports_and_matters_about_officials_are_never_public_and_go_to_the_township(app, world, browser):
    for overrides in ({"kind": "report"}, {"concerns_officials": "y"}, {"named_officials": "村主任"}):
        file_matter(browser, world.village_a.code, wants_public="y", **overrides)
    file_matter(browser, world.village_a.code, wants_public="y", kind="suggestion")
    with app.app_context():
        matters = db.session.scalars(select(Matter).order_by(Matter.id)).all()
        assert [(m.is_public, m.handler_level.value) for m in matters] == [
            (False, "township"),
            (False, "township"),
            (False, "township"),
            (True, "village"),
        ]
        assert matters[0].kind is MatterKind.REPORT


@pytest.mark.parametrize(
    ("number", "code"),
    [
        ("2026-000001", "WRONG-CODE-XXXX-X"),
        ("2026-999999", None),  # unknown number, the real code
        ("' OR 1=1 --", None),
        ("2026-000001", "A" * 10_000),
        ("2026-000001", "\"'<script>"),
        ("😀", "😀"),
    ],
)
def test_a_wrong_code_and_an_unknown_number_look_the_same(app, world, browser, number, code):
    receipt = file_matter(browser, world.village_a.code)
    response = track(browser, number, code or receipt.code)
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert 'data-testid="status"' not in html
    assert "受理编号或查询码不对" in html


def test_the_code_is_forgiving_about_case_spaces_and_dashes(app, world, browser):
    receipt = file_matter(browser, world.village_a.code)
    typed = " ".join(receipt.code.replace("-", "").lower())
    page = track(browser, receipt.number.replace("-", ""), typed).get_data(as_text=True)
    assert 'data-testid="status"' in page


def test_lookups_are_rate_limited_per_client(world, database_url, tmp_path):
    with running_app(database_url, tmp_path, TRACK_RATE_LIMIT="3 per hour") as app:
        browser = Browser(app.test_client())
        answers = [track(browser, "2026-000001", "AAAA-BBBB-CCCC-D").status_code for _ in range(4)]
    assert answers == [422, 422, 422, 429]


def test_filings_are_rate_limited_per_client(world, database_url, tmp_path):
    with running_app(database_url, tmp_path, COMPLAINT_RATE_LIMIT="2 per hour") as app:
        browser = Browser(app.test_client())
        answers = [post_form(browser, world.village_a.code).status_code for _ in range(3)]
    assert answers == [200, 200, 429]


def test_an_upload_over_the_request_cap_explains_how_to_get_the_text_back(world, database_url, tmp_path):
    with running_app(database_url, tmp_path, MAX_CONTENT_LENGTH=200_000) as app:
        browser = Browser(app.test_client())
        response = post_form(browser, world.village_a.code, photos=(io.BytesIO(b"\xff" * 300_000), "大照片.jpg"))
        html = response.get_data(as_text=True)
    assert response.status_code == 413
    assert "返回" in html and "少选几张照片" in html


def test_a_form_posted_twice_at_once_shows_the_receipt_not_a_500(app, world, browser, monkeypatch):
    # Two simultaneous posts both pass the check before either commits; the unique token decides,
    # and the loser shows the winner's receipt.
    real = services.replayed
    calls: list[str] = []

    def misses_once(session, token, *, viewer):
        calls.append(token)
        return None if len(calls) <= 2 else real(session, token, viewer=viewer)

    monkeypatch.setattr("transparency.complaints.services.replayed", misses_once)
    csrf, token = form_token(browser)
    data = {"csrf_token": csrf, "form_token": token, **matter_form(world.village_a.code)}
    first = browser.client.post("/complaints/new", data=dict(data))
    again = browser.client.post("/complaints/new", data=dict(data))
    assert first.status_code == again.status_code == 200
    receipts = [RECEIPT.search(r.get_data(as_text=True)).groups() for r in (first, again)]
    assert receipts[0] == receipts[1]
    assert count(app) == 1

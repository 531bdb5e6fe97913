"""查我家: a household finds its own rows by name and the ID number's last four, only in its village."""

from __future__ import annotations

import io
import logging
import re

from openpyxl import load_workbook
from sqlalchemy import select

from tests.conftest import Browser, login_as, running_app
from tests.dataio.helpers import fill_template, upload
from tests.disclosures.helpers import version_id_from
from tests.disclosures.samples import COMPENSATION_FORM, ID_A, SUBSIDY_FORM
from transparency.core.db import db
from transparency.disclosures.models import CompensationRow

HEAD_ID = "110105195001011234"  # 王建国, head of the household in the compensation table


def publish(app, category: str, form: dict[str, str], clerk: str = "clerk-a", reviewer: str = "reviewer-a") -> int:
    writer = login_as(app, clerk)
    version_id = version_id_from(writer.post(f"/manage/new/{category}", form))
    return submit_and_approve(app, writer, version_id, reviewer)


def submit_and_approve(app, writer: Browser, version_id: int, reviewer: str = "reviewer-a") -> int:
    """The disclosure's id, once the clerk has submitted the draft and the reviewer approved it."""
    assert writer.post(f"/manage/versions/{version_id}/submit").status_code == 302
    signer = login_as(app, reviewer)
    name = "李德华" if reviewer == "reviewer-a" else "刘桂兰"
    response = signer.post(f"/manage/versions/{version_id}/approve", {"signed_name": name})
    assert response.status_code == 302, response.get_data(as_text=True)
    return int(re.search(r"/d/(\d+)", response.headers["Location"]).group(1))


def look_up(browser: Browser, village: str, name: str, last4: str):
    return browser.post(f"/v/{village}/household", {"name": name, "last4": last4})


def test_a_household_finds_its_subsidy_row_and_nothing_but_it(app, world):
    disclosure_id = publish(app, "subsidy", SUBSIDY_FORM)
    browser = Browser(app.test_client())
    response = look_up(browser, world.village_a.code, "王建国", ID_A[-4:].lower())
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and response.headers["Cache-Control"] == "no-store"
    (row,) = re.findall(r'data-testid="household-row">(.*?)</li>', page, re.S)
    assert "耕地地力保护补贴" in row and "¥1,579.80" in row and "1101**********002X" in row
    assert "✔" in row and "15 × ¥105.32 = ¥1,579.80" in row
    assert ID_A not in page and "李秀英" not in page
    assert f'href="/d/{disclosure_id}"' in row


def test_wrong_digits_and_wrong_names_get_the_same_answer(app, world):
    publish(app, "subsidy", SUBSIDY_FORM)
    browser = Browser(app.test_client())
    answers = [
        look_up(browser, world.village_a.code, name, last4)
        for name, last4 in (("王建国", "0021"), ("王建军", ID_A[-4:]), ("李秀英", ID_A[-4:]))
    ]
    # The same page but for the token and the name typed, which the form keeps.
    pages = {re.sub(r'name="(csrf_token|name)"[^>]*>', "", a.get_data(as_text=True)) for a in answers}
    assert len(pages) == 1 and all(a.status_code == 200 for a in answers)
    assert 'data-testid="household-not-found"' in pages.pop()


def test_the_lookup_never_crosses_villages(app, world):
    publish(app, "subsidy", SUBSIDY_FORM)
    browser = Browser(app.test_client())
    page = look_up(browser, world.village_b.code, "王建国", ID_A[-4:]).get_data(as_text=True)
    assert 'data-testid="household-not-found"' in page and "耕地地力保护补贴" not in page


def test_compensation_rows_keep_only_a_keyed_hash_and_are_found_by_it(app, world):
    form = {**COMPENSATION_FORM, "rows-0-id_number": HEAD_ID}
    publish(app, "land_compensation", form)
    with app.app_context():
        rows = db.session.scalars(select(CompensationRow).order_by(CompensationRow.position)).all()
        stored = [str(getattr(r, c.key)) for r in rows for c in CompensationRow.__mapper__.column_attrs]
        assert not any(HEAD_ID[-4:] in value or HEAD_ID in value for value in stored)
        assert len(rows[0].household_key) == 64 and rows[1].household_key is None
    browser = Browser(app.test_client())
    page = look_up(browser, world.village_a.code, "王建国", HEAD_ID[-4:]).get_data(as_text=True)
    (row,) = re.findall(r'data-testid="household-row">(.*?)</li>', page, re.S)
    assert "三组 01 号" in row and "¥47,400.00" in row
    assert "土地补偿：1.2 × ¥38,000.00 = ¥45,600.00" in row and "青苗补偿：1.2 × ¥1,500.00 = ¥1,800.00" in row


def test_an_imported_compensation_table_keys_its_households_and_never_publishes_the_number(app, world):
    clerk = login_as(app, "clerk-a")
    template = clerk.get("/data/templates/land_compensation.xlsx").data
    assert "户主身份证号" in _sheet_text(template)  # the clerk's template asks for it
    row = ["王建国户", "三组 01 号", "1.2", "45600.00", "1800.00", "0", "2026-05-10", HEAD_ID]
    response = upload(clerk, "land_compensation", fill_template(template, [row]), period_kind="day", day="2026-05-06")
    assert response.status_code == 302, response.get_data(as_text=True)[-2000:]
    disclosure_id = submit_and_approve(app, clerk, version_id_from(response))
    page = look_up(Browser(app.test_client()), world.village_a.code, "王建国", HEAD_ID[-4:]).get_data(as_text=True)
    (found,) = re.findall(r'data-testid="household-row">(.*?)</li>', page, re.S)
    assert "三组 01 号" in found
    visitor = app.test_client()
    for download in ("csv", "xlsx", "json"):
        body = visitor.get(f"/d/{disclosure_id}/v/1.{download}").data
        text = body.decode("utf-8", "replace") if download != "xlsx" else _sheet_text(body)
        assert "三组 01 号" in text and "身份证" not in text and HEAD_ID[-4:] not in text, download


def _sheet_text(xlsx: bytes) -> str:
    sheet = load_workbook(io.BytesIO(xlsx)).active
    return " ".join(str(value) for row in sheet.iter_rows(values_only=True) for value in row if value is not None)


def test_a_household_key_survives_an_edit_that_does_not_retype_the_number(app, world):
    clerk = login_as(app, "clerk-a")
    version_id = version_id_from(
        clerk.post("/manage/new/land_compensation", {**COMPENSATION_FORM, "rows-0-id_number": HEAD_ID})
    )
    edited = {k: v for k, v in COMPENSATION_FORM.items() if k not in ("period_kind", "day")}
    assert clerk.post(f"/manage/versions/{version_id}/edit", {**edited, "title": "改了标题"}).status_code == 302
    with app.app_context():
        first = db.session.scalars(select(CompensationRow).where(CompensationRow.household == "王建国户")).one()
        assert first.household_key is not None
    renamed = {**edited, "rows-0-household": "王建华户"}
    assert clerk.post(f"/manage/versions/{version_id}/edit", renamed).status_code == 302
    with app.app_context():
        first = db.session.scalars(select(CompensationRow).where(CompensationRow.household == "王建华户")).one()
        assert first.household_key is None  # the key belonged to the old name


def test_each_row_offers_a_question_about_it_with_the_village_preselected(app, world):
    disclosure_id = publish(app, "subsidy", SUBSIDY_FORM)
    browser = Browser(app.test_client())
    page = look_up(browser, world.village_a.code, "王建国", ID_A[-4:]).get_data(as_text=True)
    link = re.search(r'<a class="button secondary" data-testid="row-question" href="([^"]+)"', page).group(1)
    link = link.replace("&amp;", "&")
    assert f"disclosure={disclosure_id}" in link and "row=1" in link
    form = browser.get(link).get_data(as_text=True)
    assert re.search(rf'<option selected value="{world.village_a.code}">|value="{world.village_a.code}" selected', form)
    assert re.search(r'value="question"[^>]*checked|checked[^>]*value="question"', form)
    assert f'name="disclosure" type="hidden" value="{disclosure_id}"' in form or f'value="{disclosure_id}"' in form
    assert "对第 1 行有疑问" in form


def test_the_digits_are_never_logged(app, world, caplog):
    publish(app, "subsidy", SUBSIDY_FORM)
    browser = Browser(app.test_client())
    with caplog.at_level(logging.DEBUG):
        look_up(browser, world.village_a.code, "王建国", ID_A[-4:])
        look_up(browser, world.village_a.code, "王建国", "9999")
    assert not any(ID_A[-4:] in r.getMessage() or "9999" in r.getMessage() for r in caplog.records)


def test_bad_input_gets_a_chinese_message(app, world):
    response = look_up(Browser(app.test_client()), world.village_a.code, "", "12")
    page = response.get_data(as_text=True)
    assert response.status_code == 422 and "请填写户主姓名" in page and "最后四位" in page


def test_lookups_are_rate_limited_per_client(world, database_url, tmp_path):
    with running_app(database_url, tmp_path, HOUSEHOLD_LOOKUP_RATE_LIMIT="2 per hour") as app:
        browser = Browser(app.test_client())
        answers = [look_up(browser, world.village_a.code, "王建国", "1234").status_code for _ in range(3)]
    assert answers == [200, 200, 429]


def test_every_village_page_offers_the_lookup(app, world, client):
    page = client.get(f"/v/{world.village_a.code}").get_data(as_text=True)
    assert f'href="/v/{world.village_a.code}/household"' in page and "查我家" in page

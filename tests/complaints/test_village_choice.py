"""The right village, always: the form starts with 请选择村 and needs a choice; from a village's,
a disclosure's or a matter's page it arrives with that village chosen and says so (issue 15, point 1).
Also: the error summary names each field, and photos never chosen get no warning (point 8)."""

from __future__ import annotations

import io
import re

from sqlalchemy import func, select

from tests.complaints.helpers import form_token, matter_form
from transparency.complaints.models import Matter
from transparency.core.db import db

SELECTED = re.compile(r'<option selected value="(\d*)">')


def _form(client, query: str = "") -> str:
    return client.get(f"/complaints/new{query}").get_data(as_text=True)


def test_the_village_list_starts_empty_and_nothing_is_chosen(client, world):
    html = _form(client)
    select_html = re.search(r'<select[^>]*id="village".*?</select>', html, re.S).group(0)
    assert re.match(r'<select[^>]*required[^>]*><option value="">请选择村</option>', select_html)
    assert not SELECTED.findall(select_html)
    assert "已按您来的页面选好" not in html


def test_the_header_link_carries_the_village_of_the_page(client, world):
    html = client.get(f"/v/{world.village_b.code}").get_data(as_text=True)
    link = re.search(r'<a href="([^"]+)" data-testid="report-link">', html).group(1)
    assert link == f"/complaints/new?village={world.village_b.code}"
    home = client.get("/").get_data(as_text=True)
    assert '<a href="/complaints/new" data-testid="report-link">' in home


def test_from_a_village_page_the_village_arrives_chosen_and_the_form_says_so(client, world):
    html = _form(client, f"?village={world.village_b.code}")
    assert SELECTED.findall(html) == [world.village_b.code]
    assert "已按您来的页面选好：石桥镇 王家庄村。不是这个村，请改选。" in html


def test_an_unknown_village_in_the_link_chooses_nothing(client, world):
    html = _form(client, "?village=999999999999")
    assert not SELECTED.findall(html) and "已按您来的页面选好" not in html


def test_from_a_disclosure_the_village_of_the_disclosure_is_chosen(app, client, world):
    from tests.disclosures.helpers import publish_ledger

    with app.app_context():
        disclosure_id = publish_ledger(world).disclosure_id
        db.session.commit()
    page = client.get(f"/d/{disclosure_id}").get_data(as_text=True)
    assert f'href="/complaints/new?disclosure={disclosure_id}" data-testid="report-link"' in page
    html = _form(client, f"?disclosure={disclosure_id}")
    assert SELECTED.findall(html) == [world.village_a.code] and "石桥镇 石桥村" in html


def test_filing_without_choosing_a_village_is_refused_with_a_link_to_the_list(app, browser, world):
    csrf, token = form_token(browser)
    data = {"csrf_token": csrf, "form_token": token, **matter_form("")}
    response = browser.client.post("/complaints/new", data=data, content_type="multipart/form-data")
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert '<a href="#village">哪个村的事：请选择村</a>' in html
    with app.app_context():
        assert db.session.scalar(select(func.count(Matter.id))) == 0


def test_photos_never_chosen_get_no_warning(browser, world):
    csrf, token = form_token(browser)
    data = {"csrf_token": csrf, "form_token": token, **matter_form(world.village_a.code, body="")}
    data["photos"] = (io.BytesIO(b""), "")  # what a browser sends for an empty file input
    html = browser.client.post("/complaints/new", data=data, content_type="multipart/form-data").get_data(as_text=True)
    assert '<a href="#body">详细情况：请写下具体情况</a>' in html
    assert "照片需要重新选择" not in html


def test_a_matter_page_offers_a_new_matter_about_the_same_village(app, browser, world):
    from tests.complaints.helpers import file_matter

    receipt = file_matter(browser, world.village_a.code, wants_public="y", kind="suggestion")
    with app.app_context():
        matter_id = db.session.scalar(select(Matter.id).where(Matter.number == receipt.number))
    html = browser.get(f"/m/{matter_id}").get_data(as_text=True)
    assert f'href="/complaints/new?village={world.village_a.code}" data-testid="report-link"' in html

"""The issue's attack through the real forms: six 7745×7745 PNGs (1.4 MB, 180 MB each decoded) in
one anonymous filing, or in the villager's added information. Refused at once with a message in
Chinese, the typed text kept, nothing written, no 500, no child process started."""

from __future__ import annotations

import io
import multiprocessing
import time

import pytest
from sqlalchemy import func, select

from tests.complaints.helpers import file_matter, form_token, matter_form
from tests.core.test_image_budget import solid_png
from transparency.complaints.models import Matter, MatterPhoto
from transparency.core.db import db


@pytest.fixture(scope="module")
def bomb() -> bytes:
    return solid_png(7745, 7745)


def _photo_count(app) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count(MatterPhoto.id)))


def test_six_bombs_in_one_filing_are_refused_within_two_seconds(app, world, browser, bomb):
    csrf, token = form_token(browser)
    photos = [(io.BytesIO(bomb), f"照片{n}.png") for n in range(6)]
    data = {"csrf_token": csrf, "form_token": token, **matter_form(world.village_a.code), "photos": photos}
    started = time.perf_counter()
    response = browser.client.post("/complaints/new", data=data, content_type="multipart/form-data")
    elapsed = time.perf_counter() - started
    response.request.input_stream.close()  # a body over 500 KB is spooled to a temporary file
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "7745×7745" in html and "请缩小后再上传" in html
    assert "村东头到小学门口" in html  # the typed text is kept
    assert elapsed < 2
    assert multiprocessing.active_children() == []
    with app.app_context():
        assert db.session.scalar(select(func.count(Matter.id))) == 0


def test_a_bomb_in_the_added_information_is_refused_and_the_text_kept(app, world, browser, bomb):
    receipt = file_matter(browser, world.village_a.code)
    data = {
        "number": receipt.number,
        "code": receipt.code,
        "text": "路灯又坏了两盏，见照片。",
        "photos": [(io.BytesIO(bomb), "夜里.png")],
    }
    started = time.perf_counter()
    response = browser.post("/track/information", data, content_type="multipart/form-data")
    assert time.perf_counter() - started < 2
    response.request.input_stream.close()
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "7745×7745" in html and "路灯又坏了两盏" in html
    assert _photo_count(app) == 0

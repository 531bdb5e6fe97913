"""The upload path (issue 12, point 8): each image's cost is booked against the request's budget
from its header, then the image is cleaned in a bounded child process; each PDF is parsed and
inspected in one. The attacker's request of the issue — six 7745×7745 PNGs — is refused at the
first image, before anything is decoded and before any child is started."""

from __future__ import annotations

import multiprocessing
import time

import pytest
from flask import Flask
from flask_babel import Babel
from PIL import Image, ImageFile

from tests.core.test_image_budget import solid_png
from tests.core.test_pdf_safety import ESCAPED, raw_pdf
from transparency.core import limits as limits_module
from transparency.core.image_budget import request_budget
from transparency.core.limits import Limits, WorkBusy, WorkOutOfMemory, WorkTimedOut
from transparency.core.uploads import RejectedUpload, clean_upload

MB = 1024 * 1024


@pytest.fixture
def app() -> Flask:
    app = Flask(__name__)
    Babel(app)
    return app


def upload(name: str, data: bytes, **kwargs):
    return clean_upload(name, data, max_bytes=10 * MB, **kwargs)


def test_six_bombs_in_one_request_are_refused_before_any_decoding(app, monkeypatch):
    bomb = solid_png(7745, 7745)

    def never(self, *args, **kwargs):
        raise AssertionError("decoded")

    monkeypatch.setattr(ImageFile.ImageFile, "load", never)
    monkeypatch.setattr(Image.Image, "load", never)
    with app.test_request_context():
        started = time.perf_counter()
        for number in range(6):
            with pytest.raises(RejectedUpload, match="7745×7745"):
                upload(f"bomb{number}.png", bomb)
        assert time.perf_counter() - started < 2
        assert request_budget().spent == 0
    assert multiprocessing.active_children() == []  # no child was even started


def test_photos_over_the_request_total_are_refused(app):
    photo = solid_png(2000, 2000)  # 12 MB decoded each
    with app.test_request_context():
        app.config["IMAGE_REQUEST_DECODE_BUDGET"] = 30 * MB
        upload("a.png", photo)
        upload("b.png", photo)
        with pytest.raises(RejectedUpload, match="合计太大"):
            upload("c.png", photo)


def test_a_photo_is_cleaned_in_a_bounded_child_and_a_plain_pdf_passes(app, monkeypatch):
    ran = []
    real = limits_module._run_in_child
    monkeypatch.setattr(limits_module, "_run_in_child", lambda target, *rest: ran.append(target) or real(target, *rest))
    with app.test_request_context():
        photo = upload("photo.png", solid_png(640, 480))
        assert photo.media_type == "image/png" and photo.filename == "photo.png"
        assert request_budget().spent == 640 * 480 * 3
        scan = upload("scan.pdf", raw_pdf())
        assert scan.media_type == "application/pdf"
    assert [target.__name__ for target in ran] == ["_clean_image", "pdf_features"]


@pytest.mark.parametrize(("data", "written", "expected"), ESCAPED)
def test_a_pdf_with_escaped_names_is_refused_in_the_upload_path(app, data, written, expected):
    with app.test_request_context(), pytest.raises(RejectedUpload, match="不能上传"):
        upload("disclosure.pdf", data)


def test_a_pdf_is_not_a_photo(app, monkeypatch):
    monkeypatch.setattr(limits_module, "run_bounded", None)  # refused before any inspection
    with app.test_request_context(), pytest.raises(RejectedUpload, match="不是照片"):
        upload("scan.pdf", raw_pdf(), images_only=True)


def test_a_refusal_from_the_cleaning_child_comes_back_in_chinese(app):
    with app.test_request_context(), pytest.raises(RejectedUpload, match="不是 JPEG、PNG"):
        upload("cut.png", solid_png(64, 64)[:60])


@pytest.mark.parametrize(
    ("stopped", "message"),
    [
        (WorkTimedOut("slow"), "处理时间过长"),
        (WorkOutOfMemory("big"), "占用内存过多"),
        (WorkBusy("busy"), "服务器正忙"),
    ],
)
def test_a_child_stopped_by_its_limits_refuses_the_file(app, monkeypatch, stopped, message):
    def stopping(*args, **kwargs):
        raise stopped

    monkeypatch.setattr("transparency.core.uploads.run_bounded", stopping)
    with app.test_request_context(), pytest.raises(RejectedUpload, match=message):
        upload("photo.png", solid_png(64, 64))


def test_the_cleaning_child_is_really_capped(app):
    """A 40 MB decode under a 16 MB address-space cap over the forkserver's own: refused, no crash."""
    with app.test_request_context():
        tight = Limits(time_limit=10, memory_limit=_forkserver_size() + 16 * MB, pool="test")
        with pytest.raises(RejectedUpload, match="占用内存过多"):
            upload("large.png", solid_png(3650, 3650), limits=tight)


def _forkserver_size() -> int:
    """The address space a child starts with (that of the forkserver's preloaded modules)."""
    from tests.core.limits_helpers import address_space

    return limits_module.run_bounded(address_space, limits=Limits(time_limit=10, memory_limit=4096 * MB, pool="test"))

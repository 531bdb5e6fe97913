"""The upload path as it is to be wired (issue 12, point 8): each image's cost is booked against
the request's budget from its header, then the image is cleaned in a bounded child process;
each PDF is inspected in one. The attacker's request of the issue — six 7745×7745 PNGs — is
refused at the first image, before anything is decoded."""

from __future__ import annotations

import multiprocessing
from functools import partial

import pytest
from flask import Flask
from flask_babel import Babel
from PIL import Image, ImageFile

from tests.core.test_image_budget import solid_png
from tests.core.test_pdf_safety import ESCAPED, raw_pdf
from transparency.core.image_budget import ImageTooCostly, request_budget
from transparency.core.limits import Limits, run_bounded, upload_limits
from transparency.core.pdf_safety import UnsafePdf, check_pdf
from transparency.core.uploads import CleanFile, RejectedUpload, clean_upload

MB = 1024 * 1024


@pytest.fixture
def app() -> Flask:
    app = Flask(__name__)
    Babel(app)
    return app


def checked_upload(filename: str, data: bytes, limits: Limits) -> CleanFile:
    """What the attachment form's handling would do with each file (the wiring, in small)."""
    if data.startswith(b"%PDF-"):
        check_pdf(data, limits=limits)
    else:
        request_budget().charge(data, name=filename)
    return run_bounded(
        partial(clean_upload, max_bytes=10 * MB),
        filename,
        data,
        limits=limits,
        passes=(RejectedUpload,),
        preload=["transparency.core.uploads"],
    )


def test_six_bombs_in_one_request_are_refused_before_any_decoding(app, monkeypatch):
    bomb = solid_png(7745, 7745)

    def never(self, *args, **kwargs):
        raise AssertionError("decoded")

    monkeypatch.setattr(ImageFile.ImageFile, "load", never)
    monkeypatch.setattr(Image.Image, "load", never)
    with app.test_request_context():
        limits = upload_limits(app.config)
        for number in range(6):
            with pytest.raises(ImageTooCostly):
                checked_upload(f"bomb{number}.png", bomb, limits)
        assert request_budget().spent == 0
    assert multiprocessing.active_children() == []  # no child was even started


def test_a_photo_is_cleaned_in_a_bounded_child_and_a_plain_pdf_passes(app):
    with app.test_request_context():
        limits = upload_limits(app.config)
        photo = checked_upload("photo.png", solid_png(640, 480), limits)
        assert photo.media_type == "image/png" and photo.filename == "photo.png"
        assert request_budget().spent == 640 * 480 * 3
        scan = checked_upload("scan.pdf", raw_pdf(), limits)
        assert scan.media_type == "application/pdf"


def test_a_pdf_with_escaped_javascript_is_refused_in_the_upload_path(app):
    with app.test_request_context(), pytest.raises(UnsafePdf, match="JavaScript"):
        checked_upload("disclosure.pdf", ESCAPED[0][0], upload_limits(app.config))


def test_a_refusal_from_the_cleaning_child_comes_back_as_itself(app):
    with app.test_request_context(), pytest.raises(RejectedUpload, match="不是 JPEG、PNG"):
        checked_upload("cut.png", solid_png(64, 64)[:60], upload_limits(app.config))

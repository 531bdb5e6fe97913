"""An image's decoding cost is read from its header and judged before any pixel is decoded;
each request has a total budget; Pillow's bomb guard ends in the same clean refusal."""

from __future__ import annotations

import io
import struct
import zlib

import pytest
from flask import Flask
from flask_babel import Babel
from PIL import Image, ImageFile

from transparency.core.image_budget import (
    MIB,
    DecodeBudget,
    ImageTooCostly,
    NotAnImage,
    budget_from_config,
    decode_cost,
    request_budget,
)

# PNG colour types: bands per pixel.
GRAY, RGB, RGBA = 0, 2, 6
BANDS = {GRAY: 1, RGB: 3, RGBA: 4}


def _chunk(kind: bytes, body: bytes) -> bytes:
    return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))


def solid_png(width: int, height: int, colour_type: int = RGB, *, frames: int = 1) -> bytes:
    """A valid PNG of one colour, compressed row by row: never holds the decoded image in memory."""
    row = b"\x00" + b"\x00" * (width * BANDS[colour_type])  # filter byte "none", then black pixels
    packer = zlib.compressobj(9)
    idat = b"".join(packer.compress(row) for _ in range(height)) + packer.flush()
    header = _chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, colour_type, 0, 0, 0))
    animation = _chunk(b"acTL", struct.pack(">II", frames, 0)) if frames > 1 else b""
    return b"\x89PNG\r\n\x1a\n" + header + animation + _chunk(b"IDAT", idat) + _chunk(b"IEND", b"")


@pytest.fixture(scope="module")
def bomb() -> bytes:
    """7745 × 7745 RGB: 59,985,025 pixels, just under a 60-megapixel cap, 180 MB decoded."""
    return solid_png(7745, 7745)


@pytest.fixture(scope="module")
def phone_photo() -> bytes:
    """4000 × 3000 RGB, the usual 12-megapixel photo."""
    return solid_png(4000, 3000)


@pytest.fixture
def nothing_is_decoded(monkeypatch):
    def refuse_to_decode(self, *args, **kwargs):
        raise AssertionError("an image was decoded before its cost was judged")

    monkeypatch.setattr(ImageFile.ImageFile, "load", refuse_to_decode)
    monkeypatch.setattr(Image.Image, "load", refuse_to_decode)


def budget() -> DecodeBudget:
    return budget_from_config({})


def test_the_test_images_are_real_pngs(phone_photo):
    with Image.open(io.BytesIO(solid_png(40, 30))) as image:
        image.load()
        assert image.size == (40, 30) and image.getpixel((5, 5)) == (0, 0, 0)
    with Image.open(io.BytesIO(phone_photo)) as image:
        assert image.size == (4000, 3000) and image.mode == "RGB"


def test_the_cost_is_pixels_times_bands_times_band_bytes_times_frames(nothing_is_decoded, bomb):
    cost = decode_cost(bomb)
    assert (cost.format, cost.width, cost.height, cost.bands, cost.band_bytes, cost.frames) == (
        "PNG",
        7745,
        7745,
        3,
        1,
        1,
    )
    assert cost.bytes == 7745 * 7745 * 3
    # 50 animation frames declared in acTL, and the IDAT image shown by viewers without APNG support
    assert decode_cost(solid_png(100, 100, RGBA, frames=50)).bytes == 100 * 100 * 4 * 51


def test_a_bomb_just_under_the_pixel_cap_is_refused_without_being_decoded(nothing_is_decoded, bomb):
    assert len(bomb) < 2 * MIB and 7745 * 7745 < 60_000_000
    with pytest.raises(ImageTooCostly, match="7745×7745 像素"):
        budget().charge(bomb, name="bomb.png")


def test_a_grayscale_bomb_of_sixty_megapixels_is_refused_too(nothing_is_decoded):
    with pytest.raises(ImageTooCostly):
        budget().charge(solid_png(7745, 7745, GRAY))


def test_an_animation_pays_for_every_frame(nothing_is_decoded):
    small = solid_png(1000, 1000, RGBA)
    budget().charge(small)  # 4 MB
    with pytest.raises(ImageTooCostly):
        budget().charge(solid_png(1000, 1000, RGBA, frames=20))  # 80 MB


def test_six_phone_photos_in_one_request_pass(nothing_is_decoded, phone_photo):
    spending = budget()
    for _ in range(6):
        assert spending.charge(phone_photo).bytes == 36_000_000
    assert spending.spent == 216_000_000


def test_a_sixteen_megapixel_photo_passes(nothing_is_decoded):
    budget().charge(solid_png(4608, 3456))


def test_the_request_total_is_kept(nothing_is_decoded, phone_photo):
    spending = DecodeBudget(per_image=48 * MIB, per_request=100 * MIB)
    spending.charge(phone_photo)
    spending.charge(phone_photo)
    with pytest.raises(ImageTooCostly, match="合计太大"):
        spending.charge(phone_photo)
    assert spending.spent == 72_000_000  # the refused one is not booked
    spending.charge(solid_png(100, 100))  # a small one still fits


def test_pillows_bomb_guard_ends_in_the_same_refusal(nothing_is_decoded, monkeypatch):
    monkeypatch.setattr(Image, "MAX_IMAGE_PIXELS", 1_000)
    with pytest.raises(ImageTooCostly, match="像素过多"):
        decode_cost(solid_png(40, 30))  # past MAX_IMAGE_PIXELS: a warning, made an error here
    with pytest.raises(ImageTooCostly, match="像素过多"):
        decode_cost(solid_png(100, 100))  # past twice MAX_IMAGE_PIXELS: Pillow's own error


@pytest.mark.parametrize("data", [b"", b"<svg/>", b"\x89PNG\r\n\x1a\n" + b"\x00" * 30, b"GIF89a"])
def test_what_is_not_an_image_is_refused(data):
    with pytest.raises(NotAnImage):
        decode_cost(data, name="x.png")


def test_budgets_come_from_the_config():
    assert (budget().per_image, budget().per_request) == (48 * MIB, 320 * MIB)
    custom = budget_from_config({"IMAGE_DECODE_BUDGET": MIB, "IMAGE_REQUEST_DECODE_BUDGET": 2 * MIB})
    assert (custom.per_image, custom.per_request) == (MIB, 2 * MIB)


def test_each_request_has_its_own_budget(nothing_is_decoded, phone_photo):
    app = Flask(__name__)
    Babel(app)
    app.config["IMAGE_REQUEST_DECODE_BUDGET"] = 80 * MIB
    with app.test_request_context():
        request_budget().charge(phone_photo)
        request_budget().charge(phone_photo)
        assert request_budget().spent == 72_000_000
        with pytest.raises(ImageTooCostly):
            request_budget().charge(phone_photo)
    with app.test_request_context():
        assert request_budget().spent == 0

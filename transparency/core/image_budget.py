"""What an image will cost to decode, known from its header before a single pixel is decoded.

A 1 MB PNG of one colour can declare 7745 × 7745 pixels: 180 MB once decoded, several times
that while it is turned upright, converted and scaled, and seconds of CPU. A pixel cap alone
does not see the difference between one band of 8 bits and four of 16, nor an animation's
frames; so the cost here is bytes: width × height × bands × bytes per band × frames.

Pillow's `Image.open` is lazy: it reads the header (size, mode, frame count of an APNG or MPO)
and decodes nothing until `load()`. Pillow's own decompression-bomb guard fires at that point
too, and is turned into the same clean refusal.

Two budgets, both configurable:
- IMAGE_DECODE_BUDGET, per image, 48 MiB. A 16-megapixel phone photo (4608 × 3456, RGB) costs
  47.8 MB and passes, as do the common 12 MP (36 MB) and 13 MP (39 MB) ones; a 7745 × 7745
  RGB bomb (180 MB) is refused, and so is a grayscale one of 60 megapixels (60 MB), which a
  64 MiB budget would have let through. Photos from 48 MP sensors must be scaled down first
  (most phones save 12 MP by default).
- IMAGE_REQUEST_DECODE_BUDGET, per request, 320 MiB: nine 12 MP photos (324 MB) in one upload,
  more than a 25 MB request can carry in phone JPEGs; six bombs just under any per-image cap
  cannot add up to more than this.

Raises: NotAnImage, ImageTooCostly (both ImageRefused).
"""

from __future__ import annotations

import io
import warnings
from dataclasses import dataclass
from typing import Any

from flask import current_app, g
from flask_babel import gettext as _

MIB = 1024 * 1024
IMAGE_BUDGET_DEFAULTS: dict[str, int] = {
    "IMAGE_DECODE_BUDGET": 48 * MIB,
    "IMAGE_REQUEST_DECODE_BUDGET": 320 * MIB,
}


class ImageRefused(ValueError):
    """The upload is not an image this site will decode; the message says why, for the uploader."""


class NotAnImage(ImageRefused):
    pass


class ImageTooCostly(ImageRefused):
    pass


@dataclass(frozen=True)
class DecodeCost:
    """What the header of an image declares, and the bytes decoding it would take."""

    format: str
    width: int
    height: int
    bands: int
    band_bytes: int
    frames: int

    @property
    def bytes(self) -> int:
        return self.width * self.height * self.bands * self.band_bytes * self.frames

    @property
    def megabytes(self) -> int:
        return -(-self.bytes // MIB)


def decode_cost(data: bytes, *, name: str = "") -> DecodeCost:
    """The cost of decoding `data`, read from its header only. Raises NotAnImage, ImageTooCostly.

    Pillow is imported here, by the first upload, not with the app (issue 16: start-up, 5 MB)."""
    from PIL import Image, ImageMode, UnidentifiedImageError

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as image:
                mode = ImageMode.getmode(image.mode)
                return DecodeCost(
                    format=image.format or "",
                    width=image.width,
                    height=image.height,
                    bands=len(mode.bands),
                    band_bytes=int(mode.typestr[-1]),
                    frames=max(1, int(getattr(image, "n_frames", 1))),
                )
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise ImageTooCostly(_too_costly_message(name)) from None
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, KeyError, EOFError):
        raise NotAnImage(_("文件“%(name)s”不是能识别的图片", name=name or _("图片"))) from None


def _too_costly_message(name: str, cost: DecodeCost | None = None, limit: int | None = None) -> str:
    if cost is None or limit is None:
        return _("图片“%(name)s”像素过多，请缩小后再上传", name=name or _("图片"))
    return _(
        "图片“%(name)s”太大：%(width)s×%(height)s 像素，解码后约 %(megabytes)s MB，"
        "每张最多 %(limit)s MB。请缩小后再上传",
        name=name or _("图片"),
        width=cost.width,
        height=cost.height,
        megabytes=cost.megabytes,
        limit=limit // MIB,
    )


class DecodeBudget:
    """The bytes one request may spend on decoding images: each image, and all of them together.

    Not thread-safe: one budget belongs to one request.
    """

    def __init__(self, *, per_image: int, per_request: int) -> None:
        self.per_image = per_image
        self.per_request = per_request
        self.spent = 0

    @property
    def remaining(self) -> int:
        return self.per_request - self.spent

    def charge(self, data: bytes, *, name: str = "") -> DecodeCost:
        """Read the header of `data` and book its cost, before it is decoded.

        Raises NotAnImage, ImageTooCostly (and then books nothing).
        """
        cost = decode_cost(data, name=name)
        if cost.bytes > self.per_image:
            raise ImageTooCostly(_too_costly_message(name, cost, self.per_image))
        if cost.bytes > self.remaining:
            raise ImageTooCostly(
                _(
                    "这次上传的图片合计太大（解码后超过 %(limit)s MB），请缩小图片或分几次上传",
                    limit=self.per_request // MIB,
                )
            )
        self.spent += cost.bytes
        return cost


def budget_from_config(config: Any) -> DecodeBudget:
    """A fresh budget with the limits in `config` (IMAGE_DECODE_BUDGET, IMAGE_REQUEST_DECODE_BUDGET)."""

    def setting(key: str) -> int:
        value = config.get(key)
        return IMAGE_BUDGET_DEFAULTS[key] if value is None else int(value)

    return DecodeBudget(per_image=setting("IMAGE_DECODE_BUDGET"), per_request=setting("IMAGE_REQUEST_DECODE_BUDGET"))


def request_budget() -> DecodeBudget:
    """The current request's budget, made on first use and kept on `flask.g` until the request ends."""
    budget = g.get("image_decode_budget")
    if budget is None:
        budget = g.image_decode_budget = budget_from_config(current_app.config)
    return budget

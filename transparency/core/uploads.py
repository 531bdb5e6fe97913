"""Cleaning every upload (a disclosure's attachments, a complainant's photos) by its content.

Only JPEG, PNG and PDF. Images are decoded and re-encoded from their pixels, which drops
EXIF (GPS position, camera serial), comments and colour-profile blobs; large photos are
scaled down for cheap phones. PDFs are parsed as PDF and refused when they carry scripts,
automatic actions, launched programs or embedded files, however the names are spelled
(transparency/core/pdf_safety.py).

Anyone may upload, so nothing expensive runs in the web process (issue 12, point 8):
- an image's decoded size is read from its header and booked against the request's budget
  (transparency/core/image_budget.py) before a pixel is decoded: six 7745 × 7745 PNGs in one
  filing are refused at the first, in milliseconds;
- the decoding and re-encoding of an image, and the inspection of a PDF, run in a child process
  under the upload limits (transparency/core/limits.py, the print renderer's mechanism): a file
  that takes longer or more memory is killed and refused.

Raises: RejectedUpload (clean_upload).
"""

from __future__ import annotations

import io
import re
import warnings
from dataclasses import dataclass
from pathlib import PurePosixPath, PureWindowsPath
from typing import TYPE_CHECKING

from flask import current_app, has_app_context, has_request_context
from flask_babel import gettext as _

from transparency.core.image_budget import DecodeBudget, ImageRefused, NotAnImage, budget_from_config, request_budget
from transparency.core.limits import (
    Limits,
    WorkBusy,
    WorkFailed,
    WorkTimedOut,
    register_preload,
    run_bounded,
    upload_limits,
)
from transparency.core.pdf_safety import UnsafePdf, check_pdf
from transparency.core.text import clean_text

LONG_EDGE = 2560
IMAGE_TYPES = {"JPEG": ("image/jpeg", ".jpg"), "PNG": ("image/png", ".png")}
PDF_TYPE = ("application/pdf", ".pdf")

if TYPE_CHECKING:
    from PIL import Image

# The cleaning child is forked from a server that has this module and Pillow loaded already; the
# web process imports Pillow only when it reads an upload's header (image_budget.py).
register_preload(__name__, "PIL.Image", "PIL.ImageOps")


class RejectedUpload(ValueError):
    """The file is not an allowed type, is damaged, too large, too costly to decode, or unsafe."""


class _Undecodable(ValueError):
    """Raised in the cleaning child; the parent turns it into a message in the visitor's language."""


@dataclass(frozen=True)
class UploadedFile:
    """A file as the person handed it in, whatever the source (form or import); not yet trusted."""

    filename: str
    data: bytes


@dataclass(frozen=True)
class CleanFile:
    filename: str
    media_type: str
    data: bytes


def clean_upload(
    filename: str,
    data: bytes,
    *,
    max_bytes: int,
    images_only: bool = False,
    budget: DecodeBudget | None = None,
    limits: Limits | None = None,
) -> CleanFile:
    """Recognise the file by its content and return a safe copy.

    `images_only` refuses a PDF before it is inspected (a complainant's photos). `budget`
    defaults to the current request's image decode budget (a fresh one outside a request);
    `limits` to the app's upload limits (the defaults outside an app). Raises RejectedUpload.
    """
    shown = safe_filename(filename)
    if not data:
        raise RejectedUpload(_("文件“%(name)s”是空的", name=shown))
    if len(data) > max_bytes:
        raise RejectedUpload(
            _("文件“%(name)s”超过 %(megabytes)s MB，请压缩后再上传", name=shown, megabytes=max_bytes // (1024 * 1024))
        )
    config = current_app.config if has_app_context() else {}
    limits = limits or upload_limits(config)
    try:
        if data.startswith(b"%PDF-"):
            if images_only:
                raise RejectedUpload(_("“%(name)s”不是照片：只能上传 JPG 或 PNG 照片", name=shown))
            return _checked_pdf(shown, data, limits)
        if budget is None:
            budget = request_budget() if has_request_context() else budget_from_config(config)
        budget.charge(data, name=shown)  # before any decoding; raises ImageRefused
        return run_bounded(_clean_image, shown, data, limits=limits, passes=(_Undecodable,))
    except ImageRefused as error:
        if not isinstance(error, NotAnImage):
            raise RejectedUpload(str(error)) from None
        raise RejectedUpload(_("文件“%(name)s”不是 JPEG、PNG 图片或 PDF 文件", name=shown)) from None
    except _Undecodable:
        raise RejectedUpload(_("文件“%(name)s”不是 JPEG、PNG 图片或 PDF 文件", name=shown)) from None
    except (WorkTimedOut, WorkFailed):
        raise RejectedUpload(
            _("文件“%(name)s”处理时间过长或占用内存过多，请缩小或重新生成后再上传", name=shown)
        ) from None
    except WorkBusy:
        raise RejectedUpload(_("服务器正忙，文件“%(name)s”没有处理，请稍后再试", name=shown)) from None


def _checked_pdf(filename: str, data: bytes, limits: Limits) -> CleanFile:
    if b"%%EOF" not in data[-2048:]:
        raise RejectedUpload(_("文件“%(name)s”不是完整的 PDF", name=filename))
    try:
        check_pdf(data, limits=limits)
    except UnsafePdf as error:
        raise RejectedUpload(_("文件“%(name)s”：%(reason)s", name=filename, reason=str(error))) from None
    media_type, suffix = PDF_TYPE
    return CleanFile(_with_suffix(filename, suffix), media_type, data)


def _clean_image(filename: str, data: bytes) -> CleanFile:
    """Runs in the bounded child: decode, turn upright, keep only the pixels, scale down, re-encode.

    Raises _Undecodable.
    """
    from PIL import Image, ImageOps, UnidentifiedImageError

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as probe:
                if probe.format not in IMAGE_TYPES:
                    raise _Undecodable(probe.format)
                probe.verify()
            with Image.open(io.BytesIO(data)) as image:
                image_format = image.format
                image.load()
                upright = ImageOps.exif_transpose(image)
    except (
        UnidentifiedImageError,
        OSError,
        SyntaxError,
        ValueError,
        Image.DecompressionBombError,
        Image.DecompressionBombWarning,
    ):
        raise _Undecodable(filename) from None

    pixels = _pixels_only(upright, image_format)
    pixels.thumbnail((LONG_EDGE, LONG_EDGE))
    out = io.BytesIO()
    if image_format == "JPEG":
        pixels.save(out, "JPEG", quality=85, optimize=True)
    else:
        pixels.save(out, "PNG", optimize=True)
    media_type, suffix = IMAGE_TYPES[image_format]
    return CleanFile(_with_suffix(filename, suffix), media_type, out.getvalue())


def _pixels_only(image: Image.Image, image_format: str) -> Image.Image:
    """A new image holding only the pixels: no EXIF, XMP, ICC, text chunks or comments."""
    from PIL import Image

    mode = image.mode
    if mode == "P" and "transparency" in image.info:
        mode = "RGBA"
    if image_format == "JPEG" and mode not in ("RGB", "L"):
        mode = "RGB"
    elif image_format == "PNG" and mode not in ("RGB", "RGBA", "L", "LA", "P"):
        mode = "RGBA"
    source = image.convert(mode) if mode != image.mode else image
    clean = Image.frombytes(source.mode, source.size, source.tobytes())
    if source.mode == "P":
        clean.putpalette(source.getpalette() or [])
    return clean


def safe_filename(filename: str) -> str:
    """The last path component, cleaned of control characters and oddities, at most 80 characters."""
    name = clean_text(filename) or ""
    name = PureWindowsPath(PurePosixPath(name).name).name
    name = re.sub(r'[<>:"/\\|?*\x00-\x1f]', "_", name).strip(" .")
    return name[-80:] or "附件"


def _with_suffix(filename: str, suffix: str) -> str:
    stem = filename.rsplit(".", 1)[0] if "." in filename else filename
    return (stem or "附件") + suffix

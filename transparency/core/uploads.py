"""Cleaning every upload (a disclosure's attachments, a complainant's photos) by its content.

Only JPEG, PNG and PDF. Images are decoded and re-encoded from their pixels, which drops
EXIF (GPS position, camera serial), comments and colour-profile blobs; large photos are
scaled down for cheap phones. PDFs must look like PDFs and carry no scripts or embedded files.
"""

from __future__ import annotations

import io
import re
import warnings
from dataclasses import dataclass
from pathlib import PurePosixPath, PureWindowsPath

from flask_babel import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

from transparency.core.text import clean_text

MAX_PIXELS = 60_000_000
LONG_EDGE = 2560
IMAGE_TYPES = {"JPEG": ("image/jpeg", ".jpg"), "PNG": ("image/png", ".png")}
PDF_TYPE = ("application/pdf", ".pdf")
# PDF features a bulletin-board scan never needs and an attacker loves.
PDF_ACTIVE_CONTENT = (b"/JavaScript", b"/JS", b"/Launch", b"/EmbeddedFile", b"/OpenAction", b"/AA")


class RejectedUpload(ValueError):
    """The file is not an allowed type, is damaged, or is too large."""


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


def clean_upload(filename: str, data: bytes, *, max_bytes: int) -> CleanFile:
    """Recognise the file by its content and return a safe copy. Raises RejectedUpload."""
    shown = safe_filename(filename)
    if not data:
        raise RejectedUpload(_("文件“%(name)s”是空的", name=shown))
    if len(data) > max_bytes:
        raise RejectedUpload(
            _("文件“%(name)s”超过 %(megabytes)s MB，请压缩后再上传", name=shown, megabytes=max_bytes // (1024 * 1024))
        )
    if data.startswith(b"%PDF-"):
        return _clean_pdf(shown, data)
    return _clean_image(shown, data)


def _clean_pdf(filename: str, data: bytes) -> CleanFile:
    if b"%%EOF" not in data[-2048:]:
        raise RejectedUpload(_("文件“%(name)s”不是完整的 PDF", name=filename))
    for marker in PDF_ACTIVE_CONTENT:
        if re.search(re.escape(marker) + rb"(?![A-Za-z])", data):
            raise RejectedUpload(_("文件“%(name)s”含有脚本或嵌入文件，请用扫描件重新生成 PDF", name=filename))
    media_type, suffix = PDF_TYPE
    return CleanFile(_with_suffix(filename, suffix), media_type, data)


def _clean_image(filename: str, data: bytes) -> CleanFile:
    refusal = RejectedUpload(_("文件“%(name)s”不是 JPEG、PNG 图片或 PDF 文件", name=filename))
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as probe:
                if probe.format not in IMAGE_TYPES:
                    raise refusal
                if probe.width * probe.height > MAX_PIXELS:
                    raise RejectedUpload(_("图片“%(name)s”像素过多，请缩小后再上传", name=filename))
                probe.verify()
            with Image.open(io.BytesIO(data)) as image:
                image_format = image.format
                image.load()
                upright = ImageOps.exif_transpose(image)
    except RejectedUpload:
        raise
    except (
        UnidentifiedImageError,
        OSError,
        SyntaxError,
        ValueError,
        Image.DecompressionBombError,
        Image.DecompressionBombWarning,
    ):
        raise refusal from None

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

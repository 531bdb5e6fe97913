"""Uploads are recognised by content, stripped of metadata, capped, and served safely."""

from __future__ import annotations

import io

import pytest
from PIL import Image
from sqlalchemy import func, select

from tests.conftest import login_as
from tests.core.test_pdf_safety import raw_pdf
from tests.disclosures.test_workflow import LEDGER_FORM
from transparency.core.blobs import AttachmentBlob
from transparency.core.db import db
from transparency.core.uploads import RejectedUpload, clean_upload, safe_filename
from transparency.disclosures.models import Attachment, Disclosure

MB = 1024 * 1024
GPS_IFD = 0x8825


def photo_with_gps(fmt: str = "JPEG") -> bytes:
    image = Image.new("RGB", (64, 48), (200, 30, 30))
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # camera make
    exif[0x0131] = "secret-software"
    exif[GPS_IFD] = {1: "N", 2: (31.0, 14.0, 5.0), 3: "E", 4: (121.0, 28.0, 7.0)}
    out = io.BytesIO()
    image.save(out, fmt, exif=exif.tobytes(), **({"comment": b"secret comment"} if fmt == "JPEG" else {}))
    return out.getvalue()


@pytest.mark.parametrize("fmt", ["JPEG", "PNG"])
def test_images_lose_exif_and_gps(fmt):
    original = photo_with_gps(fmt)
    assert b"PhoneMaker" in original
    clean = clean_upload(f"photo.{fmt.lower()}", original, max_bytes=MB)
    assert b"PhoneMaker" not in clean.data and b"secret" not in clean.data
    with Image.open(io.BytesIO(clean.data)) as image:
        assert image.format == fmt
        assert not image.getexif()
        assert "comment" not in image.info and "exif" not in image.info


def test_type_comes_from_content_not_extension():
    jpeg = photo_with_gps()
    clean = clean_upload("disclosure.pdf", jpeg, max_bytes=MB)
    assert clean.media_type == "image/jpeg" and clean.filename == "disclosure.jpg"
    with pytest.raises(RejectedUpload, match="不是 JPEG、PNG 图片或 PDF"):
        clean_upload("photo.jpg", b"<html><script>alert(1)</script></html>", max_bytes=MB)
    with pytest.raises(RejectedUpload):
        clean_upload("photo.jpg", b"GIF89a" + b"\x00" * 100, max_bytes=MB)
    with pytest.raises(RejectedUpload):
        clean_upload("cut.jpg", jpeg[: len(jpeg) // 2], max_bytes=MB)


def test_pdf_checks():
    pdf = raw_pdf()
    assert clean_upload("scan.PDF", pdf, max_bytes=MB).media_type == "application/pdf"
    with pytest.raises(RejectedUpload, match="脚本"):
        clean_upload("x.pdf", raw_pdf(b"/OpenAction << /S /JavaScript /JS (app.alert(1)) >>"), max_bytes=MB)
    with pytest.raises(RejectedUpload, match="不是完整的 PDF"):
        clean_upload("x.pdf", b"%PDF-1.4\n" + b"0" * 5000, max_bytes=MB)


def test_size_cap_and_empty_file():
    with pytest.raises(RejectedUpload, match="超过"):
        clean_upload("big.jpg", photo_with_gps() + b"\x00" * MB, max_bytes=MB)
    with pytest.raises(RejectedUpload, match="空的"):
        clean_upload("empty.jpg", b"", max_bytes=MB)


def test_decompression_bomb_is_refused():
    out = io.BytesIO()
    Image.new("L", (10_000, 8_000)).save(out, "PNG")
    with pytest.raises(RejectedUpload):
        clean_upload("bomb.png", out.getvalue(), max_bytes=10 * MB)


@pytest.mark.parametrize(
    ("given", "kept"),
    [
        ("../../etc/passwd", "passwd"),
        ("C:\\Users\\x\\照片.jpg", "照片.jpg"),
        ("a\u202egnp.exe", "agnp.exe"),
        ("", "附件"),
    ],
)
def test_filenames_are_made_safe(given, kept):
    assert safe_filename(given) == kept


def test_upload_through_the_form_is_stored_clean_and_served_with_safe_headers(app, world):
    clerk = login_as(app, "clerk-a")
    data = {**LEDGER_FORM, "attachments": [(io.BytesIO(photo_with_gps()), "签字原件.jpg")]}
    response = clerk.post("/manage/new/finance", data, content_type="multipart/form-data")
    assert response.status_code == 302
    with app.app_context():
        attachment = db.session.scalars(select(Attachment)).one()
        attachment_id, digest = attachment.id, attachment.blob_sha256
    served = clerk.get(f"/attachments/{attachment_id}")
    assert served.status_code == 200
    assert served.headers["X-Content-Type-Options"] == "nosniff"
    assert served.headers["Content-Disposition"].startswith("inline; filename*=UTF-8''")
    assert b"PhoneMaker" not in served.data
    # Not published yet: a stranger cannot fetch it.
    assert app.test_client().get(f"/attachments/{attachment_id}").status_code == 404
    # The file lives in the database, not under static/.
    assert app.test_client().get("/static/" + digest).status_code == 404


def test_a_bad_file_saves_nothing_at_all(app, world):
    clerk = login_as(app, "clerk-a")
    data = {
        **LEDGER_FORM,
        "attachments": [(io.BytesIO(photo_with_gps()), "good.jpg"), (io.BytesIO(b"MZ\x90\x00evil"), "bad.jpg")],
    }
    response = clerk.post("/manage/new/finance", data, content_type="multipart/form-data")
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "bad.jpg" in page and 'value="上级拨付村级组织运转经费"' in page
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Disclosure)) == 0
        assert db.session.scalar(select(func.count()).select_from(AttachmentBlob)) == 0


def test_request_larger_than_max_content_length_gets_413_page(app, world):
    app.config["MAX_CONTENT_LENGTH"] = 64 * 1024
    clerk = login_as(app, "clerk-a")
    data = {**LEDGER_FORM, "attachments": [(io.BytesIO(b"\xff" * 100 * 1024), "huge.jpg")]}
    response = clerk.post("/manage/new/finance", data, content_type="multipart/form-data")
    assert response.status_code == 413
    assert "文件太大" in response.get_data(as_text=True)

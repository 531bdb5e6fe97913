"""The disclosure attachment form refuses PDFs carrying scripts or actions however their names are
spelled, and decompression bombs, with a message naming the file; the typed form is kept and
nothing is written."""

from __future__ import annotations

import io
import time

import pytest
from sqlalchemy import func, select

from tests.conftest import login_as
from tests.core.test_image_budget import solid_png
from tests.core.test_pdf_safety import ESCAPED
from tests.disclosures.test_workflow import LEDGER_FORM
from transparency.core.blobs import AttachmentBlob
from transparency.core.db import db
from transparency.disclosures.models import Disclosure


def _post(app, name: str, data: bytes):
    clerk = login_as(app, "clerk-a")
    form = {**LEDGER_FORM, "attachments": [(io.BytesIO(data), name)]}
    response = clerk.post("/manage/new/finance", form, content_type="multipart/form-data")
    response.request.input_stream.close()
    return response


def _nothing_written(app) -> bool:
    with app.app_context():
        return (
            db.session.scalar(select(func.count()).select_from(Disclosure)) == 0
            and db.session.scalar(select(func.count()).select_from(AttachmentBlob)) == 0
        )


@pytest.mark.parametrize(("data", "written", "expected"), ESCAPED)
def test_an_escaped_active_pdf_is_refused_through_the_form(app, world, data, written, expected):
    assert written in data  # the file really spells the name with #xx escapes
    response = _post(app, "公开表.pdf", data)
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "公开表.pdf" in page and "不能上传" in page
    assert 'value="上级拨付村级组织运转经费"' in page
    assert _nothing_written(app)


def test_a_bomb_attachment_is_refused_within_two_seconds(app, world):
    bomb = solid_png(7745, 7745)
    started = time.perf_counter()
    response = _post(app, "签字原件.png", bomb)
    assert time.perf_counter() - started < 2 + 1  # the clerk's login is part of it
    page = response.get_data(as_text=True)
    assert response.status_code == 422 and "7745×7745" in page
    assert _nothing_written(app)

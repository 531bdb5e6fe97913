"""A published disclosure is laid out once; later prints come from the kept copy, receipts never do."""

from __future__ import annotations

import pytest

from tests.disclosures.helpers import publish_ledger

pytestmark = pytest.mark.pdf_tools


def test_a_second_print_of_the_same_notice_is_not_laid_out_again(app, world, client, view_renders):
    with app.app_context():
        version = publish_ledger(world)
    url = f"/d/{version.disclosure_id}/v/{version.number}/print.pdf"
    first, second = client.get(url), client.get(url)
    assert first.status_code == second.status_code == 200
    assert first.data == second.data and first.data.startswith(b"%PDF")
    assert len(view_renders) == 1
    # A different paper size is a different printout.
    assert client.get(url + "?size=a3").data != first.data
    assert len(view_renders) == 2


def test_the_cache_can_be_switched_off(app, world, client, view_renders):
    app.config["PRINT_CACHE_DIR"] = ""
    with app.app_context():
        version = publish_ledger(world)
    url = f"/d/{version.disclosure_id}/v/{version.number}/print.pdf"
    client.get(url), client.get(url)
    assert len(view_renders) == 2

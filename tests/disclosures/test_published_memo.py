"""A published version's tables and charts are worked out once per process (disclosures/published_memo.py):
never for the wrong language, version or database, and never what may change beside them."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

import pytest

from tests.conftest import login_as, running_app
from tests.disclosures.helpers import draft_ledger, ledger_content, publish_ledger, version_id_from
from tests.disclosures.samples import LEDGER_FORM
from tests.disclosures.test_carry_over import Q1_CLOSING, publish_quarter
from transparency.core.db import db
from transparency.disclosures.models import VersionStatus
from transparency.disclosures.published_memo import kept_for_version


@pytest.fixture
def uncached(database_url, tmp_path):
    """The site without its page cache: every request renders, so only the memo can answer."""
    with running_app(database_url, tmp_path, PAGE_CACHE="off") as application:
        yield application


def _page(client, path: str, language: str = "zh-Hans") -> str:
    response = client.get(path, headers={"Accept-Language": language})
    assert response.status_code == 200
    return response.get_data(as_text=True)


def test_each_language_gets_its_own_tables(uncached, world):
    with uncached.app_context():
        disclosure_id = publish_ledger(world).disclosure_id
    client = uncached.test_client()
    for _round in range(2):
        chinese, english = _page(client, f"/d/{disclosure_id}"), _page(client, f"/d/{disclosure_id}", "en")
        assert "明细账" in chinese and "凭证号" in chinese and "¥1,876.55" in chinese
        assert "凭证号" not in english and "CN¥1,876.55" in english


def test_the_carry_over_check_beside_a_kept_table_follows_a_correction_of_the_previous_ledger(uncached, world):
    with uncached.app_context():
        q1 = publish_quarter(world, 1, ledger_content())
        q2 = publish_quarter(world, 2, ledger_content(Q1_CLOSING))
        q1_id, q2_id = q1.disclosure_id, q2.disclosure_id
    client = uncached.test_client()
    assert 'data-testid="carry-over-gap"' not in _page(client, f"/d/{q2_id}")  # its tables are kept now

    clerk, reviewer = login_as(uncached, "clerk-a"), login_as(uncached, "reviewer-a")
    draft = version_id_from(clerk.post(f"/manage/disclosures/{q1_id}/correct", {"reason": "按原始凭证更正"}))
    fields = {**LEDGER_FORM, "opening_balance": "1,100.00", "closing_balance": "1,476.55"}
    del fields["period_kind"], fields["year"], fields["number"]
    assert clerk.post(f"/manage/versions/{draft}/edit", fields).status_code == 302
    assert clerk.post(f"/manage/versions/{draft}/submit").status_code == 302
    assert reviewer.post(f"/manage/versions/{draft}/approve", {"signed_name": "李德华"}).status_code == 302

    page = _page(client, f"/d/{q2_id}")
    assert 'data-testid="carry-over-gap"' in page and "¥1,476.55" in page


def test_a_version_that_is_not_published_is_never_kept(app):
    """Even on a public page (a draft is never shown there, but nothing else must rely on that)."""
    moment = dt.datetime(2025, 4, 1, 8, 0, tzinfo=dt.UTC)
    with app.test_request_context("/d/1"):
        for status in (VersionStatus.DRAFT, VersionStatus.SUBMITTED):
            version = SimpleNamespace(id=8, status=status, published_at=moment)
            assert kept_for_version(version, "part", lambda: "first", by_language=False) == "first"
            assert kept_for_version(version, "part", lambda: "edited", by_language=False) == "edited"


def test_a_draft_page_shows_each_edit(uncached, world):
    with uncached.app_context():
        draft_id = draft_ledger(world).id
        db.session.commit()
    clerk = login_as(uncached, "clerk-a")
    assert "补助收入" in clerk.get(f"/manage/versions/{draft_id}").get_data(as_text=True)
    fields = {**LEDGER_FORM, "rows-0-summary": "换了一个摘要"}
    del fields["period_kind"], fields["year"], fields["number"]
    assert clerk.post(f"/manage/versions/{draft_id}/edit", fields).status_code == 302
    assert "换了一个摘要" in clerk.get(f"/manage/versions/{draft_id}").get_data(as_text=True)


def test_the_same_id_published_at_another_moment_is_another_version(app):
    """A database restored from an older backup may give a new version an id the memo has seen."""
    moment = dt.datetime(2025, 4, 1, 8, 0, tzinfo=dt.UTC)
    before = SimpleNamespace(id=7, status=VersionStatus.PUBLISHED, published_at=moment)
    after_restore = SimpleNamespace(id=7, status=VersionStatus.PUBLISHED, published_at=moment + dt.timedelta(days=3))
    with app.test_request_context("/d/1"):
        assert kept_for_version(before, "part", lambda: "old", by_language=False) == "old"
        assert kept_for_version(before, "part", lambda: "recomputed", by_language=False) == "old"
        assert kept_for_version(after_restore, "part", lambda: "new", by_language=False) == "new"
    with app.test_request_context("/manage/"):  # not a public page: always afresh
        assert kept_for_version(before, "part", lambda: "staff", by_language=False) == "staff"


def test_a_village_page_charts_the_ledger_published_after_its_charts_were_kept(uncached, world):
    with uncached.app_context():
        publish_quarter(world, 1, ledger_content())
    client = uncached.test_client()
    page = _page(client, f"/v/{world.village_a.code}")
    assert 'data-testid="chart-income-expense"' in page and "2025年第2季度" not in page
    with uncached.app_context():
        publish_quarter(world, 2, ledger_content(Q1_CLOSING))
    assert "2025年第1季度至2025年第2季度" in _page(client, f"/v/{world.village_a.code}")

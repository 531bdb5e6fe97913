"""Published is permanent: no code path changes or deletes a published version."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.disclosures.helpers import ledger_content, publish_ledger
from transparency.core.db import db
from transparency.disclosures import services
from transparency.disclosures.immutability import PublishedIsPermanent
from transparency.disclosures.models import DisclosureVersion, LedgerRow, VersionStatus


@pytest.fixture
def published(app, world):
    with app.app_context():
        version = publish_ledger(world)
        return version.id


def _load(version_id):
    return db.session.get(DisclosureVersion, version_id)


def test_services_refuse_to_edit_a_published_version(app, world, published):
    with app.app_context():
        version = _load(published)
        with pytest.raises(services.WrongState):
            services.save_draft(
                db.session, actor=world.accounts["clerk_a"], version=version, content=ledger_content(title="改过的标题")
            )
        # The same reviewer approving again is a replay of a success: nothing changes (issue 13).
        published_at = version.published_at
        assert (
            services.approve(db.session, actor=world.accounts["reviewer_a"], version=version, signed_name="李德华")
            is version
        )
        assert version.published_at == published_at
        with pytest.raises(services.WrongState):
            services.return_for_revision(db.session, actor=world.accounts["reviewer_a"], version=version, reasons="x")


@pytest.mark.parametrize(
    "tamper",
    [
        lambda v: setattr(v, "title", "改过的标题"),
        lambda v: setattr(v, "closing_balance", 1),
        lambda v: setattr(v, "status", VersionStatus.DRAFT),
        lambda v: setattr(v.ledger_rows[0], "income", 999_999),
        lambda v: v.ledger_rows.pop(),
        lambda v: v.ledger_rows.append(
            LedgerRow(position=99, entry_date=dt.date(2025, 3, 1), voucher_no="x", account="x", summary="x")
        ),
        lambda v: setattr(v.disclosure, "period_start", dt.date(2024, 1, 1)),
        lambda v: db.session.delete(v),
        lambda v: db.session.delete(v.ledger_rows[0]),
    ],
    ids=["title", "balance", "status", "row-amount", "remove-row", "add-row", "period", "delete-version", "delete-row"],
)
def test_any_orm_change_to_published_content_is_refused(app, published, tamper):
    with app.app_context():
        tamper(_load(published))
        with pytest.raises(PublishedIsPermanent):
            db.session.flush()
        db.session.rollback()
        assert _load(published).title == "2025年第1季度财务收支明细"


def test_correction_leaves_every_published_version_as_it_was(app, world, published):
    with app.app_context():
        before = [(r.id, r.income, r.expense) for r in _load(published).ledger_rows]
        disclosure = _load(published).disclosure
        draft = services.start_correction(
            db.session, actor=world.accounts["clerk_a"], disclosure=disclosure, reason="更正凭证金额"
        )
        services.save_draft(
            db.session, actor=world.accounts["clerk_a"], version=draft, content=ledger_content(opening=5, rows=5)
        )
        db.session.commit()
        assert draft.number == 2 and draft.id != published
        assert [(r.id, r.income, r.expense) for r in _load(published).ledger_rows] == before


def test_the_draft_of_a_correction_does_not_share_rows_or_attachments_with_the_original(app, world, published):
    with app.app_context():
        disclosure = _load(published).disclosure
        draft = services.start_correction(
            db.session, actor=world.accounts["clerk_a"], disclosure=disclosure, reason="更正凭证金额"
        )
        db.session.commit()
        original_rows = {r.id for r in _load(published).ledger_rows}
        assert original_rows.isdisjoint({r.id for r in draft.ledger_rows})

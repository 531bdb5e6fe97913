"""Building disclosures for tests through the same services the web forms use."""

from __future__ import annotations

import datetime as dt
import re

from transparency.core.db import db
from transparency.disclosures import services
from transparency.disclosures.content import DraftContent, LedgerLine
from transparency.disclosures.models import Category, DisclosureVersion, PeriodKind
from transparency.disclosures.periods import period_bounds


def ledger_content(opening: int = 100_000, rows: int = 3, title: str = "2025年第1季度财务收支明细") -> DraftContent:
    lines = [
        LedgerLine(
            entry_date=dt.date(2025, 1, 5) + dt.timedelta(days=i),
            voucher_no=f"2501-{i + 1:03d}",
            account="补助收入" if i % 2 == 0 else "管理费用",
            summary="上级拨付村级组织运转经费" if i % 2 == 0 else "购买办公用品",
            income=50_000 if i % 2 == 0 else 0,
            expense=0 if i % 2 == 0 else 12_345,
        )
        for i in range(rows)
    ]
    closing = opening + sum(line.income for line in lines) - sum(line.expense for line in lines)
    return DraftContent(
        title=title, body="本期收支如下。", opening_balance=opening, closing_balance=closing, ledger_rows=lines
    )


def draft_ledger(world, content: DraftContent | None = None, village=None, clerk="clerk_a") -> DisclosureVersion:
    start, end = period_bounds(PeriodKind.QUARTER, 2025, 1)
    return services.start_disclosure(
        db.session,
        actor=world.accounts[clerk],
        village=village or world.village_a,
        category=Category.FINANCE,
        period_kind=PeriodKind.QUARTER,
        period_start=start,
        period_end=end,
        content=content or ledger_content(),
    )


def publish_ledger(world, content: DraftContent | None = None) -> DisclosureVersion:
    version = draft_ledger(world, content)
    services.submit(db.session, actor=world.accounts["clerk_a"], version=version)
    services.approve(
        db.session,
        actor=world.accounts["reviewer_a"],
        version=version,
        signed_name=world.accounts["reviewer_a"].display_name,
    )
    db.session.commit()
    return version


def version_id_from(response) -> int:
    """The version a drafting form redirected to (/manage/versions/<id>)."""
    return int(re.search(r"/manage/versions/(\d+)", response.headers["Location"]).group(1))

"""Publishing disclosures for chosen periods on chosen days, through the real services."""

from __future__ import annotations

import datetime as dt

from tests.disclosures.helpers import ledger_content
from transparency.core.db import clock_at, db
from transparency.disclosures import services
from transparency.disclosures.carry_over import previous_ledger
from transparency.disclosures.content import DraftContent
from transparency.disclosures.models import Category, PeriodKind
from transparency.disclosures.periods import period_bounds

CST = dt.timezone(dt.timedelta(hours=8))
STAFF = {"511399101201": ("clerk_a", "reviewer_a"), "511399101202": ("clerk_b", "reviewer_b")}


def publish_on(
    world,
    village,
    day: dt.date,
    *,
    category: Category = Category.FINANCE,
    kind: PeriodKind = PeriodKind.QUARTER,
    year: int = 2025,
    number: int = 1,
    event: dt.date | None = None,
) -> int:
    """Publish one disclosure of `village` on `day` (10:00 China time); returns the disclosure id."""
    clerk, reviewer = (world.accounts[name] for name in STAFF[village.code])
    if event is not None:
        start = end = event
        kind = PeriodKind.DAY
    else:
        start, end = period_bounds(kind, year, number)
    if category is Category.FINANCE:  # each ledger opens with the previous one's closing balance
        previous = previous_ledger(db.session, village.id, start)
        content = ledger_content(previous.closing or 0) if previous else ledger_content()
    else:
        content = DraftContent(title="公告", body="内容。")
    with clock_at(dt.datetime.combine(day, dt.time(10), CST)):
        version = services.start_disclosure(
            db.session, actor=clerk, village=village, category=category, period_kind=kind,
            period_start=start, period_end=end, content=content,
        )  # fmt: skip
        services.submit(db.session, actor=clerk, version=version)
        services.approve(db.session, actor=reviewer, version=version, signed_name=reviewer.display_name)
    db.session.commit()
    return version.disclosure_id

"""Publishing one demo disclosure the way a clerk and a reviewer would, on a plausible day."""

from __future__ import annotations

import datetime as dt

from sqlalchemy.orm import Session

from transparency.accounts.models import Account
from transparency.areas.models import Area
from transparency.core import clock
from transparency.core.db import clock_at
from transparency.disclosures import services
from transparency.disclosures.content import DraftContent
from transparency.disclosures.models import Category, DisclosureVersion, PeriodKind


def publish(
    session: Session,
    *,
    clerk: Account,
    reviewer: Account,
    village: Area,
    category: Category,
    kind: PeriodKind,
    start: dt.date,
    end: dt.date,
    content: DraftContent,
    published_on: dt.date,
) -> DisclosureVersion:
    """Draft, submit and approve on `published_on` (China time, mid-morning).

    Raises what the disclosure services raise (e.g. a ledger that does not reconcile).
    """
    moment = dt.datetime.combine(published_on, dt.time(10, 30), clock.zone()).astimezone(dt.UTC)
    with clock_at(moment - dt.timedelta(days=2)):
        version = services.start_disclosure(
            session,
            actor=clerk,
            village=village,
            category=category,
            period_kind=kind,
            period_start=start,
            period_end=end,
            content=content,
        )
        services.submit(session, actor=clerk, version=version)
    with clock_at(moment):
        services.approve(
            session, actor=reviewer, version=version, signed_name=reviewer.display_name, note="已核对凭证，同意公开。"
        )
    return version

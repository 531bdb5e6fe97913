"""Ledgers carry over: a ledger's 期初余额 is the 期末余额 of the village's previous published ledger.

"Previous" is the village's published finance disclosure whose period ends last before this
one's begins; its balances are those of its current (newest published) version. A ledger whose
opening balance differs may only be submitted with a stated reason (`carry_over_reason`), and
the difference is shown publicly whatever the reason: beside the balance box, on the village's
calendar and on the inspectors' dashboard (期初与上期期末不符).

Corrections: published is permanent, so correcting an earlier ledger never touches the next one.
If the correction changes the earlier ledger's closing balance, the next ledger is flagged from the
moment the correction is published, until the clerk corrects the next ledger as well (its opening
balance set to the new closing balance, or a reason stated). The clerk sees this coming on the
correction's own page (`next_ledger_left_behind`).

Reads only; never writes.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import Session

from transparency.core.money import format_yuan
from transparency.disclosures.models import Category, Disclosure, DisclosureVersion, PeriodKind, VersionStatus
from transparency.disclosures.periods import period_label


@dataclass(frozen=True)
class LedgerBalance:
    """The balances of one published ledger, as its current version states them."""

    disclosure_id: int
    village_id: int
    kind: PeriodKind
    start: dt.date
    end: dt.date
    opening: int | None
    closing: int | None
    reason: str | None

    @property
    def period(self) -> str:
        return period_label(self.kind, self.start)


@dataclass(frozen=True)
class CarryOverGap:
    """期初与上期期末不符: a ledger's opening balance against the previous ledger's closing balance."""

    ledger: LedgerBalance
    previous: LedgerBalance

    @property
    def difference(self) -> int:
        return (self.ledger.opening or 0) - (self.previous.closing or 0)


def published_balances(session: Session, village_ids: Iterable[int]) -> dict[int, list[LedgerBalance]]:
    """Each village's published ledgers (current versions), by the end of their period."""
    query = (
        select(
            Disclosure.id,
            Disclosure.village_id,
            Disclosure.period_kind,
            Disclosure.period_start,
            Disclosure.period_end,
            DisclosureVersion.number,
            DisclosureVersion.opening_balance,
            DisclosureVersion.closing_balance,
            DisclosureVersion.carry_over_reason,
        )
        .join(DisclosureVersion, DisclosureVersion.disclosure_id == Disclosure.id)
        .where(
            Disclosure.category == Category.FINANCE,
            Disclosure.village_id.in_(list(village_ids)),
            DisclosureVersion.status == VersionStatus.PUBLISHED,
        )
        .order_by(Disclosure.id, DisclosureVersion.number)
    )
    current: dict[int, LedgerBalance] = {}
    for row in session.execute(query):  # the last published number of each disclosure wins
        current[row.id] = LedgerBalance(
            row.id,
            row.village_id,
            row.period_kind,
            row.period_start,
            row.period_end,
            row.opening_balance,
            row.closing_balance,
            row.carry_over_reason,
        )
    grouped: dict[int, list[LedgerBalance]] = defaultdict(list)
    for balance in current.values():
        grouped[balance.village_id].append(balance)
    for balances in grouped.values():
        balances.sort(key=lambda b: (b.end, b.disclosure_id))
    return grouped


def _previous(balances: list[LedgerBalance], start: dt.date, disclosure_id: int | None) -> LedgerBalance | None:
    earlier = [b for b in balances if b.end < start and b.disclosure_id != disclosure_id]
    return earlier[-1] if earlier else None


def previous_ledger(
    session: Session, village_id: int, start: dt.date, disclosure_id: int | None = None
) -> LedgerBalance | None:
    """The village's published ledger whose period ends last before `start`, if any."""
    return _previous(published_balances(session, [village_id]).get(village_id, []), start, disclosure_id)


def carry_over_gaps(session: Session, village_ids: Iterable[int]) -> dict[int, list[CarryOverGap]]:
    """Per village, every published ledger whose opening is not the previous closing, newest first."""
    gaps: dict[int, list[CarryOverGap]] = {}
    for village_id, balances in published_balances(session, village_ids).items():
        found = []
        for balance in balances:
            previous = _previous(balances, balance.start, balance.disclosure_id)
            if previous is not None and balance.opening is not None and balance.opening != previous.closing:
                found.append(CarryOverGap(balance, previous))
        if found:
            gaps[village_id] = found[::-1]
    return gaps


def gap_of(session: Session, version: DisclosureVersion) -> CarryOverGap | None:
    """This ledger version's opening against the previous published ledger, when they differ."""
    disclosure = version.disclosure
    if disclosure.category is not Category.FINANCE or version.opening_balance is None:
        return None
    previous = previous_ledger(session, disclosure.village_id, disclosure.period_start, disclosure.id)
    if previous is None or previous.closing == version.opening_balance:
        return None
    this = LedgerBalance(
        disclosure.id,
        disclosure.village_id,
        disclosure.period_kind,
        disclosure.period_start,
        disclosure.period_end,
        version.opening_balance,
        version.closing_balance,
        version.carry_over_reason,
    )
    return CarryOverGap(this, previous)


def carry_over_problems(session: Session, version: DisclosureVersion) -> list[str]:
    """A difference from the previous closing balance blocks submission unless a reason is stated."""
    gap = gap_of(session, version)
    if gap is None or (version.carry_over_reason or "").strip():
        return []
    return [
        _(
            "期初余额 %(opening)s 与上期（%(period)s）期末余额 %(closing)s 不符，相差 %(difference)s。"
            "请改正期初余额，或在“期初与上期期末不符的原因”中写明原因（会向村民公开）",
            opening=format_yuan(gap.ledger.opening),
            period=gap.previous.period,
            closing=format_yuan(gap.previous.closing),
            difference=format_yuan(gap.difference),
        )
    ]


def next_ledger_left_behind(session: Session, version: DisclosureVersion) -> LedgerBalance | None:
    """The next published ledger whose opening balance this version's closing balance would not match."""
    disclosure = version.disclosure
    if disclosure.category is not Category.FINANCE or version.closing_balance is None:
        return None
    others = [
        b
        for b in published_balances(session, [disclosure.village_id]).get(disclosure.village_id, [])
        if b.disclosure_id != disclosure.id
    ]
    following = next((b for b in others if b.start > disclosure.period_end), None)
    if following is None:
        return None
    if any(disclosure.period_end < b.end < following.start for b in others):
        return None  # another ledger stands between them and is the following one's "previous"
    return following if following.opening != version.closing_balance else None

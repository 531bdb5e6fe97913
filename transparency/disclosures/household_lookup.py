"""查我家: a villager finds their household's rows in their village's published subsidy lists and
land-compensation tables, by the household head's name and the last four characters of the ID number.

Subsidy rows keep the full ID number (shown masked), so they are matched on the recipient's name
and the number's last four characters. Compensation rows never held an ID number; they keep only
`household_key`, a keyed hash (HMAC-SHA256) of the name and those four characters, computed when the
clerk saves the row. A wrong name and wrong digits give the same empty answer. Only the village's
own published, current versions are searched. The digits are never stored, shown or logged here.

Reads only; never writes.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import unicodedata
from dataclasses import dataclass

from flask import current_app
from sqlalchemy import select
from sqlalchemy.orm import Session

from transparency.areas.models import Area
from transparency.disclosures.checks import COMPENSATION_PARTS, area_times_rate
from transparency.disclosures.models import (
    Category,
    CompensationRow,
    Disclosure,
    DisclosureVersion,
    SubsidyRow,
    VersionStatus,
)

LAST_FOUR = re.compile(r"^[0-9]{3}[0-9X]$")


def household_name(text: str) -> str:
    """王建国户 and ' 王建国 ' name the same head of household."""
    folded = re.sub(r"\s+", "", unicodedata.normalize("NFKC", text or ""))
    return folded[:-1] if len(folded) > 1 and folded.endswith("户") else folded


def last_four(id_number: str) -> str:
    return (id_number or "").strip().upper()[-4:]


def household_key(name: str, last4: str) -> str:
    """The keyed hash a compensation row keeps for 查我家 (hex, 64 characters)."""
    config = current_app.config
    key = config.get("HOUSEHOLD_LOOKUP_KEY") or config["SECRET_KEY"] + ":household-lookup"
    message = f"{household_name(name)}|{last4.strip().upper()}"
    return hmac.new(key.encode(), message.encode(), hashlib.sha256).hexdigest()


@dataclass(frozen=True)
class HouseholdRow:
    """One row of a published notice that belongs to the household looked up."""

    disclosure: Disclosure
    category: Category
    table: str  # "subsidy" or "compensation": which table of the notice
    row: SubsidyRow | CompensationRow

    @property
    def position(self) -> int:
        return self.row.position

    @property
    def checks(self) -> list[RateCheck]:
        """Each amount of the row against quantity × the stated rate, for the villager to see."""
        row = self.row
        if isinstance(row, SubsidyRow):
            if row.rate is None:
                return []
            return [RateCheck(row.program, row.basis_hundredths, row.rate, row.amount)]
        version = self.disclosure.current
        return [
            RateCheck(str(label), row.area_hundredths, getattr(version, rate_name), getattr(row, amount_name))
            for amount_name, rate_name, label in COMPENSATION_PARTS
            if getattr(version, rate_name) is not None
        ]


@dataclass(frozen=True)
class RateCheck:
    label: str
    quantity_hundredths: int
    rate: int
    amount: int

    @property
    def expected(self) -> int:
        return area_times_rate(self.quantity_hundredths, self.rate)

    @property
    def holds(self) -> bool:
        return self.expected == self.amount


def _current_published(village: Area):
    return (
        select(DisclosureVersion.id)
        .join(Disclosure, DisclosureVersion.disclosure_id == Disclosure.id)
        .where(Disclosure.village_id == village.id, DisclosureVersion.status == VersionStatus.PUBLISHED)
    )


def _is_current(session: Session, version_id: int) -> bool:
    version = session.get(DisclosureVersion, version_id)
    return version is not None and version.disclosure.current is version


def find_household(session: Session, village: Area, name: str, last4: str) -> list[HouseholdRow]:
    """The household's rows in the village's current published subsidy and compensation notices.

    Empty when nothing matches, whether the name or the digits are wrong.
    """
    wanted = household_name(name)
    digits = last4.strip().upper()
    if not wanted or not LAST_FOUR.match(digits):
        return []
    published = _current_published(village)
    found: list[HouseholdRow] = []
    candidates = session.scalars(
        select(SubsidyRow).where(
            SubsidyRow.version_id.in_(published), SubsidyRow.recipient == wanted, SubsidyRow.id_number.is_not(None)
        )
    )
    verified = [r for r in candidates if hmac.compare_digest(last_four(r.id_number or ""), digits)]
    households = {(r.version_id, r.household) for r in verified}
    if households:
        rows = session.scalars(
            select(SubsidyRow)
            .where(SubsidyRow.version_id.in_({version_id for version_id, _ in households}))
            .order_by(SubsidyRow.version_id, SubsidyRow.position)
        )
        for row in rows:
            if (row.version_id, row.household) in households and _is_current(session, row.version_id):
                version = session.get(DisclosureVersion, row.version_id)
                assert version is not None
                found.append(HouseholdRow(version.disclosure, Category.SUBSIDY, "subsidy", row))
    compensation = session.scalars(
        select(CompensationRow)
        .where(
            CompensationRow.version_id.in_(published),
            CompensationRow.household_key == household_key(wanted, digits),
        )
        .order_by(CompensationRow.version_id, CompensationRow.position)
    )
    for row in compensation:
        if _is_current(session, row.version_id):
            version = session.get(DisclosureVersion, row.version_id)
            assert version is not None
            found.append(HouseholdRow(version.disclosure, Category.LAND_COMPENSATION, "compensation", row))
    return found

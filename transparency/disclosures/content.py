"""What a clerk hands in for one version, as plain data, whatever the source (form or import).

The content names its fields and tables as `DisclosureVersion` does (`ledger_rows`, `subsidy_totals`,
`subsidy_rows`, `compensation_rows`), so the publication checks read a content like a version.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field


@dataclass(frozen=True)
class LedgerLine:
    entry_date: dt.date
    voucher_no: str
    account: str
    summary: str
    income: int = 0
    expense: int = 0


@dataclass(frozen=True)
class SubsidyLine:
    program: str
    recipient: str
    household: str
    basis_unit: str
    basis_hundredths: int
    amount: int
    rate: int | None = None
    id_number: str | None = None


@dataclass(frozen=True)
class ProgramTotal:
    program: str
    declared_total: int


@dataclass(frozen=True)
class CompensationLine:
    household: str
    parcel: str
    area_hundredths: int
    land_amount: int = 0
    crop_amount: int = 0
    relocation_amount: int = 0
    paid_on: dt.date | None = None
    # 查我家: see household_lookup.household_key; None when the clerk gave no ID number.
    household_key: str | None = None

    @property
    def total(self) -> int:
        return self.land_amount + self.crop_amount + self.relocation_amount


@dataclass
class DraftContent:
    """Everything a version holds. Tables that do not apply to its category stay empty."""

    title: str
    body: str = ""
    opening_balance: int | None = None
    closing_balance: int | None = None
    carry_over_reason: str | None = None
    ledger_rows: list[LedgerLine] = field(default_factory=list)
    subsidy_totals: list[ProgramTotal] = field(default_factory=list)
    subsidy_rows: list[SubsidyLine] = field(default_factory=list)
    project_name: str | None = None
    compensation_received: int | None = None
    retained_by_collective: int | None = None
    land_rate: int | None = None
    crop_rate: int | None = None
    relocation_rate: int | None = None
    compensation_rows: list[CompensationLine] = field(default_factory=list)

    @property
    def attachments(self) -> tuple[()]:
        """Files travel beside the content (as `UploadedFile`s), never in it."""
        return ()

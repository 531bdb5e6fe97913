"""A disclosure is one disclosure (village, category, period); its content lives in numbered versions.

Glossary: 财务收支 finance ledger, 惠农补贴 subsidy, 征地补偿及分配 land compensation,
预公开审核 pre-publication review by the supervision committee (村务监督委员会).
"""

from __future__ import annotations

import datetime as dt
import enum
from typing import Optional

from sqlalchemy import Date, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from transparency.accounts.models import Account
from transparency.areas.models import Area
from transparency.core.blobs import AttachmentBlob
from transparency.core.db import Base, Fen, UTCDateTime, UTCTime, enum_column, utcnow
from transparency.core.translations import lazy_gettext as _l


class Category(enum.StrEnum):
    FINANCE = "finance"
    SUBSIDY = "subsidy"
    LAND_COMPENSATION = "land_compensation"
    ASSETS = "assets"
    PROJECTS = "projects"
    OFFICIALS_PAY = "officials_pay"
    DECISIONS = "decisions"
    OTHER = "other"

    @property
    def label(self) -> str:
        return str(CATEGORY_LABELS[self])


CATEGORY_LABELS = {
    Category.FINANCE: _l("财务收支"),
    Category.SUBSIDY: _l("惠农补贴"),
    Category.LAND_COMPENSATION: _l("征地补偿及分配"),
    Category.ASSETS: _l("集体资产资源"),
    Category.PROJECTS: _l("工程项目"),
    Category.OFFICIALS_PAY: _l("村干部报酬"),
    Category.DECISIONS: _l("重大事项"),
    Category.OTHER: _l("其他"),
}


class PeriodKind(enum.StrEnum):
    MONTH = "month"
    QUARTER = "quarter"
    HALF_YEAR = "half_year"
    YEAR = "year"
    DAY = "day"  # a decision or event on one date


class VersionStatus(enum.StrEnum):
    DRAFT = "draft"
    SUBMITTED = "submitted"
    RETURNED = "returned"
    PUBLISHED = "published"

    @property
    def label(self) -> str:
        return str(STATUS_LABELS[self])


STATUS_LABELS = {
    VersionStatus.DRAFT: _l("草稿"),
    VersionStatus.SUBMITTED: _l("待审核"),
    VersionStatus.RETURNED: _l("已退回"),
    VersionStatus.PUBLISHED: _l("已公开"),
}


class Disclosure(Base):
    __tablename__ = "disclosure"
    # The API's lists, newest first: by village and category, and by category across the county.
    __table_args__ = (
        Index("ix_disclosure_village_category_published", "village_id", "category", "first_published_at", "id"),
        Index("ix_disclosure_category_published", "category", "first_published_at", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    village_id: Mapped[int] = mapped_column(ForeignKey("area.id"), index=True)
    category: Mapped[Category] = mapped_column(enum_column(Category))
    period_kind: Mapped[PeriodKind] = mapped_column(enum_column(PeriodKind))
    period_start: Mapped[dt.date] = mapped_column(Date)
    period_end: Mapped[dt.date] = mapped_column(Date)
    created_at: Mapped[UTCTime] = mapped_column(default=utcnow)
    # Set when the first version is published; public lists show only these.
    first_published_at: Mapped[Optional[dt.datetime]] = mapped_column(UTCDateTime, index=True)

    village: Mapped[Area] = relationship()
    versions: Mapped[list[DisclosureVersion]] = relationship(
        back_populates="disclosure", order_by="DisclosureVersion.number"
    )

    def __repr__(self) -> str:
        return f"<Disclosure {self.id} {self.category} {self.period_start}>"

    @property
    def published_versions(self) -> list[DisclosureVersion]:
        return [v for v in self.versions if v.status is VersionStatus.PUBLISHED]

    @property
    def current(self) -> DisclosureVersion | None:
        """The newest published version: what the public reads."""
        published = self.published_versions
        return published[-1] if published else None

    @property
    def work_in_progress(self) -> DisclosureVersion | None:
        """The one version not yet published (a first draft or a correction), if any."""
        return next((v for v in self.versions if v.status is not VersionStatus.PUBLISHED), None)


class DisclosureVersion(Base):
    __tablename__ = "disclosure_version"
    __table_args__ = (UniqueConstraint("disclosure_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    disclosure_id: Mapped[int] = mapped_column(ForeignKey("disclosure.id"), index=True)
    number: Mapped[int]
    status: Mapped[VersionStatus] = mapped_column(enum_column(VersionStatus), index=True)
    title: Mapped[str] = mapped_column(String(120))
    body: Mapped[str] = mapped_column(Text, default="")
    correction_reason: Mapped[Optional[str]] = mapped_column(Text)

    drafted_by_id: Mapped[int] = mapped_column(ForeignKey("account.id"))
    created_at: Mapped[UTCTime] = mapped_column(default=utcnow)
    submitted_at: Mapped[Optional[dt.datetime]] = mapped_column(UTCDateTime)
    published_at: Mapped[Optional[dt.datetime]] = mapped_column(UTCDateTime)

    # Finance ledger (财务收支): balances around the rows.
    opening_balance: Mapped[Optional[Fen]]
    closing_balance: Mapped[Optional[Fen]]
    # Why the opening balance is not the previous published ledger's closing balance
    # (期初与上期期末不符的原因); shown publicly beside the balance box. See carry_over.py.
    carry_over_reason: Mapped[Optional[str]] = mapped_column(Text)
    # Land compensation (征地补偿): what was received and what the collective kept.
    project_name: Mapped[Optional[str]] = mapped_column(String(120))
    compensation_received: Mapped[Optional[Fen]]
    retained_by_collective: Mapped[Optional[Fen]]
    # The project's rates per 亩 (补偿标准); each household's amount must be its area × the rate.
    land_rate: Mapped[Optional[Fen]]
    crop_rate: Mapped[Optional[Fen]]
    relocation_rate: Mapped[Optional[Fen]]

    disclosure: Mapped[Disclosure] = relationship(back_populates="versions")
    drafted_by: Mapped[Account] = relationship()
    ledger_rows: Mapped[list[LedgerRow]] = relationship(order_by="LedgerRow.position", cascade="all, delete-orphan")
    subsidy_rows: Mapped[list[SubsidyRow]] = relationship(order_by="SubsidyRow.position", cascade="all, delete-orphan")
    subsidy_totals: Mapped[list[SubsidyProgramTotal]] = relationship(
        order_by="SubsidyProgramTotal.position", cascade="all, delete-orphan"
    )
    compensation_rows: Mapped[list[CompensationRow]] = relationship(
        order_by="CompensationRow.position", cascade="all, delete-orphan"
    )
    attachments: Mapped[list[Attachment]] = relationship(order_by="Attachment.position", cascade="all, delete-orphan")
    # Deleted only with a discarded draft; the audit log keeps every decision regardless.
    reviews: Mapped[list[ReviewDecision]] = relationship(
        order_by="ReviewDecision.decided_at", cascade="all, delete-orphan"
    )

    def __repr__(self) -> str:
        return f"<DisclosureVersion {self.disclosure_id}#{self.number} {self.status}>"

    @property
    def approval(self) -> ReviewDecision | None:
        return next((r for r in reversed(self.reviews) if r.approved), None)

    @property
    def last_return(self) -> ReviewDecision | None:
        return next((r for r in reversed(self.reviews) if not r.approved), None)


class LedgerRow(Base):
    """One line of the 明细账: date, voucher, account (会计科目), summary, income or expense."""

    __tablename__ = "ledger_row"

    id: Mapped[int] = mapped_column(primary_key=True)
    version_id: Mapped[int] = mapped_column(ForeignKey("disclosure_version.id"), index=True)
    position: Mapped[int]
    entry_date: Mapped[dt.date] = mapped_column(Date)
    voucher_no: Mapped[str] = mapped_column(String(30))
    account: Mapped[str] = mapped_column(String(60))
    summary: Mapped[str] = mapped_column(String(500))
    income: Mapped[Fen] = mapped_column(default=0)
    expense: Mapped[Fen] = mapped_column(default=0)


class SubsidyProgramTotal(Base):
    """The total the clerk declares for one program; the rows must add up to it."""

    __tablename__ = "subsidy_program_total"

    id: Mapped[int] = mapped_column(primary_key=True)
    version_id: Mapped[int] = mapped_column(ForeignKey("disclosure_version.id"), index=True)
    position: Mapped[int]
    program: Mapped[str] = mapped_column(String(60))
    declared_total: Mapped[Fen]


class SubsidyRow(Base):
    """One recipient of one subsidy program (耕地地力保护补贴, 低保 …)."""

    __tablename__ = "subsidy_row"

    id: Mapped[int] = mapped_column(primary_key=True)
    version_id: Mapped[int] = mapped_column(ForeignKey("disclosure_version.id"), index=True)
    position: Mapped[int]
    program: Mapped[str] = mapped_column(String(60))
    recipient: Mapped[str] = mapped_column(String(40))
    # Full 18-digit number, validated; public pages only ever show it masked.
    id_number: Mapped[Optional[str]] = mapped_column(String(18))
    household: Mapped[str] = mapped_column(String(60))
    basis_unit: Mapped[str] = mapped_column(String(10))  # 亩 / 人 / 户
    basis_hundredths: Mapped[int]  # 12.50 亩 is 1250
    rate: Mapped[Optional[Fen]]  # per unit of basis
    amount: Mapped[Fen]


class CompensationRow(Base):
    """One household's share of a land-compensation project (征地补偿及分配)."""

    __tablename__ = "compensation_row"

    id: Mapped[int] = mapped_column(primary_key=True)
    version_id: Mapped[int] = mapped_column(ForeignKey("disclosure_version.id"), index=True)
    position: Mapped[int]
    household: Mapped[str] = mapped_column(String(60))
    parcel: Mapped[str] = mapped_column(String(60))
    area_hundredths: Mapped[int]  # mu × 100
    land_amount: Mapped[Fen] = mapped_column(default=0)
    crop_amount: Mapped[Fen] = mapped_column(default=0)
    relocation_amount: Mapped[Fen] = mapped_column(default=0)
    paid_on: Mapped[Optional[dt.date]] = mapped_column(Date)
    # 查我家: a keyed hash of the household head's name and the last four characters of their
    # ID number (household_lookup.py). Nothing else of the number is kept for this table.
    household_key: Mapped[Optional[str]] = mapped_column(String(64), index=True)

    @property
    def total(self) -> int:
        return self.land_amount + self.crop_amount + self.relocation_amount


class Attachment(Base):
    """A photo of a signed original or a PDF scan, attached to one version."""

    __tablename__ = "attachment"

    id: Mapped[int] = mapped_column(primary_key=True)
    version_id: Mapped[int] = mapped_column(ForeignKey("disclosure_version.id"), index=True)
    position: Mapped[int]
    blob_sha256: Mapped[str] = mapped_column(ForeignKey("attachment_blob.sha256"), index=True)
    filename: Mapped[str] = mapped_column(String(120))
    media_type: Mapped[str] = mapped_column(String(40))
    size: Mapped[int]

    blob: Mapped[AttachmentBlob] = relationship(lazy="raise")

    @property
    def is_image(self) -> bool:
        return self.media_type.startswith("image/")


class ReviewDecision(Base):
    """The supervision committee's decision on a submitted version: approve (signed) or return."""

    __tablename__ = "review_decision"

    id: Mapped[int] = mapped_column(primary_key=True)
    version_id: Mapped[int] = mapped_column(ForeignKey("disclosure_version.id"), index=True)
    reviewer_id: Mapped[int] = mapped_column(ForeignKey("account.id"))
    approved: Mapped[bool]
    signed_name: Mapped[Optional[str]] = mapped_column(String(40))
    note: Mapped[str] = mapped_column(Text, default="")
    decided_at: Mapped[UTCTime] = mapped_column(default=utcnow)

    reviewer: Mapped[Account] = relationship()

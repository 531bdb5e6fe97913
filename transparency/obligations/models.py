"""Disclosure obligations as data: the law's defaults live in rules.py, deployers' changes here.

Glossary: 公开日历 disclosure calendar; 财务往来较多 "many transactions" (finance monthly).
"""

from __future__ import annotations

import enum
from typing import Optional

from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from transparency.areas.models import Area
from transparency.core.db import Base, UTCTime, enum_column, utcnow
from transparency.core.translations import lazy_gettext as _l
from transparency.disclosures.models import Category


class Cadence(enum.StrEnum):
    MONTHLY = "monthly"
    QUARTERLY = "quarterly"
    HALF_YEARLY = "half_yearly"
    YEARLY = "yearly"
    AFTER_EVENT = "after_event"  # within N days of a decision or event
    NONE = "none"  # no fixed obligation (a deployer switched it off)

    @property
    def label(self) -> str:
        return str(CADENCE_LABELS[self])


CADENCE_LABELS = {
    Cadence.MONTHLY: _l("每月"),
    Cadence.QUARTERLY: _l("每季度"),
    Cadence.HALF_YEARLY: _l("每半年"),
    Cadence.YEARLY: _l("每年"),
    Cadence.AFTER_EVENT: _l("事项发生后限期公开"),
    Cadence.NONE: _l("不设固定期限"),
}


class VillageFlag(enum.StrEnum):
    MANY_TRANSACTIONS = "many_transactions"  # 集体财务往来较多: finance every month

    @property
    def label(self) -> str:
        return str(FLAG_LABELS[self])


FLAG_LABELS = {VillageFlag.MANY_TRANSACTIONS: _l("财务往来较多")}


class ObligationRule(Base):
    """A deployer's rule for one category (optionally only for villages with a flag).

    Overrides the default of the same category and flag in rules.DEFAULT_RULES.
    """

    __tablename__ = "obligation_rule"
    __table_args__ = (UniqueConstraint("category", "village_flag"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    category: Mapped[Category] = mapped_column(enum_column(Category))
    village_flag: Mapped[str] = mapped_column(String(40), default="")  # "" = every village
    cadence: Mapped[Cadence] = mapped_column(enum_column(Cadence))
    # Periodic: published by this day of the month after the period ends (capped at month end).
    cutoff_day: Mapped[Optional[int]]
    # After an event: published within this many days of it.
    within_days: Mapped[Optional[int]]
    changed_at: Mapped[UTCTime] = mapped_column(default=utcnow)


class VillageObligationFlag(Base):
    """A village's flag, e.g. 财务往来较多 (its finance is due every month)."""

    __tablename__ = "village_obligation_flag"
    __table_args__ = (UniqueConstraint("village_id", "flag"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    village_id: Mapped[int] = mapped_column(ForeignKey("area.id"), index=True)
    flag: Mapped[VillageFlag] = mapped_column(enum_column(VillageFlag))

    village: Mapped[Area] = relationship()

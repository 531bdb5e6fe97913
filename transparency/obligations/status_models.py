"""What the dashboard and the public calendars read instead of recomputing every calendar.

Per village, category and period (or event) its due date and when it was published; per matter
each deadline's last day and the day it was met. Dates only: whether an item is missing or a
deadline overdue *today* is a comparison made when reading, so a day passing needs no write.
Kept up to date in the publisher's transaction (status_subscriptions.py); rebuilt from scratch by
`transparency obligations rebuild-status`. Until the first build (`StatusBuild` row), readers
compute the calendars live.
"""

from __future__ import annotations

import datetime as dt
from typing import Optional

from sqlalchemy import Boolean, Date, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from transparency.core.db import Base, UTCTime, enum_column
from transparency.disclosures.models import Category, PeriodKind


class StatusBuild(Base):
    """The one row saying the tables are built, for which obligations start, and through which day."""

    __tablename__ = "obligation_status_build"

    id: Mapped[int] = mapped_column(primary_key=True)
    first: Mapped[dt.date] = mapped_column(Date)  # OBLIGATIONS_START when built
    through: Mapped[dt.date] = mapped_column(Date)  # periods starting up to this day are stored
    built_at: Mapped[UTCTime]


class ObligationStatus(Base):
    """One obligation of one village: a category for one period, or one published event."""

    __tablename__ = "obligation_status"
    __table_args__ = (Index("ix_obligation_status_village_start", "village_id", "period_start"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    village_id: Mapped[int] = mapped_column(ForeignKey("area.id"))
    category: Mapped[Category] = mapped_column(enum_column(Category))
    period_kind: Mapped[PeriodKind] = mapped_column(enum_column(PeriodKind))
    period_start: Mapped[dt.date] = mapped_column(Date)
    period_end: Mapped[dt.date] = mapped_column(Date)
    due: Mapped[dt.date] = mapped_column(Date)
    published_at: Mapped[Optional[UTCTime]]
    published_on: Mapped[Optional[dt.date]] = mapped_column(Date)  # local date of published_at
    disclosure_id: Mapped[Optional[int]] = mapped_column(ForeignKey("disclosure.id"))


class MatterDeadline(Base):
    """One deadline of one matter (complaints/deadlines.py), as counted when the matter last moved."""

    __tablename__ = "matter_deadline"

    id: Mapped[int] = mapped_column(primary_key=True)
    matter_id: Mapped[int] = mapped_column(ForeignKey("matter.id"), index=True)
    step: Mapped[str] = mapped_column(String(30))
    due: Mapped[dt.date] = mapped_column(Date)
    met_at: Mapped[Optional[UTCTime]]
    met_on: Mapped[Optional[dt.date]] = mapped_column(Date)  # local date of met_at
    # The local day the limit runs from: for ACCEPT the day of registration, so that the days to
    # acceptance and to the reply are date differences in the database (status_matter_stats.py).
    counted_from: Mapped[Optional[dt.date]] = mapped_column(Date)
    for_handler: Mapped[bool] = mapped_column(Boolean)
    unverified: Mapped[bool] = mapped_column(Boolean)  # counted over a year without official holidays

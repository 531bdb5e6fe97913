"""Reading published disclosures for the API: filtered, counted, one page at a time."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session, joinedload, selectinload

from transparency.areas.models import Area, AreaLevel
from transparency.disclosures.models import Category, Disclosure


@dataclass(frozen=True)
class DisclosureFilter:
    village: Area | None = None
    township: Area | None = None
    category: Category | None = None
    period_from: dt.date | None = None
    period_to: dt.date | None = None


def _where(query, chosen: DisclosureFilter):
    query = query.where(Disclosure.first_published_at.is_not(None))
    if chosen.village is not None:
        query = query.where(Disclosure.village_id == chosen.village.id)
    if chosen.township is not None:
        villages = select(Area.id).where(Area.parent_id == chosen.township.id, Area.level == AreaLevel.VILLAGE)
        query = query.where(Disclosure.village_id.in_(villages))
    if chosen.category is not None:
        query = query.where(Disclosure.category == chosen.category)
    if chosen.period_from is not None:
        query = query.where(Disclosure.period_end >= chosen.period_from)
    if chosen.period_to is not None:
        query = query.where(Disclosure.period_start <= chosen.period_to)
    return query


def published_page(
    session: Session, chosen: DisclosureFilter, *, page: int, limit: int
) -> tuple[list[Disclosure], int]:
    """One page of published disclosures, newest publication first, and how many match in all."""
    total = session.scalar(_where(select(func.count(Disclosure.id)), chosen)) or 0
    query = (
        _where(select(Disclosure), chosen)
        .options(joinedload(Disclosure.village).joinedload(Area.parent), selectinload(Disclosure.versions))
        .order_by(Disclosure.first_published_at.desc(), Disclosure.id.desc())
        .limit(limit)
        .offset((page - 1) * limit)
    )
    return list(session.scalars(query).unique()), total


def published_counts(session: Session) -> list[tuple[Area, dict[Category, int]]]:
    """How many disclosures each village has published, per category (villages with none left out)."""
    query = (
        select(Disclosure.village_id, Disclosure.category, func.count(Disclosure.id))
        .where(Disclosure.first_published_at.is_not(None))
        .group_by(Disclosure.village_id, Disclosure.category)
    )
    counts: dict[int, dict[Category, int]] = {}
    for village_id, category, count in session.execute(query):
        counts.setdefault(village_id, {})[category] = count
    villages = session.scalars(
        select(Area).where(Area.id.in_(counts)).options(joinedload(Area.parent)).order_by(Area.code)
    )
    return [(village, counts[village.id]) for village in villages]

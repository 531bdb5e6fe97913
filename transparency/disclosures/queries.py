"""Reading disclosures for the public and for staff."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from transparency.areas.models import Area
from transparency.disclosures.models import Category, Disclosure, DisclosureVersion, VersionStatus


def published_in_village(session: Session, village: Area, category: Category | None = None) -> list[Disclosure]:
    """Published notices of a village, newest period first."""
    query = (
        select(Disclosure)
        .where(Disclosure.village_id == village.id, Disclosure.first_published_at.is_not(None))
        .options(selectinload(Disclosure.versions))
        .order_by(Disclosure.period_start.desc(), Disclosure.id.desc())
    )
    if category is not None:
        query = query.where(Disclosure.category == category)
    return list(session.scalars(query))


def latest_by_category(disclosures: list[Disclosure]) -> dict[Category, Disclosure]:
    latest: dict[Category, Disclosure] = {}
    for disclosure in disclosures:
        latest.setdefault(disclosure.category, disclosure)
    return latest


def village_work(session: Session, village: Area) -> list[Disclosure]:
    """Every notice of a village with any version, for its staff: newest first."""
    query = (
        select(Disclosure)
        .where(Disclosure.village_id == village.id)
        .options(selectinload(Disclosure.versions))
        .order_by(Disclosure.created_at.desc(), Disclosure.id.desc())
    )
    return list(session.scalars(query))


def awaiting_review(session: Session, village: Area) -> list[DisclosureVersion]:
    query = (
        select(DisclosureVersion)
        .join(Disclosure)
        .where(Disclosure.village_id == village.id, DisclosureVersion.status == VersionStatus.SUBMITTED)
        .order_by(DisclosureVersion.submitted_at)
    )
    return list(session.scalars(query))


def version_by_number(disclosure: Disclosure, number: int) -> DisclosureVersion | None:
    return next((v for v in disclosure.versions if v.number == number), None)

"""Reading disclosures for the public and for staff."""

from __future__ import annotations

from flask import abort
from sqlalchemy import select
from sqlalchemy.orm import Session, joinedload, selectinload

from transparency.areas.models import Area
from transparency.disclosures.models import Category, Disclosure, DisclosureVersion, VersionStatus


def published_in_village(session: Session, village: Area, category: Category | None = None) -> list[Disclosure]:
    """Published disclosures of a village, newest period first."""
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
    """Every disclosure of a village with any version, for its staff: newest first."""
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


# What a page of one disclosure shows besides its rows: its village and township, and its versions
# with who drafted each, read with the disclosure (two round trips instead of five).
SHOWN_WITH_DISCLOSURE = (
    joinedload(Disclosure.village).joinedload(Area.parent),
    selectinload(Disclosure.versions).joinedload(DisclosureVersion.drafted_by),
)


def published_disclosure_or_404(session: Session, disclosure_id: int) -> Disclosure:
    """A disclosure with at least one published version, its versions loaded. Aborts with 404 otherwise."""
    disclosure = session.get(Disclosure, disclosure_id, options=SHOWN_WITH_DISCLOSURE)
    if disclosure is None or disclosure.current is None:
        abort(404)
    return disclosure


def published_version_or_404(session: Session, disclosure_id: int, number: int) -> DisclosureVersion:
    """Version `number` of a disclosure, if it is published (drafts and returned versions are not).

    Aborts with 404 for an unknown disclosure, an unknown number or an unpublished version alike.
    """
    disclosure = session.get(Disclosure, disclosure_id, options=SHOWN_WITH_DISCLOSURE)
    version = version_by_number(disclosure, number) if disclosure is not None else None
    if version is None or version.status is not VersionStatus.PUBLISHED:
        abort(404)
    return version

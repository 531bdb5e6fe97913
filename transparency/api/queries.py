"""Reading published disclosures for the API: filtered, counted, one page at a time.

Pages are newest publication first. A page is found either by number (OFFSET over the ids
alone, on an index, then the page's rows by id) or after a cursor (`after=`, the keyset: the
rows older than the last one of the previous page, as fast at page 10,000 as at page 1). Each
page says the cursor of its next page. Totals are counted once per change of the published
set, per filter, not per request.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TypeVar

from flask import current_app
from sqlalchemy import Select, and_, bindparam, func, or_, select, true
from sqlalchemy.orm import Session, aliased, joinedload

from transparency.areas.models import Area, AreaLevel
from transparency.core.page_revisions import DISCLOSURES, tokens
from transparency.disclosures.models import (
    Category,
    Disclosure,
    DisclosureVersion,
    PeriodKind,
    VersionStatus,
)

EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)
MAX_KEPT_TOTALS = 4096  # filters counted per change of the published set, per process
MAX_ID = 2**31 - 1  # ids are INTEGER columns
Kept = TypeVar("Kept")


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


@dataclass(frozen=True)
class Cursor:
    """Where a page ended: the last disclosure's first publication (to the microsecond) and id."""

    published_at: dt.datetime
    disclosure_id: int

    def __str__(self) -> str:
        """'t<microseconds since 1970>n<id>': letters around the digits, so that the masking of
        public output (a 16-digit run looks like a card number) leaves the cursor alone."""
        microseconds = (self.published_at - EPOCH) // dt.timedelta(microseconds=1)
        return f"t{microseconds}n{self.disclosure_id}"

    @classmethod
    def of(cls, disclosure: Disclosure | ListedDisclosure) -> Cursor:
        assert disclosure.first_published_at is not None
        return cls(disclosure.first_published_at, disclosure.id)

    @classmethod
    def at(cls, microseconds: int, disclosure_id: int) -> Cursor:
        return cls(EPOCH + dt.timedelta(microseconds=microseconds), disclosure_id)


@dataclass(frozen=True)
class ListedArea:
    code: str
    name: str
    level: AreaLevel
    parent: ListedArea | None = None


@dataclass(frozen=True)
class ListedVersion:
    number: int
    title: str


@dataclass(frozen=True)
class ListedDisclosure:
    """What a list shows of a disclosure (`serialize.disclosure_summary` reads it as it reads a
    Disclosure): read as plain columns in one statement, not as ORM objects with every version."""

    id: int
    village: ListedArea
    category: Category
    period_kind: PeriodKind
    period_start: dt.date
    period_end: dt.date
    first_published_at: dt.datetime
    current: ListedVersion | None


@dataclass(frozen=True)
class Page:
    items: list[ListedDisclosure]
    total: int
    next: Cursor | None  # None on the last page


def published_page(
    session: Session, chosen: DisclosureFilter, *, page: int, limit: int, after: Cursor | None = None
) -> Page:
    """One page of published disclosures, newest publication first: page number `page`, or the
    page after the cursor `after` when given; with how many match in all."""
    newest_first = (Disclosure.first_published_at.desc(), Disclosure.id.desc())
    ids = _where(select(Disclosure.id), chosen).order_by(*newest_first).limit(limit + 1)
    if after is not None:
        older = Disclosure.first_published_at < after.published_at
        # A typed cursor may name an id beyond the INTEGER column; every id is below it then.
        below = Disclosure.id < after.disclosure_id if after.disclosure_id <= MAX_ID else true()
        same_moment = and_(Disclosure.first_published_at == after.published_at, below)
        ids = ids.where(or_(older, same_moment))
    else:
        ids = ids.offset((page - 1) * limit)
    found = list(session.scalars(ids))
    items = listed(session, found[:limit])
    following = Cursor.of(items[-1]) if len(found) > limit and items else None
    return Page(items, published_total(session, chosen), following)


def listed(session: Session, disclosure_ids: list[int]) -> list[ListedDisclosure]:
    """The disclosures `disclosure_ids` as a list shows them, newest publication first: each with
    its village, township and current (newest published) version, in one statement."""
    if not disclosure_ids:
        return []
    items = []
    for row in session.execute(_listing_statement(), {"ids": disclosure_ids}):
        township_ref = (
            ListedArea(row.township_code, row.township_name, row.township_level) if row.township_code else None
        )
        items.append(
            ListedDisclosure(
                id=row.id,
                village=ListedArea(row.village_code, row.village_name, row.village_level, township_ref),
                category=row.category,
                period_kind=row.period_kind,
                period_start=row.period_start,
                period_end=row.period_end,
                first_published_at=row.first_published_at,
                current=ListedVersion(row.number, row.title) if row.number is not None else None,
            )
        )
    return items


@functools.cache
def _listing_statement() -> Select:
    """`listed`'s statement, built once: aliasing the areas and versions costs more than the query."""
    village, township, current = aliased(Area), aliased(Area), aliased(DisclosureVersion)
    newest_number = (
        select(func.max(DisclosureVersion.number))
        .where(DisclosureVersion.disclosure_id == Disclosure.id, DisclosureVersion.status == VersionStatus.PUBLISHED)
        .scalar_subquery()
    )
    return (
        select(
            Disclosure.id,
            Disclosure.category,
            Disclosure.period_kind,
            Disclosure.period_start,
            Disclosure.period_end,
            Disclosure.first_published_at,
            village.code.label("village_code"),
            village.name.label("village_name"),
            village.level.label("village_level"),
            township.code.label("township_code"),
            township.name.label("township_name"),
            township.level.label("township_level"),
            current.number,
            current.title,
        )
        .join(village, village.id == Disclosure.village_id)
        .outerjoin(township, township.id == village.parent_id)
        .outerjoin(current, and_(current.disclosure_id == Disclosure.id, current.number == newest_number))
        .where(Disclosure.id.in_(bindparam("ids", expanding=True)))
        .order_by(Disclosure.first_published_at.desc(), Disclosure.id.desc())
    )


def published_total(session: Session, chosen: DisclosureFilter) -> int:
    """How many published disclosures match: counted once per filter until the next publication."""
    (token,) = tokens(session, [DISCLOSURES])
    kept: dict[str, object] = current_app.extensions.setdefault("api_totals", {"token": None, "totals": {}})
    totals: dict[tuple[object, ...], int] = kept["totals"]  # type: ignore[assignment]
    if kept["token"] != token or len(totals) >= MAX_KEPT_TOTALS:
        kept["token"], totals = token, {}
        kept["totals"] = totals
    key = (
        chosen.village.id if chosen.village else None,
        chosen.township.id if chosen.township else None,
        chosen.category,
        chosen.period_from,
        chosen.period_to,
    )
    if key not in totals:
        totals[key] = session.scalar(_where(select(func.count(Disclosure.id)), chosen)) or 0
    return totals[key]


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


def once_per_change(session: Session, name: str, scopes: Iterable[str], compute: Callable[[], Kept]) -> Kept:
    """`compute()`, kept per process until one of `scopes` changes (its token, read in the caller's
    transaction, so the value kept is never older than the token it is kept under). For plain data
    (dicts, lists, numbers), never ORM objects; callers must not change what it returns."""
    key = tokens(session, scopes)
    kept: dict[str, tuple[tuple[int, ...], object]] = current_app.extensions.setdefault("api_kept", {})
    found = kept.get(name)
    if found is None or found[0] != key:
        found = kept[name] = (key, compute())
    return found[1]  # type: ignore[return-value]

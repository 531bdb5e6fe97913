"""The newest published versions (first publications and corrections) of some villages."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session, joinedload

from transparency.areas.models import Area, AreaLevel
from transparency.disclosures.models import Disclosure, DisclosureVersion, VersionStatus

FEED_LENGTH = 50


def newest_publications(session: Session, area: Area, limit: int = FEED_LENGTH) -> list[DisclosureVersion]:
    """Published versions in a village, or in every village of a township, newest first."""
    if area.level is AreaLevel.VILLAGE:
        villages = select(Area.id).where(Area.id == area.id)
    else:
        villages = select(Area.id).where(Area.parent_id == area.id, Area.level == AreaLevel.VILLAGE)
    query = (
        select(DisclosureVersion)
        .join(Disclosure)
        .where(Disclosure.village_id.in_(villages), DisclosureVersion.status == VersionStatus.PUBLISHED)
        .options(joinedload(DisclosureVersion.disclosure).joinedload(Disclosure.village))
        .order_by(DisclosureVersion.published_at.desc(), DisclosureVersion.id.desc())
        .limit(limit)
    )
    return list(session.scalars(query))

"""An inspector's jurisdiction: a township (its villages) or the county (everything)."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from transparency.accounts.models import Account
from transparency.areas.models import Area, AreaLevel


def villages_in(session: Session, area: Area) -> list[Area]:
    """The villages under `area` (or the village itself), ordered by code: never by performance."""
    if area.level is AreaLevel.VILLAGE:
        return [area]
    if area.level is AreaLevel.TOWNSHIP:
        query = select(Area).where(Area.parent_id == area.id, Area.level == AreaLevel.VILLAGE)
    else:
        townships = select(Area.id).where(Area.parent_id == area.id)
        query = select(Area).where(Area.parent_id.in_(townships), Area.level == AreaLevel.VILLAGE)
    return list(session.scalars(query.order_by(Area.code)))


def area_codes_in(session: Session, account: Account) -> set[str] | None:
    """The area codes an inspector may see in the audit log; None means all (the county)."""
    area = account.area
    if area is None:
        return set()
    if area.level is AreaLevel.COUNTY:
        return None
    return {area.code, *(village.code for village in villages_in(session, area))}

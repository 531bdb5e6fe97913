"""Which area an audit entry concerns, found from its object (see services.area_resolver).

Other capabilities register their own object types with the same decorator.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from transparency.accounts.models import Account
from transparency.areas.models import Area
from transparency.audit.services import area_resolver
from transparency.complaints.models import Matter
from transparency.disclosures.models import Disclosure


def _int(object_id: str) -> int | None:
    return int(object_id) if object_id.isdigit() else None


@area_resolver("disclosure")
def _disclosure(session: Session, object_id: str) -> str | None:
    key = _int(object_id)
    return session.scalar(
        select(Area.code).join(Disclosure, Disclosure.village_id == Area.id).where(Disclosure.id == key)
    )


@area_resolver("account")
def _account(session: Session, object_id: str) -> str | None:
    key = _int(object_id)
    return session.scalar(select(Area.code).join(Account, Account.area_id == Area.id).where(Account.id == key))


@area_resolver("area")
def _area(session: Session, object_id: str) -> str | None:
    return object_id if session.scalar(select(Area.id).where(Area.code == object_id)) is not None else None


@area_resolver("matter")
def _matter(session: Session, object_id: str) -> str | None:
    key = _int(object_id)
    return session.scalar(select(Area.code).join(Matter, Matter.village_id == Area.id).where(Matter.id == key))

"""The village picker: every village, grouped by township."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload
from wtforms.fields.choices import SelectChoice

from transparency.areas.models import Area, AreaLevel


def village_choices(session: Session, within: Area | None = None) -> list[SelectChoice]:
    """Every village (inside `within`, if given) as a select option, in its township's group."""
    townships = session.scalars(
        select(Area).where(Area.level == AreaLevel.TOWNSHIP).options(selectinload(Area.children)).order_by(Area.code)
    )
    return [
        SelectChoice(village.code, village.name, optgroup=township.name)
        for township in townships
        for village in township.children
        if within is None or within.contains(village)
    ]

"""The village picker: every village, grouped by township."""

from __future__ import annotations

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import Session, aliased
from wtforms.fields.choices import SelectChoice

from transparency.areas.models import Area, AreaLevel
from transparency.core.page_revisions import AREAS, committed_tokens, tokens


def village_choices(session: Session, within: Area | None = None) -> list[SelectChoice]:
    """Every village (inside `within`, if given) as a select option, in its township's group.

    The filing form shows it on every request: each process keeps the list per area, until the
    area tree's public revision moves (a new area), so a request reads one token, not the tree.
    """
    kept: dict[int | None, tuple[int, tuple[SelectChoice, ...]]] = current_app.extensions.setdefault(
        "village_choices", {}
    )
    key, token = (within.id if within is not None else None), _areas_token(session)
    if key not in kept or kept[key][0] != token:
        kept[key] = (token, tuple(_village_choices(session, within)))
    return list(kept[key][1])


def _areas_token(session: Session) -> int:
    """The area tree's revision as `session` would read it. A session that has not begun reads what
    was last committed: then read on a bare pooled connection, so that the form's GET, which reads
    nothing else when the list is kept, begins no transaction at all (nor commits one)."""
    if session.in_transaction():
        return tokens(session, [AREAS])[0]  # the session's own view, its uncommitted changes included
    return committed_tokens(session.get_bind(), [AREAS])[0]


def _village_choices(session: Session, within: Area | None) -> list[SelectChoice]:
    township = aliased(Area)
    query = (
        select(Area.code, Area.name, township.name, township.code)
        .join(township, Area.parent_id == township.id)
        .where(Area.level == AreaLevel.VILLAGE)
        .order_by(township.code, Area.code)
    )
    if within is not None and within.level is AreaLevel.VILLAGE:
        query = query.where(Area.id == within.id)
    elif within is not None and within.level is AreaLevel.TOWNSHIP:
        query = query.where(township.id == within.id)
    return [SelectChoice(code, name, optgroup=group) for code, name, group, _ in session.execute(query)]


def village_choices_to_pick(session: Session, within: Area | None = None) -> list[SelectChoice]:
    """Every village (of `within`) after an empty 请选择村, so that nobody files about a village by
    default (and a required <select> starts with the empty choice HTML asks for)."""
    return [SelectChoice("", _("请选择村")), *village_choices(session, within)]

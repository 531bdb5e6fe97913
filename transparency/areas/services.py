"""Finding and creating areas.

Raises: InvalidArea.
"""

from __future__ import annotations

from typing import Any

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import Session, joinedload, selectinload
from sqlalchemy.orm.attributes import set_committed_value

from transparency.areas.models import Area, AreaLevel
from transparency.core import signals
from transparency.core.integers import is_ascii_digits

# The parent of each level, and how many leading digits a child shares with it.
PARENT_LEVEL = {AreaLevel.TOWNSHIP: AreaLevel.COUNTY, AreaLevel.VILLAGE: AreaLevel.TOWNSHIP}
SHARED_DIGITS = {AreaLevel.TOWNSHIP: 6, AreaLevel.VILLAGE: 9}


class InvalidArea(ValueError):
    """The code, level or parent of a new area do not fit together."""


def area_by_code(session: Session, code: str, level: AreaLevel | None = None) -> Area | None:
    if not (len(code) == 12 and is_ascii_digits(code)):
        return None
    # Its parent in the same round trip: nearly every page about an area names its township.
    query = select(Area).where(Area.code == code).options(joinedload(Area.parent))
    if level is not None:
        query = query.where(Area.level == level)
    return session.scalar(query)


def counties(session: Session) -> list[Area]:
    return list(session.scalars(select(Area).where(Area.level == AreaLevel.COUNTY).order_by(Area.code)))


def townships(session: Session, *, with_villages: bool = False) -> list[Area]:
    """Every township in code order; `with_villages` loads their villages in the same round trip
    (selectin), for a list that counts them, instead of one lazy load per township."""
    query = select(Area).where(Area.level == AreaLevel.TOWNSHIP).order_by(Area.code)
    if with_villages:
        query = query.options(selectinload(Area.children))
    return list(session.scalars(query))


def whole_tree(session: Session) -> list[Area]:
    """Every area in code order, each one's `children` filled from this one query (and its `parent`
    found in the session without another): a page that walks the tree, like the home page, reads
    it in one round trip instead of one per level."""
    areas = list(session.scalars(select(Area).order_by(Area.code)))
    children: dict[int, list[Area]] = {area.id: [] for area in areas}
    for area in areas:
        if area.parent_id is not None:
            children[area.parent_id].append(area)
    for area in areas:
        set_committed_value(area, "children", children[area.id])
    return areas


def find_villages(session: Session, name_part: str, limit: int = 30) -> list[Area]:
    """Villages whose name contains the typed text (村名的一部分)."""
    pattern = "%" + name_part.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
    query = (
        select(Area)
        .where(Area.level == AreaLevel.VILLAGE, Area.name.like(pattern, escape="\\"))
        .order_by(Area.code)
        .limit(limit)
    )
    return list(session.scalars(query))


def create_area(
    session: Session, *, actor: Any | None, code: str, name: str, level: AreaLevel, parent: Area | None
) -> Area:
    """Add a county, township or village and announce it (`area_created`: the log records it).

    Raises InvalidArea.
    """
    if not (len(code) == 12 and is_ascii_digits(code)):
        raise InvalidArea(_("行政区划代码应为 12 位数字"))
    if session.scalar(select(Area.id).where(Area.code == code)) is not None:
        raise InvalidArea(_("代码 %(code)s 已经存在", code=code))
    if level is AreaLevel.COUNTY:
        if parent is not None:
            raise InvalidArea(_("县不能有上级地区"))
        if not code.endswith("000000"):
            raise InvalidArea(_("县级代码后 6 位应为 0"))
    else:
        if parent is None or parent.level is not PARENT_LEVEL[level]:
            raise InvalidArea(_("%(level)s的上级必须是%(parent)s", level=level.label, parent=PARENT_LEVEL[level].label))
        shared = SHARED_DIGITS[level]
        if code[:shared] != parent.code[:shared]:
            raise InvalidArea(
                _(
                    "%(level)s代码的前 %(digits)s 位应与上级 %(parent)s 相同",
                    level=level.label,
                    digits=shared,
                    parent=parent.code,
                )
            )
        if level is AreaLevel.TOWNSHIP and (not code.endswith("000") or code[6:9] == "000"):
            raise InvalidArea(_("乡镇代码第 7–9 位不能全为 0，后 3 位应为 0"))
        if level is AreaLevel.VILLAGE and code[9:] == "000":
            raise InvalidArea(_("村级代码后 3 位不能全为 0"))
    area = Area(code=code, name=name, level=level, parent=parent)
    session.add(area)
    session.flush()
    signals.area_created.send(session, area=area, actor=actor)
    return area


def villages_under(area: Area) -> list[Area]:
    """The villages inside `area` (itself, if it is one), in code order."""
    if area.level is AreaLevel.VILLAGE:
        return [area]
    return [village for child in area.children for village in villages_under(child)]

"""Changing obligations: a deployer's rule per category, a village's flags. Each change is logged."""

from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from transparency.areas.models import Area
from transparency.audit.services import record
from transparency.core import signals
from transparency.core.db import utcnow
from transparency.disclosures.models import Category
from transparency.obligations.models import Cadence, ObligationRule, VillageFlag, VillageObligationFlag
from transparency.obligations.rules import MONTHS_OF_CADENCE


class InvalidRule(ValueError):
    """The rule lacks its cut-off day or its number of days, or they are out of range."""


def set_rule(
    session: Session,
    *,
    actor: object | None,
    category: Category,
    cadence: Cadence,
    village_flag: str = "",
    cutoff_day: int | None = None,
    within_days: int | None = None,
) -> ObligationRule:
    """Create or replace the rule for (category, flag). Raises InvalidRule."""
    if cadence in MONTHS_OF_CADENCE and not (cutoff_day and 1 <= cutoff_day <= 31):
        raise InvalidRule(_("按期公开的事项需要截止日（次月 1 到 31 日）"))
    if cadence is Cadence.AFTER_EVENT and not (within_days is not None and 0 <= within_days <= 366):
        raise InvalidRule(_("事项发生后公开的期限应在 0 到 366 天之间"))
    if village_flag and village_flag not in {flag.value for flag in VillageFlag}:
        raise InvalidRule(_("没有这个村级标记：%(flag)s", flag=village_flag))
    rule = session.scalar(
        select(ObligationRule).where(ObligationRule.category == category, ObligationRule.village_flag == village_flag)
    )
    if rule is None:
        rule = ObligationRule(category=category, village_flag=village_flag)
        session.add(rule)
    rule.cadence = cadence
    rule.cutoff_day = cutoff_day if cadence in MONTHS_OF_CADENCE else None
    rule.within_days = within_days if cadence is Cadence.AFTER_EVENT else None
    rule.changed_at = utcnow()
    session.flush()
    record(
        session,
        actor=actor,
        action="obligation.set",
        object_type="obligation_rule",
        object_id=rule.id,
        category=str(category),
        village_flag=village_flag,
        cadence=str(cadence),
        cutoff_day=rule.cutoff_day,
        within_days=rule.within_days,
    )
    signals.obligations_changed.send(session, actor=actor)
    return rule


def set_flag(session: Session, *, actor: object | None, village: Area, flag: VillageFlag, on: bool) -> None:
    """Give a village a flag (e.g. 财务往来较多) or take it away."""
    query = select(VillageObligationFlag).where(
        VillageObligationFlag.village_id == village.id, VillageObligationFlag.flag == flag
    )
    existing = session.scalar(query)
    if on and existing is None:
        session.add(VillageObligationFlag(village_id=village.id, flag=flag))
    elif not on and existing is not None:
        session.execute(delete(VillageObligationFlag).where(VillageObligationFlag.id == existing.id))
    session.flush()
    record(
        session,
        actor=actor,
        action="obligation.flag" if on else "obligation.unflag",
        object_type="area",
        object_id=village.code,
        area_code=village.code,
        flag=str(flag),
    )
    signals.obligations_changed.send(session, actor=actor)

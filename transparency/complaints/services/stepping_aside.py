"""Nobody judges their own case (DESIGN rule 3): stepping aside (回避) and the level that is left.

An inspector declares a conflict of interest on a matter: the reason is recorded for staff and in
the audit log by digest, never on a public page. The matter stays with the other inspectors of
its level; when none is left (all named in it, or stepped aside), it goes to the level above.
"""

from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import Session

from transparency.accounts.models import Account, Role
from transparency.areas.models import Area
from transparency.audit.services import record
from transparency.complaints.access import LEVELS, handling_level, level_above, log_area_code, may_handle, stands_aside
from transparency.complaints.models import EventKind, HandlerLevel, Matter, MatterRecusal
from transparency.complaints.services.timeline import append_event, require, require_open, require_text
from transparency.core import clock
from transparency.core.db import utcnow


def level_area(matter: Matter, level: HandlerLevel) -> Area | None:
    """The area whose inspectors act at `level` for the matter's village."""
    area: Area | None = matter.village
    for _step in range(LEVELS.index(level)):
        area = area.parent if area is not None else None
    return area


def inspectors_left(session: Session, matter: Matter, level: HandlerLevel) -> list[Account]:
    """The active inspectors of the level's area who may still handle the matter."""
    area = level_area(matter, level)
    if area is None or level is HandlerLevel.VILLAGE:
        return []
    found = session.scalars(
        select(Account).where(Account.role == Role.INSPECTOR, Account.active.is_(True), Account.area_id == area.id)
    )
    return [account for account in found if not stands_aside(account, matter)]


def settle_level(session: Session, matter: Matter) -> bool:
    """Move an inspectors' matter up while nobody at its level may handle it. Answers whether it
    moved. The county is the top: a matter stays there even with nobody left. Raises nothing."""
    moved = False
    while (
        matter.handler_level is not HandlerLevel.VILLAGE
        and matter.handler_level is not LEVELS[-1]
        and not inspectors_left(session, matter, matter.handler_level)
    ):
        matter.handler_level, moved = level_above(matter.handler_level), True
    return moved


def declare_conflict(session: Session, *, matter: Matter, actor: Account, reason: str) -> None:
    """回避: the inspector handling the matter steps aside with a reason (recorded, audited, not public).

    The matter then no longer exists for them. The caller holds the matter's lock.
    Raises NotAllowed (closed, not an inspector handling it, no reason).
    """
    require_open(matter)
    require(
        actor.role is Role.INSPECTOR and may_handle(actor, matter, clock.today()),
        _("只有正在办理这件事项的纪检监察员可以申请回避"),
    )
    require_text(reason, _("回避的理由"))
    matter.handler_level = handling_level(matter, clock.today())
    matter.recusals.append(MatterRecusal(account_id=actor.id, at=utcnow(), reason=reason))
    session.flush()
    record(
        session,
        actor=actor,
        action="complaint.conflict_declared",
        object_type="matter",
        object_id=matter.id,
        area_code=log_area_code(matter),
        is_public=False,
        number=matter.number,
        staff_texts={"reason": reason},
    )
    settle_level(session, matter)
    text = _("改由%(level)s办理", level=matter.handler_level.label)
    append_event(session, matter, EventKind.STEPPED_ASIDE, actor, text, public=False, private_audit=True)

"""What the handler does (the village clerk, or the township inspectors): accept or decline, reply,
ask for or decide an extension, answer a review, close, and see the complainant's contact.

Glossary: accept = 受理, decline = 不予受理, reply = 答复, extension = 延期, review = 复查, close = 办结.
"""

from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy.orm import Session

from transparency.accounts.models import Account
from transparency.audit.services import record
from transparency.complaints.access import LEVELS, level_of, log_area_code, may_approve_extension, may_handle, may_see
from transparency.complaints.deadlines import Step, finality, local_date, rules
from transparency.complaints.models import EventKind, Matter, MatterContact, MatterEvent, MatterKind, MatterStatus
from transparency.complaints.services.escalation import escalate
from transparency.complaints.services.filing import find
from transparency.complaints.services.timeline import OPEN_STATUSES, append_event, require, require_open, require_text
from transparency.core.db import utcnow


def require_handler(session: Session, matter: Matter, actor: Account) -> None:
    """Only the current handler; an overdue matter is escalated on the record before anyone acts.

    Raises NotAllowed.
    """
    today = local_date(utcnow())
    if matter.status in OPEN_STATUSES:
        escalate(session, matter=matter, today=today)
    require(may_handle(actor, matter, today), _("这件事项现在不由您办理"))


def require_step(session: Session, matter: Matter, actor: Account) -> None:
    """A step on the matter: refused once it is closed, then as `require_handler`. Raises NotAllowed."""
    require_open(matter)
    require_handler(session, matter, actor)


def accept(session: Session, *, matter: Matter, actor: Account) -> None:
    """受理 a registered matter. Raises NotAllowed (closed, not the handler, not awaiting acceptance)."""
    require_step(session, matter, actor)
    require(matter.status is MatterStatus.REGISTERED, _("只有待受理的事项可以受理"))
    matter.status, matter.decided_at = MatterStatus.ACCEPTED, utcnow()
    append_event(session, matter, EventKind.ACCEPTED, actor)


def decline(session: Session, *, matter: Matter, actor: Account, reason: str) -> None:
    """不予受理, with a reason on the record. Raises NotAllowed (closed, not the handler, wrong state, no reason)."""
    require_step(session, matter, actor)
    require(matter.status is MatterStatus.REGISTERED, _("只有待受理的事项可以不予受理"))
    require_text(reason, _("不予受理的理由"))
    matter.status, matter.decided_at = MatterStatus.DECLINED, utcnow()
    append_event(session, matter, EventKind.DECLINED, actor, reason)


def reply(session: Session, *, matter: Matter, actor: Account, text: str) -> None:
    """答复 an accepted matter. Raises NotAllowed (closed, not the handler, not accepted, empty reply)."""
    require_step(session, matter, actor)
    require(matter.status is MatterStatus.ACCEPTED, _("受理之后才能答复"))
    require_text(text, _("答复内容"))
    matter.status, matter.replied_at = MatterStatus.REPLIED, utcnow()
    # The level that replied is the one whose review is asked of the level above it.
    matter.handler_level = max(matter.handler_level, level_of(actor), key=LEVELS.index)
    append_event(session, matter, EventKind.REPLIED, actor, text)


def pending_extension(matter: Matter) -> MatterEvent | None:
    """The extension asked for and not yet decided, if any."""
    asked = [e for e in matter.events if e.kind is EventKind.EXTENSION_REQUESTED]
    decided = [e for e in matter.events if e.kind in (EventKind.EXTENSION_APPROVED, EventKind.EXTENSION_REFUSED)]
    return asked[-1] if len(asked) > len(decided) else None


def _decided_already(matter: Matter, actor: Account, approve: bool) -> bool:
    """Whether the last extension decision is this one, taken by this account."""
    decisions = (EventKind.EXTENSION_APPROVED, EventKind.EXTENSION_REFUSED)
    last = next((e for e in reversed(matter.events) if e.kind in decisions), None)
    wanted = EventKind.EXTENSION_APPROVED if approve else EventKind.EXTENSION_REFUSED
    return last is not None and last.kind is wanted and last.actor_id == actor.id


def request_extension(session: Session, *, matter: Matter, actor: Account, days: int, reason: str) -> None:
    """申请延期, once per matter, up to the law's longest extension.

    Raises NotAllowed (closed, not the handler, not accepted, asked before, too long, no reason).
    """
    require_step(session, matter, actor)
    require(matter.status is MatterStatus.ACCEPTED, _("只有办理中的事项可以申请延期"))
    require(not any(e.kind is EventKind.EXTENSION_REQUESTED for e in matter.events), _("每件事项只能申请一次延期"))
    longest = rules(matter.kind)[Step.EXTENSION].days
    require(1 <= days <= longest, _("延期天数须在 1 到 %(days)s 天之间", days=longest))
    require_text(reason, _("延期理由"))
    append_event(session, matter, EventKind.EXTENSION_REQUESTED, actor, reason, days=days)


def decide_extension(session: Session, *, matter: Matter, actor: Account, approve: bool, note: str = "") -> None:
    """An inspector other than the one who asked approves or refuses the pending extension.

    The same inspector sending the same decision again (its answer was lost) changes nothing.
    Raises NotAllowed (closed, nothing pending, the asker or a non-inspector deciding, a refusal without reason).
    """
    require_open(matter)
    asked = pending_extension(matter)
    if asked is None and _decided_already(matter, actor, approve):
        return
    require(asked is not None, _("没有待审批的延期申请"))
    assert asked is not None
    require(may_approve_extension(actor, matter, asked.actor_id), _("延期须由申请人以外的纪检监察员审批"))
    if approve:
        matter.extension_days = asked.days or 0
        append_event(session, matter, EventKind.EXTENSION_APPROVED, actor, note, days=asked.days)
    else:
        require_text(note, _("不批准的理由"))
        append_event(session, matter, EventKind.EXTENSION_REFUSED, actor, note)


def answer_review(session: Session, *, matter: Matter, actor: Account, text: str) -> None:
    """复查答复. Raises NotAllowed (closed, not the handler, no review asked, empty answer)."""
    require_step(session, matter, actor)
    require(matter.status is MatterStatus.UNDER_REVIEW, _("没有待答复的复查申请"))
    require_text(text, _("复查答复"))
    matter.status, matter.review_answered_at = MatterStatus.REVIEWED, utcnow()
    append_event(session, matter, EventKind.REVIEW_ANSWERED, actor, text)


def answer_re_review(session: Session, *, matter: Matter, actor: Account, text: str) -> None:
    """复核答复 by the county: the matter is closed and final (终结).

    Raises NotAllowed (closed, not the handler, no re-review asked, empty answer).
    """
    require_step(session, matter, actor)
    require(matter.status is MatterStatus.UNDER_RE_REVIEW, _("没有待答复的复核申请"))
    require_text(text, _("复核答复"))
    now = utcnow()
    matter.status, matter.re_review_answered_at, matter.closed_at = MatterStatus.CLOSED, now, now
    append_event(session, matter, EventKind.RE_REVIEW_ANSWERED, actor, text)


def decline_as_final(session: Session, *, matter: Matter, actor: Account, final_number: str) -> Matter:
    """不予受理 a new filing about the same facts as a matter already final, linked to it.

    Answers the final matter. Raises NotAllowed (not the handler, not awaiting acceptance, no such
    matter in the actor's sight, of another village, or not final).
    """
    require_step(session, matter, actor)
    require(matter.status is MatterStatus.REGISTERED, _("只有待受理的事项可以不予受理"))
    final = find(session, final_number.strip()) if final_number.strip() else None
    require(
        final is not None and final.id != matter.id and may_see(actor, final) and final.village_id == matter.village_id,
        _("没有找到这个村的事项 %(number)s", number=final_number.strip()[:20]),
    )
    assert final is not None
    settled = finality(final, local_date(utcnow()))
    require(settled is not None, _("事项 %(number)s 还没有终结", number=final.number))
    assert settled is not None
    matter.status, matter.decided_at, matter.final_matter_number = MatterStatus.DECLINED, utcnow(), final.number
    text = _(
        "反映的事实和理由与已终结的事项 %(number)s 相同，依据%(basis)s不再受理。",
        number=final.number,
        basis=settled.basis,
    )
    append_event(session, matter, EventKind.DECLINED_AS_FINAL, actor, text, payload={"final_matter": final.number})
    return final


NOTICE_EVENTS = {Step.ACCEPT_NOTICE: EventKind.ACCEPTANCE_NOTIFIED, Step.RESULT_NOTICE: EventKind.RESULT_NOTIFIED}
NOTICE_COLUMNS = {Step.ACCEPT_NOTICE: "acceptance_notified_at", Step.RESULT_NOTICE: "result_notified_at"}


def notify_filer(session: Session, *, matter: Matter, actor: Account, step: Step, note: str) -> None:
    """Record that a 实名 举报's filer was told of acceptance (受理情况) or of the result (办理结果).

    Allowed on a closed or declined matter: the notices come after. Once each.
    Raises NotAllowed (not a 实名 举报, not the handler, too early, told already, no note).
    """
    require(matter.kind is MatterKind.REPORT and matter.real_name, _("只有实名举报需要告知举报人"))
    require(step in NOTICE_EVENTS, _("没有这一项告知"))
    require_handler(session, matter, actor)
    require(getattr(matter, NOTICE_COLUMNS[step]) is None, _("已经告知过了"))
    if step is Step.ACCEPT_NOTICE:
        require(matter.decided_at is not None, _("决定是否受理之后才能告知受理情况"))
    else:
        require(matter.status is MatterStatus.CLOSED, _("办结之后才能反馈办理结果"))
    require_text(note, _("告知的方式和内容"))
    setattr(matter, NOTICE_COLUMNS[step], utcnow())
    append_event(session, matter, NOTICE_EVENTS[step], actor, note, public=False)


def close(session: Session, *, matter: Matter, actor: Account, note: str = "") -> None:
    """办结 a replied or reviewed matter. Raises NotAllowed (closed, not the handler, not answered yet)."""
    require_step(session, matter, actor)
    require(matter.status in (MatterStatus.REPLIED, MatterStatus.REVIEWED), _("答复之后才能办结"))
    matter.status, matter.closed_at = MatterStatus.CLOSED, utcnow()
    append_event(session, matter, EventKind.CLOSED, actor, note)


def reveal_contact(session: Session, *, matter: Matter, actor: Account) -> MatterContact | None:
    """The complainant's name and phone for the account handling the matter; every view is audited.

    Raises NotAllowed (not the handler).
    """
    require_handler(session, matter, actor)
    record(
        session,
        actor=actor,
        action="complaint.contact_viewed",
        object_type="matter",
        object_id=matter.id,
        area_code=log_area_code(matter),
        is_public=matter.is_public,
    )
    return session.get(MatterContact, matter.id)

"""Everything that changes a matter. Each change appends one timeline event and one audit entry
in the caller's transaction; services flush and never commit.

Glossary: accept = 受理, decline = 不予受理, reply = 答复, extension = 延期, review = 复查, close = 办结.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Sequence
from dataclasses import dataclass

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import Session

from transparency.accounts.models import Account
from transparency.areas.models import Area
from transparency.audit.services import record
from transparency.complaints import codes
from transparency.complaints.access import may_approve_extension, may_handle
from transparency.complaints.deadlines import Deadline, Step, deadlines, local_date, rules
from transparency.complaints.models import (
    Channel,
    EventKind,
    HandlerLevel,
    Matter,
    MatterContact,
    MatterEvent,
    MatterKind,
    MatterPhoto,
    MatterStatus,
    Rating,
)
from transparency.core.blobs import store_blob
from transparency.core.db import utcnow
from transparency.core.signals import matter_changed
from transparency.core.uploads import RejectedUpload, UploadedFile, clean_upload
from transparency.disclosures.models import Disclosure

MAX_PHOTOS = 6
OPEN_STATUSES = (MatterStatus.REGISTERED, MatterStatus.ACCEPTED, MatterStatus.UNDER_REVIEW)


class NotAllowed(Exception):
    """The step does not fit the matter's state or the account's role; the message says why."""


@dataclass(frozen=True)
class Registration:
    matter: Matter
    code: str  # shown once, on the receipt, and never again


@dataclass(frozen=True)
class NewMatter:
    kind: MatterKind
    village: Area
    title: str
    body: str
    channel: Channel = Channel.ONLINE
    named_officials: str = ""
    concerns_officials: bool = False
    wants_public: bool = False
    contact_name: str = ""
    contact_phone: str = ""
    disclosure: Disclosure | None = None
    form_token: str | None = None  # the filing form's one-time token; a replay is refused


def token_digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def already_filed(session: Session, token: str) -> bool:
    return session.scalar(select(Matter.id).where(Matter.form_token == token_digest(token))) is not None


def register(
    session: Session, new: NewMatter, *, photos: Sequence[UploadedFile] = (), registered_by: Account | None = None
) -> Registration:
    conflict = new.kind is MatterKind.REPORT or new.concerns_officials or bool(new.named_officials.strip())
    matter = Matter(
        code_digest="",
        kind=new.kind,
        channel=new.channel,
        village_id=new.village.id,
        disclosure_id=new.disclosure.id if new.disclosure is not None else None,
        title=new.title,
        body=new.body,
        named_officials=new.named_officials.strip(),
        concerns_officials=new.concerns_officials,
        conflict_of_interest=conflict,
        wants_public=new.wants_public and not conflict,
        handler_level=HandlerLevel.TOWNSHIP if conflict else HandlerLevel.VILLAGE,
        registered_by_id=registered_by.id if registered_by is not None else None,
        registered_at=utcnow(),
        form_token=token_digest(new.form_token) if new.form_token else None,
    )
    session.add(matter)
    _attach_photos(session, matter, photos)
    session.flush()  # the id makes the number: unique without a retry loop
    matter.number = codes.number_for(local_date(matter.registered_at).year, matter.id)
    code = codes.new_code()
    matter.code_digest = codes.digest(matter.number, code)
    if new.contact_name or new.contact_phone:
        session.add(MatterContact(matter_id=matter.id, name=new.contact_name, phone=new.contact_phone))
    _append(session, matter, EventKind.REGISTERED, registered_by, new.channel.label)
    return Registration(matter=matter, code=code)


def _attach_photos(session: Session, matter: Matter, photos: Sequence[UploadedFile]) -> None:
    if len(matter.photos) + len(photos) > MAX_PHOTOS:
        raise RejectedUpload(_("最多上传 %(count)s 张照片", count=MAX_PHOTOS))
    position = len(matter.photos)
    for upload in photos:
        clean = clean_upload(upload.filename, upload.data, max_bytes=current_app.config["MAX_ATTACHMENT_BYTES"])
        if not clean.media_type.startswith("image/"):
            raise RejectedUpload(_("“%(name)s”不是照片：只能上传 JPG 或 PNG 照片", name=clean.filename))
        position += 1
        matter.photos.append(
            MatterPhoto(
                position=position,
                blob_sha256=store_blob(session, clean),
                media_type=clean.media_type,
                size=len(clean.data),
            )
        )


def _append(
    session: Session,
    matter: Matter,
    kind: EventKind,
    actor: Account | None,
    text: str = "",
    *,
    days: int | None = None,
    step: Step | None = None,
    public: bool = True,
) -> MatterEvent:
    event = MatterEvent(
        seq=len(matter.events) + 1,
        kind=kind,
        at=utcnow(),
        actor_role=str(actor.role) if actor is not None else ("system" if kind is EventKind.ESCALATED else "public"),
        actor_id=actor.id if actor is not None else None,
        text=text,
        days=days,
        step=str(step) if step is not None else None,
        public=public,
    )
    matter.events.append(event)
    if matter.is_public:
        matter_changed.send(matter, session=session)
    session.flush()
    record(
        session,
        actor=actor,
        action=f"complaint.{kind}",
        object_type="matter",
        object_id=matter.id,
        area_code=matter.village.code,
        is_public=matter.is_public,
        number=matter.number,
        village=matter.village.code,
        seq=event.seq,
        **({"days": days} if days is not None else {}),
        **({"step": str(step)} if step is not None else {}),
    )
    return event


def find(session: Session, number: str, *, for_update: bool = False) -> Matter | None:
    """By tracking number; `for_update` locks the row on PostgreSQL (SQLite's writer lock covers it)."""
    query = select(Matter).where(Matter.number == number)
    if for_update:
        query = query.with_for_update()
    return session.scalar(query)


def find_by_tracking(
    session: Session, typed_number: str, typed_code: str, *, for_update: bool = False
) -> tuple[Matter, str] | None:
    """The matter and its canonical code, if number and code match. A wrong code and an unknown
    number look the same, and cost the same."""
    number = codes.normalise_number(typed_number or "")
    code = codes.normalise_code(typed_code or "")
    matter = find(session, number, for_update=for_update) if number else None
    if codes.matches(matter.code_digest if matter is not None else None, number or "", code):
        assert matter is not None and code is not None
        return matter, code
    return None


def lock(session: Session, matter_id: int) -> Matter | None:
    """The matter by id, locked for the rest of the transaction."""
    return session.scalar(select(Matter).where(Matter.id == matter_id).with_for_update())


def _require(condition: bool, message: str) -> None:
    if not condition:
        raise NotAllowed(message)


def _require_handler(session: Session, matter: Matter, actor: Account) -> None:
    """Only the current handler; an overdue matter is escalated on the record before anyone acts."""
    today = local_date(utcnow())
    if matter.status in OPEN_STATUSES:
        escalate(session, matter, today)
    _require(may_handle(actor, matter, today), _("这件事项现在不由您办理"))


def _require_text(text: str, what: str) -> None:
    _require(bool(text.strip()), _("请填写%(what)s", what=what))


def accept(session: Session, matter: Matter, actor: Account) -> None:
    _require_handler(session, matter, actor)
    _require(matter.status is MatterStatus.REGISTERED, _("只有待受理的事项可以受理"))
    matter.status, matter.decided_at = MatterStatus.ACCEPTED, utcnow()
    _append(session, matter, EventKind.ACCEPTED, actor)


def decline(session: Session, matter: Matter, actor: Account, reason: str) -> None:
    _require_handler(session, matter, actor)
    _require(matter.status is MatterStatus.REGISTERED, _("只有待受理的事项可以不予受理"))
    _require_text(reason, _("不予受理的理由"))
    matter.status, matter.decided_at = MatterStatus.DECLINED, utcnow()
    _append(session, matter, EventKind.DECLINED, actor, reason)


def reply(session: Session, matter: Matter, actor: Account, text: str) -> None:
    _require_handler(session, matter, actor)
    _require(matter.status is MatterStatus.ACCEPTED, _("受理之后才能答复"))
    _require_text(text, _("答复内容"))
    matter.status, matter.replied_at = MatterStatus.REPLIED, utcnow()
    _append(session, matter, EventKind.REPLIED, actor, text)


def pending_extension(matter: Matter) -> MatterEvent | None:
    """The extension asked for and not yet decided, if any."""
    asked = [e for e in matter.events if e.kind is EventKind.EXTENSION_REQUESTED]
    decided = [e for e in matter.events if e.kind in (EventKind.EXTENSION_APPROVED, EventKind.EXTENSION_REFUSED)]
    return asked[-1] if len(asked) > len(decided) else None


def request_extension(session: Session, matter: Matter, actor: Account, days: int, reason: str) -> None:
    _require_handler(session, matter, actor)
    _require(matter.status is MatterStatus.ACCEPTED, _("只有办理中的事项可以申请延期"))
    _require(not any(e.kind is EventKind.EXTENSION_REQUESTED for e in matter.events), _("每件事项只能申请一次延期"))
    longest = rules()[Step.EXTENSION].days
    _require(1 <= days <= longest, _("延期天数须在 1 到 %(days)s 天之间", days=longest))
    _require_text(reason, _("延期理由"))
    _append(session, matter, EventKind.EXTENSION_REQUESTED, actor, reason, days=days)


def decide_extension(session: Session, matter: Matter, actor: Account, *, approve: bool, note: str = "") -> None:
    asked = pending_extension(matter)
    _require(asked is not None, _("没有待审批的延期申请"))
    assert asked is not None
    _require(may_approve_extension(actor, matter, asked.actor_id), _("延期须由申请人以外的纪检监察员审批"))
    if approve:
        matter.extension_days = asked.days or 0
        _append(session, matter, EventKind.EXTENSION_APPROVED, actor, note, days=asked.days)
    else:
        _require_text(note, _("不批准的理由"))
        _append(session, matter, EventKind.EXTENSION_REFUSED, actor, note)


def add_information(session: Session, matter: Matter, text: str, photos: Sequence[UploadedFile] = ()) -> None:
    _require(matter.status is not MatterStatus.CLOSED, _("事项已办结，不能再补充材料；如不满意可申请复查"))
    _require(bool(text.strip()) or bool(photos), _("请填写补充的内容或上传照片"))
    _attach_photos(session, matter, photos)
    _append(session, matter, EventKind.INFORMATION_ADDED, None, text, public=False)


def may_rate(matter: Matter) -> bool:
    answers = [e.seq for e in matter.events if e.kind in (EventKind.REPLIED, EventKind.REVIEW_ANSWERED)]
    rated = [e.seq for e in matter.events if e.kind is EventKind.RATED]
    return bool(answers) and (not rated or rated[-1] < answers[-1])


def rate(session: Session, matter: Matter, rating: Rating) -> None:
    _require(may_rate(matter), _("答复之后才能评价，每次答复评价一次"))
    matter.rating = rating
    _append(session, matter, EventKind.RATED, None, rating.label)


def review_window(matter: Matter) -> Deadline | None:
    return next((d for d in deadlines(matter) if d.step is Step.REVIEW_REQUEST), None)


def may_request_review(matter: Matter, today: dt.date) -> bool:
    window = review_window(matter)
    return (
        window is not None
        and matter.review_requested_at is None
        and matter.rating is Rating.UNSATISFIED
        and matter.status in (MatterStatus.REPLIED, MatterStatus.CLOSED)
        and today <= window.due
    )


def request_review(session: Session, matter: Matter, reason: str) -> None:
    _require(
        may_request_review(matter, local_date(utcnow())),
        _("只有评价为“不满意”、且在答复后 %(days)s 天内才能申请复查", days=rules()[Step.REVIEW_REQUEST].days),
    )
    _require_text(reason, _("申请复查的理由"))
    matter.status, matter.review_requested_at = MatterStatus.UNDER_REVIEW, utcnow()
    matter.handler_level = HandlerLevel.TOWNSHIP
    _append(session, matter, EventKind.REVIEW_REQUESTED, None, reason)


def answer_review(session: Session, matter: Matter, actor: Account, text: str) -> None:
    _require_handler(session, matter, actor)
    _require(matter.status is MatterStatus.UNDER_REVIEW, _("没有待答复的复查申请"))
    _require_text(text, _("复查答复"))
    matter.status, matter.review_answered_at = MatterStatus.REVIEWED, utcnow()
    _append(session, matter, EventKind.REVIEW_ANSWERED, actor, text)


def close(session: Session, matter: Matter, actor: Account, note: str = "") -> None:
    _require_handler(session, matter, actor)
    _require(matter.status in (MatterStatus.REPLIED, MatterStatus.REVIEWED), _("答复之后才能办结"))
    matter.status, matter.closed_at = MatterStatus.CLOSED, utcnow()
    _append(session, matter, EventKind.CLOSED, actor, note)


def escalate(session: Session, matter: Matter, today: dt.date) -> bool:
    """Hand an overdue matter to the township, on the record: one event per missed deadline."""
    done = {e.step for e in matter.events if e.kind is EventKind.ESCALATED}
    escalated = False
    for deadline in deadlines(matter):
        if deadline.open_and_passed(today) and str(deadline.step) not in done:
            matter.handler_level = HandlerLevel.TOWNSHIP
            text = _("“%(step)s”期限 %(due)s 已过", step=deadline.step.label, due=deadline.due.isoformat())
            _append(session, matter, EventKind.ESCALATED, None, text, step=deadline.step)
            escalated = True
    return escalated


def escalate_overdue(session: Session, today: dt.date) -> list[Matter]:
    """The cron job: escalate every open matter with a handler deadline passed."""
    matters = session.scalars(select(Matter).where(Matter.status.in_(OPEN_STATUSES)).order_by(Matter.id))
    return [matter for matter in matters if escalate(session, matter, today)]


def reveal_contact(session: Session, matter: Matter, actor: Account) -> MatterContact | None:
    """The complainant's name and phone for the account handling the matter; every view is audited."""
    _require_handler(session, matter, actor)
    record(
        session,
        actor=actor,
        action="complaint.contact_viewed",
        object_type="matter",
        object_id=matter.id,
        area_code=matter.village.code,
        is_public=matter.is_public,
    )
    return session.get(MatterContact, matter.id)

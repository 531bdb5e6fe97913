"""The record every change leaves: one timeline event and one audit entry, in the caller's transaction.

Also the checks every step starts with, and the photos a complainant attaches.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from transparency.accounts.models import Account
from transparency.audit.services import record
from transparency.complaints.access import log_area_code
from transparency.complaints.deadlines import Step
from transparency.complaints.errors import NotAllowed
from transparency.complaints.models import EventKind, Matter, MatterEvent, MatterPhoto, MatterStatus
from transparency.core.blobs import store_blob
from transparency.core.db import utcnow
from transparency.core.personal_data import PersonalDataFound, refuse_personal_data
from transparency.core.signals import matter_changed, matter_stepped
from transparency.core.uploads import RejectedUpload, UploadedFile, clean_upload

MAX_PHOTOS = 6
OPEN_STATUSES = (
    MatterStatus.REGISTERED,
    MatterStatus.ACCEPTED,
    MatterStatus.UNDER_REVIEW,
    MatterStatus.UNDER_RE_REVIEW,
)


def require_open(matter: Matter) -> None:
    """Raises NotAllowed when the matter is closed: nothing more happens to it."""
    require(matter.status is not MatterStatus.CLOSED, _("这件事项已办结，不能再办理"))


def require(condition: bool, message: str) -> None:
    """Raises NotAllowed with `message` unless `condition` holds."""
    if not condition:
        raise NotAllowed(message)


def require_text(text: str, what: str) -> None:
    """Raises NotAllowed when `text` is blank."""
    require(bool(text.strip()), _("请填写%(what)s", what=what))


def refuse_public_text(text: str, where: str, *, villager: bool = False) -> None:
    """The personal-data gate for a text the public will read.

    Raises NotAllowed: for staff naming the place, line and column; for a villager in plain words.
    """
    try:
        refuse_personal_data(text, where=where)
    except PersonalDataFound as found:
        if villager:
            raise NotAllowed(
                _("公开的内容里不能写电话、身份证号或银行卡号，请删去或只写后四位；联系电话只有办理人能看到。")
            ) from None
        raise NotAllowed(str(found)) from None


def attach_photos(session: Session, matter: Matter, photos: Sequence[UploadedFile]) -> None:
    """Clean and store photos on the matter, each image's decoding booked against the request's
    budget. Raises RejectedUpload (too many, not a photo, too big, too costly to decode)."""
    if len(matter.photos) + len(photos) > MAX_PHOTOS:
        raise RejectedUpload(_("最多上传 %(count)s 张照片", count=MAX_PHOTOS))
    position = len(matter.photos)
    for upload in photos:
        clean = clean_upload(
            upload.filename, upload.data, max_bytes=current_app.config["MAX_ATTACHMENT_BYTES"], images_only=True
        )
        position += 1
        matter.photos.append(
            MatterPhoto(
                position=position,
                blob_sha256=store_blob(session, clean),
                media_type=clean.media_type,
                size=len(clean.data),
            )
        )


def append_event(
    session: Session,
    matter: Matter,
    kind: EventKind,
    actor: Account | None,
    text: str = "",
    *,
    days: int | None = None,
    step: Step | None = None,
    public: bool = True,
    private_audit: bool = False,
    payload: Mapping[str, object] | None = None,
    first: bool = False,
) -> MatterEvent:
    """One step on the timeline, flushed, with its audit entry.

    The caller holds the matter's lock (`services.lock`), so the next number read from the table
    is not taken by anyone else before this transaction ends; the unique (matter, seq) constraint
    refuses a collision should a caller forget. `private_audit` keeps the audit entry out of the
    public log even for a public matter; `payload` adds structured values to it. Raises NotAllowed
    when the text of a step the public will read (a public step of a public matter) holds an
    unmasked ID, phone or card number. `first` for the event that registers a matter, inserted in
    this transaction: number 1, without asking the table.
    """
    if public and matter.is_public:
        refuse_public_text(text, kind.label, villager=actor is None)
    session.flush()
    last = 0 if first else session.scalar(select(func.max(MatterEvent.seq)).where(MatterEvent.matter_id == matter.id))
    event = MatterEvent(
        seq=(last or 0) + 1,
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
        matter_changed.send(session, matter=matter)
    matter_stepped.send(session, matter=matter, first=first)
    session.flush()
    record(
        session,
        actor=actor,
        action=f"complaint.{kind}",
        object_type="matter",
        object_id=matter.id,
        area_code=log_area_code(matter),
        is_public=matter.is_public and not private_audit,
        number=matter.number,
        village=matter.village.code,
        seq=event.seq,
        **(payload or {}),
        **({"days": days} if days is not None else {}),
        **({"step": str(step)} if step is not None else {}),
    )
    return event

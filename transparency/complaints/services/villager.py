"""What the complainant does with their number and code: add information, rate the reply, ask for review."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from flask_babel import gettext as _
from sqlalchemy.orm import Session

from transparency.complaints.access import level_above
from transparency.complaints.deadlines import Deadline, Step, deadlines, local_date, rules
from transparency.complaints.models import EventKind, HandlerLevel, Matter, MatterStatus, Rating
from transparency.complaints.services.timeline import append_event, attach_photos, require, require_text
from transparency.core.db import utcnow
from transparency.core.uploads import UploadedFile


def add_information(session: Session, *, matter: Matter, text: str, photos: Sequence[UploadedFile] = ()) -> None:
    """反映人补充材料, seen only by the complainant and the handler.

    Raises NotAllowed (closed, nothing added), RejectedUpload (photos).
    """
    require(matter.status is not MatterStatus.CLOSED, _("事项已办结，不能再补充材料；如不满意可申请复查"))
    require(bool(text.strip()) or bool(photos), _("请填写补充的内容或上传照片"))
    attach_photos(session, matter, photos)
    append_event(session, matter, EventKind.INFORMATION_ADDED, None, text, public=False)


ANSWERS = (EventKind.REPLIED, EventKind.REVIEW_ANSWERED, EventKind.RE_REVIEW_ANSWERED)


def may_rate(matter: Matter) -> bool:
    """Whether the newest answer (reply or review answer) is still unrated."""
    answers = [e.seq for e in matter.events if e.kind in ANSWERS]
    rated = [e.seq for e in matter.events if e.kind is EventKind.RATED]
    return bool(answers) and (not rated or rated[-1] < answers[-1])


def rate(session: Session, *, matter: Matter, rating: Rating) -> None:
    """满意度: rate the newest answer, once per answer. Raises NotAllowed (no answer, already rated)."""
    require(may_rate(matter), _("答复之后才能评价，每次答复评价一次"))
    matter.rating = rating
    append_event(session, matter, EventKind.RATED, None, rating.label)


def review_window(matter: Matter, step: Step = Step.REVIEW_REQUEST) -> Deadline | None:
    """The deadline for asking for review (or re-review), once there is an answer to ask about."""
    return next((d for d in deadlines(matter) if d.step is step), None)


def review_level(matter: Matter) -> HandlerLevel:
    """Who answers a review: the level above the one that replied (village → township → county)."""
    return level_above(matter.handler_level)


def _rated_unsatisfied_since(matter: Matter, kind: EventKind) -> bool:
    answered = [e.seq for e in matter.events if e.kind is kind]
    rated = [e.seq for e in matter.events if e.kind is EventKind.RATED]
    return matter.rating is Rating.UNSATISFIED and bool(answered) and bool(rated) and rated[-1] > answered[-1]


def may_request_review(matter: Matter, today: dt.date) -> bool:
    """Unsatisfied with the reply, not asked before, and within the time the law gives."""
    window = review_window(matter)
    return (
        window is not None
        and matter.review_requested_at is None
        and matter.rating is Rating.UNSATISFIED
        and matter.status in (MatterStatus.REPLIED, MatterStatus.CLOSED)
        and today <= window.due
    )


def request_review(session: Session, *, matter: Matter, reason: str) -> None:
    """申请复查: the level above the one that replied takes the matter over.

    Raises NotAllowed (not rated unsatisfied, asked before, too late, no reason).
    """
    table = rules(matter.kind)
    require(Step.REVIEW_REQUEST in table, _("这类事项没有复查程序"))
    require(
        may_request_review(matter, local_date(utcnow())),
        _("只有评价为“不满意”、且在答复后 %(days)s 天内才能申请复查", days=table[Step.REVIEW_REQUEST].days),
    )
    require_text(reason, _("申请复查的理由"))
    matter.status, matter.review_requested_at = MatterStatus.UNDER_REVIEW, utcnow()
    matter.handler_level = review_level(matter)
    append_event(session, matter, EventKind.REVIEW_REQUESTED, None, reason)


def may_request_re_review(matter: Matter, today: dt.date) -> bool:
    """Unsatisfied with the review answer, not asked before, and within the time the law gives."""
    window = review_window(matter, Step.RE_REVIEW_REQUEST)
    return (
        window is not None
        and matter.re_review_requested_at is None
        and _rated_unsatisfied_since(matter, EventKind.REVIEW_ANSWERED)
        and matter.status in (MatterStatus.REVIEWED, MatterStatus.CLOSED)
        and today <= window.due
    )


def request_re_review(session: Session, *, matter: Matter, reason: str) -> None:
    """申请复核: the county inspectors take the matter over; their answer makes it final.

    Raises NotAllowed (review answer not rated unsatisfied, asked before, too late, no reason).
    """
    table = rules(matter.kind)
    require(Step.RE_REVIEW_REQUEST in table, _("这类事项没有复核程序"))
    require(
        may_request_re_review(matter, local_date(utcnow())),
        _(
            "只有对复查答复评价为“不满意”、且在复查答复后 %(days)s 天内才能申请复核",
            days=table[Step.RE_REVIEW_REQUEST].days,
        ),
    )
    require_text(reason, _("申请复核的理由"))
    matter.status, matter.re_review_requested_at = MatterStatus.UNDER_RE_REVIEW, utcnow()
    matter.handler_level = HandlerLevel.COUNTY
    append_event(session, matter, EventKind.RE_REVIEW_REQUESTED, None, reason)

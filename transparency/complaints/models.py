"""A matter (one piece of feedback or complaint), its append-only timeline, its contact and photos.

The complainant's contact details live in their own table so that no list, page or export that
loads matters ever carries them by accident; they are read only through `services.reveal_contact`.
"""

from __future__ import annotations

import datetime as dt
import enum
from typing import Optional

from sqlalchemy import ColumnElement, ForeignKey, String, Text, UniqueConstraint, and_, false
from sqlalchemy.ext.hybrid import hybrid_property
from sqlalchemy.orm import Mapped, mapped_column, relationship

from transparency.areas.models import Area
from transparency.core.db import Base, UTCDateTime, UTCTime, enum_column, utcnow
from transparency.core.translations import lazy_gettext as _l


class _Labelled(enum.StrEnum):
    @property
    def label(self) -> str:
        return str(LABELS[type(self)][self])


class MatterKind(_Labelled):
    SUGGESTION = "suggestion"  # 意见建议
    QUESTION = "question"  # 咨询
    COMPLAINT = "complaint"  # 投诉
    REPORT = "report"  # 举报: handled by the inspectors (the county's when it is about the township)


class Channel(_Labelled):
    ONLINE = "online"
    IN_PERSON = "in_person"
    PHONE = "phone"
    LETTER_BOX = "letter_box"


class HandlerLevel(_Labelled):
    VILLAGE = "village"  # the village clerk
    TOWNSHIP = "township"  # the township inspectors (the county's may act for them)
    COUNTY = "county"  # the county inspectors only


class MatterStatus(_Labelled):
    REGISTERED = "registered"  # 待受理
    ACCEPTED = "accepted"  # 办理中
    DECLINED = "declined"  # 不予受理
    REPLIED = "replied"  # 已答复
    UNDER_REVIEW = "under_review"  # 复查中
    REVIEWED = "reviewed"  # 已复查
    UNDER_RE_REVIEW = "under_re_review"  # 复核中; its answer closes the matter for good (终结)
    CLOSED = "closed"  # 已办结


class Rating(_Labelled):
    SATISFIED = "satisfied"
    BASICALLY_SATISFIED = "basically_satisfied"
    UNSATISFIED = "unsatisfied"


class EventKind(_Labelled):
    REGISTERED = "registered"
    ACCEPTED = "accepted"
    DECLINED = "declined"
    REPLIED = "replied"
    EXTENSION_REQUESTED = "extension_requested"
    EXTENSION_APPROVED = "extension_approved"
    EXTENSION_REFUSED = "extension_refused"
    ESCALATED = "escalated"
    INFORMATION_ADDED = "information_added"
    RATED = "rated"
    REVIEW_REQUESTED = "review_requested"
    REVIEW_ANSWERED = "review_answered"
    CLOSED = "closed"
    CODE_REISSUED = "code_reissued"
    RE_REVIEW_REQUESTED = "re_review_requested"
    RE_REVIEW_ANSWERED = "re_review_answered"
    DECLINED_AS_FINAL = "declined_as_final"  # the same facts as a matter already final
    ACCEPTANCE_NOTIFIED = "acceptance_notified"  # a 实名 举报's filer told of acceptance
    RESULT_NOTIFIED = "result_notified"  # a 实名 举报's filer told of the result
    STEPPED_ASIDE = "stepped_aside"  # an inspector declared a conflict of interest


# Per enum: members of different enums may share a value (MatterStatus.REGISTERED, EventKind.REGISTERED).
LABELS: dict[type, dict] = {
    MatterKind: {
        MatterKind.SUGGESTION: _l("意见建议"),
        MatterKind.QUESTION: _l("咨询"),
        MatterKind.COMPLAINT: _l("投诉"),
        MatterKind.REPORT: _l("举报"),
    },
    Channel: {
        Channel.ONLINE: _l("网上提交"),
        Channel.IN_PERSON: _l("当面反映"),
        Channel.PHONE: _l("电话反映"),
        Channel.LETTER_BOX: _l("意见箱"),
    },
    HandlerLevel: {
        HandlerLevel.VILLAGE: _l("村务公开员"),
        HandlerLevel.TOWNSHIP: _l("乡镇纪检监察"),
        HandlerLevel.COUNTY: _l("县纪检监察"),
    },
    MatterStatus: {
        MatterStatus.REGISTERED: _l("待受理"),
        MatterStatus.ACCEPTED: _l("办理中"),
        MatterStatus.DECLINED: _l("不予受理"),
        MatterStatus.REPLIED: _l("已答复"),
        MatterStatus.UNDER_REVIEW: _l("复查中"),
        MatterStatus.REVIEWED: _l("已复查"),
        MatterStatus.UNDER_RE_REVIEW: _l("复核中"),
        MatterStatus.CLOSED: _l("已办结"),
    },
    Rating: {
        Rating.SATISFIED: _l("满意"),
        Rating.BASICALLY_SATISFIED: _l("基本满意"),
        Rating.UNSATISFIED: _l("不满意"),
    },
    EventKind: {
        EventKind.REGISTERED: _l("登记"),
        EventKind.ACCEPTED: _l("受理"),
        EventKind.DECLINED: _l("不予受理"),
        EventKind.REPLIED: _l("答复"),
        EventKind.EXTENSION_REQUESTED: _l("申请延期"),
        EventKind.EXTENSION_APPROVED: _l("批准延期"),
        EventKind.EXTENSION_REFUSED: _l("不批准延期"),
        EventKind.ESCALATED: _l("逾期，提请乡镇纪检监察督办"),
        EventKind.INFORMATION_ADDED: _l("反映人补充材料"),
        EventKind.RATED: _l("反映人评价"),
        EventKind.REVIEW_REQUESTED: _l("申请复查"),
        EventKind.REVIEW_ANSWERED: _l("复查答复"),
        EventKind.CLOSED: _l("办结"),
        EventKind.CODE_REISSUED: _l("当面核实身份，重新发放查询码"),
        EventKind.RE_REVIEW_REQUESTED: _l("申请复核"),
        EventKind.RE_REVIEW_ANSWERED: _l("复核答复（事项终结）"),
        EventKind.DECLINED_AS_FINAL: _l("同一事实已终结，不予受理"),
        EventKind.ACCEPTANCE_NOTIFIED: _l("告知实名举报人受理情况"),
        EventKind.RESULT_NOTIFIED: _l("向实名举报人反馈办理结果"),
        EventKind.STEPPED_ASIDE: _l("办理人回避，改由他人办理"),
    },
}


class Matter(Base):
    __tablename__ = "matter"

    id: Mapped[int] = mapped_column(primary_key=True)
    # Shown on the receipt; not secret (the code is). Set from the id right after insert.
    number: Mapped[Optional[str]] = mapped_column(String(20), unique=True)
    # HMAC of the secret code under a key from configuration; the code itself is never stored.
    code_digest: Mapped[str] = mapped_column(String(64))
    # Digest of the one-time token of the form that filed it: a replayed form is refused.
    form_token: Mapped[Optional[str]] = mapped_column(String(64), unique=True)
    kind: Mapped[MatterKind] = mapped_column(enum_column(MatterKind))
    channel: Mapped[Channel] = mapped_column(enum_column(Channel))
    village_id: Mapped[int] = mapped_column(ForeignKey("area.id"), index=True)
    disclosure_id: Mapped[Optional[int]] = mapped_column(ForeignKey("disclosure.id"), index=True)
    title: Mapped[str] = mapped_column(String(80))
    body: Mapped[str] = mapped_column(Text)
    named_officials: Mapped[str] = mapped_column(String(200), default="")
    concerns_officials: Mapped[bool] = mapped_column(default=False)
    # A 举报 about a township official or a township inspector: the county handles it.
    concerns_township: Mapped[bool] = mapped_column(default=False, server_default=false())
    # 实名 举报: name and phone given (seen only by the handler), told of acceptance and result.
    real_name: Mapped[bool] = mapped_column(default=False, server_default=false())
    # Routed around the village for good: the village's accounts never see it (DESIGN rule 3).
    conflict_of_interest: Mapped[bool] = mapped_column(default=False)
    wants_public: Mapped[bool] = mapped_column(default=False)
    handler_level: Mapped[HandlerLevel] = mapped_column(enum_column(HandlerLevel))
    status: Mapped[MatterStatus] = mapped_column(enum_column(MatterStatus), default=MatterStatus.REGISTERED, index=True)
    registered_by_id: Mapped[Optional[int]] = mapped_column(ForeignKey("account.id"))
    registered_at: Mapped[UTCTime] = mapped_column(default=utcnow, index=True)
    decided_at: Mapped[Optional[dt.datetime]] = mapped_column(UTCDateTime)  # accepted or declined
    replied_at: Mapped[Optional[dt.datetime]] = mapped_column(UTCDateTime)
    extension_days: Mapped[int] = mapped_column(default=0)  # approved extension
    rating: Mapped[Optional[Rating]] = mapped_column(enum_column(Rating))
    review_requested_at: Mapped[Optional[dt.datetime]] = mapped_column(UTCDateTime)
    review_answered_at: Mapped[Optional[dt.datetime]] = mapped_column(UTCDateTime)
    re_review_requested_at: Mapped[Optional[dt.datetime]] = mapped_column(UTCDateTime)
    re_review_answered_at: Mapped[Optional[dt.datetime]] = mapped_column(UTCDateTime)
    acceptance_notified_at: Mapped[Optional[dt.datetime]] = mapped_column(UTCDateTime)  # 实名 举报 only
    result_notified_at: Mapped[Optional[dt.datetime]] = mapped_column(UTCDateTime)  # 实名 举报 only
    # A filing declined because the same facts were already settled in the final matter of this
    # tracking number (a number, not a key: the column is added in place, SQLite included).
    final_matter_number: Mapped[Optional[str]] = mapped_column(String(20))
    closed_at: Mapped[Optional[dt.datetime]] = mapped_column(UTCDateTime)

    village: Mapped[Area] = relationship()
    events: Mapped[list[MatterEvent]] = relationship(
        back_populates="matter", order_by="MatterEvent.seq", cascade="save-update, merge"
    )
    photos: Mapped[list[MatterPhoto]] = relationship(order_by="MatterPhoto.position")
    recusals: Mapped[list[MatterRecusal]] = relationship(order_by="MatterRecusal.id")

    def __repr__(self) -> str:
        return f"<Matter {self.number} {self.kind} {self.status}>"

    @hybrid_property
    def is_public(self) -> bool:
        """Shown on public pages: the complainant agreed, and nobody's safety is at stake.

        The one definition of the rule, on an instance and in a query:
        `select(Matter).where(Matter.is_public)`.
        """
        return self.wants_public and not self.conflict_of_interest

    @is_public.inplace.expression
    @classmethod
    def _is_public_expression(cls) -> ColumnElement[bool]:
        return and_(cls.wants_public.is_(True), cls.conflict_of_interest.is_(False))


class MatterContact(Base):
    """Name and phone, both optional. Read only through services.reveal_contact (audited)."""

    __tablename__ = "matter_contact"

    matter_id: Mapped[int] = mapped_column(ForeignKey("matter.id"), primary_key=True)
    name: Mapped[str] = mapped_column(String(40), default="")
    phone: Mapped[str] = mapped_column(String(20), default="")


class MatterRecusal(Base):
    """An inspector stepping aside from a matter (回避): never public, the reason seen by staff only."""

    __tablename__ = "matter_recusal"
    __table_args__ = (UniqueConstraint("matter_id", "account_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    matter_id: Mapped[int] = mapped_column(ForeignKey("matter.id"), index=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("account.id"))
    at: Mapped[UTCTime] = mapped_column(default=utcnow)
    reason: Mapped[str] = mapped_column(Text)


class MatterPhoto(Base):
    """A photo the complainant attached, stripped of metadata; seen only by whoever may handle it."""

    __tablename__ = "matter_photo"

    id: Mapped[int] = mapped_column(primary_key=True)
    matter_id: Mapped[int] = mapped_column(ForeignKey("matter.id"), index=True)
    position: Mapped[int]
    blob_sha256: Mapped[str] = mapped_column(ForeignKey("attachment_blob.sha256"), index=True)
    media_type: Mapped[str] = mapped_column(String(40))
    size: Mapped[int]


class MatterEvent(Base):
    """One step on the timeline. Never edited, never deleted."""

    __tablename__ = "matter_event"
    __table_args__ = (UniqueConstraint("matter_id", "seq"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    matter_id: Mapped[int] = mapped_column(ForeignKey("matter.id"), index=True)
    seq: Mapped[int]
    kind: Mapped[EventKind] = mapped_column(enum_column(EventKind))
    at: Mapped[UTCTime] = mapped_column(default=utcnow)
    actor_role: Mapped[str] = mapped_column(String(20))  # public, clerk, inspector, system
    actor_id: Mapped[Optional[int]] = mapped_column(ForeignKey("account.id"))
    text: Mapped[str] = mapped_column(Text, default="")
    days: Mapped[Optional[int]]  # an extension's length
    step: Mapped[Optional[str]] = mapped_column(String(20))  # the deadline an escalation is about
    # Added information may identify the complainant: only they and the handler see it.
    public: Mapped[bool] = mapped_column(default=True)

    matter: Mapped[Matter] = relationship(back_populates="events")

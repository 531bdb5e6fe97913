"""Filing a matter (登记) and finding it again by its tracking number and code."""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Sequence
from dataclasses import dataclass

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import Session

from transparency.accounts.models import Account
from transparency.areas.models import Area
from transparency.audit.epochs import current_epoch
from transparency.complaints import codes
from transparency.complaints.access import hidden_from
from transparency.complaints.deadlines import local_date
from transparency.complaints.models import Channel, EventKind, HandlerLevel, Matter, MatterContact, MatterKind
from transparency.complaints.services.stepping_aside import settle_level
from transparency.complaints.services.timeline import append_event, attach_photos, refuse_public_text, require
from transparency.core import signals
from transparency.core.db import utcnow
from transparency.core.uploads import UploadedFile
from transparency.disclosures.models import Disclosure


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
    form_token: str | None = None  # the filing form's one-time token: it derives the code
    real_name: bool = False  # 实名 举报: name and phone required; 匿名 otherwise (nothing kept)
    concerns_township: bool = False  # a 举报 about a township official or a township inspector


# How long a form sent again shows the receipt of the matter it filed.
REPLAY_WINDOW = dt.timedelta(minutes=30)


@dataclass(frozen=True)
class Replay:
    """A form sent again after its matter was stored."""

    filed_at: dt.datetime
    registration: Registration | None  # the same receipt; None after REPLAY_WINDOW or a re-issued code


def token_digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def replayed(session: Session, token: str, *, viewer: Account | None) -> Replay | None:
    """The matter already filed with this form token, if any, and its receipt within REPLAY_WINDOW.

    The code is derived again from the token and checked against the stored digest, so a code
    staff re-issued since is never shown; nor is the receipt of a matter hidden from `viewer` (a
    clerk who registered a 举报 sees its receipt once, when handing it over). Raises nothing.
    """
    matter = session.scalar(select(Matter).where(Matter.form_token == token_digest(token)))
    if matter is None or matter.number is None:
        return None
    code = codes.code_from_token(token)
    fresh = utcnow() - matter.registered_at <= REPLAY_WINDOW and not hidden_from(viewer, matter)
    if fresh and codes.matches(matter.code_digest, matter.number, code):
        return Replay(filed_at=matter.registered_at, registration=Registration(matter=matter, code=code))
    return Replay(filed_at=matter.registered_at, registration=None)


def register(
    session: Session, *, new: NewMatter, photos: Sequence[UploadedFile] = (), registered_by: Account | None = None
) -> Registration:
    """登记: a new matter with its number and secret code, routed to the township if it names officials.

    A 举报 about the township (a township official, or one of the township's own staff named in
    it) goes to the county; a matter nobody at its level may handle (everyone there named in it)
    goes up a level. `registered_by` is the staff account that wrote down a matter brought in
    person, by phone or letter; None for one filed online. Raises RejectedUpload (photos),
    NotAllowed (a public matter whose title or details hold an ID, phone or card number; a 实名
    举报 without name and phone).
    """
    report = new.kind is MatterKind.REPORT
    real_name = report and new.real_name
    if real_name:
        require(
            bool(new.contact_name.strip()) and bool(new.contact_phone.strip()),
            _("实名举报请填写姓名和电话（只有办理人能看到）"),
        )
    about_township = report and (new.concerns_township or _names_township_staff(session, new))
    conflict = report or new.concerns_officials or bool(new.named_officials.strip())
    if new.wants_public and not conflict:
        refuse_public_text(new.title, _("一句话说明"))
        refuse_public_text(new.body, _("详细情况"))
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
        concerns_township=about_township,
        real_name=real_name,
        handler_level=HandlerLevel.COUNTY
        if about_township
        else (HandlerLevel.TOWNSHIP if conflict else HandlerLevel.VILLAGE),
        registered_by_id=registered_by.id if registered_by is not None else None,
        registered_at=utcnow(),
        form_token=token_digest(new.form_token) if new.form_token else None,
        events=[],  # a new matter has none: its first event needs no lazy load
    )
    session.add(matter)
    attach_photos(session, matter, photos)
    session.flush()  # the id makes the number: unique without a retry loop
    series = codes.series_for(current_epoch(session).number)  # a new one after each restore
    matter.number = codes.number_for(local_date(matter.registered_at).year, matter.id, series)
    code = codes.code_from_token(new.form_token) if new.form_token else codes.new_code()
    matter.code_digest = codes.digest(matter.number, code)
    settle_level(session, matter)
    if (new.contact_name or new.contact_phone) and (real_name or not report):  # 匿名 keeps nothing
        session.add(MatterContact(matter_id=matter.id, name=new.contact_name, phone=new.contact_phone))
    append_event(session, matter, EventKind.REGISTERED, registered_by, new.channel.label, first=True)
    signals.matter_filed.send(session, matter=matter)
    return Registration(matter=matter, code=code)


def _names_township_staff(session: Session, new: NewMatter) -> bool:
    """The matter's 涉及人员 names a staff account of the village's township (an inspector there)."""
    township = new.village.parent
    named = new.named_officials.strip()
    if township is None or not named:
        return False
    names = session.scalars(select(Account.display_name).where(Account.area_id == township.id))
    return any(len(name.strip()) >= 2 and name.strip() in named for name in names)


def find(session: Session, number: str, *, for_update: bool = False) -> Matter | None:
    """By tracking number; `for_update` locks the row on PostgreSQL (SQLite's writer lock covers it)."""
    query = select(Matter).where(Matter.number == number)
    if for_update:
        query = query.with_for_update()
    return session.scalar(query)


def find_by_tracking(
    session: Session, typed_number: str, typed_code: str, *, viewer: Account | None, for_update: bool = False
) -> tuple[Matter, str] | None:
    """The matter and its canonical code, if number and code match and the matter is not hidden
    from `viewer`, the account signed in (access.hidden_from). A wrong code, an unknown number and
    a matter hidden from the viewer look the same, and cost the same."""
    number = codes.normalise_number(typed_number or "")
    code = codes.normalise_code(typed_code or "")
    matter = find(session, number, for_update=for_update) if number else None
    matched = codes.matches(matter.code_digest if matter is not None else None, number or "", code)
    if matched and matter is not None and not hidden_from(viewer, matter):
        assert code is not None
        return matter, code
    return None


def lock(session: Session, matter_id: int) -> Matter | None:
    """The matter by id, locked for the rest of the transaction."""
    return session.scalar(select(Matter).where(Matter.id == matter_id).with_for_update())

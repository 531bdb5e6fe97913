"""Public pages: file a matter and get its receipt, browse a village's public matters.

Following a matter with its number and code lives in `tracking.py`, on this same blueprint.
"""

from __future__ import annotations

import datetime as dt
import secrets

from flask import Blueprint, abort, current_app, g, render_template, request
from flask_babel import gettext as _
from sqlalchemy.exc import IntegrityError
from werkzeug.datastructures import FileStorage
from wtforms import Field

from transparency.accounts.models import Account
from transparency.areas.models import AreaLevel
from transparency.areas.services import area_by_code
from transparency.complaints import codes, services
from transparency.complaints.deadlines import deadlines, finality, is_overdue, rules, today
from transparency.complaints.forms import MatterForm
from transparency.complaints.models import Channel, Matter, MatterKind
from transparency.complaints.queries import days_taken, public_matters, village_counts
from transparency.complaints.services import NewMatter, NotAllowed
from transparency.complaints.villages import village_choices_to_pick
from transparency.core import clock
from transparency.core.db import db, reads_before_writing
from transparency.core.integers import BadInteger, QueryInt, parse_int
from transparency.core.security import limiter, public
from transparency.core.uploads import RejectedUpload, UploadedFile
from transparency.disclosures.models import Disclosure

bp = Blueprint("complaints", __name__)

UNPROCESSABLE = 422
PageResponse = tuple[str, int, dict[str, str]]


@bp.app_template_filter("overdue")
def _overdue(matter: Matter, on: dt.date) -> bool:
    return is_overdue(matter, on)


def _filing_limit() -> str:
    return current_app.config["COMPLAINT_RATE_LIMIT"]


def tracking_limit() -> str:
    return current_app.config["TRACK_RATE_LIMIT"]


def uploaded_photos(field: Field) -> list[UploadedFile]:
    return [
        UploadedFile(filename=f.filename or "照片", data=f.read())
        for f in field.data or []
        if isinstance(f, FileStorage) and f.filename
    ]


def private_page(response_body: str, status: int = 200) -> PageResponse:
    """Pages that show a code, or carry it in hidden fields, are never cached."""
    return response_body, status, {"Cache-Control": "no-store"}


LINKED_DISCLOSURE = QueryInt("disclosure", 1, 2**31 - 1)


def _linked_disclosure(value: str | None) -> Disclosure | None:
    """The disclosure numbered `value` (?disclosure= or the hidden field), or None when absent,
    malformed or not published."""
    try:
        number = parse_int(value or "", low=LINKED_DISCLOSURE.low, high=LINKED_DISCLOSURE.high)
    except BadInteger:
        return None
    disclosure = db.session.get(Disclosure, number)
    return disclosure if disclosure is not None and disclosure.current is not None else None


def matter_from_form(form: MatterForm, channel: Channel) -> NewMatter:
    village = area_by_code(db.session, form.village.data, AreaLevel.VILLAGE)
    assert village is not None  # the choices hold villages only
    village.parent  # noqa: B018 (loaded now, before the lock: routing and the receipt read it)
    disclosure = _linked_disclosure(form.disclosure.data)
    return NewMatter(
        kind=MatterKind(form.kind.data),
        village=village,
        title=form.title.data,
        body=form.body.data,
        named_officials=form.named_officials.data or "",
        concerns_officials=form.concerns_officials.data,
        wants_public=form.wants_public.data,
        contact_name=form.contact_name.data or "",
        contact_phone=form.contact_phone.data or "",
        disclosure=disclosure if disclosure is not None and disclosure.village_id == village.id else None,
        form_token=form.form_token.data or None,
        channel=channel,
        real_name=form.real_name,
        concerns_township=form.concerns_township.data,
    )


def file_matter(
    form: MatterForm, template: str, *, channel: Channel = Channel.ONLINE, registered_by: Account | None = None
) -> PageResponse | tuple[str, int]:
    """Shared by the public form and staff registration: validate, register, show the receipt once."""
    problem = None
    if form.validate_on_submit():
        if form.website.data:
            problem = _("提交没有成功，请刷新页面后重新填写")
        elif form.form_token.data and (replay := services.replayed(db.session, form.form_token.data, viewer=g.account)):
            return _replayed(replay)
        else:
            try:
                new, photos = matter_from_form(form, channel), uploaded_photos(form.photos)
                # The writer lock from here to the commit: register reads the numbering series and
                # the audit chain's head after it. A form sent twice at once passed the replay check
                # above both times; the unique form token refuses the second (IntegrityError below).
                registration = services.register(
                    db.begin_writing(), new=new, photos=photos, registered_by=registered_by
                )
                # Durable before the receipt exists; the writer lock is released before rendering.
                db.session.commit()
            except RejectedUpload as error:
                form.photos.errors = [str(error)]
            except NotAllowed as error:
                db.session.rollback()
                problem = str(error)
            except IntegrityError:  # the same form posted twice at once: the other one won
                db.session.rollback()
                replay = services.replayed(db.session, form.form_token.data or "", viewer=g.account)
                if replay is None:
                    raise
                return _replayed(replay)
            else:
                return _receipt(registration)
    elif request.method == "GET":
        form.form_token.data = secrets.token_urlsafe(24)
    status = UNPROCESSABLE if request.method == "POST" else 200
    disclosure = _linked_disclosure(form.disclosure.data)
    return render_template(template, form=form, problem=problem, disclosure=disclosure), status


def _replayed(replay: services.Replay) -> PageResponse | tuple[str, int]:
    """A form sent again after its matter was stored: the same receipt, or when it was filed."""
    if replay.registration is not None:
        return _receipt(replay.registration)
    when = replay.filed_at.astimezone(clock.zone()).strftime("%Y-%m-%d %H:%M")
    return private_page(render_template("complaints/filed_before.html", when=when))


def _receipt(registration: services.Registration) -> PageResponse:
    body = render_template(
        "complaints/receipt.html",
        matter=registration.matter,
        code=codes.display_code(registration.code),
        raw_code=registration.code,
        deadlines=deadlines(registration.matter),
        rules={str(step): rule for step, rule in rules(registration.matter.kind).items()},
        review_level=services.review_level(registration.matter),
        today=today(),
    )
    return private_page(body)


LINKED_ROW = QueryInt("row", 1, 100_000)


def _prefill_about_row(form: MatterForm, disclosure: Disclosure) -> None:
    """这里不对 (from 查我家): a 咨询 about one row of the linked notice, which the villager may edit."""
    if request.args.get("kind") in {kind.value for kind in MatterKind}:
        form.kind.data = request.args["kind"]
    try:
        row = parse_int(request.args.get(LINKED_ROW.name) or "", low=LINKED_ROW.low, high=LINKED_ROW.high)
    except BadInteger:
        return
    title = disclosure.current.title if disclosure.current else ""
    form.title.data = _("对第 %(row)s 行有疑问：%(title)s", row=row, title=title)[:60]
    form.body.data = _("《%(title)s》第 %(row)s 行，我认为不对的地方是：", title=title, row=row)


@bp.route("/complaints/new", methods=["GET", "POST"])
@limiter.limit(_filing_limit, methods=["POST"])
@public
@reads_before_writing
def new():
    """我要反映. From a village's, a disclosure's or a matter's page (?village= or ?disclosure=) the
    village arrives chosen, and the page says so; otherwise the villager must choose one."""
    form = MatterForm()
    form.village.choices = village_choices_to_pick(db.session)
    if request.method == "GET":
        disclosure = _linked_disclosure(request.args.get(LINKED_DISCLOSURE.name))
        if disclosure is not None:
            form.disclosure.data = str(disclosure.id)
            form.village.data = disclosure.village.code
            _prefill_about_row(form, disclosure)
        elif village := area_by_code(db.session, request.args.get("village", "")[:12], AreaLevel.VILLAGE):
            form.village.data = village.code
    return file_matter(form, "complaints/new.html")


@bp.get("/v/<code>/matters")
@public
def village_matters(code: str):
    village = area_by_code(db.session, code, AreaLevel.VILLAGE)
    if village is None:
        abort(404)
    matters = public_matters(db.session, village)
    when = today()
    return render_template(
        "complaints/village.html",
        village=village,
        matters=matters,
        counts=village_counts(matters, when),
        today=when,
        days_taken=days_taken,
    )


@bp.get("/m/<int:matter_id>")
@public
def public_matter(matter_id: int):
    matter = db.session.get(Matter, matter_id)
    if matter is None or not matter.is_public:
        abort(404)
    return render_template(
        "complaints/public_matter.html",
        matter=matter,
        deadlines=deadlines(matter),
        final=finality(matter, today()),
        today=today(),
        days_taken=days_taken(matter, today()),
    )

"""Handlers' pages: the queue by nearest deadline, one matter with its steps, registering a matter.

A matter the account may not see answers 404, not 403: a village account must not learn that a
matter routed around it exists.
"""

from __future__ import annotations

from collections.abc import Callable

from flask import Blueprint, Response, abort, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from sqlalchemy import select

from transparency.accounts.models import Role
from transparency.complaints import codes, services
from transparency.complaints.access import may_approve_extension, may_handle, may_reissue_code, may_see
from transparency.complaints.blueprint import file_matter
from transparency.complaints.deadlines import deadlines, today
from transparency.complaints.forms import (
    ExtensionDecisionForm,
    ExtensionForm,
    ReissueCodeForm,
    StaffMatterForm,
    StepForm,
)
from transparency.complaints.models import Channel, Matter, MatterContact, MatterPhoto, MatterStatus
from transparency.complaints.queries import handler_queue, others_in_view, staff_scope
from transparency.complaints.services import NotAllowed
from transparency.complaints.villages import village_choices
from transparency.core.blobs import AttachmentBlob
from transparency.core.db import db
from transparency.core.errors import render_error
from transparency.core.forms import Form
from transparency.core.security import requires

bp = Blueprint("complaints_manage", __name__, url_prefix="/manage/complaints")

HANDLERS = (Role.CLERK, Role.INSPECTOR)
UNPROCESSABLE = 422


@bp.errorhandler(NotAllowed)
def _not_allowed(error: NotAllowed):
    return render_error(409, str(error))


def _matter(matter_id: int, *, for_update: bool = False) -> Matter:
    matter = services.lock(db.session, matter_id) if for_update else db.session.get(Matter, matter_id)
    if matter is None or not may_see(g.account, matter):
        abort(404)
    return matter


@bp.get("/")
@requires(*HANDLERS)
def queue():
    village_ids = staff_scope(g.account)
    when = today()
    return render_template(
        "manage/complaints/queue.html",
        items=handler_queue(db.session, g.account, village_ids, when),
        others=others_in_view(db.session, g.account, village_ids, when),
        today=when,
    )


@bp.route("/register", methods=["GET", "POST"])
@requires(*HANDLERS)
def register():
    form = StaffMatterForm()
    form.village.choices = village_choices(db.session, within=g.account.area)
    if request.method == "GET" and g.account.role is Role.CLERK:
        form.village.data = g.account.area.code
    channel = Channel(form.channel.data) if form.channel.data in {c.value for c in Channel} else Channel.IN_PERSON
    return file_matter(form, "manage/complaints/register.html", channel=channel, registered_by=g.account)


def _page(
    matter: Matter,
    status: int = 200,
    *,
    problem: str | None = None,
    contact: MatterContact | None = None,
    contact_shown: bool = False,
    **forms: Form,
) -> tuple[str, int]:
    when = today()
    pending = services.pending_extension(matter)
    defaults = {
        "plain_form": StepForm(formdata=None),
        "decline_form": StepForm(formdata=None),
        "reply_form": StepForm(formdata=None),
        "review_form": StepForm(formdata=None),
        "close_form": StepForm(formdata=None),
        "extension_form": ExtensionForm(formdata=None),
        "decision_form": ExtensionDecisionForm(formdata=None),
        "reissue_form": ReissueCodeForm(formdata=None),
    }
    defaults.update(forms)
    body = render_template(
        "manage/complaints/matter.html",
        matter=matter,
        deadlines=deadlines(matter),
        today=when,
        handles=may_handle(g.account, matter, when),
        pending=pending,
        may_decide=pending is not None and may_approve_extension(g.account, matter, pending.actor_id),
        may_reissue=may_reissue_code(g.account, matter),
        contact=contact,
        contact_shown=contact_shown,
        problem=problem,
        Status=MatterStatus,
        **defaults,
    )
    return body, status


@bp.get("/<int:matter_id>")
@requires(*HANDLERS)
def show(matter_id: int):
    return _page(_matter(matter_id))


def _step(
    matter_id: int, form_name: str, form: Form, run: Callable[[Matter], None], done: str
) -> Response | tuple[str, int]:
    matter = _matter(matter_id, for_update=True)
    if not form.validate_on_submit():
        return _page(matter, UNPROCESSABLE, **{form_name: form})
    try:
        run(matter)
    except NotAllowed as error:
        db.session.rollback()  # a step refused half-way (its text, say) shows the matter as it was
        return _page(matter, UNPROCESSABLE, problem=str(error), **{form_name: form})
    flash(done, "success")
    return redirect(url_for(".show", matter_id=matter.id))


@bp.post("/<int:matter_id>/accept")
@requires(*HANDLERS)
def accept(matter_id: int):
    form = StepForm()
    return _step(
        matter_id, "plain_form", form, lambda m: services.accept(db.session, matter=m, actor=g.account), _("已受理")
    )


@bp.post("/<int:matter_id>/decline")
@requires(*HANDLERS)
def decline(matter_id: int):
    form = StepForm()
    return _step(
        matter_id,
        "decline_form",
        form,
        lambda m: services.decline(db.session, matter=m, actor=g.account, reason=form.text.data or ""),
        _("已决定不予受理，理由反映人能看到"),
    )


@bp.post("/<int:matter_id>/reply")
@requires(*HANDLERS)
def reply(matter_id: int):
    form = StepForm()
    return _step(
        matter_id,
        "reply_form",
        form,
        lambda m: services.reply(db.session, matter=m, actor=g.account, text=form.text.data or ""),
        _("已答复"),
    )


@bp.post("/<int:matter_id>/extension")
@requires(*HANDLERS)
def request_extension(matter_id: int):
    form = ExtensionForm()
    return _step(
        matter_id,
        "extension_form",
        form,
        lambda m: services.request_extension(
            db.session, matter=m, actor=g.account, days=form.days.data, reason=form.reason.data
        ),
        _("已申请延期，等待纪检监察员审批"),
    )


@bp.post("/<int:matter_id>/extension/decision")
@requires(Role.INSPECTOR)
def decide_extension(matter_id: int):
    form = ExtensionDecisionForm()
    return _step(
        matter_id,
        "decision_form",
        form,
        lambda m: services.decide_extension(
            db.session, matter=m, actor=g.account, approve=form.decision.data == "approve", note=form.note.data or ""
        ),
        _("已审批延期申请"),
    )


@bp.post("/<int:matter_id>/review")
@requires(Role.INSPECTOR)
def answer_review(matter_id: int):
    form = StepForm()
    return _step(
        matter_id,
        "review_form",
        form,
        lambda m: services.answer_review(db.session, matter=m, actor=g.account, text=form.text.data or ""),
        _("已答复复查"),
    )


@bp.post("/<int:matter_id>/close")
@requires(*HANDLERS)
def close(matter_id: int):
    form = StepForm()
    return _step(
        matter_id,
        "close_form",
        form,
        lambda m: services.close(db.session, matter=m, actor=g.account, note=form.text.data or ""),
        _("已办结"),
    )


@bp.post("/<int:matter_id>/contact")
@requires(*HANDLERS)
def contact(matter_id: int):
    """Show the complainant's contact details to the handler, once per request, audited."""
    matter = _matter(matter_id)
    form = StepForm()
    if not form.validate_on_submit():
        return _page(matter, UNPROCESSABLE)
    shown = services.reveal_contact(db.session, matter=matter, actor=g.account)
    body, status = _page(matter, contact=shown, contact_shown=True)
    return body, status, {"Cache-Control": "no-store"}


@bp.post("/<int:matter_id>/code")
@requires(*HANDLERS)
def reissue_code(matter_id: int):
    """当面补发查询码: committed first, then the new code is shown this once (never cached)."""
    matter = _matter(matter_id, for_update=True)
    form = ReissueCodeForm()
    if not form.validate_on_submit():
        return _page(matter, UNPROCESSABLE, reissue_form=form)
    try:
        code = services.reissue_code(db.session, matter=matter, actor=g.account, identity_check=form.identity.data)
    except NotAllowed as error:
        return _page(matter, UNPROCESSABLE, problem=str(error), reissue_form=form)
    db.session.commit()  # the old code stops working before the new one is shown
    body = render_template("manage/complaints/new_code.html", matter=matter, code=codes.display_code(code))
    return body, 200, {"Cache-Control": "no-store"}


@bp.get("/<int:matter_id>/photos/<int:photo_id>")
@requires(*HANDLERS)
def photo(matter_id: int, photo_id: int):
    matter = _matter(matter_id)
    if not may_handle(g.account, matter, today()) and g.account.role is not Role.INSPECTOR:
        abort(404)
    found = db.session.get(MatterPhoto, photo_id)
    if found is None or found.matter_id != matter.id:
        abort(404)
    data = db.session.scalar(select(AttachmentBlob.data).where(AttachmentBlob.sha256 == found.blob_sha256))
    return Response(
        data,
        mimetype=found.media_type,
        headers={"Cache-Control": "private, no-store", "Content-Security-Policy": "sandbox; default-src 'none'"},
    )

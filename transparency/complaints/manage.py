"""Handlers' pages: the queue by nearest deadline, one matter with its steps, registering a matter.

The case file around the handling (notices, 回避, closing, contact, codes, photos) is in
`case_file.py`, on the same blueprint.

A matter the account may not see answers 404, not 403: a village account must not learn that a
matter routed around it exists.
"""

from __future__ import annotations

from collections.abc import Callable

from flask import Blueprint, Response, abort, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _

from transparency.accounts.models import Role
from transparency.complaints import services
from transparency.complaints.access import may_approve_extension, may_handle, may_reissue_code, may_see
from transparency.complaints.blueprint import file_matter
from transparency.complaints.deadlines import Step, deadlines, finality, today
from transparency.complaints.forms import (
    ConflictForm,
    ExtensionDecisionForm,
    ExtensionForm,
    FinalMatterForm,
    ReissueCodeForm,
    StaffMatterForm,
    StepForm,
)
from transparency.complaints.models import Channel, Matter, MatterContact, MatterKind, MatterStatus
from transparency.complaints.queries import handler_queue, others_in_view, staff_scope
from transparency.complaints.services import NotAllowed
from transparency.complaints.villages import village_choices_to_pick
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


def handled_matter(matter_id: int, *, for_update: bool = False) -> Matter:
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
    form.village.choices = village_choices_to_pick(db.session, within=g.account.area)
    if request.method == "GET" and g.account.role is Role.CLERK:
        form.village.data = g.account.area.code
    channel = Channel(form.channel.data) if form.channel.data in {c.value for c in Channel} else Channel.IN_PERSON
    return file_matter(form, "manage/complaints/register.html", channel=channel, registered_by=g.account)


def matter_page(
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
        "re_review_form": StepForm(formdata=None),
        "notice_form": StepForm(formdata=None),
        "final_form": FinalMatterForm(formdata=None),
        "conflict_form": ConflictForm(formdata=None),
        "extension_form": ExtensionForm(formdata=None),
        "decision_form": ExtensionDecisionForm(formdata=None),
        "reissue_form": ReissueCodeForm(formdata=None),
    }
    defaults.update(forms)
    handles = may_handle(g.account, matter, when)
    body = render_template(
        "manage/complaints/matter.html",
        matter=matter,
        deadlines=deadlines(matter),
        final=finality(matter, when),
        notices=_notices_due(matter) if handles else [],
        today=when,
        handles=handles,
        may_step_aside=handles and g.account.role is Role.INSPECTOR and matter.status in services.OPEN_STATUSES,
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


def _notices_due(matter: Matter) -> list[Step]:
    """The 实名 举报 notices the handler can record now, in order."""
    if matter.kind is not MatterKind.REPORT or not matter.real_name:
        return []
    due = []
    if matter.decided_at is not None and matter.acceptance_notified_at is None:
        due.append(Step.ACCEPT_NOTICE)
    if matter.status is MatterStatus.CLOSED and matter.result_notified_at is None:
        due.append(Step.RESULT_NOTICE)
    return due


@bp.get("/<int:matter_id>")
@requires(*HANDLERS)
def show(matter_id: int):
    return matter_page(handled_matter(matter_id))


def run_step(
    matter_id: int, form_name: str, form: Form, run: Callable[[Matter], None], done: str
) -> Response | tuple[str, int]:
    matter = handled_matter(matter_id, for_update=True)
    if not form.validate_on_submit():
        return matter_page(matter, UNPROCESSABLE, **{form_name: form})
    try:
        run(matter)
    except NotAllowed as error:
        db.session.rollback()  # a step refused half-way (its text, say) shows the matter as it was
        return matter_page(matter, UNPROCESSABLE, problem=str(error), **{form_name: form})
    flash(done, "success")
    return redirect(url_for(".show", matter_id=matter.id))


@bp.post("/<int:matter_id>/accept")
@requires(*HANDLERS)
def accept(matter_id: int):
    form = StepForm()
    return run_step(
        matter_id, "plain_form", form, lambda m: services.accept(db.session, matter=m, actor=g.account), _("已受理")
    )


@bp.post("/<int:matter_id>/decline")
@requires(*HANDLERS)
def decline(matter_id: int):
    form = StepForm()
    return run_step(
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
    return run_step(
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
    return run_step(
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
    return run_step(
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
    return run_step(
        matter_id,
        "review_form",
        form,
        lambda m: services.answer_review(db.session, matter=m, actor=g.account, text=form.text.data or ""),
        _("已答复复查"),
    )


@bp.post("/<int:matter_id>/re-review")
@requires(Role.INSPECTOR)
def answer_re_review(matter_id: int):
    form = StepForm()
    return run_step(
        matter_id,
        "re_review_form",
        form,
        lambda m: services.answer_re_review(db.session, matter=m, actor=g.account, text=form.text.data or ""),
        _("已答复复核，事项终结"),
    )


@bp.post("/<int:matter_id>/decline-final")
@requires(*HANDLERS)
def decline_as_final(matter_id: int):
    form = FinalMatterForm()

    def run(matter: Matter) -> None:
        services.decline_as_final(db.session, matter=matter, actor=g.account, final_number=form.final_number.data)

    return run_step(matter_id, "final_form", form, run, _("已关联已终结的事项，不予受理"))

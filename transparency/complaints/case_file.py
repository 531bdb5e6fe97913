"""Handlers' pages for the case file around a matter's handling: the written notices to a
named 举报人, stepping aside (回避), closing, the complainant's contact details, a new code
given in person, and the photos.
"""

from __future__ import annotations

from flask import Response, abort, flash, g, redirect, render_template, url_for
from flask_babel import gettext as _
from sqlalchemy import select

from transparency.accounts.models import Role
from transparency.complaints import codes, services
from transparency.complaints.access import may_handle
from transparency.complaints.deadlines import Step, today
from transparency.complaints.forms import ConflictForm, ReissueCodeForm, StepForm
from transparency.complaints.manage import HANDLERS, UNPROCESSABLE, bp, handled_matter, matter_page, run_step
from transparency.complaints.models import Matter, MatterPhoto
from transparency.complaints.services import NotAllowed
from transparency.core.blobs import AttachmentBlob
from transparency.core.db import db
from transparency.core.security import requires


def _notify(matter_id: int, step: Step):
    form = StepForm()

    def run(matter: Matter) -> None:
        services.notify_filer(db.session, matter=matter, actor=g.account, step=step, note=form.text.data or "")

    return run_step(matter_id, "notice_form", form, run, _("已记录告知实名举报人"))


@bp.post("/<int:matter_id>/notice/acceptance")
@requires(Role.INSPECTOR)
def notify_acceptance(matter_id: int):
    return _notify(matter_id, Step.ACCEPT_NOTICE)


@bp.post("/<int:matter_id>/notice/result")
@requires(Role.INSPECTOR)
def notify_result(matter_id: int):
    return _notify(matter_id, Step.RESULT_NOTICE)


@bp.post("/<int:matter_id>/step-aside")
@requires(Role.INSPECTOR)
def step_aside(matter_id: int):
    """回避: afterwards the matter no longer exists for this inspector, so back to the queue."""
    matter = handled_matter(matter_id, for_update=True)
    form = ConflictForm()
    if not form.validate_on_submit():
        return matter_page(matter, UNPROCESSABLE, conflict_form=form)
    try:
        services.declare_conflict(db.session, matter=matter, actor=g.account, reason=form.reason.data)
    except NotAllowed as error:
        db.session.rollback()
        return matter_page(matter, UNPROCESSABLE, problem=str(error), conflict_form=form)
    db.session.commit()
    flash(_("已回避，这件事项改由他人办理"), "success")
    return redirect(url_for(".queue"))


@bp.post("/<int:matter_id>/close")
@requires(*HANDLERS)
def close(matter_id: int):
    form = StepForm()
    return run_step(
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
    matter = handled_matter(matter_id)
    form = StepForm()
    if not form.validate_on_submit():
        return matter_page(matter, UNPROCESSABLE)
    shown = services.reveal_contact(db.session, matter=matter, actor=g.account)
    body, status = matter_page(matter, contact=shown, contact_shown=True)
    return body, status, {"Cache-Control": "no-store"}


@bp.post("/<int:matter_id>/code")
@requires(*HANDLERS)
def reissue_code(matter_id: int):
    """当面补发查询码: committed first, then the new code is shown this once (never cached)."""
    matter = handled_matter(matter_id, for_update=True)
    form = ReissueCodeForm()
    if not form.validate_on_submit():
        return matter_page(matter, UNPROCESSABLE, reissue_form=form)
    try:
        code = services.reissue_code(db.session, matter=matter, actor=g.account, identity_check=form.identity.data)
    except NotAllowed as error:
        return matter_page(matter, UNPROCESSABLE, problem=str(error), reissue_form=form)
    db.session.commit()  # the old code stops working before the new one is shown
    body = render_template("manage/complaints/new_code.html", matter=matter, code=codes.display_code(code))
    return body, 200, {"Cache-Control": "no-store"}


@bp.get("/<int:matter_id>/photos/<int:photo_id>")
@requires(*HANDLERS)
def photo(matter_id: int, photo_id: int):
    matter = handled_matter(matter_id)
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

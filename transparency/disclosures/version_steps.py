"""A version as staff see it, and the steps taken on it after drafting: submit to the
supervision committee, approve (publish) or return, correct a published disclosure, discard a draft.
"""

from __future__ import annotations

from typing import Any

from flask import abort, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from sqlalchemy.orm import selectinload

from transparency.accounts.models import Role
from transparency.core.db import db
from transparency.core.personal_data import PersonalDataFound
from transparency.core.security import requires
from transparency.disclosures import services
from transparency.disclosures.access import NotYourVillage, may_draft, may_review
from transparency.disclosures.carry_over import next_ledger_left_behind
from transparency.disclosures.forms import CorrectionForm, DiscardForm, ReturnForm, ReviewForm
from transparency.disclosures.manage import STAFF, UNPROCESSABLE, bp, staff_version
from transparency.disclosures.models import Disclosure, DisclosureVersion
from transparency.disclosures.rendering import changes_from_current


@bp.get("/versions/<int:version_id>")
@requires(*STAFF)
def show(version_id: int):
    """A version as staff see it: full ID numbers, status, review history, the next step."""
    version = staff_version(version_id)
    return render_version(version)


def render_version(version: DisclosureVersion, status: int = 200, **forms: Any):
    village = version.disclosure.village
    context = {
        "version": version,
        "disclosure": version.disclosure,
        "can_draft": may_draft(g.account, village),
        "can_review": may_review(g.account, village),
        "review_form": forms.get("review_form") or ReviewForm(formdata=None),
        "return_form": forms.get("return_form") or ReturnForm(formdata=None),
        "problems": forms.get("problems", []),
        "changes": changes_from_current(version),
        "next_left_behind": next_ledger_left_behind(db.session, version) if version.number > 1 else None,
    }
    return render_template("manage/show.html", **context), status


@bp.post("/versions/<int:version_id>/submit")
@requires(Role.CLERK)
def submit(version_id: int):
    """Hand a draft to the supervision committee; the numbers must add up first."""
    version = staff_version(version_id)
    try:
        services.submit(db.session, actor=g.account, version=version)
    except services.CannotSubmit as error:
        return render_version(version, UNPROCESSABLE, problems=error.problems)
    except services.WrongState as error:
        return render_version(version, 409, problems=[str(error)])
    flash(_("已提交村务监督委员会审核。"))
    return redirect(url_for("manage.show", version_id=version.id))


@bp.post("/versions/<int:version_id>/approve")
@requires(Role.REVIEWER)
def approve(version_id: int):
    """预公开审核: sign and publish."""
    version = staff_version(version_id)
    form = ReviewForm()
    if not form.validate():
        return render_version(version, UNPROCESSABLE, review_form=form)
    try:
        services.approve(
            db.session, actor=g.account, version=version, signed_name=form.signed_name.data, note=form.note.data
        )
    except services.SignatureMismatch as error:
        form.signed_name.errors = [str(error)]
        return render_version(version, UNPROCESSABLE, review_form=form)
    except PersonalDataFound as error:
        form.note.errors = error.messages
        return render_version(version, UNPROCESSABLE, review_form=form)
    except services.CannotSubmit as error:
        return render_version(version, UNPROCESSABLE, problems=error.problems)
    except services.WrongState as error:
        return render_version(version, 409, problems=[str(error)])
    flash(_("审核通过，已向村民公开。"))
    return redirect(url_for("disclosures.show", disclosure_id=version.disclosure_id))


@bp.post("/versions/<int:version_id>/return")
@requires(Role.REVIEWER)
def send_back(version_id: int):
    """Return a submitted version to the clerk with reasons."""
    version = staff_version(version_id)
    form = ReturnForm()
    if not form.validate():
        return render_version(version, UNPROCESSABLE, return_form=form)
    try:
        services.return_for_revision(db.session, actor=g.account, version=version, reasons=form.reasons.data)
    except PersonalDataFound as error:
        form.reasons.errors = error.messages
        return render_version(version, UNPROCESSABLE, return_form=form)
    except services.WrongState as error:
        return render_version(version, 409, problems=[str(error)])
    flash(_("已退回公开员修改。"))
    return redirect(url_for("workbench.dashboard"))


@bp.route("/disclosures/<int:disclosure_id>/correct", methods=["GET", "POST"])
@requires(Role.CLERK)
def correct(disclosure_id: int):
    """更正: start a new version of a published disclosure, with a reason villagers will read."""
    disclosure = db.session.get(Disclosure, disclosure_id, options=[selectinload(Disclosure.versions)])
    if disclosure is None:
        abort(404)
    if not may_draft(g.account, disclosure.village):
        raise NotYourVillage(_("只能更正本村的公开内容"))
    form = CorrectionForm()
    error = None
    if form.validate_on_submit():
        try:
            version = services.start_correction(
                db.session, actor=g.account, disclosure=disclosure, reason=form.reason.data
            )
        except (services.WrongState, PersonalDataFound) as problem:
            error = str(problem)
        else:
            flash(_("已建立更正版本，请修改后提交审核。原来的版本会一直保留。"))
            return redirect(url_for("manage.edit", version_id=version.id))
    status = UNPROCESSABLE if request.method == "POST" else 200
    return render_template("manage/correct.html", form=form, disclosure=disclosure, error=error), status


@bp.route("/versions/<int:version_id>/discard", methods=["GET", "POST"])
@requires(Role.CLERK)
def discard(version_id: int):
    """Throw away a draft that was never published (a first draft, or a correction not yet approved)."""
    version = staff_version(version_id)
    if not may_draft(g.account, version.disclosure.village):
        raise NotYourVillage(_("只能放弃本村的草稿"))
    form = DiscardForm()
    if form.validate_on_submit():
        disclosure = version.disclosure
        was_published = disclosure.first_published_at is not None
        try:
            services.discard_draft(db.session, actor=g.account, version=version)
        except services.WrongState as error:
            return render_version(version, 409, problems=[str(error)])
        flash(_("草稿已放弃。已公开的内容不受影响。"))
        if was_published:  # the disclosure stays; only the correction draft went
            return redirect(url_for("disclosures.show", disclosure_id=disclosure.id))
        return redirect(url_for("workbench.dashboard"))
    status = UNPROCESSABLE if request.method == "POST" else 200
    return render_template("manage/discard.html", form=form, version=version), status

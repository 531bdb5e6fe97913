"""Staff pages: clerks draft and correct, the supervision committee reviews, inspectors read.

This module holds a village's work list and the drafting forms; a version's page and the
steps after drafting are in `version_steps.py`, on the same blueprint.

Every object is checked against the account's village or jurisdiction; a foreign id is a 403.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from flask import Blueprint, abort, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from sqlalchemy import select

from transparency.accounts.models import Role
from transparency.areas.models import Area, AreaLevel
from transparency.core import clock
from transparency.core.db import db
from transparency.core.errors import render_error
from transparency.core.forms import choices
from transparency.core.security import requires
from transparency.core.uploads import RejectedUpload
from transparency.disclosures import services
from transparency.disclosures.access import NotYourVillage, may_draft, may_view_unpublished
from transparency.disclosures.carry_over import LedgerBalance, previous_ledger
from transparency.disclosures.chart_of_accounts import DATALIST_ID as ACCOUNTS_LIST
from transparency.disclosures.chart_of_accounts import STANDARD_ACCOUNTS
from transparency.disclosures.drafting import (
    BLANK_ROWS_EDIT,
    BLANK_ROWS_NEW,
    ROWS_PER_ADD,
    add_blank_rows,
    content_from_form,
    fill_closing_balance,
    fill_opening_balance,
    form_class,
    form_data_from_version,
    period_from_form,
    suggest_next_ledger,
    suggest_period,
    uploaded_files,
)
from transparency.disclosures.forms import FinanceForm
from transparency.disclosures.models import Category, DisclosureVersion
from transparency.disclosures.periods import InvalidPeriod
from transparency.disclosures.queries import village_work

bp = Blueprint("manage", __name__, url_prefix="/manage")

STAFF = (Role.CLERK, Role.REVIEWER, Role.INSPECTOR)
UNPROCESSABLE = 422  # a form with errors: nothing is committed (see core/db.py)


@bp.context_processor
def _chart_of_accounts() -> dict[str, Any]:
    """The ledger form's list of standard accounts (会计科目)."""
    return {"standard_accounts": STANDARD_ACCOUNTS, "accounts_list_id": ACCOUNTS_LIST}


@bp.errorhandler(NotYourVillage)
def _not_yours(error: NotYourVillage):
    return render_error(403, str(error))


def staff_version(version_id: int) -> DisclosureVersion:
    version = db.session.get(DisclosureVersion, version_id)
    if version is None:
        abort(404)
    if not may_view_unpublished(g.account, version.disclosure.village):
        raise NotYourVillage(_("只能查看本人所属村（或辖区）的村务"))
    return version


@bp.get("/villages/<code>")
@requires(Role.INSPECTOR)
def village(code: str):
    """An inspector's read-only view of one village's drafts, reviews and publications."""
    area = db.session.scalar(select(Area).where(Area.code == code, Area.level == AreaLevel.VILLAGE))
    if area is None:
        abort(404)
    if not may_view_unpublished(g.account, area):
        raise NotYourVillage(_("这个村不在您的辖区内"))
    return render_template("manage/village.html", village=area, work=village_work(db.session, area))


def _previous_ledger(
    form: Any, village: Area, start: dt.date, disclosure_id: int | None = None
) -> LedgerBalance | None:
    """The published ledger a finance draft carries over from (None for other categories)."""
    if not isinstance(form, FinanceForm):
        return None
    return previous_ledger(db.session, village.id, start, disclosure_id)


def _computing_closing(form: Any) -> bool:
    """计算期末余额 was pressed: show the computed balance, save nothing."""
    return isinstance(form, FinanceForm) and bool(form.compute_closing.data)


@bp.route("/new/<category>", methods=["GET", "POST"])
@requires(Role.CLERK)
def new(category: str):
    """Draft a new disclosure for the clerk's village."""
    try:
        chosen = Category(category)
    except ValueError:
        abort(404)
    form = form_class(chosen)()
    del form.remove_attachments  # a new disclosure has none yet
    village = g.account.area
    if request.method == "GET":
        suggest_period(form, chosen, clock.today())
        previous = _previous_ledger(form, village, dt.date.max)
        if previous is not None:
            suggest_next_ledger(form, previous)
        add_blank_rows(form, BLANK_ROWS_NEW)
        return render_template("manage/edit.html", form=form, category=chosen, version=None, previous=previous)
    if form.add_rows.data:
        add_blank_rows(form, ROWS_PER_ADD)
        return render_template("manage/edit.html", form=form, category=chosen, version=None)
    problems: list[str] = []
    previous = None
    if form.validate():
        try:
            kind, start, end = period_from_form(form)
            previous = _previous_ledger(form, village, start)
            if isinstance(form, FinanceForm):
                fill_opening_balance(form, previous)
            if _computing_closing(form):
                fill_closing_balance(form)
                return render_template("manage/edit.html", form=form, category=chosen, version=None, previous=previous)
            version = services.start_disclosure(
                db.session,
                actor=g.account,
                village=g.account.area,
                category=chosen,
                period_kind=kind,
                period_start=start,
                period_end=end,
                content=content_from_form(form),
                files=uploaded_files(form),
            )
        except (InvalidPeriod, RejectedUpload) as error:
            problems.append(str(error))
        else:
            flash(_("草稿已保存。检查无误后请“提交审核”。"))
            return redirect(url_for("manage.show", version_id=version.id))
    return render_template(
        "manage/edit.html", form=form, category=chosen, version=None, problems=problems, previous=previous
    ), UNPROCESSABLE


@bp.route("/versions/<int:version_id>/edit", methods=["GET", "POST"])
@requires(Role.CLERK)
def edit(version_id: int):
    """Change a draft (or a returned version) of the clerk's village."""
    version = staff_version(version_id)
    if not may_draft(g.account, version.disclosure.village):
        raise NotYourVillage(_("只能修改本村的草稿"))
    if version.status not in services.EDITABLE:
        flash(_("这个版本已提交或已公开，不能再修改。"), "error")
        return redirect(url_for("manage.show", version_id=version.id))
    category = version.disclosure.category
    cls = form_class(category)
    form = cls(data=form_data_from_version(version)) if request.method == "GET" else cls()
    for field in ("period_kind", "year", "number", "day"):
        delattr(form, field)
    form.remove_attachments.choices = choices((a.id, a.filename) for a in version.attachments)
    disclosure = version.disclosure
    previous = _previous_ledger(form, disclosure.village, disclosure.period_start, disclosure.id)
    if request.method == "GET":
        if isinstance(form, FinanceForm):
            fill_opening_balance(form, previous)
        add_blank_rows(form, BLANK_ROWS_EDIT)
        return render_template("manage/edit.html", form=form, category=category, version=version, previous=previous)
    if form.add_rows.data:
        add_blank_rows(form, ROWS_PER_ADD)
        return render_template("manage/edit.html", form=form, category=category, version=version, previous=previous)
    problems: list[str] = []
    if form.validate():
        if isinstance(form, FinanceForm):
            fill_opening_balance(form, previous)
        if _computing_closing(form):
            fill_closing_balance(form)
            return render_template("manage/edit.html", form=form, category=category, version=version, previous=previous)
        try:
            services.save_draft(
                db.session,
                actor=g.account,
                version=version,
                content=content_from_form(form),
                files=uploaded_files(form),
                remove_attachments=form.remove_attachments.data or [],
            )
        except (RejectedUpload, services.WrongState) as error:
            problems.append(str(error))
        else:
            flash(_("草稿已保存。"))
            return redirect(url_for("manage.show", version_id=version.id))
    return render_template(
        "manage/edit.html", form=form, category=category, version=version, problems=problems, previous=previous
    ), UNPROCESSABLE

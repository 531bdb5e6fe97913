"""Simple admin pages for areas and accounts (the command line does the same)."""

from __future__ import annotations

from flask import Blueprint, abort, flash, g, redirect, render_template, url_for
from flask_babel import gettext as _
from sqlalchemy import select

from transparency.accounts import services as accounts
from transparency.accounts.forms import AccountForm
from transparency.accounts.models import Account, Role
from transparency.admin.forms import AreaForm, RedactionForm
from transparency.areas import services as areas
from transparency.areas.models import Area, AreaLevel
from transparency.audit.models import AuditText
from transparency.audit.texts import RedactionRefused, redact
from transparency.complaints.deadlines import rules as complaint_rules
from transparency.core.db import db
from transparency.core.security import requires
from transparency.obligations.models import VillageFlag
from transparency.obligations.rules import rules_in_force
from transparency.search import indexer as search_indexer

bp = Blueprint("admin", __name__, url_prefix="/admin")
UNPROCESSABLE = 422


@bp.route("/accounts", methods=["GET", "POST"], endpoint="accounts")
@requires(Role.ADMIN)
def accounts_page():
    """List accounts and create one."""
    form = AccountForm()
    status = 200
    if form.validate_on_submit():
        area = areas.area_by_code(db.session, form.area_code.data) if form.area_code.data else None
        if form.area_code.data and area is None:
            form.area_code.errors = [_("没有这个地区代码")]
        else:
            try:
                accounts.create_account(
                    db.session,
                    actor=g.account,
                    username=form.username.data,
                    display_name=form.display_name.data,
                    password=form.password.data,
                    role=Role(form.role.data),
                    area=area,
                )
            except accounts.DuplicateUsername as error:
                form.username.errors = [str(error)]
            except accounts.InvalidBinding as error:
                form.area_code.errors = [str(error)]
            else:
                flash(_("账户已建立。"))
                return redirect(url_for("admin.accounts"))
    if form.is_submitted():
        status = UNPROCESSABLE
    listing = db.session.scalars(select(Account).order_by(Account.role, Account.username))
    pending = search_indexer.pending_count(db.session)  # index writes that failed wait here for a retry
    return render_template("admin/accounts.html", form=form, accounts=listing, search_pending=pending), status


@bp.post("/accounts/<int:account_id>/active/<int:active>")
@requires(Role.ADMIN)
def set_active(account_id: int, active: int):
    """Deactivate (0) or reactivate (1) an account."""
    account = db.session.get(Account, account_id) or abort(404)
    if account.id == g.account.id:
        flash(_("不能停用自己的账户。"), "error")
        return redirect(url_for("admin.accounts"))
    accounts.set_active(db.session, actor=g.account, account=account, active=bool(active))
    flash(_("已更新。"))
    return redirect(url_for("admin.accounts"))


@bp.route("/areas", methods=["GET", "POST"], endpoint="areas")
@requires(Role.ADMIN)
def areas_page():
    """List areas and add one."""
    form = AreaForm()
    status = 200
    if form.validate_on_submit():
        parent = areas.area_by_code(db.session, form.parent_code.data) if form.parent_code.data else None
        try:
            areas.create_area(
                db.session,
                actor=g.account,
                code=form.code.data,
                name=form.name.data,
                level=AreaLevel(form.level.data),
                parent=parent,
            )
        except areas.InvalidArea as error:
            form.code.errors = [str(error)]
        else:
            flash(_("地区已添加。"))
            return redirect(url_for("admin.areas"))
    if form.is_submitted():
        status = UNPROCESSABLE
    listing = db.session.scalars(select(Area).order_by(Area.code))
    return render_template("admin/areas.html", form=form, areas=listing), status


@bp.route("/audit-texts", methods=["GET", "POST"], endpoint="redactions")
@requires(Role.ADMIN)
def redactions_page():
    """Redact a text the audit log names by digest, and list the redactions made."""
    form = RedactionForm()
    status = 200
    if form.validate_on_submit():
        try:
            redact(db.session, actor=g.account, digest=form.digest.data, reason=form.reason.data)
        except RedactionRefused as error:
            db.session.rollback()
            form.digest.errors = [str(error)]
        else:
            db.session.commit()
            flash(_("已删除这段文字，删除本身已记入审计日志。"))
            return redirect(url_for("admin.redactions"))
    if form.is_submitted():
        status = UNPROCESSABLE
    done = list(
        db.session.scalars(
            select(AuditText)
            .where(AuditText.redacted_at.is_not(None))
            .order_by(AuditText.redacted_at.desc())
            .limit(100)
        )
    )
    return render_template("admin/redactions.html", form=form, redactions=done), status


@bp.get("/deadline-rules", endpoint="deadline_rules")
@requires(Role.ADMIN)
def deadline_rules_page():
    """期限规则: the time limits in force for matters and for disclosures, read-only here.

    They are data the deployer sets (the complaint rules file, `transparency obligations …`):
    a limit changed on a web page would change the law's deadlines with no review."""
    return render_template(
        "admin/deadline_rules.html",
        matter_rules=complaint_rules(),
        disclosure_rules=sorted(rules_in_force(db.session).values(), key=lambda r: (r.category, r.village_flag)),
        flag_labels={flag.value: flag.label for flag in VillageFlag},
    )

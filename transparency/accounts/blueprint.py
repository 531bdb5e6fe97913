"""Logging in and out."""

from __future__ import annotations

from flask import Blueprint, current_app, flash, g, redirect, render_template, request, session, url_for
from flask.blueprints import BlueprintSetupState
from flask_babel import gettext as _
from flask_limiter.util import get_remote_address

from transparency.accounts.forms import LoginForm
from transparency.accounts.models import Role
from transparency.accounts.services import (
    AccountLocked,
    InvalidCredentials,
    account_for_session,
    authenticate,
    log_out,
)
from transparency.core.db import db
from transparency.core.security import account_loader, limiter, public, requires, safe_next_url
from transparency.core.templating import local_time

bp = Blueprint("accounts", __name__)


@bp.record_once
def _install_account_loader(state: BlueprintSetupState) -> None:
    """Who is logged in is this package's to say: registering the blueprint tells core/security."""
    account_loader(state.app, account_for_session)


def _login_limit() -> str:
    return current_app.config["LOGIN_RATE_LIMIT"]


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(_login_limit, methods=["POST"])
@public
def login():
    """Staff login. A failed attempt re-renders with 200 so its count is committed."""
    form = LoginForm()
    error = None
    if form.validate_on_submit():
        try:
            account = authenticate(
                db.session, username=form.username.data, password=form.password.data, client=get_remote_address()
            )
        except InvalidCredentials:
            error = _("用户名或密码不对。在本设备上连续输错 5 次，本设备将暂停登录该账户 15 分钟。")
        except AccountLocked as locked:
            error = _(
                "密码错误次数太多，本设备对该账户已暂停登录（其他设备不受影响），请在 %(time)s 之后再试。",
                time=local_time(locked.until),
            )
        else:
            session.clear()
            session["account_id"] = account.id
            session["epoch"] = account.session_epoch
            session.permanent = True
            flash(_("欢迎，%(name)s。", name=account.display_name))
            fallback = url_for("admin.accounts") if account.role is Role.ADMIN else url_for("workbench.dashboard")
            return redirect(safe_next_url(request.args.get("next"), fallback))
    return render_template("accounts/login.html", form=form, error=error)


@bp.route("/logout", methods=["POST"])
@requires(*Role)
def logout():
    """Forget the session (the account stays as it is)."""
    log_out(db.session, account=g.account)
    session.clear()
    g.account = None
    flash(_("您已退出登录。"))
    return redirect(url_for("portal.home"))

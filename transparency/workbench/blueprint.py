"""工作台: each staff role's landing page, and the pages its header tools open.

The clerk sees what falls due next and the matters waiting with their days left; the reviewer,
the drafts waiting; the inspector, overdue matters and missing disclosures of the jurisdiction
before the list of villages.
"""

from __future__ import annotations

from flask import Blueprint, g, render_template, url_for

from transparency.accounts.models import Role
from transparency.areas.services import villages_under
from transparency.complaints.deadlines import today
from transparency.core.db import db
from transparency.core.security import requires
from transparency.disclosures.models import Category
from transparency.disclosures.queries import awaiting_review, village_work
from transparency.workbench import next_steps
from transparency.workbench.tools import ROLE_TOOLS, landing_endpoint

bp = Blueprint("workbench", __name__, url_prefix="/manage")

STAFF = (Role.CLERK, Role.REVIEWER, Role.INSPECTOR)


@bp.app_context_processor
def staff_tools() -> dict[str, object]:
    """The header's tools for the account logged in (nothing for the public)."""
    account = g.get("account")
    if account is None:
        return {"staff_tools": [], "landing_url": None}
    return {"staff_tools": ROLE_TOOLS.get(account.role, []), "landing_url": url_for(landing_endpoint(account.role))}


@bp.get("/")
@requires(*STAFF)
def dashboard():
    """Clerk and reviewer: what is due next in their village. Inspector: what went wrong in the
    jurisdiction first, then its villages."""
    account = g.account
    when = today()
    if account.role is Role.INSPECTOR:
        villages = villages_under(account.area)
        return render_template(
            "workbench/inspector.html",
            villages=villages,
            overdue=next_steps.overdue_matters(db.session, account, when),
            missing=next_steps.missing_in(db.session, villages, when),
            today=when,
        )
    village = account.area
    is_clerk = account.role is Role.CLERK
    return render_template(
        "workbench/village.html",
        village=village,
        work=village_work(db.session, village),
        pending=awaiting_review(db.session, village),
        due=next_steps.next_due(db.session, village, when) if is_clerk else [],
        waiting=next_steps.waiting_matters(db.session, account, when) if is_clerk else [],
        today=when,
    )


@bp.get("/new")
@requires(Role.CLERK)
def drafting():
    """起草: the categories a clerk can draft."""
    return render_template("workbench/drafting.html", categories=list(Category))


@bp.get("/import")
@requires(Role.CLERK)
def importing():
    """导入: the categories that come from a spreadsheet."""
    return render_template("workbench/importing.html")


@bp.get("/review")
@requires(Role.REVIEWER)
def reviewing():
    """待审核: the village's drafts submitted for review, oldest first."""
    return render_template("workbench/reviewing.html", pending=awaiting_review(db.session, g.account.area))

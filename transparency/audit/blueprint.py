"""The audit log in public (chain head, checkpoints, export) and for inspectors (browse, verify)."""

from __future__ import annotations

from flask import Blueprint, Response, g, jsonify, render_template, request, stream_with_context
from flask_babel import gettext as _

from transparency.accounts.models import Role
from transparency.audit import services
from transparency.audit.browse import OutsideJurisdiction, area_codes_in, log_page
from transparency.audit.chain import verify_chain
from transparency.audit.export import export_lines
from transparency.audit.forms import AuditFilterForm, VerifyForm
from transparency.core.db import db
from transparency.core.errors import render_error
from transparency.core.security import limiter, public, requires

bp = Blueprint("audit", __name__)

CHECKPOINTS_PER_PAGE = 50
API_CHECKPOINTS = 20


def _page_arg() -> int:
    value = request.args.get("page", "1")
    return int(value) if value.isdigit() and 0 < len(value) <= 7 and int(value) > 0 else 1


@bp.get("/audit/head")
@public
def head():
    """The current chain head and the history of checkpoints, newest first."""
    total = services.checkpoint_count(db.session)
    pages = max(1, -(-total // CHECKPOINTS_PER_PAGE))
    page = min(_page_arg(), pages)
    return render_template(
        "audit/head.html",
        head=services.head(db.session),
        checkpoints=services.checkpoints(
            db.session, limit=CHECKPOINTS_PER_PAGE, offset=(page - 1) * CHECKPOINTS_PER_PAGE
        ),
        page=page,
        pages=pages,
        total=total,
    )


@bp.get("/api/v1/audit/head")
@public
def head_json():
    """The chain head and the newest checkpoints as JSON."""
    entry = services.head(db.session)
    return jsonify(
        head=None if entry is None else {"seq": entry.seq, "hash": entry.hash, "at": entry.at.isoformat()},
        checkpoints=[
            {"seq": c.seq, "hash": c.hash, "at": c.at.isoformat(), "reason": str(c.reason)}
            for c in services.checkpoints(db.session, limit=API_CHECKPOINTS)
        ],
    )


@bp.get("/audit/export.jsonl")
@public
@limiter.limit("20 per hour")
def export():
    """The whole log (or the entries after ?after=N) as JSON Lines, verifiable offline."""
    value = request.args.get("after", "0")
    if not (value.isdigit() and len(value) <= 18):
        return render_error(400, _("参数 after 应是一个非负整数（从第几条之后开始导出）。"))
    engine = db.engine
    return Response(
        stream_with_context(export_lines(engine, after=int(value))),
        mimetype="application/x-ndjson",
        headers={"Content-Disposition": "attachment; filename=audit-log.jsonl"},
    )


@bp.get("/inspect/audit")
@requires(Role.INSPECTOR)
def log():
    """Inspectors browse the log of their jurisdiction with filters. Bad filters: 400 with messages."""
    form = AuditFilterForm(request.args, meta={"csrf": False})
    if not form.validate():
        return render_template("audit/log.html", form=form, result=None, verify_form=VerifyForm()), 400
    try:
        result = log_page(db.session, form, area_codes_in(g.account))
    except OutsideJurisdiction as error:
        return render_error(403, str(error))
    return render_template("audit/log.html", form=form, result=result, verify_form=VerifyForm())


@bp.post("/inspect/audit/verify")
@requires(Role.INSPECTOR)
def verify():
    """The one-button verification of the whole chain; the check itself goes into the log."""
    VerifyForm().validate_on_submit()  # CSRF is checked globally; the form has no other field
    area_code = g.account.area.code  # read now: the session is closed during the long read below
    db.session.close()  # so a long verification holds no write lock; it reads in its own snapshot
    verdict = verify_chain(db.engine)
    services.record(
        db.session,
        actor=g.account,
        area_code=area_code,
        action="audit.verify",
        object_type="audit_log",
        ok=verdict.ok,
        entries=verdict.entries,
        bad_seq=verdict.bad_seq,
    )
    return render_template("audit/verified.html", verdict=verdict)

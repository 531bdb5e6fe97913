"""The audit log in public: chain head, checkpoints, export (inspectors browse it in `inspection`)."""

from __future__ import annotations

from flask import Blueprint, Response, jsonify, render_template, stream_with_context
from flask_babel import gettext as _

from transparency.audit import services
from transparency.audit.epochs import Epoch, current_epoch
from transparency.audit.export import export_lines
from transparency.core.db import db
from transparency.core.errors import render_error
from transparency.core.integers import BadInteger, QueryInt
from transparency.core.security import limiter, public

bp = Blueprint("audit", __name__)

CHECKPOINTS_PER_PAGE = 50
API_CHECKPOINTS = 20


PAGE = QueryInt("page", 1, 9_999_999, 1)
AFTER = QueryInt("after", 0, 10**18 - 1, 0)


def _page_arg() -> int:
    try:
        return int(PAGE.get())  # type: ignore[arg-type]  # it has a default
    except BadInteger:
        return 1  # a bad page number shows the first page, as before


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
        epoch=current_epoch(db.session),
    )


def epoch_json(epoch: Epoch) -> dict:
    """The epoch as the API gives it: its number, first entry and the head it was restored from."""
    restored = None if epoch.is_first else {"seq": epoch.restored_seq, "hash": epoch.restored_hash}
    return {"number": epoch.number, "first_seq": epoch.first_seq, "restored_from": restored}


@bp.get("/api/v1/audit/head")
@public
def head_json():
    """The chain head and the newest checkpoints as JSON."""
    entry = services.head(db.session)
    return jsonify(
        head=None if entry is None else {"seq": entry.seq, "hash": entry.hash, "at": entry.at.isoformat()},
        epoch=epoch_json(current_epoch(db.session)),
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
    try:
        after = int(AFTER.get())  # type: ignore[arg-type]  # it has a default
    except BadInteger:
        return render_error(400, _("参数 after 应是一个非负整数（从第几条之后开始导出）。"))
    engine = db.engine
    return Response(
        stream_with_context(export_lines(engine, after=after)),
        mimetype="application/x-ndjson",
        headers={"Content-Disposition": "attachment; filename=audit-log.jsonl"},
    )

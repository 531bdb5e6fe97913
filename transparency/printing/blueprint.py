"""打印公示: a published notice as an A4 PDF, or an A3 poster, for the village notice board."""

from __future__ import annotations

from dataclasses import replace
from urllib.parse import quote

from flask import Blueprint, Flask, Response, abort, current_app, render_template, request
from flask_babel import gettext as _

from transparency.charts.figures import PRINT_WIDTH
from transparency.charts.finance import version_charts
from transparency.core.db import db
from transparency.core.errors import render_error
from transparency.core.security import limiter, public
from transparency.disclosures.periods import period_label
from transparency.printing import services
from transparency.printing.qr import qr_svg
from transparency.printing.services import PaperSize, TooLongToPrint
from transparency.printing.worker import PrintBusy, PrintError, PrintTimedOut, render_pdf

bp = Blueprint("printing", __name__)


@bp.record_once
def _defaults(state) -> None:
    app: Flask = state.app
    for key, value in services.DEFAULTS.items():
        app.config.setdefault(key, value)


def _rate_limit() -> str:
    return current_app.config["PRINT_RATE_LIMIT"]


@bp.get("/d/<int:disclosure_id>/v/<int:number>/print.pdf")
@limiter.limit(_rate_limit)
@public
def notice_pdf(disclosure_id: int, number: int):
    """The printable PDF of one published version. `size` is a4 (default) or a3.

    Answers 404 for an unpublished version, 400 for an unknown paper size, 413 for a table too
    long to print, 503 when rendering is too slow or fails — always with a message, never a 500.
    """
    try:
        size = PaperSize(request.args.get("size", "a4").lower())
    except ValueError:
        return render_error(400, _("纸张大小只能是 A4 或 A3。"))
    version = services.published_version(db.session, disclosure_id, number) or abort(404)
    disclosure = version.disclosure
    try:
        services.ensure_printable(version)
    except TooLongToPrint as error:
        return render_error(413, str(error))
    online = services.notice_url(version)
    period = period_label(disclosure.period_kind, disclosure.period_start)
    html = render_template(
        "printing/notice.html",
        disclosure=disclosure,
        version=version,
        village=disclosure.village,
        period=period,
        size=size,
        page_counter=services.page_counter_css(),
        online_url=online,
        qr=qr_svg(online, title=_("扫码查看网上公示")),
        record=services.publication_record(db.session, version),
        charts=[replace(chart, width=PRINT_WIDTH) for chart in version_charts(disclosure, version)],
        newest=disclosure.current,
    )
    config = current_app.config
    try:
        rendered = render_pdf(
            html,
            base_url=services.public_base_url(),
            static_root=current_app.static_folder or "",
            time_limit=config["PRINT_TIME_LIMIT"],
            memory_limit=config["PRINT_MEMORY_LIMIT"],
            concurrency=config["PRINT_CONCURRENCY"],
        )
    except PrintTimedOut:
        return _unavailable(_("生成打印文件超时。表格太长或服务器正忙，请稍后再试，或在网上查看这份公示。"))
    except PrintBusy:
        return _unavailable(_("服务器正在为其他人生成打印文件，请过一分钟再试。"))
    except PrintError:
        current_app.logger.exception("printing notice %s version %s failed", disclosure_id, number)
        return _unavailable(_("生成打印文件时出了问题，请稍后再试，或在网上查看这份公示。"))
    for url in rendered.refused:
        current_app.logger.warning("print of notice %s refused to fetch %s", disclosure_id, url)
    filename = _(
        "%(village)s-%(category)s-%(period)s-第%(n)s版.pdf",
        village=disclosure.village.name,
        category=disclosure.category.label,
        period=period,
        n=number,
    )
    response = Response(rendered.pdf, mimetype="application/pdf")
    response.headers["Content-Disposition"] = f"inline; filename*=UTF-8''{quote(filename)}"
    # A published version never changes, but "corrected by version n" may appear on it later.
    response.headers["Cache-Control"] = "public, max-age=300"
    return response


def _unavailable(message: str):
    body, status = render_error(503, message)
    return body, status, {"Retry-After": "60"}

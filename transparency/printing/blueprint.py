"""打印公示: a published disclosure as an A4 PDF, or an A3 poster, for the village bulletin board."""

from __future__ import annotations

import time
from urllib.parse import quote

from flask import Blueprint, Flask, Response, current_app, g, render_template, request
from flask_babel import gettext as _

from transparency.complaints import codes
from transparency.complaints import services as matter_services
from transparency.complaints.deadlines import deadlines, rules, today
from transparency.complaints.forms import TrackForm
from transparency.core import signals
from transparency.core.db import db
from transparency.core.errors import render_error
from transparency.core.security import limiter, public
from transparency.disclosures.people import robots_headers
from transparency.disclosures.queries import published_version_or_404
from transparency.printing import background, receipts, services
from transparency.printing import cache as print_cache
from transparency.printing.bulletin import bulletin_filename, bulletin_html
from transparency.printing.qr import qr_svg
from transparency.printing.services import PaperSize, TooLongToPrint
from transparency.printing.worker import PrintBusy, PrintError, PrintTimedOut, render_pdf

bp = Blueprint("printing", __name__)


@bp.record_once
def _defaults(state) -> None:
    app: Flask = state.app
    for key, value in {**services.DEFAULTS, **receipts.DEFAULTS, **background.DEFAULTS}.items():
        app.config.setdefault(key, value)
    background.init_app(app)  # publications queue their prints; a thread per process lays them out


def _rate_limit() -> str:
    return current_app.config["PRINT_RATE_LIMIT"]


@bp.get("/d/<int:disclosure_id>/v/<int:number>/print.pdf")
@limiter.limit(_rate_limit)
@public
def bulletin_pdf(disclosure_id: int, number: int):
    """The printable PDF of one published version. `size` is a4 (default) or a3.

    Answers 404 for an unpublished version, 400 for an unknown paper size, 413 for a table too
    long to print, 503 when rendering is too slow or fails — always with a message, never a 500.
    """
    try:
        size = PaperSize(request.args.get("size", "a4").lower())
    except ValueError:
        return render_error(400, _("纸张大小只能是 A4 或 A3。"))
    version = published_version_or_404(db.session, disclosure_id, number)
    # The copy the background renderer kept at publication (background.py), found without
    # building the page; only a print nobody has made yet is laid out now, while the villager waits.
    key = print_cache.published_key(db.session, version, size)
    pdf = print_cache.cached_pdf(key)
    if pdf is None:
        try:
            html = bulletin_html(db.session, version, size)
        except TooLongToPrint as error:
            return render_error(413, str(error))
        rendered = _render(html, f"disclosure {disclosure_id} v{number}")
        if not isinstance(rendered, bytes):
            return rendered
        pdf = rendered
        print_cache.keep_pdf(key, pdf)
    # A published version never changes, but "corrected by version n" may appear on it later.
    return _pdf(
        pdf, bulletin_filename(version), cache="public, max-age=300", headers=robots_headers(version.disclosure)
    )


def _tracking_limit() -> str:
    return current_app.config["TRACK_RATE_LIMIT"]


@bp.post("/complaints/receipt.pdf")
@limiter.limit(_tracking_limit)
@public
def matter_receipt():
    """回执 as a PDF. Number and code come in the POST body (never a URL), as on the tracking page.

    The code is printed only on the receipt made right after filing. A wrong number or code
    answers 422 with one message for both, and no PDF.
    """
    form = TrackForm()
    found = None
    if form.validate_on_submit():
        found = matter_services.find_by_tracking(db.session, form.number.data, form.code.data, viewer=g.account)
    if found is None:
        return render_error(422, _("受理编号或查询码不对，无法生成回执。"))
    matter, code = found
    track = receipts.track_url()
    html = render_template(
        "printing/receipt.html",
        matter=matter,
        code=codes.display_code(code) if receipts.code_may_be_printed(matter) else None,
        deadlines=deadlines(matter),
        rules={str(step): rule for step, rule in rules(matter.kind).items()},
        today=today(),
        track_url=track,
        qr=qr_svg(track, title=_("扫码打开查询进度页面")),
        page_counter=services.page_counter_css(),
    )
    filename = _("回执-%(number)s.pdf", number=matter.number)
    return pdf_response(html, filename, cache="no-store", what=f"receipt {matter.number}", download=True)


def pdf_response(
    html: str,
    filename: str,
    *,
    cache: str,
    what: str,
    download: bool = False,
    keep: bool = False,
    headers: dict[str, str] | None = None,
):
    """Render in the print process (or take the kept copy); a clear 503 page if that fails or takes too long.

    `headers` go on the PDF (`X-Robots-Tag` for a list of people)."""
    key = print_cache.cache_key(html) if keep else None
    pdf = print_cache.cached_pdf(key) if key else None
    if pdf is None:
        rendered = _render(html, what)
        if not isinstance(rendered, bytes):
            return rendered
        pdf = rendered
        if key:
            print_cache.keep_pdf(key, pdf)
    return _pdf(pdf, filename, cache=cache, download=download, headers=headers)


def _pdf(pdf: bytes, filename: str, *, cache: str, download: bool = False, headers: dict[str, str] | None = None):
    response = Response(pdf, mimetype="application/pdf")
    disposition = "attachment" if download else "inline"
    response.headers["Content-Disposition"] = f"{disposition}; filename*=UTF-8''{quote(filename)}"
    response.headers["Cache-Control"] = cache
    response.headers.update(headers or {})
    return response


def _render(html: str, what: str):
    config = current_app.config
    started = time.perf_counter()
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
        return _unavailable(_("生成打印文件超时：内容太长或服务器正忙。请稍后再试，或在网上查看。"))
    except PrintBusy:
        return _unavailable(_("服务器正在为其他人生成打印文件，请过一分钟再试。"))
    except PrintError:
        current_app.logger.exception("printing %s failed", what)
        return _unavailable(_("生成打印文件时出了问题。请稍后再试，或在网上查看。"))
    signals.pdf_rendered.send(None, kind=what.split()[0], seconds=time.perf_counter() - started)
    for url in rendered.refused:
        current_app.logger.warning("print of %s refused to fetch %s", what, url)
    return rendered.pdf


def _unavailable(message: str):
    body, status = render_error(503, message)
    return body, status, {"Retry-After": "60"}

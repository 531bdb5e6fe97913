"""/search (HTML) and /api/v1/search (JSON): the same query, filters and ranking."""

from __future__ import annotations

from flask import Blueprint, current_app, jsonify, render_template, request, url_for
from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from transparency.areas.models import Area, AreaLevel
from transparency.complaints.models import MatterKind
from transparency.core.db import db
from transparency.core.errors import render_error
from transparency.core.security import public
from transparency.disclosures.models import Category
from transparency.search import service
from transparency.search.base import Filters, OutdatedIndex
from transparency.search.documents import MATTER
from transparency.search.forms import SearchForm

bp = Blueprint("search", __name__)


def _form() -> SearchForm:
    form = SearchForm(formdata=request.args)
    areas = db.session.scalars(
        select(Area).where(Area.level != AreaLevel.COUNTY).options(selectinload(Area.parent)).order_by(Area.code)
    ).all()
    form.offer(
        [a for a in areas if a.level is AreaLevel.TOWNSHIP],
        [a for a in areas if a.level is AreaLevel.VILLAGE],
    )
    return form


def _filters(form: SearchForm) -> Filters:
    def number(value: str | None) -> int | None:
        return int(value) if value else None

    return Filters(
        township_id=number(form.township.data),
        village_id=number(form.village.data),
        category=form.category.data or None,
        year=number(form.year.data),
        kind=form.kind.data or None,
    )


def _run(form: SearchForm, *, names: bool) -> tuple[service.Outcome | None, str | None]:
    """The outcome, or a message for the visitor (bad filters, too long a query).

    `names`: people's names are searched too when the village filter is set (the page only,
    never the API: a script must not line up one person's payments across villages)."""
    if not form.validate():
        return None, _("筛选条件不对，请重新选择。")
    query = form.q.data or ""
    try:
        return (
            service.search(
                current_app,
                query,
                _filters(form),
                by_date=form.sort.data == "date",
                page=form.page.data or 1,
                names=names,
            ),
            None,
        )
    except service.QueryTooLong:
        return None, _("搜索词太长了，请不超过 %(n)s 个字。", n=service.MAX_QUERY_CHARS)


@bp.app_errorhandler(OutdatedIndex)
def outdated_index(error: OutdatedIndex):
    """An index left by an older release answers no search until `transparency search rebuild`:
    the visitor is told to come back, the operator what to run, and nobody sees a 500."""
    current_app.logger.error("search index is outdated: %s", error)
    message = _("搜索暂时不能使用：搜索索引正在更新，请稍后再试。")
    if request.path.startswith("/api/"):
        return jsonify(error=message, status=503), 503
    return render_error(503, message)


def result_url(kind: str, object_id: int) -> str:
    if kind == MATTER:
        return url_for("complaints.public_matter", matter_id=object_id)
    return url_for("disclosures.show", disclosure_id=object_id)


@bp.get("/search")
@public
def results():
    """Search published disclosures; filters, sorting, highlighted snippets and suggestions."""
    form = _form()
    outcome, message = _run(form, names=True) if request.args else (None, None)
    return render_template(
        "search/results.html",
        form=form,
        outcome=outcome,
        message=message,
        result_url=result_url,
        category_label=_category_label,
        page_url=_page_url,
        query_url=_query_url,
    ), (422 if message else 200)


def _page_url(page: int) -> str:
    return url_for("search.results", **{**request.args.to_dict(), "page": page})


def _query_url(query: str) -> str:
    """The same search (filters, sorting) for another query, from its first page."""
    arguments = {k: v for k, v in request.args.to_dict().items() if k != "page"}
    return url_for("search.results", **{**arguments, "q": query})


@bp.get("/api/v1/search")
@public
def api():
    """JSON hits with url, title, village, category, period, snippet and score; 400 with a message."""
    form = _form()
    outcome, message = _run(form, names=False)
    if message or outcome is None:
        return jsonify(error=message), 400
    return jsonify(
        query=outcome.query,
        total=outcome.total,
        page=outcome.page,
        pages=outcome.pages,
        hits=[
            {
                "url": result_url(r.hit.kind, r.hit.object_id),
                "title": r.hit.title,
                "village": r.hit.place,
                "category": r.hit.category,
                "category_label": _category_label(r.hit.category),
                "period": r.hit.period,
                "published_at": r.hit.published_at.isoformat() if r.hit.published_at else None,
                "snippet": r.snippet_text,
                "score": r.hit.score,
            }
            for r in outcome.results
        ],
        corrected=outcome.corrected,
        relaxed=outcome.relaxed.value if outcome.relaxed else None,
        suggestions={
            "without_filters": outcome.unfiltered_total,
            "related": outcome.related,
            "did_you_mean": outcome.corrected or outcome.suggestion,
        },
    )


def _category_label(value: str) -> str:
    """A disclosure's category, or a public matter's kind (群众反映 · 投诉)."""
    if value in {kind.value for kind in Category}:
        return Category(value).label
    if value in {kind.value for kind in MatterKind}:
        return _("群众反映 · %(kind)s", kind=MatterKind(value).label)
    return value

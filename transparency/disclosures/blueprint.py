"""Public pages of published disclosures: lists, a disclosure, its versions and their diffs, attachments."""

from __future__ import annotations

from urllib.parse import quote

from flask import Blueprint, Response, abort, g, render_template
from sqlalchemy.orm import selectinload

from transparency.core.db import db
from transparency.core.page_cache import cached_page
from transparency.core.page_revisions import ALL, DISCLOSURES
from transparency.core.security import public
from transparency.disclosures.access import may_view_unpublished
from transparency.disclosures.carry_over import CarryOverGap, gap_of
from transparency.disclosures.checks import compensation_rate_problems, subsidy_program_sums
from transparency.disclosures.models import Attachment, Disclosure, DisclosureVersion, VersionStatus
from transparency.disclosures.people import lists_people, robots_headers
from transparency.disclosures.periods import period_label
from transparency.disclosures.published_memo import kept_for_version
from transparency.disclosures.queries import published_disclosure_or_404, published_version_or_404
from transparency.disclosures.rendering import diff_versions
from transparency.disclosures.totals import LedgerTotals, ledger_totals

bp = Blueprint("disclosures", __name__)


@bp.app_template_global()
def disclosure_period(disclosure: Disclosure) -> str:
    return period_label(disclosure.period_kind, disclosure.period_start)


@bp.app_template_global()
def subsidy_sums(version: DisclosureVersion) -> dict[str, int]:
    return subsidy_program_sums(version.subsidy_rows)


@bp.app_template_global("lists_people")
def lists_people_global(disclosure: Disclosure) -> bool:
    """For `<meta name="robots" content="noindex">` on pages that list people by name."""
    return lists_people(disclosure)


@bp.app_template_global("carry_over_gap")
def carry_over_gap_global(version: DisclosureVersion) -> CarryOverGap | None:
    """期初与上期期末不符, shown beside a ledger's balance box (public page, staff page, print)."""
    return gap_of(db.session, version)


@bp.app_template_global("compensation_rate_problems")
def compensation_rate_problems_global(version: DisclosureVersion) -> list[str]:
    """Rows whose amounts are not area × the project's rate (empty when every row checks out)."""
    return compensation_rate_problems(version, version.compensation_rows)


@bp.app_template_global("ledger_totals")
def ledger_totals_global(version: DisclosureVersion) -> LedgerTotals:
    """Added up once per published version (its rows are then not loaded again)."""
    return kept_for_version(version, "ledger-totals", lambda: ledger_totals(version), by_language=False)


def _published(**_view_args: object) -> list[str]:
    return [ALL, DISCLOSURES]


@bp.get("/d/<int:disclosure_id>")
@public
@cached_page(_published)
def show(disclosure_id: int):
    """The current published version of a disclosure, with who drafted, approved and published it."""
    disclosure = published_disclosure_or_404(db.session, disclosure_id)
    return _render_version(disclosure, disclosure.current)


@bp.get("/d/<int:disclosure_id>/v/<int:number>")
@public
@cached_page(_published)
def version(disclosure_id: int, number: int):
    """An earlier (or the current) published version; every one stays readable."""
    chosen = published_version_or_404(db.session, disclosure_id, number)
    return _render_version(chosen.disclosure, chosen)


@bp.get("/d/<int:disclosure_id>/v/<int:number>/diff")
@public
@cached_page(_published)
def diff(disclosure_id: int, number: int):
    """What changed from version `number` to the next published version."""
    disclosure = published_disclosure_or_404(db.session, disclosure_id)
    published = disclosure.published_versions
    index = next((i for i, v in enumerate(published) if v.number == number), None)
    if index is None or index + 1 >= len(published):
        abort(404)
    older, newer = published[index], published[index + 1]
    return render_template(
        "disclosures/diff.html",
        disclosure=disclosure,
        older=older,
        newer=newer,
        lines=diff_versions(older, newer),
    )


def _render_version(disclosure: Disclosure, shown: DisclosureVersion):
    return render_template(
        "disclosures/show.html",
        disclosure=disclosure,
        version=shown,
        village=disclosure.village,
        is_current=shown is disclosure.current,
    )


@bp.get("/attachments/<int:attachment_id>")
@public
def attachment(attachment_id: int):
    """An attachment's bytes, if its version is published or the visitor may see the draft."""
    item = db.session.get(Attachment, attachment_id, options=[selectinload(Attachment.blob)])
    if item is None:
        abort(404)
    owner = db.session.get(DisclosureVersion, item.version_id)
    assert owner is not None
    if owner.status is not VersionStatus.PUBLISHED and not may_view_unpublished(
        g.get("account"), owner.disclosure.village
    ):
        abort(404)
    disposition = "inline" if item.is_image else "attachment"
    response = Response(item.blob.data, mimetype=item.media_type)
    response.headers["Content-Disposition"] = f"{disposition}; filename*=UTF-8''{quote(item.filename)}"
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Content-Security-Policy"] = "default-src 'none'; frame-ancestors 'none'; sandbox"
    response.headers["Cache-Control"] = "private, max-age=3600"
    response.headers.update(robots_headers(owner.disclosure))  # a scan of a signed list names people
    return response

"""No pages of its own: makes the disclosure charts available to every template."""

from __future__ import annotations

from flask import Blueprint

from transparency.charts.figures import BarChart
from transparency.charts.finance import version_charts
from transparency.disclosures.models import Disclosure, DisclosureVersion
from transparency.disclosures.published_memo import kept_for_version

bp = Blueprint("charts", __name__)


@bp.app_template_global("version_charts")
def version_charts_global(disclosure: Disclosure, version: DisclosureVersion) -> list[BarChart]:
    """Built once per published version and language (its rows are then not loaded again)."""
    kept = kept_for_version(version, "charts", lambda: tuple(version_charts(disclosure, version)), by_language=True)
    return list(kept)

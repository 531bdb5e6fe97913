"""The bulletin sheet of one published version as HTML, the same for the view and the renderer.

The print view (blueprint.py) and the background renderer (background.py) both lay out exactly
this page, so a copy the renderer kept is the copy the view would have made.

Raises: TooLongToPrint.
"""

from __future__ import annotations

from dataclasses import replace

from flask import render_template
from flask_babel import gettext as _
from sqlalchemy.orm import Session

from transparency.charts.figures import PRINT_WIDTH
from transparency.charts.finance import version_charts
from transparency.disclosures.models import DisclosureVersion
from transparency.disclosures.periods import period_label
from transparency.printing import services
from transparency.printing.qr import qr_svg
from transparency.printing.services import PaperSize


def bulletin_html(session: Session, version: DisclosureVersion, size: PaperSize) -> str:
    """The sheet's HTML, with every table loaded. Raises TooLongToPrint."""
    version = services.with_printed_tables(session, version)
    services.ensure_printable(version)
    disclosure = version.disclosure
    online = services.notice_url(version)
    return render_template(
        "printing/bulletin.html",
        disclosure=disclosure,
        version=version,
        village=disclosure.village,
        period=period_label(disclosure.period_kind, disclosure.period_start),
        size=size,
        page_counter=services.page_counter_css(),
        online_url=online,
        qr=qr_svg(online, title=_("扫码查看网上公示")),
        record=services.publication_record(session, version),
        charts=[replace(chart, width=PRINT_WIDTH) for chart in version_charts(disclosure, version)],
        newest=disclosure.current,
    )


def bulletin_filename(version: DisclosureVersion) -> str:
    disclosure = version.disclosure
    return _(
        "%(village)s-%(category)s-%(period)s-第%(n)s版.pdf",
        village=disclosure.village.name,
        category=disclosure.category.label,
        period=period_label(disclosure.period_kind, disclosure.period_start),
        n=version.number,
    )

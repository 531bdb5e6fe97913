"""No pages of its own: makes the disclosure charts available to every template."""

from __future__ import annotations

from flask import Blueprint

from transparency.charts.finance import version_charts

bp = Blueprint("charts", __name__)
bp.add_app_template_global(version_charts)

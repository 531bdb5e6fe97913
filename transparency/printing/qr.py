"""QR codes (segno) as inline SVG: printed disclosures carry their online address this way.

segno is imported by the first print, not with the app: a tenth of a second at start-up (issue 16).
"""

from __future__ import annotations

from markupsafe import Markup


def qr_svg(url: str, *, title: str) -> Markup:
    """An SVG QR code for `url`, sized by CSS (class "qr"), with the four-module quiet zone
    phone scanners need. Error correction level M survives a crease or a drawing pin."""
    import segno

    code = segno.make(url, error="m", micro=False)
    return Markup(code.svg_inline(scale=1, border=4, omitsize=True, svgclass="qr", title=title))

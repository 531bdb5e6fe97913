"""HTML → PDF with WeasyPrint, in the current process. Imported by the print worker process,
never by the web process (WeasyPrint and its fonts cost a second and tens of MB to load).

Fonts are loaded once, when the forkserver imports this module, before any child caps its memory:
fontconfig starting inside a capped child cannot map its caches, rescans the font folders, fails to
open the fonts and writes caches that say the folders are empty, for every process on the machine.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from weasyprint import HTML
from weasyprint.text.fonts import FontConfiguration

from transparency.printing.fetcher import StaticOnlyFetcher


@dataclass(frozen=True)
class Rendered:
    pdf: bytes
    pages: int
    asked: tuple[tuple[str, bool], ...]  # every URL the document requested, and whether it was served

    @property
    def refused(self) -> list[str]:
        return [url for url, served in self.asked if not served]


def html_to_pdf(html: str, *, base_url: str, static_root: str | Path) -> Rendered:
    """Render `html` (relative URLs resolve against `base_url`) with the static-only fetcher."""
    fetcher = StaticOnlyFetcher(base_url, static_root)
    document = HTML(string=html, base_url=base_url, url_fetcher=fetcher).render(font_config=FONTS)
    return Rendered(pdf=document.write_pdf(), pages=len(document.pages), asked=tuple(fetcher.asked))


def _loaded_fonts() -> FontConfiguration:
    fonts = FontConfiguration()
    # Laying out a line of Chinese makes fontconfig and Pango open the CJK face now, uncapped.
    HTML(string="<p>村务公开 2026</p>").render(font_config=fonts)
    return fonts


FONTS = _loaded_fonts()

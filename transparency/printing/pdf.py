"""HTML → PDF with WeasyPrint, in the current process. Imported by the print worker process,
never by the web process (WeasyPrint and its fonts cost a second and tens of MB to load).

Fonts are loaded once, when the forkserver imports this module, before any child caps its memory:
fontconfig starting inside a capped child cannot map its caches, rescans the font folders, fails to
open the fonts and writes caches that say the folders are empty, for every process on the machine.

Memory (issue 16, target 6): WeasyPrint 70 copies each font file it embeds into a Python bytes
object before subsetting it — the Noto CJK collection is 19–20 MB a face, so regular and bold
cost about 40 MB copied plus the 40 MB of mapped file the copy reads through: a third of an
800-row render's peak. HarfBuzz subsets from its own face and never needs that copy, so while a
font is being set up for the PDF (`Font.__init__`) the face's data is handed over as a view of
the memory HarfBuzz already holds (the mapped file); only the pages the subsetter reads are
touched. The PDF is byte for byte the same (tests/printing/test_memory.py).
"""

from __future__ import annotations

import threading
from pathlib import Path

from weasyprint import HTML
from weasyprint.pdf import fonts as pdf_fonts
from weasyprint.text.ffi import ffi, harfbuzz
from weasyprint.text.fonts import FontConfiguration

from transparency.printing.fetcher import StaticOnlyFetcher
from transparency.printing.rendered import Rendered


def html_to_pdf(html: str, *, base_url: str, static_root: str | Path) -> Rendered:
    """Render `html` (relative URLs resolve against `base_url`) with the static-only fetcher."""
    fetcher = StaticOnlyFetcher(base_url, static_root)
    document = HTML(string=html, base_url=base_url, url_fetcher=fetcher).render(font_config=FONTS)
    pdf = document.write_pdf()
    return Rendered(pdf=pdf, pages=len(document.pages), asked=tuple(fetcher.asked), peak_bytes=peak_bytes())


def peak_bytes() -> int:
    """This process's peak resident memory (Linux's VmHWM), 0 where /proc does not say."""
    try:
        with open("/proc/self/status") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    return 0


_setting_up_font = threading.local()
_face_blobs: list[object] = []  # referenced for the life of the process, as the fonts are


def _face_data_in_place(hb_object, ot_color=None, glyph=None):  # noqa: ANN001, ANN202 (WeasyPrint's signature)
    """WeasyPrint's `get_hb_object_data`, but a font face's whole file as a view, never a copy."""
    if ot_color is not None or not getattr(_setting_up_font, "active", False):
        return _copied_data(hb_object, ot_color, glyph)
    blob = harfbuzz.hb_face_reference_blob(hb_object)
    _face_blobs.append(blob)
    length = ffi.new("unsigned int *")
    data = harfbuzz.hb_blob_get_data(blob, length)
    return None if data == ffi.NULL else memoryview(ffi.buffer(data, int(length[0])))


def _font_set_up_in_place(self, *args, **kwargs):  # noqa: ANN001, ANN202
    _setting_up_font.active = True
    try:
        _original_font_init(self, *args, **kwargs)
    finally:
        _setting_up_font.active = False


def _cleaned_to_bytes(self, *args, **kwargs):  # noqa: ANN001, ANN202
    """After subsetting, the font is its own small bytes; a font left whole (nothing subset, a
    subsetter that failed) is copied now, as WeasyPrint would have, so the PDF always gets bytes."""
    _original_font_clean(self, *args, **kwargs)
    if isinstance(self.file_content, memoryview):
        self.file_content = self.file_content.tobytes()


_copied_data = pdf_fonts.get_hb_object_data
_original_font_init = pdf_fonts.Font.__init__
_original_font_clean = pdf_fonts.Font.clean
pdf_fonts.get_hb_object_data = _face_data_in_place
pdf_fonts.Font.__init__ = _font_set_up_in_place
pdf_fonts.Font.clean = _cleaned_to_bytes


def _loaded_fonts() -> FontConfiguration:
    fonts = FontConfiguration()
    # Laying out a line of Chinese makes fontconfig and Pango open the CJK face now, uncapped.
    HTML(string="<p>村务公开 2026</p>").render(font_config=fonts)
    return fonts


FONTS = _loaded_fonts()

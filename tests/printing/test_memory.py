"""An 800-row render must fit in 250 MB (issue 16, target 6): the embedded fonts are subset from
the file HarfBuzz already holds, never from a copy of it — and the PDF is the same to the byte."""

from __future__ import annotations

from weasyprint.pdf import fonts as pdf_fonts

from transparency.printing import pdf

SHEET = "<html><body><h1>村务公开</h1><p>2026 年 <b>第一季度</b> <code>2501-001</code></p></body></html>"


def _render() -> bytes:
    return pdf.html_to_pdf(SHEET, base_url="http://localhost/", static_root="static").pdf


def test_a_font_set_up_for_the_pdf_is_not_a_copy_of_its_file(monkeypatch):
    seen = []
    real = pdf._original_font_init

    def watching(self, *args, **kwargs):
        real(self, *args, **kwargs)
        seen.append(type(self.file_content))

    monkeypatch.setattr(pdf, "_original_font_init", watching)
    _render()
    assert seen and all(kind is memoryview for kind in seen)


def test_the_pdf_is_the_same_as_with_the_copied_font_files(monkeypatch):
    in_place = _render()
    monkeypatch.setattr(pdf_fonts, "get_hb_object_data", pdf._copied_data)
    assert _render() == in_place


def test_a_font_left_whole_still_reaches_the_pdf_as_bytes(monkeypatch):
    monkeypatch.setattr(pdf_fonts.Font, "subset", lambda self, to_unicode, hinting: None)
    whole = _render()
    assert whole.startswith(b"%PDF-") and b"<memory at" not in whole
    assert len(whole) > 1_000_000  # the whole CJK face is embedded, as WeasyPrint would without a subsetter


def test_the_render_reports_the_peak_memory_of_its_process():
    assert pdf.html_to_pdf(SHEET, base_url="http://localhost/", static_root="static").peak_bytes > 0

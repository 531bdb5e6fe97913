"""What a rendering sends back from the print worker's child process: the PDF and what it asked for.

Its own module, apart from pdf.py, because the web process unpickles it: a class defined in
pdf.py would make every worker that received a print import WeasyPrint and its fonts (about
25 MB each, issue 16) just to rebuild the answer.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Rendered:
    pdf: bytes
    pages: int
    asked: tuple[tuple[str, bool], ...]  # every URL the document requested, and whether it was served
    peak_bytes: int = 0  # the most memory the rendering process held (VmHWM), 0 where unknown

    @property
    def refused(self) -> list[str]:
        return [url for url, served in self.asked if not served]

"""Rendering a PDF in a child process, with a time limit and a memory cap.

WeasyPrint is pure Python and cannot be interrupted from inside: a disclosure it finds hard (a huge
table, text it must shape glyph by glyph) would hold a web worker for as long as it takes. So
each rendering runs through the shared bounded runner (transparency/core/limits.py), in a child
forked from a `forkserver` that has WeasyPrint and its fonts loaded already. The parent waits at
most `time_limit` seconds, then kills the child; the child cannot take more memory than
`memory_limit` bytes. A few renderings at a time per web process, in their own pool of slots;
more callers wait briefly, then get a clear "busy" answer instead of piling up.

Raises: PrintTimedOut, PrintFailed, PrintBusy (all PrintError).
"""

from __future__ import annotations

from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

from transparency.core.limits import Limits, WorkBusy, WorkFailed, WorkTimedOut, register_preload, run_bounded

if TYPE_CHECKING:
    from transparency.printing.rendered import Rendered

WORKER_MODULE = "transparency.printing.pdf"
BACKGROUND_NICENESS = 10

# Registered when the print blueprint is imported, before the forkserver starts: the fonts must
# be loaded there, never inside a capped child (see transparency/printing/pdf.py).
register_preload(WORKER_MODULE)


class PrintError(Exception):
    """The PDF could not be made; the message says why, for the visitor."""


class PrintTimedOut(PrintError):
    pass


class PrintFailed(PrintError):
    pass


class PrintBusy(PrintError):
    pass


def render_pdf(
    html: str,
    *,
    base_url: str,
    static_root: str | Path,
    time_limit: float,
    memory_limit: int,
    concurrency: int = 2,
    background: bool = False,
) -> Rendered:
    """The PDF of `html`, made in a child process. Raises PrintTimedOut, PrintFailed, PrintBusy.

    A `background` render (nobody waiting for it) has its own slot and runs at a lower CPU
    priority than the visitors' requests."""
    limits = Limits(
        time_limit=time_limit,
        memory_limit=memory_limit,
        concurrency=concurrency,
        pool="print-background" if background else "print",
        niceness=BACKGROUND_NICENESS if background else 0,
    )
    work = partial(_render, html, base_url=str(base_url), static_root=str(static_root))
    try:
        return run_bounded(work, limits=limits, preload=[WORKER_MODULE])
    except WorkTimedOut as error:
        raise PrintTimedOut(str(error)) from None
    except WorkBusy as error:
        raise PrintBusy(str(error)) from None
    except WorkFailed as error:
        raise PrintFailed(str(error)) from None


def _render(html: str, *, base_url: str, static_root: str) -> Rendered:
    """Runs in the child."""
    from transparency.printing.pdf import html_to_pdf

    return html_to_pdf(html, base_url=base_url, static_root=static_root)

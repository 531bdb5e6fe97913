"""Rendering a PDF in a child process, with a time limit and a memory cap.

WeasyPrint is pure Python and cannot be interrupted from inside: a disclosure it finds hard (a huge
table, text it must shape glyph by glyph) would hold a web worker for as long as it takes. So
each rendering runs in a child process, forked from a `forkserver` that has WeasyPrint loaded
already (a fork costs milliseconds; a fresh interpreter would cost a second). The parent waits
at most `time_limit` seconds, then kills the child; the child cannot take more memory than
`memory_limit` bytes. A few renderings at a time per web process; more callers wait briefly,
then get a clear "busy" answer instead of piling up.
"""

from __future__ import annotations

import multiprocessing
import resource
import threading
from multiprocessing.connection import Connection
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from transparency.printing.pdf import Rendered

WORKER_MODULE = "transparency.printing.pdf"


class PrintError(Exception):
    """The PDF could not be made; the message says why, for the visitor."""


class PrintTimedOut(PrintError):
    pass


class PrintFailed(PrintError):
    pass


class PrintBusy(PrintError):
    pass


_lock = threading.Lock()
_slots: dict[int, threading.BoundedSemaphore] = {}


def _context() -> multiprocessing.context.BaseContext:
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload([WORKER_MODULE])  # takes effect when the server first starts
    return context


def _slot(concurrency: int) -> threading.BoundedSemaphore:
    with _lock:
        return _slots.setdefault(concurrency, threading.BoundedSemaphore(concurrency))


def render_pdf(
    html: str,
    *,
    base_url: str,
    static_root: str | Path,
    time_limit: float,
    memory_limit: int,
    concurrency: int = 2,
) -> Rendered:
    """The PDF of `html`, made in a child process. Raises PrintTimedOut, PrintFailed, PrintBusy."""
    slot = _slot(concurrency)
    if not slot.acquire(timeout=time_limit):
        raise PrintBusy(f"all {concurrency} print slots stayed busy for {time_limit} s")
    try:
        return _render_in_child(html, str(base_url), str(static_root), time_limit, memory_limit)
    finally:
        slot.release()


def _render_in_child(html: str, base_url: str, static_root: str, time_limit: float, memory_limit: int) -> Rendered:
    context = _context()
    receiver, sender = context.Pipe(duplex=False)
    child = context.Process(
        target=_child_main, args=(sender, html, base_url, static_root, memory_limit), name="print-pdf", daemon=True
    )
    child.start()
    sender.close()
    try:
        if not receiver.poll(time_limit):
            raise PrintTimedOut(f"rendering took longer than {time_limit} s")
        try:
            outcome, value = receiver.recv()
        except EOFError:
            raise PrintFailed("the print process ended without an answer") from None
    finally:
        receiver.close()
        if child.is_alive():
            child.kill()
        child.join(5)
        child.close()
    if outcome != "ok":
        raise PrintFailed(value)
    return value


def _child_main(sender: Connection, html: str, base_url: str, static_root: str, memory_limit: int) -> None:
    """Runs in the child: cap memory, render, send back ("ok", Rendered) or ("error", reason)."""
    resource.setrlimit(resource.RLIMIT_AS, (memory_limit, memory_limit))
    try:
        from transparency.printing.pdf import html_to_pdf

        sender.send(("ok", html_to_pdf(html, base_url=base_url, static_root=static_root)))
    except MemoryError:
        sender.send(("error", "out of memory"))
    except Exception as error:  # the parent turns any failure into a message for the visitor
        sender.send(("error", f"{type(error).__name__}: {error}"[:500]))
    finally:
        sender.close()

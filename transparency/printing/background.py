"""The background renderer: lays out the prints a publication queued, one at a time per machine.

Each web process runs one daemon thread, started by its first request (a forking server forks
before any request, so every worker gets its own) and woken right after a transaction that
queued a print commits; it also looks at the table every PRINT_RENDER_POLL_SECONDS, which is how
rows left by a restart or waiting for a retry are picked up. Every renderer of the machine —
all workers' threads and `transparency printing work` — first takes an exclusive lock on a file
in the instance folder (fcntl.flock): whoever holds it renders, the others skip their turn, so
the CPU the visitors need is never taken by two layouts at once.

The layout itself runs in the print worker's capped child process (worker.py), with its own
time limit (no gunicorn timeout applies here), inside a request context on the site's own
address, so the HTML is the print view's and the copy is kept under the view's key
(cache.published_key). A row is deleted only after its copy is on disk; a failed render keeps
it, with the reason, until a later try (queue.failed). PRINT_BACKGROUND = False leaves the
rows to `transparency printing work` (a timer, or by hand).
"""

from __future__ import annotations

import fcntl
import logging
import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from flask import Flask, current_app, has_request_context, request_finished
from sqlalchemy import event
from sqlalchemy.orm import Session

from transparency.core.hosts import allowed_hosts
from transparency.disclosures.models import DisclosureVersion, VersionStatus
from transparency.printing import cache, queue, subscriptions
from transparency.printing.bulletin import bulletin_html
from transparency.printing.models import PendingRender
from transparency.printing.services import TooLongToPrint, public_base_url
from transparency.printing.worker import render_pdf

log = logging.getLogger(__name__)

DEFAULTS = {
    "PRINT_BACKGROUND": True,  # a thread in each web process renders what publications queue
    "PRINT_RENDER_POLL_SECONDS": 60,  # how often an idle renderer looks for due rows
    # A background layout keeps no visitor waiting: it may take longer than the view's limit.
    "PRINT_RENDER_TIME_LIMIT": 300,
    "PRINT_RETRY_SECONDS": 60,  # the first retry after a failure; doubled each time
    "PRINT_RETRY_MAX_SECONDS": 6 * 3600,
}
LOCK_FILE = "print-render.lock"
_QUEUED = "print_renders_queued"


@contextmanager
def machine_lock(app: Flask) -> Iterator[bool]:
    """Yields True when this caller holds the machine's render lock (never waits for it)."""
    folder = Path(app.instance_path)
    folder.mkdir(parents=True, exist_ok=True)
    handle = os.open(folder / LOCK_FILE, os.O_RDWR | os.O_CREAT, 0o600)
    try:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            yield False
        else:
            yield True
    finally:
        os.close(handle)  # closing the descriptor releases the lock


@dataclass
class Drained:
    rendered: int = 0
    failed: int = 0
    dropped: int = 0  # nothing left to print (no longer published, too long): the view says why
    busy: bool = False  # another renderer of this machine holds the lock


def drain(app: Flask) -> Drained:
    """Render every due row, one after another, if no other renderer of the machine is at it."""
    outcome = Drained()
    with machine_lock(app) as mine:
        if not mine:
            outcome.busy = True
            return outcome
        lease = float(app.config["PRINT_RENDER_TIME_LIMIT"]) * 2
        while True:
            with app.extensions["database"].writers() as session:
                claimed = queue.claim_next(session, lease=lease)
            if claimed is None:
                return outcome
            _render_claimed(app, claimed, outcome)


def _render_claimed(app: Flask, claimed: queue.Claimed, outcome: Drained) -> None:
    try:
        kept = _render_and_keep(app, claimed)
    except Exception as error:  # any failure keeps the row: logged, retried later
        with app.extensions["database"].writers() as session:
            retry_at = queue.failed(
                session,
                claimed,
                f"{type(error).__name__}: {error}",
                base_delay=float(app.config["PRINT_RETRY_SECONDS"]),
                max_delay=float(app.config["PRINT_RETRY_MAX_SECONDS"]),
            )
        log.warning(
            "background print of version %s (%s) failed, attempt %s; next try at %s",
            claimed.version_id,
            claimed.size,
            claimed.attempts + 1,
            retry_at.isoformat(),
            exc_info=True,
        )
        outcome.failed += 1
        return
    with app.extensions["database"].writers() as session:
        queue.done(session, claimed)
    if kept:
        outcome.rendered += 1
    else:
        log.info(
            "the %s print of version %s is not kept (not published, too long, or keeping is off); row removed",
            claimed.size,
            claimed.version_id,
        )
        outcome.dropped += 1


def _render_and_keep(app: Flask, claimed: queue.Claimed) -> bool:
    """Lay out and keep one print; False when there is nothing to keep. Raises on failure."""
    with app.test_request_context("/", base_url=site_address(app)), app.extensions["database"].readers() as session:
        version = session.get(DisclosureVersion, claimed.version_id)
        if version is None or version.status is not VersionStatus.PUBLISHED or not cache.enabled():
            return False
        key = cache.published_key(session, version, claimed.size)
        if cache.has_copy(key):
            return True  # the view got there first (a villager printed it already)
        try:
            html = bulletin_html(session, version, claimed.size)
        except TooLongToPrint:
            return False
        rendered = render_pdf(
            html,
            base_url=public_base_url(),
            static_root=app.static_folder or "",
            time_limit=float(app.config["PRINT_RENDER_TIME_LIMIT"]),
            memory_limit=app.config["PRINT_MEMORY_LIMIT"],
            concurrency=1,
            background=True,
        )
        cache.keep_pdf(key, rendered.pdf)
        log.info(
            "kept the %s print of version %s: %s pages, peak %s MB",
            claimed.size,
            claimed.version_id,
            rendered.pages,
            round(rendered.peak_bytes / 2**20),
        )
        return True


def site_address(app: Flask) -> str:
    """The address the renderer pretends to be asked on: the public one, else the first allowed host."""
    if app.config.get("PUBLIC_BASE_URL"):
        return app.config["PUBLIC_BASE_URL"]
    hosts = [host.lstrip(".") for host in allowed_hosts(app.config)]
    return f"http://{hosts[0]}/" if hosts else "http://localhost/"


@dataclass
class _Renderer:
    pid: int = 0
    thread: threading.Thread | None = None
    wake: threading.Event = field(default_factory=threading.Event)
    stopping: threading.Event = field(default_factory=threading.Event)
    lock: threading.Lock = field(default_factory=threading.Lock)
    stopped: bool = False  # by stop(): a process shutting down starts no renderer again


def ensure_running(app: Flask) -> _Renderer:
    """This process's renderer thread, started if it is not running (a forked worker starts its own)."""
    renderer: _Renderer = app.extensions["print_renderer"]
    with renderer.lock:
        if renderer.stopped and renderer.pid == os.getpid():
            return renderer
        if renderer.pid != os.getpid() or renderer.thread is None or not renderer.thread.is_alive():
            renderer.pid, renderer.wake, renderer.stopping = os.getpid(), threading.Event(), threading.Event()
            renderer.thread = threading.Thread(
                target=_run, args=(app, renderer.wake, renderer.stopping), name="print-renderer", daemon=True
            )
            renderer.thread.start()
    return renderer


def stop(app: Flask, timeout: float = 30) -> None:
    """Let this process's renderer finish the print it is at, and end for good (tests; a clean
    shutdown): later requests of this process start none. A forked child starts its own."""
    renderer: _Renderer = app.extensions["print_renderer"]
    with renderer.lock:
        renderer.stopped, renderer.pid = True, os.getpid()
    renderer.stopping.set()
    renderer.wake.set()
    if renderer.thread is not None and renderer.pid == os.getpid():
        renderer.thread.join(timeout)


def _run(app: Flask, wake: threading.Event, stopping: threading.Event) -> None:
    poll = float(app.config["PRINT_RENDER_POLL_SECONDS"])
    while not stopping.is_set():
        try:
            drain(app)
        except Exception:  # the database is away, the disk full: the rows stay, try again later
            log.exception("background printing stopped for now; pending prints stay queued")
        wake.wait(poll)
        wake.clear()


def _after_request(sender: Flask, **_extra: object) -> None:
    if sender.config["PRINT_BACKGROUND"]:
        ensure_running(sender)


def _note_queued(session: Session, _context: object, _instances: object) -> None:
    if any(isinstance(item, PendingRender) for item in session.new):
        session.info[_QUEUED] = True


def _wake_after_commit(session: Session) -> None:
    if not session.info.pop(_QUEUED, False) or not has_request_context():
        return  # the CLI (the demo data, an import) leaves its rows to the web processes
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    if app.config["PRINT_BACKGROUND"]:
        ensure_running(app).wake.set()


def _forget_on_rollback(session: Session, _previous: object) -> None:
    session.info.pop(_QUEUED, None)


def init_app(app: Flask) -> None:
    """The subscription, the session hooks that wake the renderer, and its thread per process."""
    app.extensions["print_renderer"] = _Renderer()
    subscriptions.connect()
    for name, listener in (
        ("before_flush", _note_queued),
        ("after_commit", _wake_after_commit),
        ("after_soft_rollback", _forget_on_rollback),
    ):
        if not event.contains(Session, name, listener):
            event.listen(Session, name, listener)
    request_finished.connect(_after_request, app)

"""Running expensive work in a child process, with a time limit and a memory cap.

The mechanism is the print worker's (transparency/printing/worker.py), made generic so that
uploads can use it without importing printing: the work runs in a child forked from a
`forkserver` (a fork costs milliseconds; the modules named in `preload` are loaded there once),
the child's address space is capped with `resource.setrlimit(RLIMIT_AS)`, and the parent waits
at most `time_limit` seconds, then kills it. Only a few children run at a time per web process;
more callers wait briefly, then get `WorkBusy` instead of piling up.

Pure Python (or a C library that never returns) cannot be interrupted from inside the process
that runs it, and a decoder asked for a 240 MB image simply allocates it: the only bound that
holds is the operating system's, on a process that can be killed.

`target` must be importable by name (a module-level function, or a `functools.partial` of one
for keyword arguments); its arguments and its result travel through a pipe, so they must
pickle. Exceptions the caller expects (`passes`) come back and are raised again in the parent;
any other failure becomes WorkFailed.

The print renderer (transparency/printing/worker.py) and the upload checks
(transparency/core/uploads.py, pdf_safety.py) share this loop and one forkserver. The server
is started once, at the first child, with the modules registered so far; a module registered
later is imported inside each capped child instead, which is slow and, for the print fonts,
harmful. So each user registers its module when it is imported (`register_preload`), which
the app factory does for all of them before any request.

Raises: WorkTimedOut, WorkOutOfMemory, WorkFailed, WorkBusy (all WorkLimitError).
"""

from __future__ import annotations

import multiprocessing
import os
import resource
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from multiprocessing.connection import Connection
from typing import Any, TypeVar

T = TypeVar("T")


class WorkLimitError(Exception):
    """The work was stopped or could not start; the message is for the log, not the visitor."""


class WorkTimedOut(WorkLimitError):
    pass


class WorkFailed(WorkLimitError):
    pass


class WorkOutOfMemory(WorkFailed):
    pass


class WorkBusy(WorkLimitError):
    pass


@dataclass(frozen=True)
class Limits:
    """How long one piece of work may take (seconds), how much address space it may hold (bytes),
    and how many may run at once in one web process, per `pool` (printing never takes the
    uploads' slots, nor the other way round)."""

    time_limit: float
    memory_limit: int
    concurrency: int = 2
    pool: str = "default"
    niceness: int = 0  # added to the child's nice value: work nobody waits for yields the CPU


_lock = threading.Lock()
_slots: dict[tuple[str, int], threading.BoundedSemaphore] = {}
_preload: set[str] = set()


def register_preload(*modules: str) -> None:
    """Have the forkserver load `modules` when it starts (call at import, before any child)."""
    _context(modules)


def _context(preload: Iterable[str]) -> multiprocessing.context.BaseContext:
    """The forkserver context; modules asked for before the server first starts are preloaded.

    The preload list is process-wide, so it only ever grows: a caller never drops another's module.
    """
    context = multiprocessing.get_context("forkserver")
    with _lock:
        wanted = _preload | set(preload)
        if wanted != _preload:
            _preload.update(wanted)
            context.set_forkserver_preload(sorted(_preload))  # takes effect when the server first starts
    return context


def _slot(pool: str, concurrency: int) -> threading.BoundedSemaphore:
    with _lock:
        return _slots.setdefault((pool, concurrency), threading.BoundedSemaphore(concurrency))


def run_bounded(
    target: Callable[..., T],
    *args: Any,
    limits: Limits,
    passes: tuple[type[BaseException], ...] = (),
    preload: Iterable[str] = (),
) -> T:
    """`target(*args)`, computed in a child process within `limits`.

    Raises WorkTimedOut, WorkOutOfMemory, WorkFailed, WorkBusy; or an exception of a type in
    `passes` that `target` raised.
    """
    slot = _slot(limits.pool, limits.concurrency)
    if not slot.acquire(timeout=limits.time_limit):
        raise WorkBusy(f"all {limits.concurrency} slots stayed busy for {limits.time_limit} s")
    try:
        return _run_in_child(target, args, limits, passes, preload)
    finally:
        slot.release()


def _run_in_child(
    target: Callable[..., T],
    args: tuple[Any, ...],
    limits: Limits,
    passes: tuple[type[BaseException], ...],
    preload: Iterable[str],
) -> T:
    context = _context(preload)
    receiver, sender = context.Pipe(duplex=False)
    child = context.Process(
        target=_child_main,
        args=(sender, target, args, limits.memory_limit, passes, limits.niceness),
        name=f"bounded-{getattr(target, '__name__', 'work')}",
        daemon=True,
    )
    child.start()
    sender.close()
    try:
        if not receiver.poll(limits.time_limit):
            raise WorkTimedOut(f"the work took longer than {limits.time_limit} s")
        try:
            outcome, value = receiver.recv()
        except EOFError:
            raise WorkFailed("the child process ended without an answer") from None
    finally:
        receiver.close()
        if child.is_alive():
            child.kill()
        child.join(5)
        child.close()
    if outcome == "ok":
        return value
    if outcome == "raised":
        raise value
    if outcome == "memory":
        raise WorkOutOfMemory(value)
    raise WorkFailed(value)


def _child_main(
    sender: Connection,
    target: Callable[..., Any],
    args: tuple[Any, ...],
    memory_limit: int,
    passes: tuple[type[BaseException], ...],
    niceness: int = 0,
) -> None:
    """Runs in the child: cap memory, work, send back ("ok", result) or why not."""
    resource.setrlimit(resource.RLIMIT_AS, (memory_limit, memory_limit))
    if niceness:
        os.nice(niceness)
    try:
        sender.send(("ok", target(*args)))
    except MemoryError:
        sender.send(("memory", "out of memory"))
    except passes as error:
        try:
            sender.send(("raised", error))
        except Exception:  # an exception that does not pickle still gets its message home
            sender.send(("error", f"{type(error).__name__}: {error}"[:500]))
    except Exception as error:  # the parent turns any other failure into WorkFailed
        sender.send(("error", f"{type(error).__name__}: {error}"[:500]))
    finally:
        sender.close()


# Uploads (issue 12, point 8): image cleaning and PDF checks. Far below the print worker's
# 25 s / 1.5 GB, because anyone may upload: a 16-megapixel photo decodes, turns upright and is
# scaled down in well under a second and about 200 MB (four copies of 64 MB at most), and a
# scanned PDF of a few hundred pages is walked by qpdf in well under a second.
UPLOAD_LIMIT_DEFAULTS: dict[str, Any] = {
    "UPLOAD_TIME_LIMIT": 10,  # seconds per file
    "UPLOAD_MEMORY_LIMIT": 512 * 1024 * 1024,  # bytes of address space for the checking process
    "UPLOAD_CONCURRENCY": 2,  # files checked at once per web process
}


def upload_limits(config: Any) -> Limits:
    """The limits for checking one uploaded file, from the app's config (`current_app.config`)."""

    def setting(key: str) -> Any:
        value = config.get(key)
        return UPLOAD_LIMIT_DEFAULTS[key] if value is None else value

    return Limits(
        time_limit=float(setting("UPLOAD_TIME_LIMIT")),
        memory_limit=int(setting("UPLOAD_MEMORY_LIMIT")),
        concurrency=int(setting("UPLOAD_CONCURRENCY")),
        pool="uploads",
    )

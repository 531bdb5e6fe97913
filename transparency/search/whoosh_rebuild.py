"""A full rebuild of the Whoosh index, written by several processes at once.

Segmenting (jieba) and writing a Whoosh segment are both CPU-bound Python, about equal in cost,
so a single writer fed by analysing workers would leave the cores half idle. Here each forked
worker takes every n-th chunk of documents (the parent only reads them from the database),
analyses each document once and writes its own segment; the parent, which holds the index's
write lock throughout, then commits those segments as the whole new index. Chunks go to the
workers in turn, so the same documents always give the same segments. Progress is counted per
chunk as the workers report it.

The segments are written without per-block length statistics (used only by Whoosh's block
skipping, which the search never uses: it scores every match) and numbers are indexed as one
term each (they are sorted on, never searched by range).
"""

from __future__ import annotations

import multiprocessing
import queue
import traceback
from collections.abc import Callable, Iterable, Iterator
from itertools import islice
from typing import Any

from whoosh.codec.whoosh3 import W3Codec
from whoosh.writing import SegmentWriter

from transparency.search.documents import SearchDocument

CHUNK = 200
LIMIT_MB = 256  # postings each writer keeps in memory before it sorts a run to disk
_DONE = None


def codec() -> W3Codec:
    """Whoosh's codec without the block length statistics (see the module's docstring)."""
    made = W3Codec()
    made.length_stats = False
    return made


def chunks(documents: Iterable[SearchDocument]) -> Iterator[list[SearchDocument]]:
    iterator = iter(documents)
    while chunk := list(islice(iterator, CHUNK)):
        yield chunk


class WorkerFailed(RuntimeError):
    pass


def _work(index, prepare: Callable[[SearchDocument], dict[str, Any]], jobs, results) -> None:
    """In a forked worker: write one segment of the chunks put on `jobs`, then hand it back."""
    try:
        writer = SegmentWriter(index, _lk=False, limitmb=LIMIT_MB, codec=codec())
        while (chunk := jobs.get()) is not _DONE:
            for document in chunk:
                writer.add_document(**prepare(document))
            results.put(("done", len(chunk)))
        if writer.doc_count():
            results.put(("segment", writer._finalize_segment()))
        else:
            writer.cancel()
            results.put(("segment", None))
    except BaseException:
        results.put(("error", traceback.format_exc()))


def write_in_parallel(
    index,
    writer: SegmentWriter,
    prepare: Callable[[SearchDocument], dict[str, Any]],
    documents: Iterable[SearchDocument],
    progress: Callable[[int], None],
    processes: int,
) -> int:
    """Write `documents` as new segments of `index` from `processes` workers and commit them, in
    place of every segment the index held, through `writer` (the parent's, holding the lock)."""
    context = multiprocessing.get_context("fork")
    results = context.Queue()
    jobs = [context.Queue(maxsize=2) for _ in range(processes)]
    workers = [context.Process(target=_work, args=(index, prepare, job, results), daemon=True) for job in jobs]
    for worker in workers:
        worker.start()
    count, segments, finished = 0, [], 0

    def receive(block: bool) -> None:
        nonlocal count, finished
        try:
            while True:
                kind, value = results.get(block=block, timeout=1 if block else None)
                if kind == "done":
                    count += value
                    progress(value)
                elif kind == "segment":
                    finished += 1
                    if value is not None:
                        segments.append(value)
                else:
                    raise WorkerFailed(value)
                if not block:
                    continue
                return
        except queue.Empty:
            if block and any(worker.exitcode not in (None, 0) for worker in workers):
                raise WorkerFailed("an index worker was killed") from None

    try:
        for number, chunk in enumerate(chunks(documents)):
            job = jobs[number % processes]
            while True:
                try:
                    job.put(chunk, timeout=0.2)
                    break
                except queue.Full:
                    receive(block=False)
            receive(block=False)
        for job in jobs:
            job.put(_DONE)
        while finished < processes:
            receive(block=True)
    except BaseException:
        for worker in workers:
            worker.terminate()
        raise
    finally:
        for worker in workers:
            worker.join()
    _commit_segments(writer, segments)
    return count


def _commit_segments(writer: SegmentWriter, segments: list) -> None:
    """Make `segments` the whole index (what Whoosh's own multi-process writer does with
    multisegment=True, minus the merge of the old segments: they all go)."""
    writer._close_segment()  # the parent's own segment stays empty
    writer._commit_toc(segments)
    writer._finish()

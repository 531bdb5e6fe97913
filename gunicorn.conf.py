"""Gunicorn settings for this site: tells the app how many workers will run it (issue 12, point 6).

`gunicorn -c gunicorn.conf.py --workers 4 wsgi:app`. Each worker keeps its own rate-limit counters
unless RATELIMIT_STORAGE_URI points at Redis; the app warns at start-up (core/security.py) when it
sees GUNICORN_WORKERS > 1 with `memory://`, and the master warns here whatever the command line said.
"""

from __future__ import annotations

import gc
import os

workers = int(os.environ.get("WEB_CONCURRENCY", "2"))
preload_app = True  # the word-segmentation dictionary and print fonts load once, in the master
os.environ.setdefault("GUNICORN_WORKERS", str(workers))  # seen by the app when it loads (preload)


def on_starting(server):  # noqa: ANN001, ANN201 (gunicorn's hook signature)
    os.environ["GUNICORN_WORKERS"] = str(server.cfg.workers)


def pre_fork(server, worker):  # noqa: ANN001, ANN201
    # What the master loaded (the app, the word list, the fonts) moves to a generation the
    # collector never scans, so a worker's first collection does not write into (and so copy)
    # the pages it shares with the master: ~38 MB per worker stayed shared (issue 16).
    gc.freeze()


def when_ready(server):  # noqa: ANN001, ANN201
    storage = os.environ.get("RATELIMIT_STORAGE_URI") or os.environ.get("TRANSPARENCY_RATELIMIT_STORAGE_URI")
    if server.cfg.workers > 1 and (not storage or storage.startswith("memory://")):
        server.log.warning(
            "rate limits are counted per process: %s workers and no Redis; set RATELIMIT_STORAGE_URI=redis://…",
            server.cfg.workers,
        )

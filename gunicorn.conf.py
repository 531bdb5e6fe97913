"""Gunicorn settings for this site: tells the app how many workers will run it (issue 12, point 6).

`gunicorn -c gunicorn.conf.py --workers 4 wsgi:app`. Each worker keeps its own rate-limit counters
unless RATELIMIT_STORAGE_URI points at Redis; the app warns at start-up (core/security.py) when it
sees GUNICORN_WORKERS > 1 with `memory://`, and the master warns here whatever the command line said.
"""

from __future__ import annotations

import gc
import os
import shutil
import tempfile

workers = int(os.environ.get("WEB_CONCURRENCY", "2"))
# Metrics (issue 14, point 6): each worker writes its counters to files in this folder and a
# scrape of any worker adds them up. Set before the app (and so prometheus_client) is loaded; a
# folder the deployer names is emptied at start so figures of an earlier run do not linger.
if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
    shutil.rmtree(os.environ["PROMETHEUS_MULTIPROC_DIR"], ignore_errors=True)
    os.makedirs(os.environ["PROMETHEUS_MULTIPROC_DIR"], mode=0o700, exist_ok=True)
else:
    os.environ["PROMETHEUS_MULTIPROC_DIR"] = tempfile.mkdtemp(prefix="transparency-metrics-")
# Gunicorn's own lines (workers booting, timeouts) as JSON too, like the app's (core/logs.py).
_JSON_TO_STDERR = {"class": "logging.StreamHandler", "formatter": "json", "stream": "ext://sys.stderr"}
logconfig_dict = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"json": {"()": "transparency.core.logs.JsonFormatter"}},
    # gunicorn's default handler names, redefined; the root logger gets the app's own handler.
    "handlers": {"console": _JSON_TO_STDERR, "error_console": _JSON_TO_STDERR},
    "root": {"level": "INFO", "handlers": []},
    "loggers": {
        "gunicorn.error": {"handlers": ["error_console"], "level": "INFO", "propagate": False},
        "gunicorn.access": {"handlers": ["console"], "level": "INFO", "propagate": False},
    },
}
preload_app = True  # the word-segmentation dictionary and print fonts load once, in the master
os.environ.setdefault("GUNICORN_WORKERS", str(workers))  # seen by the app when it loads (preload)


def on_starting(server):  # noqa: ANN001, ANN201 (gunicorn's hook signature)
    os.environ["GUNICORN_WORKERS"] = str(server.cfg.workers)


def pre_fork(server, worker):  # noqa: ANN001, ANN201
    from transparency.search import whoosh_backend  # noqa: F401 (Whoosh: create_app() leaves it to first use)
    from transparency.search.analysis import warm_up

    warm_up()  # the word lists, loaded here once (not in create_app) and shared by every worker
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


def child_exit(server, worker):  # noqa: ANN001, ANN201
    from prometheus_client import multiprocess

    multiprocess.mark_process_dead(worker.pid)  # its live gauges go; its counters stay counted

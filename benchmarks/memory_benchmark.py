"""Memory and start-up (issue 16, target 8): PSS of a warm server, and how long create_app() takes.

Seeds the demo county, starts gunicorn with the project's gunicorn.conf.py (preload, gc.freeze()
in pre_fork) and 2 workers, sends `--requests` mixed GETs (home, village, notice, search, API,
complaint form; each with a query string of its own, so pages are rendered, not only served
from the page cache), then sums the proportional set size (Pss in /proc/<pid>/smaps_rollup) of
the master and its workers. Then times create_app() in a fresh interpreter, `--starts` times
(the median is the figure), import of the package included, after one start that writes the
byte-code (into a cache folder of the run: PYTHONPYCACHEPREFIX), as an installed site has it.

Targets: PSS of master + 2 warm workers ≤ 230 MB after 1,000 requests; create_app() ≤ 1.5 s.

    .venv/bin/python benchmarks/memory_benchmark.py                # 1000 requests, 5 starts
    .venv/bin/python benchmarks/memory_benchmark.py --port 5282
"""

from __future__ import annotations

import argparse
import http.client
import os
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import threading
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from serving import free_port, load_average, result_line, start_gunicorn, stop_server, wait_until_answering  # noqa: E402

PROJECT_ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
PSS_TARGET_MB = 230
START_TARGET_S = 1.5
TIME_CREATE_APP = (
    "import time; t = time.perf_counter(); from transparency import create_app; create_app(); "
    "print(time.perf_counter() - t)"
)


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--requests", type=int, default=1000)
    parser.add_argument("--starts", type=int, default=5, help="fresh processes timing create_app()")
    parser.add_argument("--clients", type=int, default=4)
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--full", action="store_true", help="the issue's size (the same: 1000 requests)")
    parser.add_argument("--keep", action="store_true", help="keep the instance directory and server log")
    return parser.parse_args()


def mixed_paths(database: Path) -> list[str]:
    with sqlite3.connect(database) as connection:
        (village,) = connection.execute("SELECT code FROM area WHERE level = 'village' ORDER BY id").fetchone()
        (notice,) = connection.execute(
            "SELECT id FROM disclosure WHERE first_published_at IS NOT NULL ORDER BY id LIMIT 1"
        ).fetchone()
    return [
        "/",
        f"/v/{village}",
        f"/d/{notice}",
        "/search?q=%E4%BF%AE%E8%B7%AF",  # 修路: segmented by the word list
        "/api/v1/disclosures",
        "/complaints/new",
    ]


def send(port: int, paths: list[str], requests: int, clients: int) -> int:
    """`requests` GETs round-robin over `paths`; answers how many were not 200."""
    tickets, lock, failures = iter(range(requests)), threading.Lock(), []

    def client() -> None:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        while True:
            with lock:
                ticket = next(tickets, None)
            if ticket is None:
                break
            path = paths[ticket % len(paths)]
            connection.request("GET", f"{path}{'&' if '?' in path else '?'}n={ticket}")
            response = connection.getresponse()
            response.read()
            if response.status != 200:
                failures.append((path, response.status))
        connection.close()

    threads = [threading.Thread(target=client) for _ in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return len(failures)


def pss_kb(pid: int) -> int:
    for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
        if line.startswith("Pss:"):
            return int(line.split()[1])
    raise RuntimeError(f"no Pss line for {pid}")


def server_pids(master: int) -> list[int]:
    pids = [master]
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                parent = int(Path(f"/proc/{entry.name}/stat").read_text().rsplit(")", 1)[1].split()[1])
            except OSError:
                continue
            if parent == master:
                pids.append(int(entry.name))
    return pids


def time_create_app(env: dict[str, str], starts: int) -> list[float]:
    command = [sys.executable, "-c", TIME_CREATE_APP]
    subprocess.run(command, env=env, cwd=PROJECT_ROOT, check=True, capture_output=True)  # writes byte-code
    return [
        float(subprocess.run(command, env=env, cwd=PROJECT_ROOT, check=True, capture_output=True, text=True).stdout)
        for _ in range(starts)
    ]


def main() -> int:
    args = parse_args()
    instance = Path(tempfile.mkdtemp(prefix="memory-benchmark-"))
    database = instance / "transparency.sqlite3"
    env = {
        **os.environ,
        "PYTHONPATH": str(PROJECT_ROOT),
        "TRANSPARENCY_INSTANCE_PATH": str(instance),
        "DATABASE_URL": f"sqlite:///{database}",
        "SECRET_KEY": "memory-benchmark-" + os.urandom(8).hex(),
        "RATELIMIT_STORAGE_URI": "memory://",
        "WEB_CONCURRENCY": "2",
        "PYTHONPYCACHEPREFIX": str(instance / "pycache"),
    }
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    log, server = instance / "gunicorn.log", None
    try:
        for command in (["db", "upgrade"], ["demo-data"]):
            subprocess.run(
                [str(BIN / "transparency"), *command], env=env, cwd=PROJECT_ROOT, check=True, capture_output=True
            )
        paths = mixed_paths(database)
        port = args.port or free_port()
        options = ("-c", str(PROJECT_ROOT / "gunicorn.conf.py"), "--workers", "2", "--preload")
        server = start_gunicorn("wsgi:app", env=env, cwd=PROJECT_ROOT, port=port, log=log, options=options)
        wait_until_answering(server, port, "/", log)
        failed = send(port, paths, args.requests, args.clients)
        pids = server_pids(server.pid)
        by_process = {pid: pss_kb(pid) / 1024 for pid in pids}
        stop_server(server)
        starts = time_create_app(env, args.starts)
    finally:
        if server is not None:
            stop_server(server)
        if args.keep:
            print(f"instance kept in {instance}")
        else:
            shutil.rmtree(instance, ignore_errors=True)
    total = sum(by_process.values())
    print(f"requests:     {args.requests} mixed over {len(paths)} pages, not 200: {failed}")
    print(
        f"PSS:          {total:.1f} MB over {len(by_process)} processes (master first): "
        + ", ".join(f"{mb:.1f}" for mb in by_process.values())
    )
    print(f"create_app(): median {statistics.median(starts):.2f} s of {', '.join(f'{s:.2f}' for s in starts)}")
    print(load_average())
    print(result_line("memory_pss", total, "MB", PSS_TARGET_MB))
    print(result_line("create_app_seconds", statistics.median(starts), "s", START_TARGET_S))
    return 1 if failed or len(by_process) != 3 else 0


if __name__ == "__main__":
    sys.exit(main())

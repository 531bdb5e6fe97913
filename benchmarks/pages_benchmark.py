"""Public pages against a bare Flask hello-world, under the same gunicorn settings, in one run.

    .venv/bin/python benchmarks/pages_benchmark.py            # 300 requests per page and round
    .venv/bin/python benchmarks/pages_benchmark.py --full     # 2000 requests per page and round
    .venv/bin/python benchmarks/pages_benchmark.py --root ../other-checkout   # measure another tree

Seeds the demo county (`transparency demo-data`), then starts two servers with the project's
gunicorn.conf.py: the site, and benchmarks/hello_app.py (the reference). Each round measures
every page warm (the same URL again and again: answered from the page cache), on the reference,
then cold (each request with a query string of its own, which the page ignores but the cache
keys on: every request renders and stores), so product and reference share the load. Server
CPU per request is read from /proc (master and workers); requests/s is what `--clients`
threads get over HTTP. Targets (issue 16, point 1): warm ≥ 35 % of the reference's
requests/s (also given as the reference's CPU per request over the page's, which a loaded
machine disturbs less); cold ≤ 8 ms of server CPU. Prints figures; asserts nothing.
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
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from serving import (  # noqa: E402
    load_average,
    result_line,
    server_cpu_seconds,
    start_gunicorn,
    stop_server,
    wait_until_answering,
)

PROJECT_ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
WARM_SHARE_TARGET = 35.0  # % of the hello-world's requests/s
COLD_CPU_TARGET = 8.0  # ms of server CPU per page


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--requests", type=int, default=300, help="requests per page, server and round")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--clients", type=int, default=4, help="concurrent client threads")
    parser.add_argument("--full", action="store_true", help="the issue's size: 2000 requests, 5 rounds")
    parser.add_argument("--root", type=Path, default=PROJECT_ROOT, help="the checkout whose site is measured")
    parser.add_argument("--ports", default="5108,5118", help="two free ports: the site's and the reference's")
    parser.add_argument("--keep", action="store_true", help="keep the instance directory and server logs")
    args = parser.parse_args()
    if args.full:
        args.requests, args.rounds = 2000, 5
    args.root = args.root.resolve()
    return args


def seed(env: dict[str, str], root: Path) -> None:
    for command in (["db", "upgrade"], ["demo-data"]):
        subprocess.run([str(BIN / "transparency"), *command], env=env, cwd=root, check=True, capture_output=True)


def page_paths(database: Path) -> dict[str, str]:
    """The pages the issue measured: 石桥村, its newest finance ledger, its township's calendar."""
    with sqlite3.connect(database) as connection:
        village, township = connection.execute(
            "SELECT v.code, t.code FROM area v JOIN area t ON t.id = v.parent_id WHERE v.name = '石桥村'"
        ).fetchone()
        (ledger,) = connection.execute(
            "SELECT d.id FROM disclosure d JOIN area v ON v.id = d.village_id WHERE v.code = ? "
            "AND d.category = 'finance' AND d.first_published_at IS NOT NULL ORDER BY d.period_start DESC LIMIT 1",
            (village,),
        ).fetchone()
    return {
        "home": "/",
        "village": f"/v/{village}",
        "notice": f"/d/{ledger}",
        "calendar": f"/t/{township}/calendar",
        "api_list": "/api/v1/disclosures",
    }


def hammer(port: int, path: str, requests: int, clients: int, *, distinct: bool = False) -> tuple[float, int]:
    """`requests` GETs of `path` from `clients` threads: (seconds taken, how many were not 200).
    `distinct` adds a query string of its own to each request (`?cold=n`), missing any page cache."""
    tickets = iter(range(requests))
    run = os.urandom(4).hex()
    lock, failures = threading.Lock(), []

    def client() -> None:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        while True:
            with lock:
                ticket = next(tickets, None)
            if ticket is None:
                break
            separator = "&" if "?" in path else "?"
            connection.request("GET", f"{path}{separator}cold={run}-{ticket}" if distinct else path)
            response = connection.getresponse()
            response.read()
            if response.status != 200:
                failures.append(response.status)
        connection.close()

    threads = [threading.Thread(target=client) for _ in range(clients)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return time.perf_counter() - started, len(failures)


def measure(
    server: subprocess.Popen[bytes], port: int, path: str, args: argparse.Namespace, *, cold: bool = False
) -> tuple[float, float]:
    """(requests/s, server CPU ms per request)."""
    before = server_cpu_seconds(server) or 0.0
    seconds, failed = hammer(port, path, args.requests, args.clients, distinct=cold)
    cpu = (server_cpu_seconds(server) or 0.0) - before
    if failed:
        raise SystemExit(f"{failed} of {args.requests} requests to {path} failed")
    return args.requests / seconds, cpu / args.requests * 1000


def main() -> int:
    args = parse_args()
    instance = Path(tempfile.mkdtemp(prefix="pages-benchmark-"))
    database = instance / "transparency.sqlite3"
    env = {
        **os.environ,
        "PYTHONPATH": str(args.root),
        "TRANSPARENCY_INSTANCE_PATH": str(instance),
        "DATABASE_URL": f"sqlite:///{database}",
        "SECRET_KEY": "pages-benchmark-" + os.urandom(8).hex(),
        "RATELIMIT_STORAGE_URI": "memory://",
    }
    options = ("-c", str(args.root / "gunicorn.conf.py"))
    servers: dict[str, tuple[subprocess.Popen[bytes], int]] = {}
    try:
        seed(env, args.root)
        paths = page_paths(database)
        ports = [int(port) for port in args.ports.split(",")]
        for (name, app, cwd), port in zip(
            (("site", "wsgi:app", args.root), ("reference", "hello_app:app", PROJECT_ROOT / "benchmarks")),
            ports,
            strict=True,
        ):
            log = instance / f"{name}.log"
            servers[name] = (start_gunicorn(app, env=env, cwd=cwd, port=port, log=log, options=options), port)
            wait_until_answering(servers[name][0], port, "/", log)
        for path in paths.values():
            hammer(servers["site"][1], path, 20, 2)  # templates compiled, caches filled, in every worker
            hammer(servers["site"][1], path, 20, 2, distinct=True)

        figures: dict[str, dict[str, list[float]]] = {page: {} for page in paths}
        for round_number in range(args.rounds):
            for page, path in paths.items():
                for name, server_name, shown, cold in (
                    ("warm", "site", path, False),
                    ("reference", "reference", "/", False),
                    ("cold", "site", path, True),
                ):
                    server, port = servers[server_name]
                    rps, cpu = measure(server, port, shown, args, cold=cold)
                    figures[page].setdefault(f"{name}_rps", []).append(rps)
                    figures[page].setdefault(f"{name}_cpu", []).append(cpu)
            print(f"round {round_number + 1}/{args.rounds} done, {load_average()}", flush=True)
    finally:
        for server, _port in servers.values():
            stop_server(server)
        if args.keep:
            print(f"instance kept in {instance}")
        else:
            shutil.rmtree(instance, ignore_errors=True)

    print(f"site {args.root}; gunicorn -c gunicorn.conf.py; {args.requests} requests × {args.rounds} rounds, "
          f"{args.clients} clients; {load_average()}")  # fmt: skip
    columns = ("warm req/s", "ref req/s", "share", "warm CPU", "ref CPU", "cold CPU")
    print(f"{'page':10} " + " ".join(f"{column:>10}" for column in columns))
    lines = []
    for page, values in figures.items():
        median = {key: statistics.median(samples) for key, samples in values.items()}
        shares = [w / r * 100 for w, r in zip(values["warm_rps"], values["reference_rps"], strict=True)]
        share = statistics.median(shares)
        print(
            f"{page:10} {median['warm_rps']:10.0f} {median['reference_rps']:10.0f} {share:9.1f}% "
            f"{median['warm_cpu']:8.2f}ms {median['reference_cpu']:8.2f}ms {median['cold_cpu']:8.2f}ms"
        )
        lines.append(result_line(f"page_{page}_warm_share", share, "%", WARM_SHARE_TARGET, at_most=False))
        # The same share from server CPU per request, steadier than requests/s when others load the machine.
        cpu_share = median["reference_cpu"] / median["warm_cpu"] * 100 if median["warm_cpu"] else 0.0
        lines.append(result_line(f"page_{page}_warm_cpu_share", cpu_share, "%", WARM_SHARE_TARGET, at_most=False))
        lines.append(result_line(f"page_{page}_cold_cpu", median["cold_cpu"], "ms", COLD_CPU_TARGET))
    print("\n".join(lines))
    return 0


if __name__ == "__main__":
    sys.exit(main())

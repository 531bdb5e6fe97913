"""Operations benchmark: what the request cycle (id, session copy, JSON log line, metrics) costs
each request, and how long /readyz and /metrics take on the demo county.

    .venv/bin/python benchmarks/ops_benchmark.py [--requests 500] [--database-url postgresql://…]

Runs in one process through Flask's test client (no network): the figures are the app's own work.
Prints figures only; asserts nothing.
"""

from __future__ import annotations

import argparse
import logging
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from transparency import create_app  # noqa: E402
from transparency.core import migrations  # noqa: E402
from transparency.core.db import db  # noqa: E402
from transparency.demo.loader import load_demo_county  # noqa: E402


def timings(client, path: str, count: int) -> list[float]:
    spent = []
    for _ in range(count):
        started = time.perf_counter()
        response = client.get(path)
        spent.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, (path, response.status_code)
    return spent


def report(label: str, spent: list[float]) -> None:
    spent = sorted(spent)
    p95 = spent[int(len(spent) * 0.95) - 1]
    print(f"{label:<34} median {statistics.median(spent):7.2f} ms   p95 {p95:7.2f} ms   ({len(spent)} requests)")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--requests", type=int, default=500)
    parser.add_argument("--database-url")
    args = parser.parse_args()
    workdir = Path(tempfile.mkdtemp(prefix="ops-benchmark-"))
    url = args.database_url or f"sqlite:///{workdir / 'bench.sqlite3'}"
    config = {"SECRET_KEY": "benchmark", "DATABASE_URL": url, "LOG_LEVEL": "WARNING"}
    app = create_app(config)
    app.instance_path = str(workdir / "instance")
    with app.app_context():
        migrations.upgrade()
        load_demo_county(db.session, echo=lambda *_: None)
        db.session.commit()
    logging.getLogger().setLevel(logging.WARNING)  # the figures, not a line per request on the terminal
    client = app.test_client()
    report("/healthz (the cycle alone)", timings(client, "/healthz", args.requests))
    report("/readyz", timings(client, "/readyz", max(20, args.requests // 10)))
    report("/metrics", timings(client, "/metrics", max(20, args.requests // 10)))
    logging.getLogger().setLevel(logging.INFO)
    with open("/dev/null", "w") as sink:
        stderr, sys.stderr = sys.stderr, sink
        try:
            report("/healthz with a JSON log line", timings(client, "/healthz", args.requests))
        finally:
            sys.stderr = stderr


if __name__ == "__main__":
    main()

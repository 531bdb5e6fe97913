"""How long a printed disclosure takes, and how much memory its rendering process needs.

    .venv/bin/python benchmarks/print_benchmark.py [--repeat 3]

Builds a throw-away SQLite database with one village, publishes realistic ledgers of 200 and
800 rows (the demo's generator), then asks for their PDFs through the real view, as a visitor
would — so the figures include the query, the template, the child process and WeasyPrint.
Peak memory is the maximum resident size of a fresh process that renders the same HTML
(what each forked print process holds at most). Targets (issue 6): 200 rows ≤ 1.5 s,
800 rows ≤ 6 s, ≤ 300 MB. Prints figures; asserts nothing.
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import random
import resource
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from serving import result_line  # noqa: E402  (benchmarks/serving.py, beside this script)

from transparency import PROJECT_ROOT, create_app  # noqa: E402
from transparency.accounts.models import Role  # noqa: E402
from transparency.accounts.services import create_account  # noqa: E402
from transparency.areas.models import AreaLevel  # noqa: E402
from transparency.areas.services import create_area  # noqa: E402
from transparency.core import migrations  # noqa: E402
from transparency.core.db import db  # noqa: E402
from transparency.demo.ledgers import quarter_ledger  # noqa: E402
from transparency.disclosures import services  # noqa: E402
from transparency.disclosures.models import Category, PeriodKind  # noqa: E402
from transparency.disclosures.periods import period_bounds  # noqa: E402
from transparency.printing import blueprint as printing_blueprint  # noqa: E402

SIZES = (200, 800)
TARGETS = {200: 1.5, 800: 6.0}
PEAK_TARGET_MB = 250  # issue 16, point 6: an 800-row render
NAMES = ["王建国", "李秀英", "张伟", "刘桂兰", "陈玉梅", "赵振华", "周成林", "孙国庆"]


def build(workdir: Path):
    app = create_app(
        {
            "DATABASE_URL": f"sqlite:///{workdir / 'bench.sqlite3'}",
            "SECRET_KEY": "benchmark",
            "ARGON2_TIME_COST": 1,
            "ARGON2_MEMORY_COST": 8,
            "ARGON2_PARALLELISM": 1,
            "PRINT_RATE_LIMIT": "1000 per minute",
            "PRINT_CACHE_DIR": "",  # measure the layout every time; the kept copy is measured apart
        }
    )
    app.instance_path = str(workdir)
    ids = {}
    with app.app_context():
        migrations.upgrade()
        s = db.session
        county = create_area(s, actor=None, code="511399000000", name="临江县", level=AreaLevel.COUNTY, parent=None)
        town = create_area(s, actor=None, code="511399101000", name="石桥镇", level=AreaLevel.TOWNSHIP, parent=county)
        village = create_area(s, actor=None, code="511399101201", name="石桥村", level=AreaLevel.VILLAGE, parent=town)
        clerk = create_account(
            s, actor=None, username="clerk", display_name="王秀英", password="x" * 12, role=Role.CLERK, area=village
        )
        reviewer = create_account(
            s, actor=None, username="rev", display_name="李德华", password="x" * 12, role=Role.REVIEWER, area=village
        )
        rng = random.Random(6)
        opening = 5_000_000
        for quarter, rows in enumerate(SIZES, start=1):
            # Each quarter opens on the last one's closing balance (ledgers carry over).
            content = quarter_ledger(rng, "石桥村", 2025, quarter, opening, NAMES, rows)
            opening = content.closing_balance
            start, end = period_bounds(PeriodKind.QUARTER, 2025, quarter)
            version = services.start_disclosure(
                s,
                actor=clerk,
                village=village,
                category=Category.FINANCE,
                period_kind=PeriodKind.QUARTER,
                period_start=start,
                period_end=end,
                content=content,
            )
            services.submit(s, actor=clerk, version=version)
            services.approve(s, actor=reviewer, version=version, signed_name="李德华")
            ids[rows] = version.disclosure_id
        s.commit()
    return app, ids


def _measure(html: str, base_url: str, static_root: str, answer) -> None:
    from transparency.printing.pdf import html_to_pdf

    started = time.process_time()
    rendered = html_to_pdf(html, base_url=base_url, static_root=static_root)
    cpu = time.process_time() - started
    answer.send((rendered.pages, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024, cpu))


def rendering_process(html: str) -> tuple[int, int, float]:
    """Pages, peak resident bytes and CPU seconds of a fresh process that renders `html`."""
    context = multiprocessing.get_context("spawn")
    receiver, sender = context.Pipe(duplex=False)
    child = context.Process(target=_measure, args=(html, "http://localhost/", str(PROJECT_ROOT / "static"), sender))
    child.start()
    measured = receiver.recv()
    child.join()
    return measured


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=1)
    parser.add_argument("--full", action="store_true", help="the issue's sizes: 200 and 800 rows, 3 times each")
    args = parser.parse_args()
    sizes = SIZES if args.full else SIZES[:1]
    if args.full:
        args.repeat = 3
    results = []

    captured: dict[str, str] = {}
    real_render = printing_blueprint.render_pdf

    def capturing_render(html, **kwargs):
        captured["html"] = html
        return real_render(html, **kwargs)

    printing_blueprint.render_pdf = capturing_render
    with tempfile.TemporaryDirectory() as tmp:
        app, ids = build(Path(tmp))
        client = app.test_client()
        client.get(f"/d/{ids[SIZES[0]]}/v/1/print.pdf")  # start the print server once, as a running site has
        print(f"load average before: {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")
        print(f"{'rows':>5} {'pages':>5} {'median s':>9} {'min s':>7} {'target s':>9} {'CPU s':>6} {'peak MB':>8}")
        for rows in sizes:
            timings = []
            for _ in range(args.repeat):
                started = time.perf_counter()
                response = client.get(f"/d/{ids[rows]}/v/1/print.pdf")
                timings.append(time.perf_counter() - started)
                assert response.status_code == 200, response.status_code
            pages, peak, cpu = rendering_process(captured["html"])
            print(
                f"{rows:>5} {pages:>5} {statistics.median(timings):>9.2f} {min(timings):>7.2f} "
                f"{TARGETS[rows]:>9.1f} {cpu:>6.2f} {peak / 2**20:>8.0f}"
            )
            results.append(result_line(f"print_first_{rows}_rows", statistics.median(timings), "s", TARGETS[rows]))
            results.append(result_line(f"print_peak_{rows}_rows", peak / 2**20, "MB", PEAK_TARGET_MB))
        app.config["PRINT_CACHE_DIR"] = str(Path(tmp) / "print-cache")
        for rows in sizes:
            client.get(f"/d/{ids[rows]}/v/1/print.pdf")  # the first print lays it out and keeps it
            timings = []
            for _ in range(args.repeat):
                started = time.perf_counter()
                client.get(f"/d/{ids[rows]}/v/1/print.pdf")
                timings.append(time.perf_counter() - started)
            print(f"{rows:>5} rows, kept copy: median {statistics.median(timings) * 1000:.0f} ms")
            results.append(result_line(f"print_kept_{rows}_rows", statistics.median(timings) * 1000, "ms", 100))
        print("median/min: wall seconds through the view (query, template, print process);")
        print("CPU s and peak MB: the rendering process alone. Targets: 200 rows ≤ 1.5 s, 800 rows ≤ 6 s, ≤ 300 MB.")
        print(f"load average after: {os.getloadavg()[0]:.1f}")
        print("\n".join(results))
        with app.app_context():
            db.engine.dispose()


if __name__ == "__main__":
    main()

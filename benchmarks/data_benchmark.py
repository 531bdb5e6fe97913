"""Benchmarks for data in and out (not a test; prints figures, asserts nothing).

1. `transparency import` of one ledger of N rows (default 2 000, --full 50 000; target 50 000 in
   ≤ 20 s, issue 16 point 7), once as CSV and once as XLSX, run as the real command in a
   subprocess so its progress bars show as an administrator sees them.
2. API list endpoints at M published disclosures (default 100 000; target p95 ≤ 50 ms), through
   the WSGI app in-process (no network), over pages, filters and page sizes.

    .venv/bin/python benchmarks/data_benchmark.py [--ledger-rows 50000] [--disclosures 100000]

Uses a fresh SQLite file in a temporary folder unless DATABASE_URL is set (its tables are filled).
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from serving import load_average, result_line  # noqa: E402  (benchmarks/serving.py, beside this script)

RESULTS: list[str] = []


def build_app(database_url: str, instance: Path):
    from transparency import create_app

    return create_app(
        {
            "DATABASE_URL": database_url,
            "SECRET_KEY": "benchmark",
            "ARGON2_TIME_COST": 1,
            "ARGON2_MEMORY_COST": 8,
            "ARGON2_PARALLELISM": 1,
            "PAGE_CACHE": "off",  # every request reads the database: the figures are the cold ones
            "PRINT_BACKGROUND": False,  # no renderer thread laying out the imported ledger meanwhile
        }
    )


def set_up(app, villages: int) -> list:
    from transparency.accounts.models import Role
    from transparency.accounts.services import create_account
    from transparency.areas.models import AreaLevel
    from transparency.areas.services import create_area
    from transparency.core import migrations
    from transparency.core.db import db

    with app.app_context():
        migrations.upgrade()
        s = db.session
        county = create_area(s, actor=None, code="511399000000", name="临江县", level=AreaLevel.COUNTY, parent=None)
        created = []
        for t in range(1, 5):
            township = create_area(
                s, actor=None, code=f"511399{100 + t:03d}000", name=f"第{t}镇", level=AreaLevel.TOWNSHIP, parent=county
            )
            for v in range(1, villages // 4 + 1):
                created.append(
                    create_area(
                        s,
                        actor=None,
                        code=f"511399{100 + t:03d}{200 + v:03d}",
                        name=f"{t}镇{v}村",
                        level=AreaLevel.VILLAGE,
                        parent=township,
                    )
                )
        create_account(
            s, actor=None, username="bench", display_name="管理员", password="x" * 12, role=Role.ADMIN, area=None
        )
        s.commit()
        return [v.code for v in created]


def ledger_lines(village: str, rows: int) -> list[list]:
    """The lines of a ledger file: place and period above, the header, `rows` rows that add up."""
    body = []
    balance = 10_000_000
    for i in range(rows):
        day = dt.date(2024, 1, 1) + dt.timedelta(days=i * 365 // rows)
        if i % 3 == 0:
            body.append([day, f"记-{i + 1:05d}", "补助收入", f"上级拨付第 {i + 1} 笔经费", (i % 97) + 1.5, None])
            balance += ((i % 97) + 1) * 100 + 50
        else:
            body.append([day, f"记-{i + 1:05d}", "管理费用", f"购买办公用品第 {i + 1} 笔", None, (i % 13) + 1.25])
            balance -= ((i % 13) + 1) * 100 + 25
    above = [
        ["村代码", village],
        ["公开类别", "财务收支"],
        ["周期", "年度"],
        ["期间开始", "2024-01-01"],
        ["期间结束", "2024-12-31"],
        ["公开时间", "2025-01-10T09:00:00+08:00"],
        ["标题", "2024年度财务收支明细"],
        ["期初余额", "100000.00"],
        ["期末余额", f"{balance // 100}.{balance % 100:02d}"],
        ["日期", "凭证号", "会计科目", "摘要", "收入（元）", "支出（元）"],
    ]
    return above + body


def _csv_cell(value) -> str:
    return "" if value is None else f"{value:.2f}" if isinstance(value, float) else str(value)


def ledger_file(path: Path, village: str, rows: int) -> None:
    """A CSV as a spreadsheet program saves one (amounts with two decimals), or an XLSX with
    date and number cells and the <dimension> Excel writes (openpyxl's write-only mode omits it)."""
    lines = ledger_lines(village, rows)
    if path.suffix == ".csv":
        path.write_text("\n".join(",".join(_csv_cell(v) for v in line) for line in lines) + "\n", encoding="utf-8")
        return
    import io
    import zipfile

    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("财务收支明细账")
    for line in lines:
        sheet.append(line)
    buffer = io.BytesIO()
    workbook.save(buffer)
    with zipfile.ZipFile(buffer) as source, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                data = data.replace(b"<sheetViews>", f'<dimension ref="A1:F{len(lines)}"/><sheetViews>'.encode(), 1)
            target.writestr(item.filename, data)


def bench_import(database_url: str, instance: Path, village: str, rows: int, kind: str) -> None:
    """The real `transparency import` command in a subprocess: its wall time, and its CPU time
    (the machine is shared: the CPU seconds are what a quiet machine would take, nearly)."""
    path = instance / f"ledger.{kind}"
    ledger_file(path, village, rows)
    env = {**os.environ, "DATABASE_URL": database_url, "TRANSPARENCY_INSTANCE_PATH": str(instance), "SECRET_KEY": "b"}
    command = [str(Path(sys.executable).parent / "transparency"), "import", str(path), "--admin", "bench"]
    print(f"\n== import of a {rows}-row ledger ({path.stat().st_size / 1e6:.1f} MB {kind.upper()}) ==", flush=True)
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    result = subprocess.run(command, env=env, cwd=ROOT, check=False)
    elapsed = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime
    ok = result.returncode == 0
    status = "ok" if ok else f"FAILED (exit {result.returncode})"
    print(
        f"import ({kind}): {elapsed:.1f} s wall, {cpu:.1f} s CPU for {rows} rows "
        f"({rows / elapsed:,.0f} rows/s wall, {rows / cpu:,.0f} rows/s CPU) — {status}; {load_average()}"
    )
    # 50,000 rows in 20 s (issue 16, point 7), as a rate so that a smaller run says the same thing
    RESULTS.append(result_line(f"import_rate_{kind}", rows / elapsed if ok else 0, "rows/s", 2500, at_most=False))
    RESULTS.append(result_line(f"import_cpu_rate_{kind}", rows / cpu if ok else 0, "rows/s", 2500, at_most=False))
    if rows == 50_000:
        RESULTS.append(result_line(f"import_50k_ledger_seconds_{kind}", elapsed if ok else float("inf"), "s", 20))


def fill_disclosures(app, villages: list[str], count: int) -> None:
    from sqlalchemy import func, insert, select

    from transparency.accounts.models import Account
    from transparency.areas.models import Area
    from transparency.core.db import db
    from transparency.disclosures.models import Disclosure, DisclosureVersion

    rng = random.Random(7)
    categories = [
        "finance",
        "subsidy",
        "land_compensation",
        "assets",
        "projects",
        "officials_pay",
        "decisions",
        "other",
    ]
    with app.app_context():
        s = db.session
        village_ids = list(s.scalars(select(Area.id).where(Area.code.in_(villages))))
        admin_id = s.scalar(select(Account.id).where(Account.username == "bench"))
        start_id = (s.scalar(select(func.max(Disclosure.id))) or 0) + 1
        now = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
        batch = 10_000
        for offset in range(0, count, batch):
            disclosures, versions = [], []
            for i in range(offset, min(offset + batch, count)):
                year = 2010 + i % 16
                month = rng.randint(1, 12)
                published = now - dt.timedelta(minutes=count - i)
                disclosures.append(
                    {
                        "id": start_id + i,
                        "village_id": rng.choice(village_ids),
                        "category": rng.choice(categories),
                        "period_kind": "month",
                        "period_start": dt.date(year, month, 1),
                        "period_end": dt.date(year, month, 28),
                        "created_at": published,
                        "first_published_at": published,
                    }
                )
                versions.append(
                    {
                        "disclosure_id": start_id + i,
                        "number": 1,
                        "status": "published",
                        "title": f"{year}年{month}月公开事项 {i}",
                        "body": "正文",
                        "drafted_by_id": admin_id,
                        "created_at": published,
                        "published_at": published,
                    }
                )
            s.execute(insert(Disclosure.__table__), disclosures)
            s.execute(insert(DisclosureVersion.__table__), versions)
            s.commit()
            print(f"  {min(offset + batch, count):,} disclosures", flush=True)


def bench_api(app, villages: list[str], requests: int, disclosures: int) -> None:
    client = app.test_client()
    rng = random.Random(11)
    # Page 1000 (of 20) and random pages of 100, or the deepest pages a smaller run has.
    deep, pages_of_100 = max(2, min(1000, disclosures // 20)), max(1, min(1000, disclosures // 100))
    township = villages[0][:9] + "000"
    shapes = {
        "newest page (limit 20)": lambda: "/api/v1/disclosures",
        "random page (limit 100)": lambda: f"/api/v1/disclosures?limit=100&page={rng.randint(1, pages_of_100)}",
        "one village": lambda: f"/api/v1/disclosures?village={rng.choice(villages)}",
        "township + category": lambda: f"/api/v1/disclosures?township={township}&category=finance",
        "period range": lambda: "/api/v1/disclosures?period_from=2015-01-01&period_to=2015-12-31",
        "one disclosure": lambda: f"/api/v1/disclosures/{rng.randint(2, max(2, disclosures * 9 // 10))}",
        "statistics": lambda: "/api/v1/statistics",
        f"page {deep} by number": lambda: f"/api/v1/disclosures?page={deep}",
        "a deep page by cursor": lambda: f"/api/v1/disclosures?after={deep_cursor}",
    }
    deep_cursor = client.get(f"/api/v1/disclosures?page={deep - 1}").get_json()["next"]
    print(f"\n== API, {requests} requests per endpoint ==")
    for name, url in shapes.items():
        client.get(url())  # warm the caches once
        times = []
        for _ in range(requests):
            started = time.perf_counter()
            response = client.get(url())
            times.append((time.perf_counter() - started) * 1000)
            assert response.status_code in (200, 404), response.status_code
        times.sort()
        p95 = times[int(len(times) * 0.95) - 1]
        print(f"{name:28s} p50 {statistics.median(times):6.1f} ms   p95 {p95:6.1f} ms   (target p95 ≤ 30 ms)")
        RESULTS.append(result_line("api_" + "_".join(name.replace("+", "").split()), p95, "ms", 30))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--ledger-rows", type=int, default=2_000)
    parser.add_argument("--disclosures", type=int, default=20_000)
    parser.add_argument("--villages", type=int, default=40)
    parser.add_argument("--requests", type=int, default=50)
    parser.add_argument("--full", action="store_true", help="the issue's sizes: 50,000 rows, 100,000 disclosures")
    args = parser.parse_args()
    if args.full:
        args.ledger_rows, args.disclosures, args.requests = 50_000, 100_000, 200
    with tempfile.TemporaryDirectory(prefix="data-bench-") as folder:
        instance = Path(folder)
        database_url = os.environ.get("DATABASE_URL") or f"sqlite:///{instance / 'bench.sqlite3'}"
        app = build_app(database_url, instance)
        villages = set_up(app, args.villages)
        for kind, village in zip(("csv", "xlsx"), villages, strict=False):  # a village each: no duplicate
            bench_import(database_url, instance, village, args.ledger_rows, kind)
        print(f"\n== filling {args.disclosures:,} published disclosures ==", flush=True)
        fill_disclosures(app, villages, args.disclosures)
        bench_api(app, villages, args.requests, args.disclosures)
    print(f"{load_average()}\n" + "\n".join(RESULTS))


if __name__ == "__main__":
    main()

"""Accountability at county scale: the inspector dashboard, the public calendar, and `audit verify`.

    .venv/bin/python benchmarks/accountability_benchmark.py                  # 300 villages, 10 years, 1M entries
    .venv/bin/python benchmarks/accountability_benchmark.py --villages 30 --years 3 --entries 50000
    .venv/bin/python benchmarks/accountability_benchmark.py --database postgresql://postgres@127.0.0.1/bench
    .venv/bin/python benchmarks/accountability_benchmark.py --villages 300 --years 10 --keep /tmp/a.db

Seeds a county (20 villages per township) with ten years of disclosures (finance every quarter,
subsidies and officials' pay every year, two decisions a year; some late, a few never published)
and complaints (three a village a year, a fifth of them private), then measures p50/p95 of the
pages over --requests requests each, and the time `transparency audit verify` takes over --entries
entries appended with executemany and real hashes (--keep FILE: a SQLite file seeded once, reused).
Targets: pages p95 ≤ 150 ms cold (PAGE_CACHE off), verify ≤ 60 s. Each page line also gives the
CPU this process spent per request (steadier than wall time on a shared machine).
Prints figures; asserts nothing. The PostgreSQL database given is emptied first.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

from sqlalchemy import create_engine, func, insert, select, text

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from serving import load_average, result_line  # noqa: E402  (benchmarks/serving.py, beside this script)

from transparency import create_app  # noqa: E402
from transparency.audit.chain import verify_chain  # noqa: E402
from transparency.audit.models import AuditCheckpoint, AuditEntry  # noqa: E402
from transparency.audit.services import GENESIS_HASH, canonical_json, hash_fields  # noqa: E402
from transparency.core import migrations  # noqa: E402
from transparency.core.db import db, normalise_url  # noqa: E402
from transparency.obligations.status import rebuild  # noqa: E402

CST = dt.timezone(dt.timedelta(hours=8))
UTC = dt.UTC


def utc(day: dt.date, hour: int = 10) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour), CST).astimezone(UTC)


def seed_county(villages: int, years: int, rng: random.Random) -> dict:
    from transparency.accounts.models import Role
    from transparency.accounts.services import create_account
    from transparency.areas.models import Area

    session, today = db.session, dt.date.today()
    first_year = today.year - years + 1
    area = Area.__table__
    session.execute(
        insert(area), [{"id": 1, "code": "511399000000", "name": "基准县", "level": "county", "parent_id": None}]
    )
    townships = (villages + 19) // 20
    rows, village_ids = [], []
    for t in range(townships):
        rows.append(
            {
                "id": 2 + t,
                "code": f"511399{100 + t:03d}000",
                "name": f"第{t + 1}镇",
                "level": "township",
                "parent_id": 1,
            }
        )
    for v in range(villages):
        vid = 2 + townships + v
        t = v // 20
        rows.append(
            {
                "id": vid,
                "code": f"511399{100 + t:03d}{200 + v % 20:03d}",
                "name": f"村{v + 1}",
                "level": "village",
                "parent_id": 2 + t,
            }
        )
        village_ids.append(vid)
    session.execute(insert(area), rows)

    disclosures, matters = [], []
    for vid in village_ids:
        for year in range(first_year, today.year + 1):
            for quarter in range(4):
                start = dt.date(year, 3 * quarter + 1, 1)
                end = (dt.date(year + (quarter == 3), (3 * quarter + 3) % 12 + 1, 1)) - dt.timedelta(days=1)
                roll = rng.random()
                if end >= today or roll < 0.03:
                    continue  # not yet, or never published
                published = end + dt.timedelta(days=rng.randint(20, 60) if roll < 0.13 else rng.randint(3, 14))
                disclosures.append(("finance", "quarter", start, end, published))
            for category in ("subsidy", "officials_pay"):
                if dt.date(year, 12, 31) < today:
                    disclosures.append(
                        (
                            category,
                            "year",
                            dt.date(year, 1, 1),
                            dt.date(year, 12, 31),
                            dt.date(year + 1, 1, 1) + dt.timedelta(days=rng.randint(4, 40)),
                        )
                    )
            for _ in range(2):
                day = dt.date(year, rng.randint(1, 12), rng.randint(1, 28))
                if day < today:
                    disclosures.append(("decisions", "day", day, day, day + dt.timedelta(days=rng.randint(1, 9))))
            for _ in range(3):
                registered = dt.date(year, rng.randint(1, 12), rng.randint(1, 28))
                if registered < today:
                    matters.append(_matter(rng, vid, registered, len(matters) + 1))
        rows = [
            {"village_id": vid, "category": c, "period_kind": k, "period_start": s, "period_end": e,
             "created_at": utc(s), "first_published_at": utc(p)}
            for c, k, s, e, p in disclosures
        ]  # fmt: skip
        if rows:
            session.execute(
                insert(__import__("transparency.disclosures.models", fromlist=["Disclosure"]).Disclosure.__table__),
                rows,
            )
        disclosures = []
    from transparency.complaints.models import Matter

    for chunk in range(0, len(matters), 5000):
        session.execute(insert(Matter.__table__), matters[chunk : chunk + 5000])
    county = create_account(
        session,
        actor=None,
        username="bench-county",
        display_name="县纪检",
        password="bench-password-1",
        role=Role.INSPECTOR,
        area=session.get(Area, 1),
    )
    township = create_account(
        session,
        actor=None,
        username="bench-town",
        display_name="镇纪检",
        password="bench-password-1",
        role=Role.INSPECTOR,
        area=session.get(Area, 2),
    )
    session.commit()
    return {
        "county": county.id,
        "township": township.id,
        "township_code": "511399100000",
        "village_code": "511399100201",
        "matters": len(matters),
        "first_year": first_year,
    }


def seeded_before() -> dict:
    """What seed_county returned, read back from a database it seeded in an earlier run (--keep)."""
    from transparency.accounts.models import Account
    from transparency.complaints.models import Matter

    session = db.session
    account_id = {
        username: session.scalar(select(Account.id).where(Account.username == username))
        for username in ("bench-county", "bench-town")
    }
    return {
        "county": account_id["bench-county"],
        "township": account_id["bench-town"],
        "township_code": "511399100000",
        "village_code": "511399100201",
        "matters": session.scalar(select(func.count()).select_from(Matter)),
    }


def _matter(rng: random.Random, village_id: int, registered: dt.date, number: int) -> dict:
    private = rng.random() < 0.2
    decided = registered + dt.timedelta(days=rng.randint(1, 25))
    replied = decided + dt.timedelta(days=rng.randint(5, 75))
    today = dt.date.today()
    status = "closed" if replied < today else ("accepted" if decided < today else "registered")
    return {
        "number": f"B{number:08d}", "code_digest": "0" * 64, "kind": "report" if private else "complaint",
        "channel": "online", "village_id": village_id, "title": "基准事项", "body": "内容", "named_officials": "",
        "concerns_officials": private, "conflict_of_interest": private, "wants_public": not private,
        "handler_level": "township" if private else "village", "status": status,
        "registered_at": utc(registered), "decided_at": utc(decided) if decided < today else None,
        "replied_at": utc(replied) if replied < today else None,
        "extension_days": 15 if rng.random() < 0.1 else 0,
        "rating": rng.choice(["satisfied", "basically_satisfied", "unsatisfied", None]) if replied < today else None,
        "review_requested_at": utc(replied + dt.timedelta(days=3)) if replied < today and rng.random() < 0.1 else None,
    }  # fmt: skip


def seed_audit(count: int) -> float:
    """Append `count` entries after the current head with executemany and real hashes."""
    session = db.session
    last = session.execute(text("SELECT seq, hash FROM audit_entry ORDER BY seq DESC LIMIT 1")).first()
    seq, previous = (last.seq, last.hash) if last else (0, GENESIS_HASH)
    started = time.perf_counter()
    moment = dt.datetime.now(UTC) - dt.timedelta(seconds=count)
    batch, checkpoints = [], []
    for n in range(count):
        seq += 1
        at = moment + dt.timedelta(seconds=n, microseconds=n % 1000)
        fields = {
            "seq": seq, "at": at.isoformat(), "actor_id": n % 50 or None, "actor_role": "clerk",
            "action": "disclosure.save", "object_type": "disclosure", "object_id": str(n % 20000),
            "area_code": f"511399{100 + n % 15:03d}{200 + n % 20:03d}",
            "payload": canonical_json({"version": n % 7 + 1}), "prev_hash": previous,
        }  # fmt: skip
        previous = hash_fields(fields)
        batch.append({**fields, "at": at, "hash": previous})
        if seq % 10_000 == 0:
            checkpoints.append({"seq": seq, "hash": previous, "at": at, "reason": "daily"})
        if len(batch) == 20_000:
            session.execute(insert(AuditEntry.__table__), batch)
            session.commit()
            batch = []
    if batch:
        session.execute(insert(AuditEntry.__table__), batch)
    if checkpoints:
        session.execute(insert(AuditCheckpoint.__table__), checkpoints)
    session.commit()
    return time.perf_counter() - started


def measure(client, url: str, requests: int) -> tuple[float, float, float, int]:
    """p50 and p95 wall milliseconds, mean CPU milliseconds per request (this process serves them:
    steadier than wall time on a shared machine), and the page's size."""
    client.get(url)  # warm caches and templates
    timings, cpu = [], 0.0
    for _ in range(requests):
        started, started_cpu = time.perf_counter(), time.process_time()
        response = client.get(url)
        timings.append((time.perf_counter() - started) * 1000)
        cpu += time.process_time() - started_cpu
        assert response.status_code == 200, (url, response.status_code)
    timings.sort()
    return (
        statistics.median(timings),
        timings[max(0, int(round(0.95 * len(timings))) - 1)],
        1000 * cpu / requests,
        response.content_length or 0,
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--villages", type=int, default=40)
    parser.add_argument("--years", type=int, default=3)
    parser.add_argument("--entries", type=int, default=50_000)
    parser.add_argument("--requests", type=int, default=10)
    parser.add_argument("--full", action="store_true", help="the issue's sizes: 300 villages, 10 years, 1M entries")
    parser.add_argument(
        "--database", default="", help="a PostgreSQL URL (emptied first); default a temporary SQLite file"
    )
    parser.add_argument(
        "--keep",
        metavar="FILE",
        default="",
        help="a SQLite file kept between runs: seeded (and its status built) only if it does not exist yet",
    )
    args = parser.parse_args()
    if args.full:
        args.villages, args.years, args.entries, args.requests = 300, 10, 1_000_000, 30

    workdir = Path(tempfile.mkdtemp(prefix="accountability-bench-"))
    kept = Path(args.keep).resolve() if args.keep else None
    reuse = kept is not None and kept.exists()
    url = args.database or f"sqlite:///{kept or workdir / 'bench.sqlite3'}"
    if url.startswith("postgres"):
        engine = create_engine(normalise_url(url))
        with engine.begin() as conn:
            conn.execute(text("DROP SCHEMA public CASCADE"))
            conn.execute(text("CREATE SCHEMA public"))
        engine.dispose()
    first_year = dt.date.today().year - args.years + 1
    app = create_app({
        "DATABASE_URL": url, "SECRET_KEY": "benchmark", "RATELIMIT_ENABLED": False,
        "ARGON2_TIME_COST": 1, "ARGON2_MEMORY_COST": 8, "ARGON2_PARALLELISM": 1,
        "OBLIGATIONS_START": f"{first_year}-01-01", "PAGE_CACHE": "off",  # the cold figures
    })  # fmt: skip
    app.instance_path = str(workdir)
    rng = random.Random(2026)
    with app.app_context():
        migrations.upgrade()
        print(f"database: {'PostgreSQL' if url.startswith('postgres') else 'SQLite'}")
        if reuse:
            seeded = seeded_before()
            print(f"reusing {kept} ({seeded['matters']} matters): --villages and --years as when it was seeded")
        else:
            started = time.perf_counter()
            seeded = seed_county(args.villages, args.years, rng)
            print(
                f"seeded {args.villages} villages, {args.years} years, {seeded['matters']} matters "
                f"in {time.perf_counter() - started:.1f} s"
            )
            # Seeded by INSERT, past the subscribers: build the stored status as `rebuild-status` does.
            started = time.perf_counter()
            rebuild(db.session)
            db.session.commit()
            print(f"rebuilt the stored status (obligations rebuild-status) in {time.perf_counter() - started:.1f} s")

    client = app.test_client()
    results, outcomes = [], []
    for label, account, url_path in (
        ("inspector dashboard, county (this year)", seeded["county"], "/inspect/"),
        ("inspector dashboard, county, last year", seeded["county"], f"/inspect/?year={dt.date.today().year - 1}"),
        ("inspector dashboard, county, all 10 years", seeded["county"], "/inspect/?year=all"),
        ("inspector dashboard, township", seeded["township"], "/inspect/"),
        ("inspector drill-down, one village", seeded["county"], f"/inspect/villages/{seeded['village_code']}"),
        ("public township calendar", None, f"/t/{seeded['township_code']}/calendar"),
        ("public village calendar", None, f"/v/{seeded['village_code']}/calendar"),
    ):
        with client.session_transaction() as session:
            session.clear()
            if account is not None:
                session.update(account_id=account, epoch=0)
        p50, p95, cpu, size = measure(client, url_path, args.requests)
        results.append((label, p50, p95))
        print(f"{label:<45} p50 {p50:7.1f} ms   p95 {p95:7.1f} ms   CPU {cpu:7.1f} ms/request   ({size // 1024} KiB)")
        name = "_".join(label.replace(",", "").replace("-", " ").split())
        outcomes.append(result_line(f"accountability_{name}_p95", p95, "ms", 150))

    with app.app_context():
        seconds = seed_audit(args.entries)
        print(f"appended {args.entries} audit entries (executemany, real hashes) in {seconds:.1f} s")
        last = [0]

        def progress(n: int) -> None:
            last[0] += n

        started = time.perf_counter()
        verdict = verify_chain(db.engine, progress=progress)
        elapsed = time.perf_counter() - started
        print(
            f"audit verify: {verdict.entries} entries, {verdict.checkpoints} checkpoints, "
            f"ok={verdict.ok}, {elapsed:.1f} s"
        )
        # 1,000,000 entries in 60 s, as a rate so that a smaller run says the same thing
        outcomes.append(
            result_line("audit_verify_rate", verdict.entries / elapsed, "entries/s", 1e6 / 60, at_most=False)
        )
        db.engine.dispose()
    print(f"{load_average()}\n" + "\n".join(outcomes))


if __name__ == "__main__":
    main()

"""Villagers filing matters at once, against a real gunicorn server: throughput, latency, losses.

Each submission is what a phone does: GET /complaints/new without a cookie (a new villager),
then POST the form as multipart/form-data with the session cookie, the CSRF token and the
form's one-time token, then read the receipt's tracking number and code. `--clients` threads do
this back to back over keep-alive connections until `--submissions` are done.

Afterwards the database is read back: every receipt's number must be there with a code that
verifies (a receipt for a matter that is not in the database is a matter lost), the count must
match, and the audit log must still be gap-free. Prints figures; asserts no timing. Exits 1 if
a matter is lost or a number is duplicated.

Targets (issue 16, target 3): server CPU per submission (GET + POST) at most 1.5 times that of
the reference, benchmarks/filing_reference_app.py (a Flask-WTF form and one SQLAlchemy insert),
run under the same gunicorn settings in the same run, the two alternating in `--rounds` batches;
at least 200 submissions/s at 32 concurrent clients when the server has the two cores to itself,
none lost. On a shared machine the rate measured is printed beside the capacity the CPU figure
implies (CPUs / server CPU seconds per submission), which is what the 200/s target is read by.

    .venv/bin/python benchmarks/complaints_benchmark.py                    # SQLite, defaults
    .venv/bin/python benchmarks/complaints_benchmark.py --workers 4 --threads 4
    .venv/bin/python benchmarks/complaints_benchmark.py \\
        --database-url postgresql://postgres@127.0.0.1:5432/bench --reset-database
"""

from __future__ import annotations

import argparse
import collections
import http.client
import itertools
import json
import os
import re
import secrets
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

PROJECT_ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(Path(__file__).resolve().parent))
from serving import (  # noqa: E402  (benchmarks/serving.py, beside this script)
    load_average,
    result_line,
    server_cpu_seconds,
    start_gunicorn,
    wait_until_answering,
)

BIN = Path(sys.executable).parent
UNLIMITED = "1000000 per second"
COUNTY = "511399000000"
VILLAGES_PER_TOWNSHIP = 20
KINDS = ("suggestion", "question", "complaint", "report")

_TITLE = re.compile(r"<title>([^<]*)</title>")
_EXCEPTION = re.compile(r"^[\w.]+(?:Error|Exception): .*$", re.M)
_CSRF = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"')
_FORM_TOKEN = re.compile(r'name="form_token" type="hidden" value="([^"]*)"')
_NUMBER = re.compile(r'data-testid="tracking-number">([^<]+)<')
_CODE = re.compile(r'data-testid="tracking-code">([^<]+)<')


@dataclass
class Tally:
    """What the clients saw, appended to from every client thread (list.append is atomic)."""

    receipts: list[tuple[str, str]] = field(default_factory=list)  # (number, code)
    post_seconds: list[float] = field(default_factory=list)
    submission_seconds: list[float] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--submissions", type=int, default=400)
    parser.add_argument("--full", action="store_true", help="the issue's size: 2000 submissions")
    parser.add_argument("--clients", type=int, default=32, help="concurrent villagers")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn worker processes")
    parser.add_argument("--threads", type=int, default=8, help="threads per gunicorn worker (gthread)")
    parser.add_argument(
        "--villages", type=int, default=14, help="villages in the county (every form lists them all); the demo has 14"
    )
    parser.add_argument("--database-url", default="", help="PostgreSQL URL; SQLite in a temp dir if not given")
    parser.add_argument(
        "--reset-database", action="store_true", help="drop and recreate schema public of --database-url first"
    )
    parser.add_argument("--port", type=int, default=0, help="the server's port (a free one if not given)")
    parser.add_argument("--reference-port", type=int, default=0, help="the reference app's port (a free one)")
    parser.add_argument("--rounds", type=int, default=2, help="product and reference batches, alternating")
    parser.add_argument("--keep", action="store_true", help="keep the instance directory and server log")
    args = parser.parse_args()
    if args.full:
        args.submissions = 2000
    if args.database_url and not args.reset_database:
        parser.error("--database-url empties that database's schema public: confirm with --reset-database")
    return args


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def reset_schema(url: str) -> None:
    from sqlalchemy import create_engine, text

    from transparency.core.db import normalise_url

    engine = create_engine(normalise_url(url))
    with engine.begin() as conn:
        conn.execute(text("DROP SCHEMA public CASCADE"))
        conn.execute(text("CREATE SCHEMA public"))
    engine.dispose()


def prepare_database(env: dict[str, str], database_url: str, secret_key: str, villages: int) -> list[str]:
    """Migrations by the project's own command, as an operator would; then one county's villages."""
    command = [str(BIN / "transparency"), "db", "upgrade"]
    subprocess.run(command, env=env, check=True, capture_output=True, cwd=PROJECT_ROOT)

    from transparency import create_app
    from transparency.areas.models import AreaLevel
    from transparency.areas.services import create_area
    from transparency.core.db import db

    app = create_app({"DATABASE_URL": database_url, "SECRET_KEY": secret_key})
    codes = []
    with app.app_context():
        session = db.session
        county = create_area(session, actor=None, code=COUNTY, name="临江县", level=AreaLevel.COUNTY, parent=None)
        township = None
        for index in range(villages):
            t, v = divmod(index, VILLAGES_PER_TOWNSHIP)
            if v == 0:
                code = f"{COUNTY[:6]}{101 + t:03d}000"
                township = create_area(
                    session, actor=None, code=code, name=f"第{t + 1}镇", level=AreaLevel.TOWNSHIP, parent=county
                )
            code = f"{COUNTY[:6]}{101 + t:03d}{201 + v:03d}"
            name = f"第{index + 1}村"
            create_area(session, actor=None, code=code, name=name, level=AreaLevel.VILLAGE, parent=township)
            codes.append(code)
        session.commit()
        db.engine.dispose()
    return codes


def start_server(args: argparse.Namespace, env: dict[str, str], port: int, log: Path) -> subprocess.Popen[bytes]:
    command = [
        str(BIN / "gunicorn"),
        *("--workers", str(args.workers), "--worker-class", "gthread", "--threads", str(args.threads)),
        *("--bind", f"127.0.0.1:{port}", "--log-level", "info", "--error-logfile", str(log)),
        "wsgi:app",
    ]
    # Tracebacks of failed requests land in the error log too (Flask logs to wsgi.errors).
    with log.open("ab") as output:
        return subprocess.Popen(command, env=env, cwd=PROJECT_ROOT, stdout=output, stderr=subprocess.STDOUT)


def wait_until_serving(server: subprocess.Popen[bytes], port: int, workers: int, log: Path) -> None:
    """Every worker booted and the form answering; then each template compiled once per worker."""
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit(f"gunicorn exited ({server.returncode}):\n{log.read_text()[-3000:]}")
        booted = log.exists() and log.read_text().count("Booting worker") >= workers
        if booted:
            try:
                connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
                status = request(connection, "GET", "/complaints/new")[0]
                connection.close()
                if status == 200:
                    break
            except OSError:
                pass
        time.sleep(0.2)
    else:
        raise SystemExit(f"gunicorn did not answer within 120 s:\n{log.read_text()[-3000:]}")
    warm = [threading.Thread(target=submit_forms_only, args=(port, 4)) for _ in range(workers * 4)]
    for thread in warm:
        thread.start()
    for thread in warm:
        thread.join()


def request(
    connection: http.client.HTTPConnection,
    method: str,
    path: str,
    body: bytes | None = None,
    headers: dict[str, str] | None = None,
) -> tuple[int, str, str]:
    """(status, cookies set, page), the whole body read so the connection can be reused."""
    connection.request(method, path, body=body, headers=headers or {})
    response = connection.getresponse()
    page = response.read().decode()
    cookies = "; ".join(c.split(";", 1)[0] for c in response.headers.get_all("Set-Cookie") or [])
    return response.status, cookies, page


def submit_forms_only(port: int, times: int) -> None:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    for _ in range(times):
        request(connection, "GET", "/complaints/new")
    connection.close()


def multipart(fields: dict[str, str]) -> tuple[bytes, str]:
    """The form as a phone's browser sends it: multipart, with an empty file part for the photos."""
    boundary = "----cwgk" + secrets.token_hex(12)
    parts = [f'--{boundary}\r\nContent-Disposition: form-data; name="{k}"\r\n\r\n{v}\r\n' for k, v in fields.items()]
    parts.append(
        f'--{boundary}\r\nContent-Disposition: form-data; name="photos"; filename=""\r\n'
        "Content-Type: application/octet-stream\r\n\r\n\r\n"
    )
    parts.append(f"--{boundary}--\r\n")
    return "".join(parts).encode(), f"multipart/form-data; boundary={boundary}"


def villager(
    port: int, villages: list[str], tickets: itertools.count[int], total: int, tally: Tally, lock: threading.Lock
) -> None:
    """One client: file matters back to back, each as a new villager, until all tickets are taken."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    while True:
        with lock:
            ticket = next(tickets)
        if ticket >= total:
            break
        started = time.perf_counter()
        try:
            status, cookie, page = request(connection, "GET", "/complaints/new")
            csrf, token = _CSRF.search(page), _FORM_TOKEN.search(page)
            if status != 200 or not csrf or not token:
                title = _TITLE.search(page)
                tally.failures.append(f"GET {status}: {title.group(1) if title else page[:200]}")
                continue
            body, content_type = multipart(
                {
                    "csrf_token": csrf.group(1),
                    "form_token": token.group(1),
                    "kind": KINDS[ticket % len(KINDS)],
                    "village": villages[ticket % len(villages)],
                    "title": f"压力测试第 {ticket} 件",
                    "body": "村东头到小学门口的六盏路灯坏了三个月，晚上孩子放学很不安全。",
                    "named_officials": "",
                    "contact_name": "",
                    "contact_phone": "",
                    "website": "",
                }
            )
            headers = {"Content-Type": content_type, "Cookie": cookie}
            posted = time.perf_counter()
            status, _, html = request(connection, "POST", "/complaints/new", body, headers)
            done = time.perf_counter()
            number, code = _NUMBER.search(html), _CODE.search(html)
            if status != 200 or not number or not code:
                title = _TITLE.search(html)
                tally.failures.append(f"POST {status}: {title.group(1) if title else html[:200]}")
                continue
            tally.receipts.append((number.group(1).strip(), code.group(1).strip()))
            tally.post_seconds.append(done - posted)
            tally.submission_seconds.append(done - started)
        except (OSError, http.client.HTTPException) as error:
            tally.failures.append(f"{type(error).__name__}: {error}")
            connection.close()
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    connection.close()


def run_clients(port: int, villages: list[str], clients: int, submissions: int) -> tuple[Tally, float]:
    tally, lock, tickets = Tally(), threading.Lock(), itertools.count()
    threads = [
        threading.Thread(target=villager, args=(port, villages, tickets, submissions, tally, lock))
        for _ in range(clients)
    ]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return tally, time.perf_counter() - started


def stop_server(server: subprocess.Popen[bytes]) -> None:
    if server.poll() is None:
        server.send_signal(signal.SIGTERM)
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


@dataclass(frozen=True)
class Reckoning:
    matters: int
    missing: int  # receipts whose number is not in the database
    unverified: int  # receipts whose code does not verify against their matter
    audit_entries: int
    audit_gap_free: bool


def reckon(database_url: str, secret_key: str, receipts: list[tuple[str, str]]) -> Reckoning:
    """Read the database back after the server stopped, with the project's own code."""
    from sqlalchemy import select

    from transparency import create_app
    from transparency.audit.models import AuditEntry
    from transparency.complaints import codes
    from transparency.complaints.models import Matter
    from transparency.core.db import db

    app = create_app({"DATABASE_URL": database_url, "SECRET_KEY": secret_key})
    with app.app_context():
        digests = dict(db.session.execute(select(Matter.number, Matter.code_digest)).all())
        seqs = db.session.scalars(select(AuditEntry.seq).order_by(AuditEntry.seq)).all()
        missing = sum(1 for number, _ in receipts if number not in digests)
        unverified = sum(
            1
            for number, code in receipts
            if number in digests and not codes.matches(digests[number], number, codes.normalise_code(code))
        )
        db.session.close()
        db.engine.dispose()
    return Reckoning(len(digests), missing, unverified, len(seqs), seqs == list(range(1, len(seqs) + 1)))


def milliseconds(samples: list[float]) -> str:
    if len(samples) < 2:
        return "n/a"
    cuts = statistics.quantiles(samples, n=100, method="inclusive")
    return f"p50 {cuts[49] * 1000:.1f} ms, p99 {cuts[98] * 1000:.1f} ms, max {max(samples) * 1000:.1f} ms"


def main() -> int:
    args = parse_args()
    instance = Path(tempfile.mkdtemp(prefix="complaints-benchmark-"))
    database_url = args.database_url or f"sqlite:///{instance / 'transparency.sqlite3'}"
    secret_key = secrets.token_hex(32)
    env = {
        **os.environ,
        "TRANSPARENCY_INSTANCE_PATH": str(instance),
        "DATABASE_URL": database_url,
        "SECRET_KEY": secret_key,
        "RATELIMIT_STORAGE_URI": "memory://",
        "COMPLAINT_RATE_LIMIT": UNLIMITED,
        "TRACK_RATE_LIMIT": UNLIMITED,
    }
    os.environ["TRANSPARENCY_INSTANCE_PATH"] = str(instance)  # for this process's own create_app
    log = instance / "gunicorn.log"
    server = reference = None
    try:
        if args.database_url:
            reset_schema(args.database_url)
        villages = prepare_database(env, database_url, secret_key, args.villages)
        port = args.port or free_port()
        server = start_server(args, env, port, log)
        reference_port = args.reference_port or free_port()
        reference = start_gunicorn(
            "filing_reference_app:app",
            env={
                **env,
                "REFERENCE_DATABASE_URL": f"sqlite:///{instance / 'reference.sqlite3'}",
                "REFERENCE_VILLAGES": ",".join(villages),
            },
            cwd=Path(__file__).resolve().parent,
            port=reference_port,
            log=instance / "reference.log",
            options=("--workers", str(args.workers), "--worker-class", "gthread", "--threads", str(args.threads)),
        )
        wait_until_serving(server, port, args.workers, log)
        wait_until_answering(reference, reference_port, "/complaints/new", instance / "reference.log")
        for _ in range(args.workers * 4):
            submit_forms_only(reference_port, 4)
        tally, reference_tally = Tally(), Tally()
        elapsed = reference_elapsed = server_cpu = reference_cpu = 0.0
        client_cpu_before = time.process_time()
        batch = max(1, args.submissions // args.rounds)
        for _ in range(args.rounds):  # product, reference, product, reference...
            for target, target_port, into in ((server, port, tally), (reference, reference_port, reference_tally)):
                cpu_before = server_cpu_seconds(target) or 0.0
                batch_tally, seconds = run_clients(target_port, villages, args.clients, batch)
                cpu = (server_cpu_seconds(target) or 0.0) - cpu_before
                for name in ("receipts", "post_seconds", "submission_seconds", "failures"):
                    getattr(into, name).extend(getattr(batch_tally, name))
                if target is server:
                    elapsed, server_cpu = elapsed + seconds, server_cpu + cpu
                else:
                    reference_elapsed, reference_cpu = reference_elapsed + seconds, reference_cpu + cpu
        client_cpu = time.process_time() - client_cpu_before
        stop_server(server)
        stop_server(reference)
        server_errors = _EXCEPTION.findall(log.read_text(errors="replace"))
        result = reckon(database_url, secret_key, tally.receipts)
    finally:
        for running in (server, reference):
            if running is not None:
                stop_server(running)
        if args.keep:
            print(f"instance kept in {instance}")
        else:
            shutil.rmtree(instance, ignore_errors=True)

    backend = "PostgreSQL" if args.database_url else "SQLite"
    numbers = {number for number, _ in tally.receipts}
    lost = result.missing + max(0, len(tally.receipts) - result.matters)
    figures: dict[str, Any] = {
        "database": backend,
        "server": f"gunicorn --workers {args.workers} --worker-class gthread --threads {args.threads}",
        "clients": args.clients,
        "villages": args.villages,
        "submissions": args.submissions,
        "seconds": round(elapsed, 2),
        "submissions_per_second": round(len(tally.receipts) / elapsed, 1),
        "receipts": len(tally.receipts),
        "failed": len(tally.failures),
        "distinct_numbers": len(numbers),
        "matters_in_database": result.matters,
        "receipts_without_matter": result.missing,
        "codes_not_verifying": result.unverified,
        "matters_lost": lost,
        "audit_entries": result.audit_entries,
        "audit_gap_free": result.audit_gap_free,
    }
    print(f"database:     {backend}  ({figures['server']}, {os.cpu_count()} CPUs, {args.villages} villages)")
    print(f"submitted:    {args.submissions} by {args.clients} concurrent clients in {elapsed:.2f} s")
    print(f"throughput:   {figures['submissions_per_second']} submissions/s (GET form + POST + receipt)")
    print(f"POST latency: {milliseconds(tally.post_seconds)}")
    print(f"GET+POST:     {milliseconds(tally.submission_seconds)}")
    done = max(1, len(tally.receipts))
    reference_done = max(1, len(reference_tally.receipts))
    per_submission = server_cpu / done
    reference_per_submission = reference_cpu / reference_done
    ratio = per_submission / reference_per_submission if reference_per_submission else float("inf")
    capacity = (os.cpu_count() or 1) / per_submission if per_submission else 0.0
    figures["server_cpu_ms_per_submission"] = round(per_submission * 1000, 2)
    figures["reference_cpu_ms_per_submission"] = round(reference_per_submission * 1000, 2)
    figures["reference_submissions_per_second"] = round(len(reference_tally.receipts) / reference_elapsed, 1)
    figures["reference_failed"] = len(reference_tally.failures)
    print(
        f"CPU:          server {per_submission * 1000:.1f} ms per submission, reference"
        f" {reference_per_submission * 1000:.1f} ms ({ratio:.2f}x); clients {client_cpu / done * 1000:.1f} ms;"
        f" {server_cpu / elapsed:.2f} of {os.cpu_count()} CPUs went to the server"
    )
    print(
        f"reference:    {figures['reference_submissions_per_second']} submissions/s,"
        f" {len(reference_tally.receipts)} receipts, failed: {len(reference_tally.failures)}"
    )
    print(f"capacity:     {capacity:.0f} submissions/s if the server had the {os.cpu_count()} CPUs to itself")
    figures["client_cpu_ms_per_submission"] = round(client_cpu / done * 1000, 1)
    print(f"receipts:     {len(tally.receipts)} ({len(numbers)} distinct numbers), failed: {len(tally.failures)}")
    print(f"database:     {result.matters} matters, {result.audit_entries} audit entries", end="")
    print(f" ({'gap-free' if result.audit_gap_free else 'WITH GAPS'}), codes not verifying: {result.unverified}")
    print(
        f"matters lost: {lost} (receipts without a matter: {result.missing}, "
        f"receipts minus matters: {len(tally.receipts) - result.matters})"
    )
    for failure, times in collections.Counter(tally.failures).most_common(5):
        print(f"  failure ×{times}: {failure}")
    for error, times in collections.Counter(server_errors).most_common(5):
        print(f"  server log ×{times}: {error[:300]}")
    print(json.dumps(figures, ensure_ascii=False))
    print(load_average())
    print(result_line("filing_cpu_ratio", ratio, "x", 1.5))
    print(result_line("filing_capacity", capacity, "submissions/s", 200, at_most=False))
    print(result_line("filing_rate", figures["submissions_per_second"], "submissions/s", 200, at_most=False))
    print(result_line("filing_lost", lost, "matters", 0))
    broken = lost or len(numbers) != len(tally.receipts) or result.unverified or not result.audit_gap_free
    return 1 if broken else 0


if __name__ == "__main__":
    sys.exit(main())

"""Running a WSGI app under gunicorn for a benchmark, and reading its CPU from /proc.

Server CPU per request (user + system ticks of the master and its workers) is steadier than
requests/s on a shared machine, so the page benchmarks report both, product and reference
alternating in one run.
"""

from __future__ import annotations

import http.client
import os
import re
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def start_gunicorn(
    app: str, *, env: dict[str, str], cwd: Path, port: int, log: Path, options: tuple[str, ...] = ()
) -> subprocess.Popen[bytes]:
    """`gunicorn <options> <app>` bound to 127.0.0.1:port, its error log (and tracebacks) in `log`."""
    command = [
        str(Path(sys.executable).parent / "gunicorn"),
        *options,
        *("--bind", f"127.0.0.1:{port}", "--log-level", "info", "--error-logfile", str(log)),
        app,
    ]
    with log.open("ab") as output:
        return subprocess.Popen(command, env=env, cwd=cwd, stdout=output, stderr=subprocess.STDOUT)


def wait_until_answering(
    server: subprocess.Popen[bytes], port: int, path: str, log: Path, timeout: float = 120
) -> None:
    """Until `path` answers 200 (or the server died: SystemExit with the end of its log)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit(f"gunicorn exited ({server.returncode}):\n{log.read_text()[-3000:]}")
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
            connection.request("GET", path)
            status = connection.getresponse().status
            connection.close()
            if status == 200:
                return
        except OSError:
            pass
        time.sleep(0.2)
    raise SystemExit(f"gunicorn did not answer {path} within {timeout:.0f} s:\n{log.read_text()[-3000:]}")


def server_cpu_seconds(server: subprocess.Popen[bytes]) -> float | None:
    """User + system CPU of the gunicorn master and its workers so far (Linux /proc; None elsewhere)."""

    def stat(pid: str) -> list[str]:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()

    if not Path(f"/proc/{server.pid}/stat").exists():
        return None
    ticks = 0
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = stat(entry.name)
        except OSError:  # another process ended meanwhile
            continue
        if int(entry.name) == server.pid or int(fields[1]) == server.pid:
            ticks += int(fields[11]) + int(fields[12])  # utime, stime
    return ticks / os.sysconf("SC_CLK_TCK")


def stop_server(server: subprocess.Popen[bytes]) -> None:
    if server.poll() is None:
        server.send_signal(signal.SIGTERM)
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


def load_average() -> str:
    """The machine's 1/5/15-minute load, printed beside every figure (the machine is shared)."""
    one, five, fifteen = os.getloadavg()
    return f"load {one:.2f} {five:.2f} {fifteen:.2f} on {os.cpu_count()} CPUs"


def result_line(name: str, value: float, unit: str, target: float, *, at_most: bool = True) -> str:
    """`RESULT <name> <value> <unit> target <target> <met|missed>`: the target is an upper bound
    (`at_most`, e.g. milliseconds) or a lower one (e.g. a share of the reference's requests/s)."""
    met = value <= target if at_most else value >= target
    name = re.sub(r"[^0-9A-Za-z]+", "_", name).strip("_")  # one word, whatever label it came from
    return f"RESULT {name} {value:.2f} {unit} target {target:g} {'met' if met else 'missed'}"

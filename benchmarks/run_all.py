"""`make bench`: every benchmark in benchmarks/ at a size that finishes in minutes, one after another.

    .venv/bin/python benchmarks/run_all.py           # the small sizes (under 10 minutes on 2 cores)
    .venv/bin/python benchmarks/run_all.py --full    # the issue's sizes (an hour or more)

Each script prints its figures and then one line per target:
`RESULT <name> <value> <unit> target <target> <met|missed>`. This runner repeats every RESULT
line at the end, with the machine's load before and after (the machine may be shared).
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import time
from pathlib import Path

from serving import load_average

HERE = Path(__file__).resolve().parent
# (script, its arguments for the small run, its arguments in both runs)
BENCHMARKS = (
    ("pages_benchmark.py", ["--requests", "150", "--rounds", "2"], ["--ports", "5108,5118"]),
    ("complaints_benchmark.py", [], ["--port", "5108", "--reference-port", "5109"]),
    ("data_benchmark.py", [], []),
    ("accountability_benchmark.py", [], []),
    ("print_benchmark.py", [], []),
    ("search_benchmark.py", [], []),
    ("memory_benchmark.py", [], []),
)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--full", action="store_true", help="each script with --full")
    args = parser.parse_args()
    results, failed, started = [], [], time.perf_counter()
    print(f"before: {load_average()}", flush=True)
    for script, quick, always in BENCHMARKS:
        command = [sys.executable, str(HERE / script), *always, *(["--full"] if args.full else quick)]
        print(f"\n=== {' '.join(command[1:])}", flush=True)
        began = time.perf_counter()
        run = subprocess.run(command, cwd=HERE.parent, capture_output=True, text=True, check=False)
        sys.stdout.write(run.stdout)
        sys.stdout.write(run.stderr[-3000:] if run.returncode else "")
        print(f"=== {script}: {time.perf_counter() - began:.0f} s, exit {run.returncode}", flush=True)
        results += [line for line in run.stdout.splitlines() if line.startswith("RESULT ")]
        if run.returncode:
            failed.append(script)
    print(f"\nall benchmarks in {time.perf_counter() - started:.0f} s; after: {load_average()}")
    print("\n".join(results))
    if failed:
        print(f"failed: {', '.join(failed)}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())

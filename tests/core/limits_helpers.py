"""Work for the bounded runner's tests: module-level, so a forkserver child can import it by name."""

from __future__ import annotations

import os
import time


class Refused(ValueError):
    """An exception the caller expects back from the child."""


def add(a: int, b: int) -> tuple[int, int]:
    return a + b, os.getpid()


def sleep_for(seconds: float) -> None:
    time.sleep(seconds)


def allocate(megabytes: int) -> int:
    return len(bytearray(megabytes * 1024 * 1024))


def refuse(message: str) -> None:
    raise Refused(message)


def crash() -> None:
    raise KeyError("something unexpected")


def address_space() -> int:
    """This process's address space in bytes (VmSize)."""
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmSize:"):
                return int(line.split()[1]) * 1024
    raise RuntimeError("no VmSize")

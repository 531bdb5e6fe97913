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

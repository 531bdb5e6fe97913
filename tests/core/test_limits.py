"""Expensive work runs in a child process that is killed at its time limit and cannot take
more memory than its cap; the web process survives either way."""

from __future__ import annotations

import multiprocessing
import os

import pytest

from tests.core import limits_helpers
from transparency.core import limits as limits_module
from transparency.core.limits import (
    Limits,
    WorkBusy,
    WorkFailed,
    WorkOutOfMemory,
    WorkTimedOut,
    run_bounded,
    upload_limits,
)

HELPERS = [limits_helpers.__name__]
GENEROUS = Limits(time_limit=30, memory_limit=512 * 1024 * 1024)


def test_the_work_is_done_in_another_process():
    total, pid = run_bounded(limits_helpers.add, 2, 3, limits=GENEROUS, preload=HELPERS)
    assert total == 5 and pid != os.getpid()
    assert multiprocessing.active_children() == []


def test_work_past_its_time_limit_is_killed():
    with pytest.raises(WorkTimedOut):
        run_bounded(limits_helpers.sleep_for, 60, limits=Limits(time_limit=0.5, memory_limit=GENEROUS.memory_limit))
    assert multiprocessing.active_children() == []  # killed, not left running


def test_work_past_its_memory_cap_gets_no_memory():
    assert run_bounded(limits_helpers.allocate, 16, limits=GENEROUS, preload=HELPERS) == 16 * 1024 * 1024
    with pytest.raises(WorkOutOfMemory):
        run_bounded(limits_helpers.allocate, 1024, limits=GENEROUS, preload=HELPERS)


def test_expected_exceptions_come_back_and_others_become_work_failed():
    with pytest.raises(limits_helpers.Refused, match="not a photo"):
        run_bounded(
            limits_helpers.refuse, "not a photo", limits=GENEROUS, passes=(limits_helpers.Refused,), preload=HELPERS
        )
    with pytest.raises(WorkFailed, match="Refused: not a photo"):
        run_bounded(limits_helpers.refuse, "not a photo", limits=GENEROUS, preload=HELPERS)
    with pytest.raises(WorkFailed, match="KeyError"):
        run_bounded(limits_helpers.crash, limits=GENEROUS, passes=(limits_helpers.Refused,), preload=HELPERS)


def test_callers_beyond_the_concurrency_wait_then_hear_busy():
    limits = Limits(time_limit=0.2, memory_limit=GENEROUS.memory_limit, concurrency=1)
    slot = limits_module._slot(limits.pool, limits.concurrency)
    with slot:  # the one slot is taken, as by a long check in another thread
        with pytest.raises(WorkBusy):
            run_bounded(limits_helpers.add, 1, 1, limits=limits, preload=HELPERS)
    assert run_bounded(limits_helpers.add, 1, 1, limits=GENEROUS, preload=HELPERS)[0] == 2


def test_a_pool_with_every_slot_taken_does_not_block_another_pool():
    printing = Limits(time_limit=0.2, memory_limit=GENEROUS.memory_limit, concurrency=1, pool="print")
    uploads = Limits(time_limit=5, memory_limit=GENEROUS.memory_limit, concurrency=1, pool="uploads")
    with limits_module._slot(printing.pool, printing.concurrency):  # a long rendering
        with pytest.raises(WorkBusy):
            run_bounded(limits_helpers.add, 1, 1, limits=printing, preload=HELPERS)
        assert run_bounded(limits_helpers.add, 1, 1, limits=uploads, preload=HELPERS)[0] == 2


def test_upload_limits_come_from_the_config_with_defaults():
    assert upload_limits({}) == Limits(time_limit=10, memory_limit=512 * 1024 * 1024, concurrency=2, pool="uploads")
    assert upload_limits({"UPLOAD_TIME_LIMIT": 3, "UPLOAD_CONCURRENCY": 1}).time_limit == 3

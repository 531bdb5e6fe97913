"""Tracking numbers: a series letter per audit epoch, and lookups that accept both forms."""

from __future__ import annotations

import pytest

from transparency.complaints import codes


@pytest.mark.parametrize(
    ("epoch", "series"), [(1, ""), (2, "B"), (3, "C"), (26, "Z"), (27, "AA"), (28, "AB"), (702, "ZZ"), (703, "AAA")]
)
def test_each_epoch_has_its_own_series(epoch, series):
    assert codes.series_for(epoch) == series


def test_no_two_epochs_share_a_series():
    seen = [codes.series_for(n) for n in range(1, 2000)]
    assert len(set(seen)) == len(seen)


@pytest.mark.parametrize(
    ("typed", "number"),
    [
        ("2026-000495", "2026-000495"),
        ("2026000495", "2026-000495"),
        (" 2026－000495 ", "2026-000495"),
        ("2026-B-000495", "2026-B-000495"),
        ("2026-b-000495", "2026-B-000495"),
        ("2026B000495", "2026-B-000495"),
        ("2026 - AA - 000495", "2026-AA-000495"),
    ],
)
def test_old_and_new_numbers_are_read_in_every_usual_spelling(typed, number):
    assert codes.normalise_number(typed) == number


@pytest.mark.parametrize("typed", ["", "2026", "2026-00049", "2026-ABCD-000495", "2026-1-000495", "B-000495"])
def test_anything_else_is_not_a_number(typed):
    assert codes.normalise_number(typed) is None


def test_numbers_of_the_first_epoch_keep_their_old_form():
    assert codes.number_for(2026, 495) == "2026-000495"
    assert codes.number_for(2026, 495, "B") == "2026-B-000495"

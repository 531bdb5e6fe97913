"""Money is integer fen, parsed from what people type and shown as ¥1,234.56."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from transparency.core.money import MAX_FEN, InvalidAmount, format_yuan, parse_hundredths, parse_yuan


@pytest.mark.parametrize(
    ("typed", "fen"),
    [
        ("1234.56", 123456),
        ("1,234.56", 123456),
        ("¥1,234.5", 123450),
        ("0.01", 1),
        ("12元", 1200),
        ("123", 12300),
        ("1，234", 123400),
    ],
)
def test_parse_yuan(typed, fen):
    assert parse_yuan(typed) == fen


@pytest.mark.parametrize(
    "typed", ["", "abc", "1.234", "1,23", "--5", "1e5", "NaN", "Infinity", "12.3.4", "1" * 20, "0x10"]
)
def test_parse_yuan_refuses_what_is_not_money(typed):
    with pytest.raises(InvalidAmount):
        parse_yuan(typed)


def test_negative_only_where_allowed():
    with pytest.raises(InvalidAmount, match="负数"):
        parse_yuan("-5")
    assert parse_yuan("-5", allow_negative=True) == -500


def test_absurd_amounts_are_refused():
    with pytest.raises(InvalidAmount, match="过大"):
        parse_yuan(str(MAX_FEN))


@pytest.mark.parametrize(("fen", "shown"), [(123456, "¥1,234.56"), (5, "¥0.05"), (-100, "-¥1.00"), (0, "¥0.00")])
def test_format_yuan(fen, shown):
    assert format_yuan(fen) == shown


@given(st.integers(min_value=-(MAX_FEN - 1), max_value=MAX_FEN - 1))
def test_format_then_parse_round_trips(fen):
    assert parse_yuan(format_yuan(fen), allow_negative=True) == fen


@given(st.integers(min_value=0, max_value=10**11 - 1))
def test_hundredths_round_trip(value):
    whole, part = divmod(value, 100)
    assert parse_hundredths(f"{whole}.{part:02d}") == value

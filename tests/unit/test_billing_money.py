from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kaspr_tui.billing.money import format_money, round_half_up


@pytest.mark.parametrize(
    ("cents", "currency", "expected"),
    [
        (123450, "eur", "€1,234.50"),
        (5, "eur", "€0.05"),
        (0, "eur", "€0.00"),
        (123456789, "eur", "€1,234,567.89"),
        (-1200, "eur", "\u2212€12.00"),
        (123450, "EUR", "€1,234.50"),
        (123450, "usd", "USD 1,234.50"),
        (-99, "gbp", "\u2212GBP 0.99"),
    ],
)
def test_format_money(cents, currency, expected):
    assert format_money(cents, currency) == expected


def test_negative_amounts_use_a_real_minus_sign_not_a_hyphen():
    assert "-" not in format_money(-1200)


@given(st.integers(min_value=-(10**12), max_value=10**12))
def test_format_money_keeps_every_digit_and_the_sign(cents):
    shown = format_money(cents)
    assert int("".join(char for char in shown if char.isdigit())) == abs(cents)
    assert shown.startswith("\u2212") == (cents < 0)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (Decimal("2.5"), 3),
        (Decimal("-2.5"), -3),  # away from zero, not towards +infinity
        (Decimal("2.4999"), 2),
        (Fraction(1, 3), 0),
        (Fraction(2, 3), 1),
        (Fraction(-7, 2), -4),
        (Fraction(-1, 2), -1),
    ],
)
def test_round_half_up_rounds_halves_away_from_zero(value, expected):
    assert round_half_up(value) == expected


@given(st.fractions(max_denominator=10**6))
def test_round_half_up_is_symmetric_and_within_half_a_unit(value):
    assert round_half_up(-value) == -round_half_up(value)
    assert abs(round_half_up(value) - value) <= Fraction(1, 2)

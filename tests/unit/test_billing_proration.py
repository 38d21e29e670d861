from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kaspr_tui.billing.proration import is_upgrade, prorate
from kaspr_tui.billing.quotes import Terms

DAY = 86_400


@pytest.mark.parametrize(
    ("amount", "remaining", "period", "expected"),
    [
        # Business annual, 10 seats: 79.00 × 12 × 10 = 9,480.00; half of a 365-day year left.
        (948_000, 182 * DAY + DAY // 2, 365 * DAY, 474_000),
        # Starter monthly, 3 seats = 177.00; 10 of 31 days left: 17,700 × 10 / 31 = 5,709.677… → 5,710.
        (17_700, 10 * DAY, 31 * DAY, 5_710),
        # 1,000 × 1/3 = 333.33… → 333; 1,000 × 2/3 = 666.66… → 667.
        (1_000, 1, 3, 333),
        (1_000, 2, 3, 667),
        # Exactly half a cent rounds up, and a credit rounds to its exact opposite.
        (1, 1, 2, 1),
        (-1, 1, 2, -1),
        (9_900, 0, 30 * DAY, 0),
        (9_900, 30 * DAY, 30 * DAY, 9_900),
    ],
)
def test_prorate(amount, remaining, period, expected):
    assert prorate(amount, remaining, period) == expected


def test_prorate_holds_the_time_left_within_the_period():
    assert prorate(9_900, 45 * DAY, 30 * DAY) == 9_900  # clock before the period start
    assert prorate(9_900, -DAY, 30 * DAY) == 0  # clock after the period end


def test_prorate_refuses_an_empty_period():
    with pytest.raises(ValueError):
        prorate(9_900, 0, 0)


periods = st.integers(min_value=1, max_value=400 * DAY)


@given(amount=st.integers(min_value=0, max_value=10**10), period=periods, data=st.data())
def test_proration_is_never_negative_nor_more_than_the_whole(amount, period, data):
    remaining = data.draw(st.integers(min_value=0, max_value=period))
    share = prorate(amount, remaining, period)
    assert 0 <= share <= amount
    assert abs(share - Fraction(amount * remaining, period)) <= Fraction(1, 2)


@given(amount=st.integers(min_value=0, max_value=10**10), period=periods, data=st.data())
def test_a_credit_is_the_exact_opposite_of_the_charge(amount, period, data):
    remaining = data.draw(st.integers(min_value=0, max_value=period))
    assert prorate(-amount, remaining, period) == -prorate(amount, remaining, period)


@pytest.mark.parametrize(
    ("current", "target", "upgrade"),
    [
        (Terms("business", "year", 10), Terms("organization", "year", 10), True),
        (Terms("starter", "month", 3), Terms("starter", "year", 3), True),  # monthly → annual
        (Terms("business", "month", 3), Terms("organization", "year", 3), True),
        (Terms("free", "month", 1), Terms("starter", "month", 1), True),
        (Terms("free", "year", 1), Terms("starter", "month", 1), True),  # free has no real interval
        (Terms("organization", "year", 10), Terms("business", "year", 10), False),
        (Terms("starter", "year", 3), Terms("starter", "month", 3), False),  # annual → monthly
        (Terms("starter", "year", 3), Terms("organization", "month", 3), False),  # up, but to monthly
        (Terms("organization", "month", 3), Terms("starter", "year", 3), False),  # annual, but a cheaper plan
        (Terms("business", "month", 3), Terms("free", "month", 1), False),
        (Terms("business", "year", 10), Terms("business", "year", 12), False),  # seats are not a plan change
        (Terms("free", "month", 1), Terms("free", "month", 1), False),
    ],
)
def test_is_upgrade(current, target, upgrade):
    assert is_upgrade(current, target) is upgrade

"""Proration (API.md rule 3) and telling an upgrade from a downgrade (rule 2)."""

from __future__ import annotations

from fractions import Fraction
from typing import TYPE_CHECKING

from kaspr_tui.billing.catalog import PLANS
from kaspr_tui.billing.money import round_half_up

if TYPE_CHECKING:  # quotes imports this module to price a change
    from kaspr_tui.billing.quotes import Terms


def prorate(amount: int, remaining_seconds: int, period_seconds: int) -> int:
    """The share of `amount` for the time left: amount × remaining ÷ period, rounded half up.

    `remaining_seconds` is held within the period, so a share never exceeds the whole amount
    nor flips its sign, even if the clock sits outside the period.
    """
    if period_seconds <= 0:
        raise ValueError("a billing period must last at least one second")
    remaining = min(max(remaining_seconds, 0), period_seconds)
    return round_half_up(Fraction(amount * remaining, period_seconds))


def is_upgrade(current: Terms, target: Terms) -> bool:
    """Whether moving from `current` to `target` applies now (rule 2) rather than at period end.

    An upgrade moves up in at least one way and down in none: to a plan with a higher per-seat
    price, or from monthly to annual billing. A cheaper plan (`free` included) or annual → monthly
    is a downgrade, even when combined with a move up; seats alone are neither (rule 1).
    Leaving `free` for any paid plan is an upgrade, whatever interval `free` was recorded with.
    """
    if not PLANS[current.plan].is_paid:
        return PLANS[target.plan].is_paid
    current_price = PLANS[current.plan].monthly_unit_amount
    target_price = PLANS[target.plan].monthly_unit_amount
    interval_down = current.interval == "year" and target.interval == "month"
    interval_up = current.interval == "month" and target.interval == "year"
    if target_price < current_price or interval_down:
        return False
    return target_price > current_price or interval_up

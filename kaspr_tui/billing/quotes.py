"""Pricing a proposed change to a subscription: which part applies now, which waits, what it costs.

INTERFACE (fixed; the server and the TUI code against it). Implementation owned by billing.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from kaspr_tui.billing.catalog import CreditType, Interval, PlanId


@dataclass(frozen=True, slots=True)
class Terms:
    """What a subscription is billed for."""

    plan: PlanId
    interval: Interval
    seats: int


@dataclass(frozen=True, slots=True)
class Line:
    description: str
    quantity: int
    unit_amount: int
    amount: int


@dataclass(frozen=True, slots=True)
class TaxDecision:
    rate_percent: Decimal
    reverse_charge: bool
    country: str | None


@dataclass(frozen=True, slots=True)
class PriceChange:
    immediate: Terms
    """The terms in force once this is paid (the current ones if nothing changes now)."""
    scheduled: Terms | None
    """Terms that wait for the period end (a downgrade, fewer seats), or None."""
    lines: tuple[Line, ...]
    """Charged now, before tax: proration lines (negative for unused time) and add-on packs."""
    subtotal: int
    tax: TaxDecision
    tax_amount: int
    total_due_now: int
    next_renewal_total: int
    """Tax included: the plan at the terms in force then, plus recurring add-on packs."""
    effective_at: datetime
    scheduled_for: datetime | None
    period_start: datetime
    period_end: datetime
    """The billing period once this is paid: a new one starts now for free → paid and monthly → annual."""


def price_change(
    current: Terms,
    target: Terms,
    *,
    addons_now: dict[CreditType, int],
    recurring_addons: dict[CreditType, int],
    period_start: datetime,
    period_end: datetime,
    now: datetime,
    tax: TaxDecision,
) -> PriceChange:
    raise NotImplementedError

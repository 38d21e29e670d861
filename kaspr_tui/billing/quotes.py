"""Pricing a proposed change to a subscription: which part applies now, which waits, what it costs.

How a change is priced (API.md rules 1-5):

- Whatever raises the bill applies now: an upgrade (see `proration.is_upgrade`) and added seats.
  A downgrade and removed seats wait for the period end, with no refund.
- A change within the period credits the unused time of what is replaced and charges the remaining
  time of what replaces it, one line per component, each rounded half up to the cent. On such a
  line `unit_amount` is the full per-seat price of one period (as Stripe shows a proration) and
  `amount` is the prorated sum.
- free → paid and monthly → annual start a new period now: the unused time is credited and the
  whole new period charged.
- Add-on packs are charged in full, never prorated, and join the recurring quantity. They renew
  every month on both intervals, because credits reset monthly: `next_renewal_total` is one
  period of the plan plus one month of packs (for an annual plan: the annual price plus one month),
  and `monthly_addons_total` what each monthly reset between renewals charges for them. Credits of
  a type whose pack has auto-renew off are for this period only: they do not join it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from kaspr_tui.billing.catalog import (
    ADDON_PACKS,
    CREDIT_LABELS,
    CREDIT_TYPES,
    PLANS,
    CreditType,
    Interval,
    PlanId,
)
from kaspr_tui.billing.periods import next_period_end, period_seconds, remaining_seconds
from kaspr_tui.billing.proration import is_upgrade, prorate
from kaspr_tui.billing.tax import TaxDecision, tax_amount
from kaspr_tui.billing.words import terms_words


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
    monthly_addons_total: int
    """Tax included: one month of the packs that renew once this is paid, as a monthly reset charges them."""
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
    ending_addons: frozenset[CreditType] = frozenset(),
) -> PriceChange:
    """Price moving from `current` to `target` at `now`, within the period `period_start`-`period_end`.

    `addons_now` are credit packs bought with the change; `recurring_addons` those that already
    renew; `ending_addons` the types whose pack ends at the next reset (auto-renew off), so what is
    added now does not renew. Limits (seats, members, pack sizes) are the caller's to check; this
    only prices.
    """
    immediate = _immediate_terms(current, target)
    scheduled = target if target != immediate else None
    starts_new_period = immediate != current and _starts_new_period(current, immediate)
    if starts_new_period:
        new_period_start, new_period_end = now, next_period_end(now, immediate.interval)
    else:
        new_period_start, new_period_end = period_start, period_end

    time_left = (remaining_seconds(now, period_end), period_seconds(period_start, period_end))
    lines = [*_plan_lines(current, immediate, starts_new_period, time_left), *_addon_lines(addons_now)]
    subtotal = sum(line.amount for line in lines)
    tax_now = tax_amount(subtotal, tax)

    renewing_addons = {
        credit_type: recurring_addons.get(credit_type, 0)
        + (0 if credit_type in ending_addons else addons_now.get(credit_type, 0))
        for credit_type in CREDIT_TYPES
    }
    packs_subtotal = sum(ADDON_PACKS[credit_type].price(quantity) for credit_type, quantity in renewing_addons.items())
    renewal_terms = scheduled or immediate
    plan_subtotal = PLANS[renewal_terms.plan].period_price(renewal_terms.interval, renewal_terms.seats)
    renewal_subtotal = plan_subtotal + packs_subtotal
    return PriceChange(
        immediate=immediate,
        scheduled=scheduled,
        lines=tuple(lines),
        subtotal=subtotal,
        tax=tax,
        tax_amount=tax_now,
        total_due_now=subtotal + tax_now,
        next_renewal_total=renewal_subtotal + tax_amount(renewal_subtotal, tax),
        monthly_addons_total=packs_subtotal + tax_amount(packs_subtotal, tax),
        effective_at=now,
        scheduled_for=new_period_end if scheduled else None,
        period_start=new_period_start,
        period_end=new_period_end,
    )


def _immediate_terms(current: Terms, target: Terms) -> Terms:
    """What applies now: an upgrade's plan and interval, and the larger seat count (rule 1, 2)."""
    same_plan = (current.plan, current.interval) == (target.plan, target.interval)
    plan_source = target if same_plan or is_upgrade(current, target) else current
    return Terms(plan_source.plan, plan_source.interval, max(current.seats, target.seats))


def _starts_new_period(current: Terms, immediate: Terms) -> bool:
    leaves_free = not PLANS[current.plan].is_paid and PLANS[immediate.plan].is_paid
    return leaves_free or current.interval != immediate.interval


def _plan_lines(current: Terms, immediate: Terms, starts_new_period: bool, time_left: tuple[int, int]) -> list[Line]:
    """Credit what is replaced and charge what replaces it, leaving out lines of zero."""
    if immediate == current:
        return []
    if starts_new_period:
        lines = [_prorated_line(current, time_left, credit=True), _new_period_line(immediate)]
    elif (current.plan, current.interval) == (immediate.plan, immediate.interval):
        added = Terms(immediate.plan, immediate.interval, immediate.seats - current.seats)
        lines = [_prorated_line(added, time_left, credit=False, seat_word="added seat")]
    else:
        lines = [_prorated_line(current, time_left, credit=True), _prorated_line(immediate, time_left, credit=False)]
    return [line for line in lines if line.amount != 0]


def _prorated_line(terms: Terms, time_left: tuple[int, int], *, credit: bool, seat_word: str = "seat") -> Line:
    """The unused time of `terms` as a credit, or its remaining time as a charge.

    `time_left` is (seconds remaining, seconds in the period).
    """
    unit_amount = _seat_period_price(terms)
    amount = prorate(unit_amount * terms.seats, *time_left)
    if credit:
        return Line(f"Unused time on {_describe(terms)}", terms.seats, -unit_amount, -amount)
    return Line(f"Remaining time on {_describe(terms, seat_word)}", terms.seats, unit_amount, amount)


def _new_period_line(terms: Terms) -> Line:
    unit_amount = _seat_period_price(terms)
    return Line(_describe(terms), terms.seats, unit_amount, unit_amount * terms.seats)


def _addon_lines(addons_now: dict[CreditType, int]) -> list[Line]:
    """Packs bought now, charged in full (rule 4), in catalog order."""
    lines = []
    for credit_type in CREDIT_TYPES:
        quantity = addons_now.get(credit_type, 0)
        if quantity > 0:
            pack = ADDON_PACKS[credit_type]
            lines.append(Line(f"{CREDIT_LABELS[credit_type]} add-on", quantity, pack.unit_amount, pack.price(quantity)))
    return lines


def _seat_period_price(terms: Terms) -> int:
    """One seat for one whole period: the `unit_amount` of a plan line."""
    return PLANS[terms.plan].period_price(terms.interval, 1)


def _describe(terms: Terms, seat_word: str = "seat") -> str:
    """`Business (annual) × 10 seats`."""
    return terms_words(PLANS[terms.plan].name, terms.interval, terms.seats, seat_word)

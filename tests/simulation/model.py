"""The simulation's own account of what must be true: an independent model of both workspaces,
built from the demo's starting state and from what each actor was told, never from the server's
bookkeeping. It knows when every payment falls due (the clock is still: time moves only when an
actor moves it), so it can say what the server must answer to every request and what every
subscription, balance and ledger must hold after every step.

It shares with the server only the catalog's prices, the tax rule and the calendar arithmetic of
`kaspr_tui.billing` (pure rules, not state); the state, the order things happen in and the ledger
are its own.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Literal

from kaspr_tui.billing.catalog import (
    ADDON_PACKS,
    CREDIT_TYPES,
    PLANS,
    CreditType,
    Interval,
    PlanId,
)
from kaspr_tui.billing.periods import credit_period_bounds, next_period_end
from kaspr_tui.billing.tax import TaxDecision, tax_amount

QUOTE_LIFETIME = timedelta(minutes=15)

Card = Literal["good", "declined", "3ds"]
CardOutcome = {"good": None, "declined": "card_declined", "3ds": None}

OPEN = ("processing", "requires_action")


class Violation(AssertionError):
    """An invariant did not hold, or the server answered what the model says it must not."""


@dataclass
class Balance:
    included: int
    addon: int
    used: int
    transferred: int = 0

    @property
    def remaining(self) -> int:
        return max(0, self.included + self.addon + self.transferred - self.used)


@dataclass
class Scheduled:
    plan: PlanId
    seats: int
    effective_at: datetime


@dataclass
class QuoteSeen:
    """A quote as its admin was told it, and the change the model expects it to make."""

    id: str
    workspace: str
    created: datetime
    total: int
    version: int
    """The workspace's version (in the model) when it was made: a later change makes it stale."""
    changes_terms: bool
    target_seats: int
    plan: PlanId
    immediate_seats: int
    scheduled_seats: int | None
    scheduled_for: datetime | None
    base_seats: int
    addons: dict[CreditType, int]

    @property
    def expires(self) -> datetime:
        return self.created + QUOTE_LIFETIME


@dataclass
class CheckoutSeen:
    key: str
    quote: QuoteSeen
    card: Card
    created: datetime
    status: str
    first_answer: str
    """The status in the answer to the first request: what a replay under its key answers."""
    due: datetime | None = None
    error: str | None = None
    id: str | None = None
    invoice_id: str | None = None
    inline_card: str | None = None
    """Last 4 digits of a card given with the order (saved, as the default, only if paid)."""
    inline_company: str | None = None

    @property
    def open(self) -> bool:
        return self.status in OPEN


@dataclass
class WorkspaceModel:
    name: str
    id: str
    plan: PlanId
    interval: Interval
    seats: int
    members: list[str]
    """Emails of its active members."""
    invitations: list[str]
    """Ids of its pending invitations."""
    scheduled: Scheduled | None
    period_end: datetime
    credit_end: datetime
    anchor: datetime
    """A moment on the billing anchor's day and time: credit periods start there every month."""
    balances: dict[CreditType, Balance]
    packs: dict[CreditType, list]
    """Credit type → [quantity, auto_renew]."""
    tax: TaxDecision
    default_card: str
    cards: set[str]
    company: str
    version: int = 0
    paid_total: int = 0
    """Sum of every paid invoice since the simulation began (checkouts and renewals)."""
    paid_count: int = 0
    renewal_charges: list[int] = field(default_factory=list)

    last_checkout: CheckoutSeen | None = None
    """An open checkout is always the workspace's latest: no other starts while one is open."""

    def open_checkout(self) -> CheckoutSeen | None:
        return self.last_checkout if self.last_checkout is not None and self.last_checkout.open else None

    def raise_included(self) -> None:
        for credit_type in CREDIT_TYPES:
            balance = self.balances[credit_type]
            balance.included = max(balance.included, PLANS[self.plan].included[credit_type] * self.seats)


@dataclass
class Model:
    now: datetime
    payment_delay: timedelta
    workspaces: dict[str, WorkspaceModel]
    checkouts: list[CheckoutSeen] = field(default_factory=list)

    # ---- time -----------------------------------------------------------------------------------

    def advance(self, seconds: int) -> None:
        self.now += timedelta(seconds=seconds)
        self.catch_up()

    def catch_up(self) -> None:
        """Everything due by `now`, oldest first, per workspace (they are independent)."""
        for workspace in self.workspaces.values():
            while (due := self._next_due(workspace)) is not None:
                at, kind, checkout = due
                if kind == "payment":
                    assert checkout is not None
                    self._settle(workspace, checkout)
                elif kind == "authentication_expired":
                    assert checkout is not None
                    self._fail(checkout, "authentication_expired")
                else:
                    self._reset(workspace, at)

    def _next_due(self, workspace: WorkspaceModel) -> tuple[datetime, str, CheckoutSeen | None] | None:
        candidates: list[tuple[datetime, int, str, CheckoutSeen | None]] = []
        checkout = workspace.open_checkout()
        if checkout is not None:
            if checkout.status == "processing" and checkout.due is not None and checkout.due <= self.now:
                candidates.append((checkout.due, 0, "payment", checkout))
            elif checkout.status == "requires_action" and checkout.quote.expires <= self.now:
                candidates.append((checkout.quote.expires, 1, "authentication_expired", checkout))
        if workspace.credit_end <= self.now:
            candidates.append((workspace.credit_end, 2, "reset", None))
        if not candidates:
            return None
        at, _, kind, found = min(candidates, key=lambda candidate: (candidate[0], candidate[1]))
        return at, kind, found

    def _settle(self, workspace: WorkspaceModel, checkout: CheckoutSeen) -> None:
        outcome = CardOutcome[checkout.card]
        if outcome is not None:
            self._fail(checkout, outcome)
            return
        self._succeed(workspace, checkout)

    def _succeed(self, workspace: WorkspaceModel, checkout: CheckoutSeen) -> None:
        quote = checkout.quote
        drift = workspace.seats - quote.base_seats
        seats = quote.immediate_seats + drift
        if seats > PLANS[quote.plan].max_seats:
            self._fail(checkout, "quote_outdated")
            return
        if quote.changes_terms:
            workspace.plan, workspace.seats = quote.plan, seats
            workspace.scheduled = (
                Scheduled(quote.plan, max(1, quote.scheduled_seats + drift), quote.scheduled_for)
                if quote.scheduled_seats is not None and quote.scheduled_for is not None else None
            )
            workspace.raise_included()
        for credit_type, quantity in quote.addons.items():
            workspace.balances[credit_type].addon += quantity
            workspace.packs.setdefault(credit_type, [0, True])[0] += quantity
        if quote.total > 0:
            workspace.paid_total += quote.total
            workspace.paid_count += 1
        if checkout.inline_card is not None:
            workspace.default_card = checkout.inline_card
            workspace.cards.add(checkout.inline_card)
        if checkout.inline_company is not None:
            workspace.company = checkout.inline_company
        workspace.version += 1
        checkout.status = "succeeded"

    def _fail(self, checkout: CheckoutSeen, code: str) -> None:
        checkout.status, checkout.error = "failed", code

    def _reset(self, workspace: WorkspaceModel, at: datetime) -> None:
        if (checkout := workspace.open_checkout()) is not None:
            self._fail(checkout, "quote_outdated")
        renews = at >= workspace.period_end
        if renews:
            if workspace.scheduled is not None and workspace.scheduled.effective_at <= at:
                workspace.plan = workspace.scheduled.plan
                workspace.seats = max(workspace.scheduled.seats, len(workspace.members) + len(workspace.invitations))
                workspace.scheduled = None
            workspace.period_end = next_period_end(at, workspace.interval, workspace.anchor.day)
        workspace.packs = {t: pack for t, pack in workspace.packs.items() if pack[1]}
        _, workspace.credit_end = credit_period_bounds(workspace.anchor, at)
        workspace.balances = {
            t: Balance(PLANS[workspace.plan].included[t] * workspace.seats,
                       workspace.packs.get(t, [0])[0], 0)
            for t in CREDIT_TYPES
        }
        subtotal = sum(ADDON_PACKS[t].price(pack[0]) for t, pack in workspace.packs.items())
        if renews:
            subtotal += PLANS[workspace.plan].period_price(workspace.interval, workspace.seats)
        total = subtotal + tax_amount(subtotal, workspace.tax)
        if total > 0:
            workspace.paid_total += total
            workspace.paid_count += 1
            workspace.renewal_charges.append(total)
        workspace.version += 1

    # ---- what the server must answer ----------------------------------------------------------

    def quote_refusal(self, workspace: WorkspaceModel, target_seats: int, plan: PlanId) -> str | None:
        """Why a quote for these terms must be refused (or None)."""
        if target_seats < 1:
            return "parameter_invalid"
        if target_seats > PLANS[plan].max_seats:
            return "plan_seat_limit"
        if target_seats < len(workspace.members) + len(workspace.invitations):
            return "seats_below_members"
        return None

    def checkout_refusal(self, quote: QuoteSeen) -> tuple[int, str] | None:
        """Why paying this quote now must be refused, as (status, code); None if it must start."""
        workspace = self.workspaces[quote.workspace]
        if self.now >= quote.expires:
            return 400, "quote_expired"
        if quote.version != workspace.version:
            return 400, "quote_stale"
        if quote.changes_terms and self.quote_refusal(workspace, quote.target_seats, quote.plan):
            return 400, self.quote_refusal(workspace, quote.target_seats, quote.plan) or ""
        if workspace.open_checkout() is not None:
            return 409, "checkout_in_progress"
        return None

    def start_checkout(self, checkout: CheckoutSeen) -> None:
        """A checkout the server must have accepted: processing, waiting for the bank, or (with
        nothing to charge) done at once."""
        self.checkouts.append(checkout)
        workspace = self.workspaces[checkout.quote.workspace]
        workspace.last_checkout = checkout
        if checkout.quote.total == 0:
            checkout.status = "processing"
            self._succeed(workspace, checkout)
        elif checkout.card == "3ds":
            checkout.status = "requires_action"
        else:
            checkout.status = "processing"
            checkout.due = self.now + self.payment_delay
        checkout.first_answer = checkout.status

    def authenticate(self, checkout: CheckoutSeen, approve: bool) -> tuple[int, str | None]:
        """(status, checkout status) the server must answer to the bank's answer."""
        if checkout.status == "failed" and checkout.error == "authentication_expired":
            return 200, "failed"
        if checkout.status != "requires_action":
            return 400, None
        if approve:
            checkout.status, checkout.due = "processing", self.now + self.payment_delay
            self.catch_up()
        else:
            self._fail(checkout, "authentication_failed")
        return 200, checkout.status

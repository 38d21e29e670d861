"""Manage licenses: the total number of licenses the workspace should have, its price, Continue.

Opened by + next to Licenses (`#licenses-add`) on Plan & Billing, from the Workspace when no
seat is free, or from the command palette. The seat counter (`#seat-counter`) starts at today's
count and stays between the members plus pending invitations (the server's rule; the counter
says why when pushed against it) and the plan's maximum. The price of the change
(`#quote-total`) is the server's quote, kept current (`LiveQuote`); Continue (`#continue`) runs
the shared checkout pipeline. More licenses apply now, prorated; fewer apply at the period end,
with nothing to pay now, and the dialog says when.
"""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult

from kaspr_tui.api.models import Checkout, Quote, QuoteRequest, Subscription
from kaspr_tui.billing.formatting import format_date
from kaspr_tui.billing.money import format_money
from kaspr_tui.billing.order_words import license_change_rules, scheduled_change_words
from kaspr_tui.billing.words import plural, seats_ceiling_reason, seats_floor_reason, vat_label
from kaspr_tui.screens.billing.live_quote import PurchaseDialog
from kaspr_tui.state import AccountState, app_host
from kaspr_tui.widgets.seat_counter import SeatCounter
from kaspr_tui.widgets.words import Words


def licenses_summary(workspace_name: str, subscription: Subscription, plan_name: str, max_seats: int) -> str:
    """`Acme Corp has 10 licenses: 8 in use (7 members, 1 pending invitation), 2 free. …`"""
    in_use = subscription.seats - subscription.seats_available
    return (
        f"{workspace_name} has {plural(subscription.seats, 'license')}: {in_use} in use "
        f"({plural(subscription.members, 'member')}, "
        f"{plural(subscription.pending_invitations, 'pending invitation')}), "
        f"{subscription.seats_available} free. The {plan_name} plan allows up to {plural(max_seats, 'license')}."
    )


class LicensesScreen(PurchaseDialog):
    """Dismisses with the succeeded checkout, or None when nothing changed."""

    CHECKOUT_TITLE = "Manage licenses"
    CONFIRM_ID = "continue"
    CONFIRM_LABEL = "Continue"
    FIRST_FOCUS = "#seat-counter"

    @property
    def subscription(self) -> Subscription:
        subscription = app_host(self.app).account.subscription
        assert subscription is not None
        return subscription

    def compose_inputs(self) -> ComposeResult:
        yield Words(id="licenses-summary", classes="dialog-note", markup=False)
        yield Words(id="scheduled-note", markup=False)
        yield Words("Total licenses", id="seat-counter-label")
        seats = self.subscription.seats
        yield SeatCounter(seats, min=seats, max=seats, id="seat-counter")
        yield Words(id="licenses-rules", classes="dialog-note", markup=False)

    def show_account(self, state: AccountState) -> None:
        subscription, catalog = state.subscription, state.catalog
        assert subscription is not None and catalog is not None
        plan = next(plan for plan in catalog.plans if plan.id == subscription.plan)
        workspace_name = state.me.workspace.name if state.me and state.me.workspace else "This workspace"
        floor = max(1, subscription.members + subscription.pending_invitations)
        self.query_one("#seat-counter", SeatCounter).set_bounds(
            floor,
            max(floor, plan.max_seats),
            min_reason=seats_floor_reason(workspace_name, subscription.members, subscription.pending_invitations),
            max_reason=seats_ceiling_reason(plan.name, plan.max_seats),
        )
        self.query_one("#licenses-summary", Words).update(
            licenses_summary(workspace_name, subscription, plan.name, plan.max_seats)
        )
        period_end = format_date(subscription.current_period_end)
        self.query_one("#licenses-rules", Words).update(license_change_rules(period_end))
        note = self.query_one("#scheduled-note", Words)
        scheduled = subscription.scheduled_change
        note.display = scheduled is not None
        if scheduled is not None:
            # The server replaces a waiting change with the new terms: say so before anyone pays.
            words = scheduled_change_words(
                state.plan_name(scheduled.plan), scheduled.interval, scheduled.seats, scheduled.effective_at
            )
            note.update(f"Already scheduled: {words}. A change of licenses replaces it.")

    # ---- the price and the change -------------------------------------------------------------

    def current_request(self) -> QuoteRequest | None:
        seats = self.query_one("#seat-counter", SeatCounter).value
        return None if seats == self.subscription.seats else QuoteRequest(seats=seats)

    @on(SeatCounter.Changed, "#seat-counter")
    def _seats_changed(self, event: SeatCounter.Changed) -> None:
        event.stop()
        self.inputs_changed()

    def unchanged_words(self) -> str:
        return f"{plural(self.subscription.seats, 'license')}, as today: choose more or fewer to continue."

    def priced_words(self, quote: Quote) -> Text:
        """What is due now for more licenses, or when fewer take effect; then the next renewal."""
        money = lambda cents: format_money(cents, quote.currency)  # noqa: E731 — one currency per quote
        seats_today = self.subscription.seats
        if quote.scheduled_for is not None:
            headline = f"Nothing to pay now: {plural(quote.seats, 'license')} from {format_date(quote.scheduled_for)}"
            detail = f"The end of this period: until then you keep {plural(seats_today, 'license')}."
        else:
            headline = f"Total due now {money(quote.total_due_now)}"
            detail = (
                f"{plural(quote.seats - seats_today, 'more license')}, prorated: "
                f"{money(quote.subtotal)} + {vat_label(quote.tax.rate_percent, quote.tax.reverse_charge)} "
                f"{money(quote.tax.amount)}"
            )
        detail += f"\nNext renewal {money(quote.next_renewal_total)} on {format_date(quote.renews_at)}."
        return Text.assemble((headline, "bold"), "\n", (detail, "dim"))

    def success_words(self, checkout: Checkout) -> str:
        quote = checkout.quote
        if quote.scheduled_for is not None:
            return f"From {format_date(quote.scheduled_for)} the workspace has {plural(quote.seats, 'license')}."
        return f"The workspace now has {plural(quote.seats, 'license')}; invite members from the Workspace (w)."

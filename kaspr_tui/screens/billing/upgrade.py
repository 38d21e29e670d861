"""The Upgrade pane: choose a plan, monthly or annual, users and add-on credits; a live quote; Checkout.

Every input starts at what the workspace has today, and only what differs from today goes into
the quote request, so an untouched pane asks the server nothing. The quote follows the inputs as
`LiveQuote` keeps it (a key only restarts its wait, so it redraws just the input it moved), and
Checkout only opens for the quote on screen.
"""

from __future__ import annotations

from typing import cast

from rich.text import Text
from textual import events, on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.widgets import Button

from kaspr_tui.api.models import (
    Catalog,
    PlanWire,
    QuoteRequest,
    Subscription,
    change_request,
)
from kaspr_tui.billing.catalog import (
    CREDIT_LABELS,
    CREDIT_TYPES,
    Interval,
    PlanId,
)
from kaspr_tui.billing.formatting import format_count
from kaspr_tui.billing.money import format_money
from kaspr_tui.billing.order_words import nothing_to_pay_words, pack_words, scheduled_change_words
from kaspr_tui.billing.words import seats_ceiling_reason, seats_floor_reason
from kaspr_tui.screens.billing.live_quote import LiveQuote, QuoteState
from kaspr_tui.screens.checkout import run_checkout
from kaspr_tui.screens.failures import ReportsFailedWorkers
from kaspr_tui.screens.read_only import read_only_reason
from kaspr_tui.state import AccountState, app_host
from kaspr_tui.widgets.choices import Choices
from kaspr_tui.widgets.quote_view import QuoteView
from kaspr_tui.widgets.seat_counter import SeatCounter
from kaspr_tui.widgets.slider import Slider
from kaspr_tui.widgets.words import Words

WIDE_LAYOUT_MIN_WIDTH = 110
"""From this width the quote sits beside the choices instead of below them."""

NOTHING_CHANGED = "Choose a plan, users or credits to change"
QUOTING = "Updating the quote…"
INTERVAL_OPTIONS: list[tuple[str, str]] = [("month", "Monthly"), ("year", "Annual, billed 12 months at once")]

# Plan rows: name, price, users, then credits per user; widths fit 80 columns with the marks.
NAME_WIDTH, PRICE_WIDTH, USERS_WIDTH, CREDIT_WIDTH = 22, 10, 9, 8
CURRENT_WORD = "current"


def plan_label(plan: PlanWire, interval: Interval, currency: str, *, is_current: bool) -> Content:
    """`Business  current   €79.00   ≤ 200   200   200   1,000`: one plan's row, in columns."""
    unit_amount = plan.monthly_unit_amount if interval == "month" else plan.annual_unit_amount
    credits = plan.included_credits
    return Content.assemble(
        plan.name,
        (f"  {CURRENT_WORD}" if is_current else "", "$text-success"),
        " " * (NAME_WIDTH - len(plan.name) - (len(CURRENT_WORD) + 2 if is_current else 0)),
        format_money(unit_amount, currency).rjust(PRICE_WIDTH),
        f"≤ {format_count(plan.max_seats)}".rjust(USERS_WIDTH),
        *(format_count(amount).rjust(CREDIT_WIDTH) for amount in (credits.phone, credits.direct_email, credits.export)),
    )


def plans_heading() -> str:
    return "".join(
        [
            "Plan".ljust(NAME_WIDTH),
            "€/user/mo".rjust(PRICE_WIDTH),
            "Users".rjust(USERS_WIDTH),
            "Phone".rjust(CREDIT_WIDTH),
            "Email".rjust(CREDIT_WIDTH),
            "Export".rjust(CREDIT_WIDTH),
        ]
    )


class Plain(Vertical):
    """A container with nothing of its own to draw (no border, no text): its children do.

    Textual redraws every widget whose area a change touches, ancestors included, to put the
    screen's line back together; a BLANK widget is drawn as its background without the styling
    work. The seat counter sits inside seven containers: a key's redraw costs less with them blank.
    """

    BLANK = True


class PlainScroll(VerticalScroll):
    """A `Plain` that scrolls (its scrollbars are widgets of their own, drawn as usual)."""

    BLANK = True


class UpgradePane(ReportsFailedWorkers, Vertical):
    """Plan, interval, users and add-on credits on the left (or on top); the quote beside (or below)."""

    BLANK = True  # as `Plain`

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._subscription: Subscription | None = None
        self._catalog: Catalog | None = None
        self._workspace_name = "This workspace"
        self._wanted_seats = 1
        """The users the person chose (or today's): a plan too small for them clamps the counter on
        screen, and moving on to a plan that fits shows them again."""
        self._live_quote = LiveQuote(self, self.current_request, self._show_quote_state)

    def compose(self) -> ComposeResult:
        with PlainScroll(id="upgrade-scroll"):
            # One container per field: Textual moves focus to a *sibling* of a focused widget that
            # is hidden, so sibling inputs would drag a switched-away tab back into view.
            with Plain(id="choices"):
                with Plain(classes="field"):
                    yield Words("Plan · prices excl. VAT, credits per user per month", classes="field-label")
                    yield Choices([], "", heading=plans_heading(), id="plan-select")
                with Plain(classes="field"):
                    yield Words("Billing", classes="field-label")
                    yield Choices(INTERVAL_OPTIONS, "year", horizontal=True, id="interval")
                with Plain(classes="field"):
                    yield Words("Users", classes="field-label")
                    yield SeatCounter(1, min=1, max=1, id="seats")
                yield Words("Add-on credits, added now and renewed every month", classes="field-label")
                for credit_type in CREDIT_TYPES:
                    with Plain(classes="field"):
                        yield Slider(0, min=0, max=1, step=1, id=f"addon-{credit_type}")
            with Vertical(id="quote-panel", classes="panel"):
                yield Words(id="scheduled-note")
                yield QuoteView(id="quote")
        with Vertical(id="checkout-bar"):
            yield Words(NOTHING_CHANGED, id="quote-status")
            with Horizontal(id="total-row"):
                yield Words(id="quote-total")
                yield Button("Checkout", id="checkout", variant="primary", compact=True, disabled=True)

    def on_mount(self) -> None:
        self.query_one("#quote-panel").border_title = "Quote"

    def on_resize(self, event: events.Resize) -> None:
        self.set_class(event.size.width >= WIDE_LAYOUT_MIN_WIDTH, "-wide")

    # ---- presetting from the account ------------------------------------------------------

    def show_account(self, state: AccountState) -> None:
        """Preset the inputs to today's subscription when it changed; keep the user's choices otherwise."""
        subscription, catalog = state.subscription, state.catalog
        if subscription is None or catalog is None:
            return
        if state.me is not None and state.me.workspace is not None:
            self._workspace_name = state.me.workspace.name
        previous = self._subscription
        self._subscription, self._catalog = subscription, catalog
        if previous is None or terms(previous) != terms(subscription):
            self._preset(subscription, catalog)
        else:
            self._set_seat_bounds()
        self._show_scheduled_note(state)
        # A reload (r) is also the moment to ask again after a failure; the terms may have moved too.
        self._live_quote.inputs_changed()

    def _preset(self, subscription: Subscription, catalog: Catalog) -> None:
        recurring = {addon.type: addon for addon in subscription.addons}
        packs = {pack.type: pack for pack in catalog.addon_packs}
        self.query_one("#interval", Choices).value = subscription.interval
        picker = self.query_one("#plan-select", Choices)
        picker.set_options(self._plan_options(subscription.interval))
        picker.value = subscription.plan
        self._set_seat_bounds()
        self._wanted_seats = subscription.seats
        self.query_one("#seats", SeatCounter).value = subscription.seats
        for credit_type in CREDIT_TYPES:
            pack = packs[credit_type]
            slider = self.query_one(f"#addon-{credit_type}", Slider)
            today = recurring.get(credit_type)
            today_words = pack_words(today.quantity, today.auto_renew) if today else pack_words(0, True)
            slider.label = f"{CREDIT_LABELS[credit_type]} (today {today_words})"
            slider.format_value = addon_words
            # From 0 (none) in the pack's steps: 0, 25, 50, … for phone credits.
            slider.set_bounds(0, pack.max, pack.step)
            slider.value = 0

    def _plan_options(self, interval: Interval) -> list[tuple[str, Content]]:
        assert self._catalog is not None and self._subscription is not None
        current = self._subscription.plan
        return [
            (plan.id, plan_label(plan, interval, self._catalog.currency, is_current=plan.id == current))
            for plan in self._catalog.plans
        ]

    def _chosen_plan(self) -> PlanWire:
        assert self._catalog is not None
        chosen = self.query_one("#plan-select", Choices).value
        return next(plan for plan in self._catalog.plans if plan.id == chosen)

    def _set_seat_bounds(self) -> None:
        """At least the members and invitations (the server's rule), at most what the chosen plan allows."""
        assert self._subscription is not None
        plan = self._chosen_plan()
        floor = max(1, self._subscription.members + self._subscription.pending_invitations)
        # A plan too small for the members (Free) keeps the floor: the server says why it cannot be chosen.
        self.query_one("#seats", SeatCounter).set_bounds(
            floor,
            max(floor, plan.max_seats),
            min_reason=seats_floor_reason(
                self._workspace_name, self._subscription.members, self._subscription.pending_invitations
            ),
            max_reason=seats_ceiling_reason(plan.name, plan.max_seats),
        )

    def _show_scheduled_note(self, state: AccountState) -> None:
        note = self.query_one("#scheduled-note", Words)
        change = state.subscription.scheduled_change if state.subscription else None
        note.display = change is not None
        if change is not None:
            plan_name = state.plan_name(change.plan)
            words = scheduled_change_words(plan_name, change.interval, change.seats, change.effective_at)
            note.update(f"Already scheduled: {words}. A new change replaces it; cancel it on the Dashboard.")

    # ---- the live quote -------------------------------------------------------------------

    @on(Choices.Changed, "#interval")
    def _interval_changed(self, event: Choices.Changed) -> None:
        event.stop()
        if self._catalog is not None:
            self.query_one("#plan-select", Choices).set_options(self._plan_options(cast(Interval, event.value)))
        self._live_quote.inputs_changed()

    @on(Choices.Changed, "#plan-select")
    def _plan_changed(self, event: Choices.Changed) -> None:
        event.stop()
        if self._catalog is not None:
            self._set_seat_bounds()
            self.query_one("#seats", SeatCounter).value = self._wanted_seats  # clamped into the plan's bounds
        self._live_quote.inputs_changed()

    @on(SeatCounter.Changed)
    def _seats_changed(self, event: SeatCounter.Changed) -> None:
        # The counter as it is now, not as the message says: keys may have moved it (and its
        # bounds) since. At a bound the wanted count lies beyond, the plan clamped it, not the person.
        counter = event.control
        value = counter.value
        if not (value == counter.max < self._wanted_seats or value == counter.min > self._wanted_seats):
            self._wanted_seats = value
        self._amount_changed(event)

    @on(Slider.Changed)
    def _amount_changed(self, event: SeatCounter.Changed | Slider.Changed) -> None:
        event.stop()
        self._live_quote.inputs_changed()

    def current_request(self) -> QuoteRequest | None:
        """What the inputs on screen ask for, as a quote request; None when they match today."""
        if self._subscription is None:
            return None
        addons = {
            credit_type: self.query_one(f"#addon-{credit_type}", Slider).value for credit_type in CREDIT_TYPES
        }
        return change_request(
            self._subscription,
            cast(PlanId, self.query_one("#plan-select", Choices).value),
            cast(Interval, self.query_one("#interval", Choices).value),
            self.query_one("#seats", SeatCounter).value,
            addons,
        )

    @property
    def quote_pending(self) -> bool:
        """A change is waiting for the keys to stop, or its quote has been asked for and not yet answered."""
        return self._live_quote.pending

    def _show_quote_state(self, state: QuoteState) -> None:
        """The status line, the total, the quote and Checkout, for where the price of the inputs stands."""
        self._enable_checkout(state.quote is not None)
        if state.request is None:
            self._show_status(NOTHING_CHANGED)
            self._show_total("")
            self.query_one(QuoteView).show_message("No change yet: today's plan renews as it is.")
        elif state.problem is not None:
            self._show_status(state.problem, problem=True)
            self._show_total("")
            self.query_one(QuoteView).show_message("No quote: see the reason below.")
        elif state.quote is None:
            self._show_status(QUOTING)  # what was on screen stays until the answer replaces it
        else:
            quote = state.quote
            self.query_one(QuoteView).show_quote(quote, app_host(self.app).account.plan_name)
            self._show_total(f"Total due now {format_money(quote.total_due_now, quote.currency)}")
            if quote.scheduled_for is not None and quote.total_due_now == 0:
                self._show_status(nothing_to_pay_words(quote.scheduled_for))
            else:
                self._show_status("Check the quote, then Checkout to pay.")

    # Each of these redraws only on a real change: an unchanged line costs no layout (the status is
    # Text, which Words always draws again, so it compares its words itself).

    def _show_status(self, words: str, *, problem: bool = False) -> None:
        status = self.query_one("#quote-status", Words)
        if str(status.content) != words:
            status.update(Text(words))
        status.set_class(problem, "-problem")

    def _show_total(self, words: str) -> None:
        # One line in a row of fixed height: the row never needs laying out again.
        self.query_one("#quote-total", Words).update(words, layout=False)

    def _enable_checkout(self, enabled: bool) -> None:
        self.query_one("#checkout", Button).disabled = not enabled or read_only_reason(self) is not None

    # ---- checkout -------------------------------------------------------------------------

    @on(Button.Pressed, "#checkout")
    def _checkout(self, event: Button.Pressed) -> None:
        event.stop()
        priced = self._live_quote.priced
        if priced is None:
            # Pressed in the moment between a key and its quote: price what is on screen now.
            self._live_quote.ask_now()
            return
        request, quote = priced
        # The price on screen is the one paid, unless it must be made again (the review then says so).
        checkout = run_checkout(self.screen, request, title="Change plan", quote=quote)
        self.run_worker(checkout, group="checkout", exclusive=True, exit_on_error=False)


def terms(subscription: Subscription) -> tuple[object, ...]:
    """What the inputs are preset from: a change to any of these means a new starting point."""
    addons = tuple((addon.type, addon.quantity) for addon in subscription.addons)
    return (subscription.plan, subscription.interval, subscription.seats, addons)


def addon_words(quantity: int) -> str:
    return f"+{format_count(quantity)}" if quantity else "0 (none)"

"""Billing details: the subscription's details in one modal, to read, to edit, to see what comes.

Plan, interval, licenses, add-on packs and whether they renew, the current period, when the next
renewal bills and how much, who is billed and where, the VAT number and its status, and the card
(brand, last 4 and expiry only). The renewal total is priced with the same rules as the server's
quotes (`kaspr_tui.billing.quotes`), from the account already loaded. Upcoming charges
(`#details-upcoming`) are the server's own list (`GET /v1/invoices/upcoming`): the monthly
add-on packs and the renewal with its scheduled change, as it will invoice them. Edit
(`#edit-billing-details`) opens the billing form on the details alone, validated as in a
checkout (the VAT number and the country's postal-code rule); Save saves them, and the dialog
shows the account as reloaded. Escape or Close (`#close`) dismisses it.
"""

from __future__ import annotations

from rich.table import Table
from textual import on, work
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.widgets import Button, Label

from kaspr_tui.api import ApiError
from kaspr_tui.api.models import (
    BillingDetails,
    PaymentMethod,
    Subscription,
    UpcomingCharge,
)
from kaspr_tui.billing.catalog import CREDIT_LABELS
from kaspr_tui.billing.formatting import (
    format_card,
    format_date,
    format_expiry,
    format_plan,
)
from kaspr_tui.billing.money import format_money
from kaspr_tui.billing.order_words import pack_words, upcoming_rows, vat_number_words
from kaspr_tui.billing.quotes import PriceChange, Terms, price_change
from kaspr_tui.billing.tax import tax_decision
from kaspr_tui.billing.words import vat_charge_words
from kaspr_tui.screens.base import ready_for_admin
from kaspr_tui.screens.checkout.billing_form import BillingFormScreen, PaymentChoice
from kaspr_tui.screens.dialogs.base import Dialog
from kaspr_tui.state import AccountState, app_host
from kaspr_tui.widgets.words import Words

TITLE = "Billing details"

def billing_details_section(details: BillingDetails | None) -> Content:
    """Company, contact, address, and the VAT number with its status."""
    if details is None:
        return Content.styled("No billing details yet", "$text-muted")
    address = details.address
    place = " ".join(part for part in (address.postal_code, address.city) if part)
    lines: list[Content | str] = [
        Content.styled(details.company, "bold"),
        f"{details.contact_name} · {details.email}",
        ", ".join(part for part in (address.line1, address.line2, place, address.state, address.country) if part),
    ]
    lines.append(vat_number_words(details.vat_number, details.vat_status))
    return Content("\n").join(lines)


def card_words(card: PaymentMethod) -> str:
    """`Visa •••• 4242, expires 12/2029`: all a screen ever shows of a card."""
    return f"{format_card(card.brand, card.last4)}, expires {format_expiry(card.exp_month, card.exp_year)}"


def renewal_price(subscription: Subscription, details: BillingDetails | None) -> PriceChange:
    """What the next renewal bills: the plan at the terms in force then (a scheduled change applies
    first) and the add-on packs that renew, with the VAT the billing details call for."""
    current = Terms(subscription.plan, subscription.interval, subscription.seats)
    scheduled = subscription.scheduled_change
    renewal = Terms(scheduled.plan, scheduled.interval, scheduled.seats) if scheduled else current
    return price_change(
        current,
        renewal,
        addons_now={},
        recurring_addons={addon.type: addon.quantity for addon in subscription.addons if addon.auto_renew},
        period_start=subscription.current_period_start,
        period_end=subscription.current_period_end,
        now=subscription.current_period_start,
        tax=tax_decision(details.address.country, details.vat_number) if details else tax_decision("", None),
    )


def licenses_words(subscription: Subscription) -> str:
    """`5 (3 used · 2 free)`."""
    used = subscription.seats - subscription.seats_available
    return f"{subscription.seats} ({used} used · {subscription.seats_available} free)"


def _grid() -> Table:
    grid = Table.grid(padding=(0, 2))
    grid.add_column(style="dim", no_wrap=True)
    grid.add_column(overflow="fold")
    return grid


def subscription_grid(state: AccountState) -> Table:
    """Plan, licenses, period, a scheduled change, the next renewal and each add-on pack."""
    subscription = state.subscription
    assert subscription is not None
    grid = _grid()
    grid.add_row("Plan", format_plan(state.plan_name(subscription.plan), subscription.interval))
    grid.add_row("Licenses", licenses_words(subscription))
    grid.add_row(
        "Current period",
        f"{format_date(subscription.current_period_start)} – {format_date(subscription.current_period_end)}",
    )
    scheduled = subscription.scheduled_change
    if scheduled is not None:
        plan = format_plan(state.plan_name(scheduled.plan), scheduled.interval)
        grid.add_row("Scheduled", f"{plan}, {scheduled.seats} licenses from {format_date(scheduled.effective_at)}")
    price = renewal_price(subscription, state.billing_details)
    grid.add_row(
        "Next renewal",
        f"{format_date(subscription.current_period_end)}: {format_money(price.next_renewal_total)}"
        f" ({vat_charge_words(price.tax.rate_percent, price.tax.reverse_charge)})",
    )
    resets = {balance.type: format_date(balance.resets_at) for balance in state.credits}
    packs = [addon for addon in subscription.addons if addon.quantity > 0]
    for addon in packs:
        resets_on = resets.get(addon.type, format_date(subscription.current_period_end))
        grid.add_row(CREDIT_LABELS[addon.type], pack_words(addon.quantity, addon.auto_renew, resets_on))
    if not packs:
        grid.add_row("Add-ons", "none")
    return grid


def upcoming_grid(charges: list[UpcomingCharge]) -> Table:
    """The upcoming charges in date order, worded as the order review words them (`upcoming_rows`)."""
    grid = Table.grid(padding=(0, 2))
    grid.add_column(overflow="fold")
    grid.add_column(justify="right", no_wrap=True)
    for row in upcoming_rows(charges):
        grid.add_row(*row)
    return grid


class BillingDetailsScreen(Dialog[None]):
    """The subscription's billing details, read only."""

    BINDINGS = [Binding("escape", "close", "Close", id="billing_details.close")]

    def __init__(self, state: AccountState) -> None:
        super().__init__()
        self.state = state

    def compose(self) -> ComposeResult:
        state = self.state
        default_card = state.default_card
        with Vertical(id="billing-details-dialog", classes="dialog"):
            with Horizontal(id="details-buttons", classes="dialog-buttons"):
                yield Button("Edit billing details", id="edit-billing-details", compact=True)
                yield Button("Close", id="close", compact=True, variant="primary", action="screen.close")
            with VerticalScroll(id="details-body"):
                yield Label("Subscription", classes="details-heading")
                yield Words(subscription_grid(state), id="details-subscription")
                yield Label("Billed to", classes="details-heading")
                yield Words(billing_details_section(state.billing_details), id="details-billed-to", markup=False)
                yield Label("Upcoming charges", classes="details-heading")
                yield Words("Loading the upcoming charges…", id="details-upcoming", markup=False)
                yield Label("Card", classes="details-heading")
                yield Words(card_words(default_card) if default_card else "No card on file", id="details-card",
                             markup=False)

    def on_mount(self) -> None:
        dialog = self.query_one("#billing-details-dialog")
        dialog.border_title = TITLE
        dialog.border_subtitle = "Esc close"
        # The body takes the arrow keys and PageUp/PageDown first: at 80×24 it scrolls.
        self.query_one("#details-body").focus()
        self.watch(self.app, "account", self._show_account, init=False)
        self._load_upcoming()

    @work(group="upcoming-charges", exclusive=True, exit_on_error=False)
    async def _load_upcoming(self) -> None:
        """The charges the server will make on its own: asked for, not computed here, so they are
        the invoices it will issue."""
        client = app_host(self.app).client
        upcoming = self.query_one("#details-upcoming", Words)
        if client is None:
            return
        try:
            charges = await client.upcoming_charges()
        except ApiError as error:
            upcoming.update(f"The upcoming charges could not be read: {error.message} Press r to try again.")
            return
        upcoming.update(upcoming_grid(charges) if charges else "Nothing is due before the next renewal.")

    def _show_account(self, state: AccountState) -> None:
        """After an edit (or `r`), the details as reloaded."""
        if state.subscription is None:
            return
        self.state = state
        self.query_one("#details-subscription", Words).update(subscription_grid(state))
        self.query_one("#details-billed-to", Words).update(billing_details_section(state.billing_details))
        self._load_upcoming()

    @on(Button.Pressed, "#edit-billing-details")
    def _edit(self) -> None:
        host = app_host(self.app)

        def saved(choice: PaymentChoice | None) -> None:
            if choice is not None:
                self.app.notify("Your billing details are saved; the next invoices are issued to them.", title=TITLE)
                host.load_account()

        self.app.push_screen(
            BillingFormScreen(
                details=self.state.billing_details, saved_card=None, title="Edit billing details",
                submit_label="Save", saves=True, asks_card=False,
            ),
            saved,
        )

    def action_close(self) -> None:
        self.dismiss(None)


def open_billing_details(app: App[object]) -> None:
    """"Billing details": the modal over whatever is on screen, from the account already loaded."""
    if ready_for_admin(app, TITLE, "Only an admin of the workspace can see its billing details."):
        app.push_screen(BillingDetailsScreen(app_host(app).account))

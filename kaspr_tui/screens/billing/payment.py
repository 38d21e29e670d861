"""Payment method and Billing details sections of Plan & Billing: the cards on file with Update
payment information and Manage cards (`screens/billing/cards.py`), and the billing details with
a button to review them in full.

Update payment information opens the billing form with the card fields open and Confirm as its
button: it saves the billing details if they changed and adds the new card as the default. The
old card stays on file; a card the form or the server refuses gets the reason beside its field and
changes nothing. `open_update_payment` and `open_billing_details` are the command palette's ways in.
"""

from __future__ import annotations

from textual import on
from textual.app import App, ComposeResult
from textual.containers import Horizontal
from textual.content import Content
from textual.widgets import Button

from kaspr_tui.billing.formatting import format_card, format_expiry
from kaspr_tui.screens.base import AccountPanel, ready_for_admin
from kaspr_tui.screens.checkout.billing_form import BillingFormScreen, PaymentChoice
from kaspr_tui.screens.dialogs.billing_details import (
    billing_details_section,
    open_billing_details,
)
from kaspr_tui.state import AccountState, app_host
from kaspr_tui.widgets.words import Words

UPDATE_TITLE = "Update payment information"


def payment_section(state: AccountState) -> Content:
    if not state.payment_methods:
        return Content.styled("No card on file", "$text-muted")
    lines = []
    for card in sorted(state.payment_methods, key=lambda card: not card.is_default):
        line = Content.assemble(
            (format_card(card.brand, card.last4), "bold" if card.is_default else ""),
            f"  expires {format_expiry(card.exp_month, card.exp_year)}",
            ("  default" if card.is_default else "", "$text-success"),
        )
        lines.append(line)
    return Content("\n").join(lines)


def open_update_payment(app: App[object]) -> None:
    """"Update payment information": the billing form with a new card; on Confirm the card is the default."""
    if not ready_for_admin(app, UPDATE_TITLE, "Only an admin of the workspace can change its card."):
        return
    host = app_host(app)

    def updated(choice: PaymentChoice | None) -> None:
        if choice is None:
            return
        card = choice.saved_card
        assert card is not None, "the form asks for a card"
        app.notify(f"{format_card(card.brand, card.last4)} is now your default card.", title=UPDATE_TITLE)
        host.load_account()

    form = BillingFormScreen(
        details=host.account.billing_details, saved_card=None, title=UPDATE_TITLE, submit_label="Confirm",
        saves=True,
    )
    app.push_screen(form, updated)


class PaymentPanel(AccountPanel):
    """The cards on file and Update payment information."""

    def compose(self) -> ComposeResult:
        yield Words(id="payment-summary")
        with Horizontal(id="payment-actions"):
            yield Button(UPDATE_TITLE, id="update-payment", compact=True)
            yield Button("Manage cards", id="manage-cards", compact=True)

    def show_account(self, state: AccountState) -> None:
        self.query_one("#payment-summary", Words).update(payment_section(state))

    @on(Button.Pressed, "#update-payment")
    def _update_payment(self) -> None:
        open_update_payment(self.app)

    @on(Button.Pressed, "#manage-cards")
    def _manage_cards(self) -> None:
        # On first use, as the palette imports it; the dialog itself uses open_update_payment above.
        from kaspr_tui.screens.billing.cards import open_cards

        open_cards(self.app)


class BillingDetailsPanel(AccountPanel):
    """The billing details in short, and a button for all of the subscription's billing details."""

    def compose(self) -> ComposeResult:
        yield Words(id="billing-details-text")
        yield Button("Billing details", id="billing-details", compact=True)

    def show_account(self, state: AccountState) -> None:
        self.query_one("#billing-details-text", Words).update(billing_details_section(state.billing_details))

    @on(Button.Pressed, "#billing-details")
    def _billing_details(self) -> None:
        open_billing_details(self.app)

"""Payment method and Billing details sections of Plan & Billing: the card on file, Update payment
information, and the billing details with a button to review them in full."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.content import Content
from textual.widgets import Button, Static

from kaspr_tui.api.models import BillingDetails
from kaspr_tui.screens.account import AccountState
from kaspr_tui.screens.base import AccountPanel
from kaspr_tui.widgets.formatting import format_card, format_expiry

VAT_STATUS_WORDS = {"valid": "valid", "invalid": "not valid", "none": "not checked"}


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


def billing_details_section(details: BillingDetails | None) -> Content:
    if details is None:
        return Content.styled("No billing details yet", "$text-muted")
    address = details.address
    place = " ".join(part for part in (address.postal_code, address.city) if part)
    lines = [
        Content.styled(details.company, "bold"),
        f"{details.contact_name} · {details.email}",
        ", ".join(part for part in (address.line1, address.line2, place, address.state, address.country) if part),
    ]
    if details.vat_number:
        lines.append(f"VAT number {details.vat_number} ({VAT_STATUS_WORDS[details.vat_status]})")
    else:
        lines.append("No VAT number")
    return Content("\n").join(lines)


class PaymentPanel(AccountPanel):
    """The cards on file and Update payment information."""

    DEFAULT_CSS = """
    PaymentPanel { #update-payment { margin-top: 1; } }
    """

    def compose(self) -> ComposeResult:
        yield Static(id="payment-summary")
        yield Button("Update payment information", id="update-payment", compact=True)

    def show_account(self, state: AccountState) -> None:
        self.query_one("#payment-summary", Static).update(payment_section(state))


class BillingDetailsPanel(AccountPanel):
    """The billing details in short, and a button for all of the subscription's billing details."""

    DEFAULT_CSS = """
    BillingDetailsPanel { #billing-details { margin-top: 1; } }
    """

    def compose(self) -> ComposeResult:
        yield Static(id="billing-details-text")
        yield Button("Billing details", id="billing-details", compact=True)

    def show_account(self, state: AccountState) -> None:
        self.query_one("#billing-details-text", Static).update(billing_details_section(state.billing_details))

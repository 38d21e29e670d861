"""Order review: "Check that your order is correct" — every line, VAT, totals, card, billed to.

Shows the quote exactly as the server priced it; nothing here computes money. Continue to
payment (`#continue-to-payment`) dismisses with True; Back or Escape with False, changing nothing.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from rich.table import Table
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Button, Static

from kaspr_tui.api.models import BillingDetails, PaymentMethod, Quote, Subscription, Tax
from kaspr_tui.billing.money import format_money
from kaspr_tui.billing.periods import next_period_end
from kaspr_tui.widgets.formatting import INTERVAL_LABELS, format_card, format_date, format_expiry

if TYPE_CHECKING:
    from kaspr_tui.screens.checkout.billing_form import PaymentChoice

REVIEW_TITLE = "Check that your order is correct"


def describe_terms(plan_name: str, interval: str, seats: int) -> str:
    """`Starter (monthly) × 8 seats`, the way the server's quote lines read."""
    seat_word = "seat" if seats == 1 else "seats"
    return f"{plan_name} ({INTERVAL_LABELS.get(interval, interval)}) × {seats} {seat_word}"


def tax_label(tax: Tax) -> str:
    """`VAT 20 % (FR)`, or `Reverse charge (0 %)` for a valid EU VAT number abroad."""
    if tax.reverse_charge:
        return "Reverse charge (0 %)"
    where = f" ({tax.country})" if tax.country else ""
    return f"VAT {tax.rate_percent:g} %{where}"


def renewal_date(quote: Quote, subscription: Subscription | None) -> datetime | None:
    """When the next renewal bills `quote.next_renewal_total`, or None if it cannot be told.

    The wire quote does not carry its billing period, so this reads it as the server prices it
    (API.md rules 2-3): a scheduled part starts at the period end; monthly → annual and free → paid
    start a new period now; anything else keeps the current period.
    """
    if quote.scheduled_for is not None:
        return quote.scheduled_for
    if subscription is None:
        return None
    restarts = subscription.interval != quote.interval or (subscription.plan == "free" and quote.plan != "free")
    if restarts:
        return next_period_end(quote.effective_at, quote.interval)
    return subscription.current_period_end


def lines_table(quote: Quote) -> Table:
    """Every quote line; a negative one (unused time on the old plan) reads as a credit."""
    table = Table(box=None, pad_edge=False, header_style="bold", expand=True, show_edge=False)
    table.add_column("Description", ratio=1, overflow="fold")
    table.add_column("Qty", justify="right")
    table.add_column("Unit", justify="right")
    table.add_column("Amount", justify="right")
    for line in quote.lines:
        is_credit = line.amount < 0
        description = Text(line.description)
        if is_credit:
            description.append(" (credit)", style="green")
        table.add_row(
            description,
            f"{line.quantity:,}",
            format_money(line.unit_amount, quote.currency),
            Text(format_money(line.amount, quote.currency), style="green" if is_credit else ""),
        )
    if not quote.lines:
        table.add_row(Text("Nothing to pay today", style="dim"), "", "", "")
    return table


def totals_table(quote: Quote, renews_at: datetime | None) -> Table:
    table = Table.grid(expand=True)
    table.add_column(ratio=1)
    table.add_column(justify="right")
    table.add_row("Subtotal", format_money(quote.subtotal, quote.currency))
    table.add_row(tax_label(quote.tax), format_money(quote.tax.amount, quote.currency))
    total = Text(format_money(quote.total_due_now, quote.currency), style="bold reverse")
    table.add_row(Text("Total due now", style="bold"), total)
    renewal = "Next renewal" if renews_at is None else f"Next renewal on {format_date(renews_at)}"
    table.add_row(Text(renewal, style="dim"), Text(format_money(quote.next_renewal_total, quote.currency), style="dim"))
    return table


def card_line(card: PaymentMethod) -> str:
    return f"{format_card(card.brand, card.last4)}  expires {format_expiry(card.exp_month, card.exp_year)}"


def billed_to(details: BillingDetails) -> str:
    address = details.address
    place = " ".join(part for part in (address.postal_code, address.city) if part)
    where = ", ".join(part for part in (address.line1, address.line2, place, address.state, address.country) if part)
    vat = f" · VAT {details.vat_number}" if details.vat_number else ""
    return f"{details.company} · {details.contact_name} · {details.email}\n{where}{vat}"


class OrderReviewScreen(ModalScreen[bool]):
    BINDINGS = [Binding("escape", "back", "Back")]

    DEFAULT_CSS = """
    OrderReviewScreen {
        align: center middle;
        #review-dialog {
            width: 96;
            max-width: 100%;
            height: auto;
            max-height: 100%;
            border: round $accent;
            border-title-color: $text-accent;
            border-title-style: bold;
            background: $surface;
            padding: 0 1;
        }
        #review-scroll { height: auto; max-height: 1fr; scrollbar-size-vertical: 1; }
        .review-heading { text-style: bold; color: $text-accent; }
        #order-totals { margin-top: 1; }
        #order-scheduled { margin-top: 1; }
        #order-payment { margin-top: 1; }
        #review-buttons { height: auto; align-horizontal: right; margin-top: 1; }
        #review-buttons Button { margin-left: 2; }
    }
    """

    def __init__(self, quote: Quote, choice: PaymentChoice, *, renews_at: datetime | None = None) -> None:
        super().__init__()
        self.quote = quote
        self.choice = choice
        self.renews_at = renews_at
        self._answered = False

    def compose(self) -> ComposeResult:
        quote = self.quote
        with Vertical(id="review-dialog"):
            with VerticalScroll(id="review-scroll", can_focus=False):
                yield Static(lines_table(quote), id="order-lines")
                yield Static(totals_table(quote, self.renews_at), id="order-totals")
                if quote.scheduled_change is not None:
                    yield Static(self._scheduled_part(), id="order-scheduled")
                yield Static(self._payment_part(), id="order-payment")
            with Horizontal(id="review-buttons"):
                yield Button("Back", id="back", compact=True)
                label = "Continue to payment" if quote.total_due_now > 0 else "Confirm change"
                yield Button(label, id="continue-to-payment", variant="primary", compact=True)

    def on_mount(self) -> None:
        self.query_one("#review-dialog").border_title = REVIEW_TITLE
        self.query_one("#continue-to-payment").focus()

    def _scheduled_part(self) -> Content:
        change = self.quote.scheduled_change
        assert change is not None
        plan_name = self.app.account.plan_name(change.plan)  # type: ignore[attr-defined]
        terms = describe_terms(plan_name, change.interval, change.seats)
        return Content.assemble(
            ("Scheduled  ", "bold $text-accent"),
            f"{terms} from {format_date(change.effective_at)}; nothing changes before then.",
        )

    def _payment_part(self) -> Content:
        return Content.assemble(
            ("Card       ", "bold $text-accent"),
            card_line(self.choice.payment_method),
            "\n",
            ("Billed to  ", "bold $text-accent"),
            billed_to(self.choice.billing_details).replace("\n", "\n           "),
        )

    def _answer(self, proceed: bool) -> None:
        # A second Enter arriving before the screen is gone must not answer twice.
        if self._answered:
            return
        self._answered = True
        self.dismiss(proceed)

    @on(Button.Pressed, "#continue-to-payment")
    def _continue(self) -> None:
        self._answer(True)

    @on(Button.Pressed, "#back")
    def _back(self) -> None:
        self._answer(False)

    def action_back(self) -> None:
        self._answer(False)

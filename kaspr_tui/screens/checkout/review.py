"""Order review: "Check that your order is correct" — every line, VAT, totals, card, billed to.

Shows the quote exactly as the server priced it and worded as everywhere else
(`kaspr_tui.widgets.quote_view`); nothing here computes money or dates. Continue to payment
(`#continue-to-payment`) dismisses with True; Back or Escape with False, changing nothing.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.widgets import Button, Static

from kaspr_tui.api.models import Quote
from kaspr_tui.billing.order_words import REVIEW_TITLE, billed_to_lines, card_line
from kaspr_tui.screens.dialogs.base import Dialog
from kaspr_tui.state import app_host
from kaspr_tui.widgets.quote_view import lines_table, scheduled_words, totals_table

if TYPE_CHECKING:
    from kaspr_tui.screens.checkout.billing_form import PaymentChoice


class OrderReviewScreen(Dialog[bool]):
    BINDINGS = [Binding("escape", "back", "Back", id="review.back")]

    def __init__(self, quote: Quote, choice: PaymentChoice) -> None:
        super().__init__()
        self.quote = quote
        self.choice = choice
        self._answered = False

    def compose(self) -> ComposeResult:
        quote = self.quote
        with Vertical(id="review-dialog", classes="dialog"):
            with VerticalScroll(id="review-scroll", can_focus=False):
                if quote.lines:
                    yield Static(lines_table(quote), id="order-lines")
                yield Static(totals_table(quote), id="order-totals")
                scheduled = scheduled_words(quote, app_host(self.app).account.plan_name)
                if scheduled is not None:
                    yield Static(scheduled, id="order-scheduled")
                yield Static(self._payment_part(), id="order-payment")
            with Horizontal(id="review-buttons", classes="dialog-buttons"):
                yield Button("Back", id="back", compact=True)
                label = "Continue to payment" if quote.total_due_now > 0 else "Confirm change"
                yield Button(label, id="continue-to-payment", variant="primary", compact=True)

    def on_mount(self) -> None:
        self.query_one("#review-dialog").border_title = REVIEW_TITLE
        self.query_one("#continue-to-payment").focus()

    def _payment_part(self) -> Content:
        card = self.choice.payment_method
        return Content.assemble(
            ("Card       ", "bold $text-accent"),
            card_line(card.brand, card.last4, card.exp_month, card.exp_year),
            "\n",
            ("Billed to  ", "bold $text-accent"),
            "\n           ".join(billed_to_lines(self.choice.billing_details)),
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

"""Order review: "Check that your order is correct" — every line, VAT, totals, card, billed to.

Shows the quote exactly as the server priced it and worded as everywhere else
(`kaspr_tui.widgets.quote_view`), with the card and the billing details the invoice will carry
(as typed on the form: nothing is saved yet); nothing here computes money or dates. When the
price had to be renewed since the person last saw it, `renewed` says by how much, first.
Continue to payment (`#continue-to-payment`) dismisses with "pay"; Back (`#back`) with "back",
to the billing form as it was left; Escape with None, leaving the checkout. None changes anything.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Literal

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.widgets import Button

from kaspr_tui.api.models import Quote
from kaspr_tui.billing.order_words import REVIEW_TITLE, billed_to_lines, card_line, confirm_label
from kaspr_tui.screens.dialogs.base import Dialog
from kaspr_tui.state import app_host
from kaspr_tui.widgets.quote_view import lines_table, scheduled_words, totals_table
from kaspr_tui.widgets.words import Words

if TYPE_CHECKING:
    from kaspr_tui.screens.checkout.billing_form import PaymentChoice


ReviewAnswer = Literal["pay", "back"] | None


class OrderReviewScreen(Dialog[ReviewAnswer]):
    BINDINGS = [Binding("escape", "cancel", "Cancel", id="review.cancel")]

    def __init__(self, quote: Quote, choice: PaymentChoice, *, renewed: str | None = None) -> None:
        super().__init__()
        self.quote = quote
        self.choice = choice
        self.renewed = renewed
        self._answered = False

    def compose(self) -> ComposeResult:
        quote = self.quote
        with Vertical(id="review-dialog", classes="dialog"):
            with VerticalScroll(id="review-scroll", can_focus=False):
                if self.renewed is not None:
                    yield Words(self.renewed, id="order-renewed", markup=False)
                if quote.lines:
                    yield Words(lines_table(quote), id="order-lines")
                yield Words(totals_table(quote), id="order-totals")
                scheduled = scheduled_words(quote, app_host(self.app).account.plan_name)
                if scheduled is not None:
                    yield Words(scheduled, id="order-scheduled")
                yield Words(self._payment_part(), id="order-payment")
            with Horizontal(id="review-buttons", classes="dialog-buttons"):
                yield Button("Back", id="back", compact=True)
                yield Button(confirm_label(quote), id="continue-to-payment", variant="primary", compact=True)

    def on_mount(self) -> None:
        self.query_one("#review-dialog").border_title = REVIEW_TITLE
        self.query_one("#continue-to-payment").focus()

    def _payment_part(self) -> Content:
        return Content.assemble(
            ("Card       ", "bold $text-accent"),
            card_line(*self.choice.card_words),
            "\n",
            ("Billed to  ", "bold $text-accent"),
            "\n           ".join(billed_to_lines(self.choice.billing_details)),
        )

    def _answer(self, answer: ReviewAnswer) -> None:
        # A second Enter arriving before the screen is gone must not answer twice.
        if self._answered:
            return
        self._answered = True
        self.dismiss(answer)

    @on(Button.Pressed, "#continue-to-payment")
    def _continue(self) -> None:
        self._answer("pay")

    @on(Button.Pressed, "#back")
    def _back(self) -> None:
        self._answer("back")

    def action_cancel(self) -> None:
        self._answer(None)

"""The payment dialog: processing, the bank's 3-D Secure step, then what happened.

It pays one quote with one card under one idempotency key. Every retry of that payment re-sends
the same key (or, once the server has named the checkout, only asks how it went), so nothing is
ever charged twice. It never claims an outcome it does not know: when the answer is lost it says
so and offers to retry. Escape cannot cancel a charge in flight, so it does nothing until the
payment is final; then it is the same as OK.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.widgets import Button, LoadingIndicator, Static

from kaspr_tui.api import ApiError, BillingClient
from kaspr_tui.api.models import Checkout, Quote, Subscription
from kaspr_tui.billing.catalog import CREDIT_LABELS
from kaspr_tui.billing.formatting import format_card, format_date
from kaspr_tui.billing.money import format_money
from kaspr_tui.billing.words import terms_words
from kaspr_tui.screens.dialogs.base import Dialog
from kaspr_tui.state import app_host

if TYPE_CHECKING:
    from kaspr_tui.screens.checkout.billing_form import PaymentChoice

Outcome = Literal["succeeded", "failed", "cancelled"]

KEY_IN_USE = "idempotency_key_in_use"

REFUSAL_ADVICE = {
    "quote_stale": "The subscription changed since this price was made; review the new price before paying.",
    "quote_expired": "Prices are held for 15 minutes; review the new price before paying.",
    "checkout_in_progress": "Wait a moment for that payment to finish, then check your plan before buying again.",
}
"""What to do after the server refused to start the payment; nothing was charged."""

BUTTON_IDS = ("approve-3ds", "deny-3ds", "try-another-card", "retry", "ok")

STATE_TINTS = {"succeeded": "-success", "failed": "-error", "bank": "-warning"}
"""The dialog's colour in each state (the shared tints of `Dialog`); others keep the plain frame."""


@dataclass(frozen=True)
class CheckoutResult:
    outcome: Outcome
    checkout: Checkout | None
    try_another_card: bool = False


def is_refusal(error: ApiError) -> bool:
    """The server answered and refused to start the payment: nothing happened, retrying won't help.

    Anything else (no answer, a timeout, 429 or 5xx after the client's retries, our own earlier
    attempt still running) leaves the outcome unknown.
    """
    return 400 <= error.status < 500 and error.status != 429 and error.code != KEY_IN_USE


class ProcessingScreen(Dialog[CheckoutResult]):
    BINDINGS = [Binding("escape", "close", "Close", show=False, id="payment.close")]

    def __init__(self, quote: Quote, choice: PaymentChoice, *, idempotency_key: str) -> None:
        super().__init__()
        self.quote = quote
        self.choice = choice
        self.idempotency_key = idempotency_key
        self.checkout: Checkout | None = None
        """The checkout as last seen; once known, a retry asks about it instead of paying again."""
        self._final: CheckoutResult | None = None
        """What OK (or Escape) answers; None while the payment is in flight."""
        self._before: Subscription | None = None

    @property
    def _amount(self) -> str:
        return format_money(self.quote.total_due_now, self.quote.currency)

    def compose(self) -> ComposeResult:
        with Vertical(id="payment-dialog", classes="dialog"):
            with Vertical(id="processing"):
                yield LoadingIndicator()
                yield Static(f"Your payment of {self._amount} is being processed…", id="processing-note")
            yield Static(id="payment-message")
            with Horizontal(id="payment-buttons", classes="dialog-buttons"):
                yield Button("Approve", id="approve-3ds", variant="success", compact=True)
                yield Button("Deny", id="deny-3ds", variant="error", compact=True)
                yield Button("Try another card", id="try-another-card", variant="primary", compact=True)
                yield Button("Retry", id="retry", variant="primary", compact=True)
                yield Button("OK", id="ok", compact=True)

    def on_mount(self) -> None:
        self._before = app_host(self.app).account.subscription
        self._start(self._create)

    # ---- the steps --------------------------------------------------------------------------

    def _client(self) -> BillingClient:
        client = app_host(self.app).client
        assert client is not None, "a checkout starts only once the app has a client"
        return client

    async def _create(self, client: BillingClient) -> Checkout:
        return await client.create_checkout(
            self.quote.id, self.choice.payment_method.id, idempotency_key=self.idempotency_key
        )

    async def _follow_up(self, client: BillingClient) -> Checkout:
        assert self.checkout is not None
        return await client.wait_for_checkout(self.checkout.id)

    def _authenticate(self, result: Literal["approve", "deny"]) -> Callable[[BillingClient], Awaitable[Checkout]]:
        async def answer(client: BillingClient) -> Checkout:
            assert self.checkout is not None
            return await client.authenticate_checkout(self.checkout.id, result)

        return answer

    def _start(self, step: Callable[[BillingClient], Awaitable[Checkout]]) -> None:
        # Shown before the worker starts, so a second Enter finds no button to press.
        self._final = None
        self._show("processing", title="Payment", message=Content(), buttons=())
        self._pay(step)

    @work(exclusive=True, group="payment", exit_on_error=False)
    async def _pay(self, step: Callable[[BillingClient], Awaitable[Checkout]]) -> None:
        client = self._client()
        try:
            checkout = await step(client)
            self.checkout = checkout
            if checkout.status == "processing":
                checkout = await client.wait_for_checkout(checkout.id)
                self.checkout = checkout
        except ApiError as error:
            if self.checkout is None and is_refusal(error):
                self._show_refused(error)
            else:
                self._show_unconfirmed(error.message)
            return
        except Exception as error:
            # Not an answer the client could read (a bug): it may have gone through, so never a spinner
            # for ever nor a claim either way; the app's handler logs it.
            self._show_unconfirmed(f"{type(error).__name__}: {error}")
            raise
        if checkout.status == "requires_action":
            self._show_bank_step()
        elif checkout.status == "succeeded":
            self._show_succeeded(checkout, await self._invoice_number(client, checkout))
        else:
            self._show_failed(checkout)

    async def _invoice_number(self, client: BillingClient, checkout: Checkout) -> str | None:
        """The paid invoice's number, for the success message; the payment stands without it."""
        if checkout.invoice_id is None:
            return None
        try:
            return (await client.invoice(checkout.invoice_id)).number
        except ApiError:
            return None

    # ---- what the dialog shows ----------------------------------------------------------------

    def _show(self, state: str, *, title: str, message: Content, buttons: tuple[str, ...]) -> None:
        dialog = self.query_one("#payment-dialog")
        dialog.set_classes(f"dialog -{state} {STATE_TINTS.get(state, '')}")
        dialog.border_title = title
        self.query_one("#processing").display = state == "processing"
        note = self.query_one("#payment-message", Static)
        note.display = state != "processing"
        note.update(message)
        for button_id in BUTTON_IDS:
            self.query_one(f"#{button_id}").display = button_id in buttons
        if buttons:
            self.query_one(f"#{buttons[0]}").focus()
        else:
            self.set_focus(None)

    def _show_bank_step(self) -> None:
        message = Content.assemble(
            ("Your bank asks you to confirm this payment of ", ""),
            (self._amount, "bold"),
            f" to Kaspr with {format_card(self.choice.payment_method.brand, self.choice.payment_method.last4)}.\n\n",
            ("This step stands in for your bank's 3-D Secure check.", "$text-muted"),
        )
        self._show("bank", title="Your bank · 3-D Secure", message=message, buttons=("approve-3ds", "deny-3ds"))

    def _show_succeeded(self, checkout: Checkout, invoice_number: str | None) -> None:
        self._final = CheckoutResult("succeeded", checkout)
        self.query_one("#ok", Button).label = "OK"
        self._show("succeeded", title="Payment succeeded", message=self._what_changed(invoice_number), buttons=("ok",))

    def _show_failed(self, checkout: Checkout) -> None:
        self._final = CheckoutResult("failed", checkout)
        reason = checkout.error.message if checkout.error is not None else "The payment did not go through."
        message = Content.assemble(
            (reason, "bold"),
            "\n\nNothing was charged and your subscription is unchanged.",
        )
        self.query_one("#ok", Button).label = "Cancel"
        self._show("failed", title="Payment failed", message=message, buttons=("try-another-card", "ok"))

    def _show_refused(self, error: ApiError) -> None:
        self._final = CheckoutResult("failed", None)
        advice = REFUSAL_ADVICE.get(error.code, "")
        message = Content.assemble(
            (error.message, "bold"), f"\n\n{advice}" if advice else "", "\n\nNothing was charged."
        )
        self.query_one("#ok", Button).label = "OK"
        self._show("failed", title="The payment could not start", message=message, buttons=("ok",))

    def _show_unconfirmed(self, reason: str) -> None:
        # The payment may or may not have gone through: OK leaves without claiming either.
        self._final = CheckoutResult("cancelled", self.checkout)
        message = Content.assemble(
            ("We couldn't confirm your payment: ", "bold"),
            reason,
            "\n\nNothing is charged twice: retrying continues the same payment.",
        )
        self.query_one("#ok", Button).label = "Close"
        self._show("unconfirmed", title="Payment not confirmed", message=message, buttons=("retry", "ok"))

    def _what_changed(self, invoice_number: str | None) -> Content:
        quote = self.quote
        plan_name = app_host(self.app).account.plan_name
        lines: list[Content | str] = []
        now_terms = terms_words(plan_name(quote.plan), quote.interval, quote.seats)
        before = self._before
        if before is None or (before.plan, before.interval, before.seats) != (quote.plan, quote.interval, quote.seats):
            lines.append(Content.assemble("Your plan is now ", (now_terms, "bold"), "."))
        for addon in quote.addons:
            label = CREDIT_LABELS[addon.type]
            lines.append(f"{addon.quantity:,} {label} added now, renewing each period.")
        if quote.scheduled_change is not None:
            change = quote.scheduled_change
            later = terms_words(plan_name(change.plan), change.interval, change.seats)
            lines.append(Content.assemble(
                "Scheduled: ", (later, "bold"), f" from {format_date(change.effective_at)}."
            ))
        if quote.total_due_now > 0:
            card = self.choice.payment_method
            lines.append(f"Charged {self._amount} to {format_card(card.brand, card.last4)}.")
            if invoice_number:
                lines.append(f"Invoice {invoice_number} is under Billing → Plan & Billing → Invoices.")
        else:
            lines.append("Nothing was charged today.")
        return Content("\n").join(Content(line) if isinstance(line, str) else line for line in lines)

    # ---- keys and buttons -------------------------------------------------------------------

    @on(Button.Pressed, "#approve-3ds")
    def _approve(self) -> None:
        self._start(self._authenticate("approve"))

    @on(Button.Pressed, "#deny-3ds")
    def _deny(self) -> None:
        self._start(self._authenticate("deny"))

    @on(Button.Pressed, "#retry")
    def _retry(self) -> None:
        self._start(self._create if self.checkout is None else self._follow_up)

    @on(Button.Pressed, "#try-another-card")
    def _try_another_card(self) -> None:
        if self._final is not None:
            self._leave(CheckoutResult("failed", self.checkout, try_another_card=True))

    @on(Button.Pressed, "#ok")
    def _ok(self) -> None:
        self.action_close()

    def action_close(self) -> None:
        """OK, or Escape once the payment is final; while it is in flight there is nothing to close."""
        if self._final is not None:
            self._leave(self._final)

    def _leave(self, result: CheckoutResult) -> None:
        self._final = None  # a second Enter before the screen is gone answers nothing
        self.dismiss(result)

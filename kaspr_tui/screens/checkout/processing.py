"""The payment dialog: processing, the bank's 3-D Secure step, then what happened.

It pays one quote with one card under one idempotency key, sending the order's billing details and
a new card with it (kept by the server only if the payment succeeds). Every retry of that payment
re-sends the same key (or, once the server has named the checkout, only asks how it went), so
nothing is ever charged twice. When the answer to the payment is lost, the checkout is looked for
in the workspace's checkouts (`GET /v1/checkouts`) and followed from there; only if it cannot be
found either does the dialog say the outcome is unknown and offer to retry. A refusal the person
can act on goes back: a stale or expired price to be priced again ("renew"), a refused card or
field to the form beside its input. Escape cannot cancel a charge in flight, so it does nothing until the
payment is final; then it is the same as OK.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Literal

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.widgets import Button, LoadingIndicator

from kaspr_tui.api import ApiError, BillingClient
from kaspr_tui.api.models import Checkout, Quote, Subscription
from kaspr_tui.billing.formatting import format_card
from kaspr_tui.billing.money import format_money
from kaspr_tui.billing.order_words import outcome_title, payment_refused, what_changed_lines
from kaspr_tui.screens.dialogs.base import Dialog
from kaspr_tui.state import app_host
from kaspr_tui.widgets.words import Words

if TYPE_CHECKING:
    from kaspr_tui.screens.checkout.billing_form import PaymentChoice

Outcome = Literal["succeeded", "failed", "cancelled", "renew"]

RENEW_CODES = frozenset({"quote_expired", "quote_stale"})
"""Refusals that only ask for a new price: the flow prices the order again and shows the difference."""


REFUSAL_ADVICE = {
    "quote_stale": "The subscription changed since this price was made; review the new price before paying.",
    "quote_expired": "Prices are held for 15 minutes; review the new price before paying.",
    "checkout_in_progress": "Wait a moment for that payment to finish, then check your plan before buying again.",
}
"""What to do after the server refused to start the payment; nothing was charged."""

CARD_ERROR_FIELDS = {"expired_card": "exp_month", "incorrect_cvc": "cvc"}
"""Which card field a failed payment's reason belongs next to; any other reason goes by the number."""

BUTTON_IDS = ("approve-3ds", "deny-3ds", "try-another-card", "retry", "ok")

STATE_TINTS = {"succeeded": "-success", "failed": "-error", "bank": "-warning"}
"""The dialog's colour in each state (the shared tints of `Dialog`); others keep the plain frame."""


@dataclass(frozen=True)
class CheckoutResult:
    outcome: Outcome
    checkout: Checkout | None
    try_another_card: bool = False
    """Back to the form with `form_errors` beside their inputs."""
    form_errors: dict[str, str] = field(default_factory=dict)
    """Form param (`number`, `address.city`) → why the server refused it."""
    renew_reason: str | None = None
    """For "renew": the refusal's code."""


def form_errors_of(error: ApiError) -> dict[str, str]:
    """A refused checkout's field errors by the form's params (`payment_method.number` → `number`);
    a card refused without a param goes by its number."""
    errors = {
        param.removeprefix("payment_method.").removeprefix("billing_details."): message
        for param, message in error.field_errors().items()
    }
    if error.is_card_error and not errors:
        errors["number"] = error.message
    return errors



class ProcessingScreen(Dialog[CheckoutResult]):
    BINDINGS = [Binding("escape", "close", "Close", id="payment.close")]

    def __init__(
        self, quote: Quote, choice: PaymentChoice, *, idempotency_key: str, earlier: frozenset[str] = frozenset()
    ) -> None:
        super().__init__()
        self.quote = quote
        self.choice = choice
        self.idempotency_key = idempotency_key
        self.earlier = earlier
        """Checkouts of earlier attempts of this order (the same quote): never mistaken for this one."""
        self.checkout: Checkout | None = None
        """The checkout as last seen; once known, a retry asks about it instead of paying again."""
        self._final: CheckoutResult | None = None
        """What OK (or Escape) answers; None while the payment is in flight."""
        self._before: Subscription | None = None
        self._form_errors: dict[str, str] = {}
        """What the form should show beside its inputs if the person goes back to it."""

    @property
    def _amount(self) -> str:
        return format_money(self.quote.total_due_now, self.quote.currency)

    def compose(self) -> ComposeResult:
        with Vertical(id="payment-dialog", classes="dialog"):
            with Vertical(id="processing"):
                yield LoadingIndicator()
                yield Words(f"Your payment of {self._amount} is being processed…", id="processing-note")
            yield Words(id="payment-message")
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
        choice = self.choice
        return await client.create_checkout(
            self.quote.id,
            choice.saved_card.id if choice.saved_card is not None else None,
            payment_method=choice.new_card.fields if choice.new_card is not None else None,
            billing_details=choice.billing_details,
            idempotency_key=self.idempotency_key,
        )

    async def _find_lost(self, client: BillingClient) -> Checkout | None:
        """This payment's checkout, if the server has it though its answer never came back."""
        try:
            page = await client.checkouts(limit=10)
        except ApiError:
            return None
        mine = (checkout for checkout in page.data if checkout.quote.id == self.quote.id)
        return next((checkout for checkout in mine if checkout.id not in self.earlier), None)

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
            try:
                checkout = await step(client)
            except ApiError as error:
                if self.checkout is not None or payment_refused(error.status, error.code):
                    raise
                # No answer: the payment may have been made all the same; find it before saying so.
                found = await self._find_lost(client)
                if found is None:
                    raise
                checkout = found
            self.checkout = checkout
            if checkout.status == "processing":
                checkout = await client.wait_for_checkout(checkout.id)
                self.checkout = checkout
        except ApiError as error:
            if self.checkout is None and payment_refused(error.status, error.code):
                if error.code in RENEW_CODES:
                    self._leave(CheckoutResult("renew", None, renew_reason=error.code))
                    return
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
        note = self.query_one("#payment-message", Words)
        note.display = state != "processing"
        note.update(message)
        for button_id in BUTTON_IDS:
            self.query_one(f"#{button_id}").display = button_id in buttons
        if buttons:
            self.query_one(f"#{buttons[0]}").focus()
        else:
            self.set_focus(None)
        self.refresh_bindings()  # Escape is offered once the payment is final

    def _show_bank_step(self) -> None:
        message = Content.assemble(
            ("Your bank asks you to confirm this payment of ", ""),
            (self._amount, "bold"),
            f" to Kaspr with {format_card(*self.choice.card_words[:2])}.\n\n",
            ("This step stands in for your bank's 3-D Secure check.", "$text-muted"),
        )
        self._show("bank", title="Your bank · 3-D Secure", message=message, buttons=("approve-3ds", "deny-3ds"))

    def _show_succeeded(self, checkout: Checkout, invoice_number: str | None) -> None:
        self._final = CheckoutResult("succeeded", checkout)
        self.query_one("#ok", Button).label = "OK"
        message = Content(self._what_changed(invoice_number))
        self._show("succeeded", title=outcome_title(self.quote), message=message, buttons=("ok",))

    def _show_failed(self, checkout: Checkout) -> None:
        self._final = CheckoutResult("failed", checkout)
        reason = checkout.error.message if checkout.error is not None else "The payment did not go through."
        self._form_errors = {CARD_ERROR_FIELDS.get(checkout.error.code if checkout.error else "", "number"): reason}
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
        self._form_errors = form_errors_of(error)
        if self._form_errors:
            # Something on the form was refused (a blocked card, a field): back to it, the reason beside it.
            self.query_one("#ok", Button).label = "Cancel"
            buttons: tuple[str, ...] = ("try-another-card", "ok")
        else:
            self.query_one("#ok", Button).label = "OK"
            buttons = ("ok",)
        self._show("failed", title="The payment could not start", message=message, buttons=buttons)

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

    def _what_changed(self, invoice_number: str | None) -> str:
        before = self._before
        terms = None if before is None else (before.plan, before.interval, before.seats)
        renewing = {} if before is None else {
            addon.type: addon.auto_renew for addon in before.addons if addon.quantity > 0
        }
        charged_to = format_card(*self.choice.card_words[:2])
        lines = what_changed_lines(self.quote, terms, app_host(self.app).account.plan_name, charged_to, renewing)
        if self.quote.total_due_now > 0 and invoice_number:
            lines.append(f"Invoice {invoice_number} is under Billing → Plan & Billing → Invoices.")
        return "\n".join(lines)

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
            self._leave(CheckoutResult("failed", self.checkout, try_another_card=True, form_errors=self._form_errors))

    @on(Button.Pressed, "#ok")
    def _ok(self) -> None:
        self.action_close()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "close":
            return self._final is not None
        return super().check_action(action, parameters)

    def action_close(self) -> None:
        """OK, or Escape once the payment is final; while it is in flight there is nothing to close."""
        if self._final is not None:
            self._leave(self._final)

    def _leave(self, result: CheckoutResult) -> None:
        self._final = None  # a second Enter before the screen is gone answers nothing
        self.dismiss(result)

"""`run_checkout`: every purchase goes through here — billing form, fresh quote, review, payment.

Callers run it in a worker (it waits on each modal with `push_screen_wait`):

    self.run_worker(run_checkout(self, QuoteRequest(plan="organization"), title="Change plan"),
                    group="checkout", exclusive=True)

Nothing changes before the person presses Continue to payment: Escape at the form or the review
returns None. Each payment attempt (one quote, one card) gets its own idempotency key, which the
processing dialog reuses on every retry of that attempt.
"""

from __future__ import annotations

from textual.screen import Screen

from kaspr_tui.api import ApiError, BillingClient, new_idempotency_key
from kaspr_tui.api.models import Checkout, Quote, QuoteRequest
from kaspr_tui.screens.checkout.billing_form import BillingFormScreen, PaymentChoice
from kaspr_tui.screens.checkout.processing import CheckoutResult, ProcessingScreen
from kaspr_tui.screens.checkout.review import OrderReviewScreen
from kaspr_tui.state import app_host

CARD_ERROR_FIELDS = {"expired_card": "exp_month", "incorrect_cvc": "cvc"}
"""Which card field a failed payment's reason belongs next to; any other reason goes by the number."""


async def run_checkout(screen: Screen, request: QuoteRequest, *, title: str) -> Checkout | None:
    """Take the person through buying `request`; the succeeded checkout, or None if nothing was bought."""
    app, host = screen.app, app_host(screen.app)
    client = host.client
    if client is None:
        screen.notify("The billing server is not connected yet; try again in a moment.", severity="error")
        return None
    # Priced once before the form, so a change the server refuses is said before anyone types a card.
    if await _quote(screen, client, request, title) is None:
        return None
    account = host.account
    details, saved_card = account.billing_details, account.default_card
    card_errors: dict[str, str] | None = None
    while True:
        choice: PaymentChoice | None = await app.push_screen_wait(
            BillingFormScreen(details=details, saved_card=saved_card, title=title, card_only_errors=card_errors)
        )
        if choice is None:
            return None
        # Priced again: the billing details just saved may change the VAT.
        quote = await _quote(screen, client, request, title)
        if quote is None:
            return None
        if not await app.push_screen_wait(OrderReviewScreen(quote, choice)):
            return None
        result: CheckoutResult = await app.push_screen_wait(
            ProcessingScreen(quote, choice, idempotency_key=new_idempotency_key())
        )
        # Whatever the outcome, the server may have recorded something (a paid or voided invoice).
        host.load_account()
        if result.outcome == "succeeded":
            return result.checkout
        if not result.try_another_card:
            return None
        # Back to the form with the card fields open, the reason beside them.
        details, saved_card = choice.billing_details, None
        card_errors = _card_errors(result.checkout)


async def _quote(screen: Screen, client: BillingClient, request: QuoteRequest, title: str) -> Quote | None:
    try:
        return await client.create_quote(request)
    except ApiError as error:
        screen.notify(error.message, title=title, severity="error")
        return None


def _card_errors(checkout: Checkout | None) -> dict[str, str] | None:
    if checkout is None or checkout.error is None:
        return None
    return {CARD_ERROR_FIELDS.get(checkout.error.code, "number"): checkout.error.message}

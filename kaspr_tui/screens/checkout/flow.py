"""`run_checkout`: every purchase goes through here — billing form, review, payment.

Callers run it in a worker (it waits on each modal with `push_screen_wait`), with the price they
showed when they have one:

    self.run_worker(run_checkout(self, QuoteRequest(plan="organization"), title="Change plan", quote=quote),
                    group="checkout", exclusive=True)

Nothing is saved before the person presses Continue to payment, and not even then unless the
payment succeeds: the billing details and a new card typed on the form travel with the payment
(API.md rule 11). Escape at the form or the review returns None; Back on the review returns to the
form as it was left. The price shown is held from the pane to the payment: it is made again only
when it must be (the VAT of the details typed differs, or the server refuses it as stale or
expired), and then the review says what moved. Each payment attempt (one quote, one card) gets its
own idempotency key, which the processing dialog reuses on every retry of that attempt.
"""

from __future__ import annotations

from textual.screen import Screen

from kaspr_tui.api import ApiError, BillingClient, new_idempotency_key
from kaspr_tui.api.models import BillingDetails, BillingDetailsUpdate, Checkout, Quote, QuoteRequest
from kaspr_tui.billing.order_words import renewed_price_words
from kaspr_tui.billing.tax import tax_decision
from kaspr_tui.screens.checkout.billing_form import BillingFormScreen, NewCard, PaymentChoice
from kaspr_tui.screens.checkout.processing import CheckoutResult, ProcessingScreen
from kaspr_tui.screens.checkout.review import OrderReviewScreen
from kaspr_tui.state import app_host


async def run_checkout(
    screen: Screen, request: QuoteRequest, *, title: str, quote: Quote | None = None
) -> Checkout | None:
    """Take the person through buying `request` at `quote` (the price they saw; priced here if
    None); the succeeded checkout, or None if nothing was bought."""
    app, host = screen.app, app_host(screen.app)
    client = host.client
    if client is None:
        screen.notify("The billing server is not connected yet; try again in a moment.", severity="error")
        return None
    # Priced before the form when the caller had no price, so a change the server refuses is said
    # before anyone types a card.
    held = quote or await _quote(screen, client, request, title)
    if held is None:
        return None
    details: BillingDetails | BillingDetailsUpdate | None = host.account.billing_details
    new_card: NewCard | None = None
    form_errors: dict[str, str] = {}
    earlier: set[str] = set()
    while True:
        choice: PaymentChoice | None = await app.push_screen_wait(
            BillingFormScreen(
                details=details, saved_card=host.account.default_card, title=title, errors=form_errors,
                new_card=new_card,
            )
        )
        if choice is None:
            return None
        details, new_card, form_errors = choice.billing_details, choice.new_card, {}
        renew = None if _same_tax(held, choice.billing_details) else "tax"
        while True:  # the review and the payment; again at a new price when the server asks for one
            renewed = None
            if renew is not None:
                with_details = request.model_copy(update={"billing_details": choice.billing_details})
                fresh = await _quote(screen, client, with_details, title)
                if fresh is None:
                    return None
                renewed = renewed_price_words(renew, held.total_due_now, fresh.total_due_now, fresh.currency)
                held, renew = fresh, None
            answer = await app.push_screen_wait(OrderReviewScreen(held, choice, renewed=renewed))
            if answer is None:
                return None
            if answer == "back":
                break
            result: CheckoutResult = await app.push_screen_wait(
                ProcessingScreen(held, choice, idempotency_key=new_idempotency_key(), earlier=frozenset(earlier))
            )
            if result.outcome == "renew":
                renew = result.renew_reason  # nothing was charged: the new price, and what moved, on the review
                continue
            # Whatever the outcome, the server may have recorded something (a paid or voided invoice).
            host.load_account()
            if result.checkout is not None:
                earlier.add(result.checkout.id)
            if result.outcome == "succeeded":
                return result.checkout
            if not result.try_another_card:
                return None
            # Back to the form, the reason beside the input it concerns; the refused card is not typed in again.
            new_card, form_errors = None, result.form_errors
            break


def _same_tax(quote: Quote, details: BillingDetailsUpdate) -> bool:
    """The quote's VAT is the one these billing details call for (the server's rule, `tax_decision`)."""
    decision = tax_decision(details.address.country, details.vat_number)
    return (float(decision.rate_percent), decision.reverse_charge) == (quote.tax.rate_percent, quote.tax.reverse_charge)


async def _quote(screen: Screen, client: BillingClient, request: QuoteRequest, title: str) -> Quote | None:
    try:
        return await client.create_quote(request)
    except ApiError as error:
        screen.notify(error.message, title=title, severity="error")
        return None

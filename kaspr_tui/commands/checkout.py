"""The pipeline every purchase goes through on the command line: price, review, confirm, pay.

As in the TUI (`screens/checkout/flow.py`): nothing changes before the person confirms the
review ("Check that your order is correct"); the workspace's default card pays; one
Idempotency-Key covers the payment, sent again on every retry inside the command. The quote is
asked for under a key derived from it, so a rerun with `--idempotency-key KEY` after a lost
answer prices the same quote again (the server replays it) and finds the same payment instead
of making a second one. 3-D Secure: the bank's question is asked on the prompt (or read from
stdin); no answer denies it. The outcome is never claimed when it is not known.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Literal

from kaspr_tui.api import ApiError, BillingClient, new_idempotency_key
from kaspr_tui.api.models import BillingDetails, Checkout, Me, PaymentMethod, Quote, QuoteRequest, Subscription
from kaspr_tui.billing.formatting import format_card
from kaspr_tui.billing.money import format_money
from kaspr_tui.billing.order_words import (
    REVIEW_TITLE,
    billed_to_lines,
    card_line,
    confirm_label,
    line_words,
    payment_refused,
    scheduled_lines,
    totals_rows,
    what_changed_lines,
)
from kaspr_tui.commands.runtime import CommandError, Context, Exit, ask, confirm, exit_code_for, table
from kaspr_tui.state import AccountState

REFUSAL_ADVICE = {
    "quote_stale": "The subscription changed since this price was made: run the command again for a new price.",
    "quote_expired": "Prices are held for 15 minutes: run the command again (without --idempotency-key) for a new one.",
    "checkout_in_progress": "Once it has finished, check `kaspr-tui status` before buying again.",
}
"""What to do after the server refused to start the payment; nothing was charged."""
BankAnswer = Literal["approve", "deny"]
BANK_ANSWERS: dict[str, BankAnswer] = {"a": "approve", "approve": "approve", "d": "deny", "deny": "deny"}

AfterSuccess = Callable[[BillingClient, Checkout, str], Awaitable[list[str]]]
"""Run once the payment succeeded, with the purchase's key; the lines it returns are said after it."""



@dataclass(frozen=True)
class Buyer:
    """Who pays and how: the admin's workspace, its subscription today, default card, billing details."""

    me: Me
    subscription: Subscription
    card: PaymentMethod
    details: BillingDetails

    @property
    def state(self) -> AccountState:
        return AccountState(me=self.me, subscription=self.subscription)


async def load_buyer(client: BillingClient, what: str) -> Buyer:
    """The buyer, or why this key cannot buy: not an admin, or no card on file."""
    me = await client.me()
    if me.role != "admin" or me.workspace is None:
        where = f" of {me.workspace.name}" if me.workspace else ""
        raise CommandError(
            f"Only an admin of the workspace can {what}; this key is a {me.role}'s{where}.", Exit.AUTHENTICATION
        )
    subscription, cards, details = await asyncio.gather(
        client.subscription(), client.payment_methods(), client.billing_details(), return_exceptions=True
    )
    for answer in (subscription, cards):
        if isinstance(answer, BaseException):
            raise answer
    if isinstance(details, ApiError) and details.status == 404:
        raise CommandError(
            "No billing details on file, and they go on the invoice: add them in kaspr-tui "
            f"(Billing, Plan & Billing, Billing details), then {what}."
        )
    if isinstance(details, BaseException):
        raise details
    assert isinstance(subscription, Subscription) and isinstance(cards, list)
    card = next((card for card in cards if card.is_default), None)
    if card is None:
        raise CommandError(f"No card on file to pay with: add one with `kaspr-tui card update`, then {what}.")
    return Buyer(me, subscription, card, details)


def review_lines(quote: Quote, state: AccountState) -> list[str]:
    """Every line charged now, the totals, the part that waits for the period end: the review's words."""
    rows: list[tuple[str, str]] = []
    for line in quote.lines:
        what, each, amount = line_words(line, quote.currency)
        rows.append((what, amount))
        if each is not None:
            rows.append((f"  {each}", ""))
    if rows:
        rows.append(("", ""))
    rows.extend(totals_rows(quote))
    lines = table(("", ""), rows, right=(1,))[1:]
    scheduled = scheduled_lines(quote, state.plan_name)
    return [*lines, "", *scheduled] if scheduled else lines


async def purchase(
    context: Context,
    client: BillingClient,
    request: QuoteRequest,
    *,
    what: str,
    after_success: AfterSuccess | None = None,
    terms: Callable[[Buyer], list[str]] | None = None,
) -> Exit:
    """Price `request`, show the review, confirm, pay with the default card, say what changed."""
    out, args = context.out, context.args
    buyer = await load_buyer(client, what)
    key = args.idempotency_key or new_idempotency_key()
    quote = await client.create_quote(request, idempotency_key=f"{key}-quote")
    out.say(out.bold(REVIEW_TITLE))
    for line in review_lines(quote, buyer.state):
        out.say(line)
    out.say("")
    if terms is not None:
        for line in terms(buyer):
            out.paragraph(line)
        out.say("")
    out.say(f"Card       {card_line(buyer.card.brand, buyer.card.last4, buyer.card.exp_month, buyer.card.exp_year)}")
    first, second = billed_to_lines(buyer.details)
    out.say(f"Billed to  {first}\n           {second}")
    out.say("")
    paying = quote.total_due_now > 0
    confirm(f"{confirm_label(quote)}?", yes=args.yes, out=out, refusal="nothing was bought")

    checkout = await _pay(context, client, quote, buyer, key)
    if checkout.status == "failed":
        reason = checkout.error.message if checkout.error else "The payment did not go through."
        code = Exit.PAYMENT if checkout.error is None or checkout.error.type == "card_error" else Exit.CONFLICT
        raise CommandError(f"{reason} Nothing was charged and your subscription is unchanged.", code)
    charged_to = format_card(buyer.card.brand, buyer.card.last4)
    before = (buyer.subscription.plan, buyer.subscription.interval, buyer.subscription.seats)
    renewing = {addon.type: addon.auto_renew for addon in buyer.subscription.addons if addon.quantity > 0}
    lines = what_changed_lines(checkout.quote, before, buyer.state.plan_name, charged_to, renewing)
    if paying and checkout.invoice_id is not None:
        number = await _invoice_number(client, checkout.invoice_id)
        lines.append(f"Invoice {number}: kaspr-tui invoices download {number}")
    if args.json:
        context.out.data(checkout)
    for line in lines:
        out.say(line)
    if after_success is not None:
        for line in await after_success(client, checkout, key):
            out.say(line)
    return Exit.OK


async def _pay(context: Context, client: BillingClient, quote: Quote, buyer: Buyer, key: str) -> Checkout:
    """Open the checkout and follow it to `succeeded` or `failed`, through 3-D Secure."""
    out = context.out
    amount = format_money(quote.total_due_now, quote.currency)
    if quote.total_due_now > 0:
        out.note(f"Your payment of {amount} is being processed…")
    rerun = (
        f"Nothing is charged twice: run the same command again with --idempotency-key {key} "
        "to continue this same payment."
    )
    try:
        checkout = await client.create_checkout(quote.id, buyer.card.id, idempotency_key=key)
    except ApiError as error:
        if not payment_refused(error.status, error.code):
            raise CommandError(f"We couldn't confirm your payment: {error.message}\n{rerun}") from None
        advice = REFUSAL_ADVICE.get(error.code, "")
        raise CommandError(
            f"{error.message} {advice} Nothing was charged.".replace("  ", " "), exit_code_for(error)
        ) from None
    try:
        while True:
            if checkout.status == "processing":
                checkout = await client.wait_for_checkout(checkout.id)
            if checkout.status != "requires_action":
                return checkout
            out.paragraph(
                f"Your bank asks you to confirm this payment of {amount} to Kaspr with "
                f"{format_card(buyer.card.brand, buyer.card.last4)} (this step stands in for 3-D Secure).",
                note=True,
            )
            try:
                answer = _bank_answer(context)
            except KeyboardInterrupt:
                out.note("Interrupted: denying the payment, so that nothing is charged.")
                await client.authenticate_checkout(checkout.id, "deny", idempotency_key=f"{key}-3ds-deny")
                raise
            try:
                checkout = await client.authenticate_checkout(
                    checkout.id, answer, idempotency_key=f"{key}-3ds-{answer}"
                )
            except ApiError as error:
                if error.code != "checkout_not_awaiting_action":
                    raise
                checkout = await client.get_checkout(checkout.id)  # answered meanwhile: see how it ended
    except ApiError as error:
        raise CommandError(f"We couldn't confirm your payment ({checkout.id}): {error.message}\n{rerun}") from None


def _bank_answer(context: Context) -> BankAnswer:
    """approve or deny, from the prompt (or a line of stdin); no answer is a denial."""
    while True:
        typed = ask("Approve or deny? [a/d] ", context.out)
        if typed is None:
            context.out.note("No answer to the bank's question: the payment is denied.")
            return "deny"
        answer = BANK_ANSWERS.get(typed.lower())
        if answer is not None:
            return answer
        context.out.note("Type a to approve or d to deny.")


async def _invoice_number(client: BillingClient, invoice_id: str) -> str:
    """The paid invoice's number for the success message; its id if the number cannot be read."""
    try:
        return (await client.invoice(invoice_id)).number or invoice_id
    except ApiError:
        return invoice_id

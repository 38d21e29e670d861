"""`kaspr-tui credits` (left per type this period) and `credits buy TYPE QUANTITY`.

Bought credits are granted now and join the type's recurring pack, which renews at every
monthly reset until its auto-renew is turned off; `--no-renew` turns it off once the payment
succeeded, so what is bought is for this period only. `--json` prints `[CreditBalance, …]`
for the list, the `Checkout` for a purchase.
"""

from __future__ import annotations

from kaspr_tui.api import ApiError, BillingClient
from kaspr_tui.api.models import AddonQuantity, Checkout, CreditBalance, QuoteRequest
from kaspr_tui.billing.catalog import CREDIT_LABELS, CreditType
from kaspr_tui.billing.formatting import format_date
from kaspr_tui.billing.order_words import balance_words, pack_terms_words
from kaspr_tui.commands.checkout import Buyer, purchase
from kaspr_tui.commands.runtime import CommandError, Context, Exit
from kaspr_tui.commands.status import credit_table


async def show(context: Context) -> Exit:
    async with context.session() as client:
        credits = await client.credits()
    if context.args.json:
        context.out.data(credits)
    else:
        for line in credit_table(credits):
            context.out.say(line)
    return Exit.OK


async def buy(context: Context) -> Exit:
    credit_type: CreditType = context.args.type
    quantity: int = context.args.quantity
    label = CREDIT_LABELS[credit_type]
    no_renew: bool = context.args.no_renew
    async with context.session() as client:
        balance = next((balance for balance in await client.credits() if balance.type == credit_type), None)
        if balance is None:
            raise CommandError(f"The billing server has no {label.lower()} for this workspace.")

        def terms(buyer: Buyer) -> list[str]:
            return buy_terms(buyer, balance, quantity, no_renew)

        async def stop_renewal(client: BillingClient, checkout: Checkout, key: str) -> list[str]:
            try:
                await client.set_addon_auto_renew(credit_type, False, idempotency_key=f"{key}-no-renew")
            except ApiError as error:
                raise CommandError(
                    f"The credits were added, but auto-renew could not be turned off: {error} "
                    "Turn it off in kaspr-tui (Billing, Purchase add-ons) before the reset, "
                    "rather than running this purchase again."
                ) from None
            return [
                f"Auto-renew is off: your {label.lower()} pack ends at the reset on {format_date(balance.resets_at)}."
            ]

        request = QuoteRequest(addons=[AddonQuantity(type=credit_type, quantity=quantity)])
        return await purchase(
            context,
            client,
            request,
            what=f"buy {label.lower()}",
            terms=terms,
            after_success=stop_renewal if no_renew else None,
        )


def buy_terms(buyer: Buyer, balance: CreditBalance, adding: int, no_renew: bool) -> list[str]:
    """Today's balance, then what happens to the credits bought: renewed with the pack, or this period only."""
    label = CREDIT_LABELS[balance.type]
    resets_on = format_date(balance.resets_at)
    pack = next((addon for addon in buyer.subscription.addons if addon.type == balance.type), None)
    pack_quantity = pack.quantity if pack is not None else 0
    if no_renew:
        terms = (
            f"With --no-renew, auto-renew of your {label.lower()} pack is turned off once paid: the whole pack ends "
            f"at the reset on {resets_on}, so credits added now are for this period only. "
            "Unused credits never carry over."
        )
    else:
        terms = pack_terms_words(pack_quantity, pack.auto_renew if pack else True, adding, resets_on)
    return [balance_words(label, balance.used, balance.remaining, balance.resets_at), terms]

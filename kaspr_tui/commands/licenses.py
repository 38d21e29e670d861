"""`kaspr-tui licenses set TOTAL`: the total number of licenses (seats), after the price.

More licenses apply now, prorated; fewer apply at the period end, with nothing to pay now.
The server refuses fewer than the members and pending invitations, naming both counts.
"""

from __future__ import annotations

from kaspr_tui.api.models import QuoteRequest
from kaspr_tui.billing.formatting import format_date
from kaspr_tui.billing.order_words import license_change_rules
from kaspr_tui.billing.words import plural
from kaspr_tui.commands.checkout import Buyer, purchase
from kaspr_tui.commands.runtime import Context, Exit


async def set_total(context: Context) -> Exit:
    total: int = context.args.total
    async with context.session() as client:
        subscription = await client.subscription()
        if total == subscription.seats:
            context.out.note(f"The workspace already has {plural(total, 'license')}: nothing to change.")
            return Exit.OK

        def terms(buyer: Buyer) -> list[str]:
            return [license_change_rules(format_date(buyer.subscription.current_period_end))]

        return await purchase(context, client, QuoteRequest(seats=total), what="change licenses", terms=terms)

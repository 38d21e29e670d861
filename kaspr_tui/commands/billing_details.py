"""`kaspr-tui billing-details`: who is billed and where, the VAT number and its status, and the
upcoming charges, in the words of the app's Billing details window. `--json` prints
`{"billing_details": BillingDetails | null, "upcoming_charges": [UpcomingCharge, …]}`.
"""

from __future__ import annotations

import asyncio

from kaspr_tui.api import ApiError, BillingClient
from kaspr_tui.api.models import BillingDetails
from kaspr_tui.billing.order_words import billed_to_lines, upcoming_rows, vat_number_words
from kaspr_tui.commands.runtime import Context, Exit, table

LABEL_WIDTH = 11


async def details_or_none(client: BillingClient) -> BillingDetails | None:
    """The workspace's billing details; None when it has none yet (the API's 404)."""
    try:
        return await client.billing_details()
    except ApiError as error:
        if error.status != 404:
            raise
        return None


async def show(context: Context) -> Exit:
    async with context.session() as client:
        details, upcoming = await asyncio.gather(details_or_none(client), client.upcoming_charges())
    if context.args.json:
        context.out.data({"billing_details": details, "upcoming_charges": upcoming})
        return Exit.OK
    if details is None:
        context.out.say("Billed to".ljust(LABEL_WIDTH) + "No billing details yet")
    else:
        who, where = billed_to_lines(details)
        context.out.say("Billed to".ljust(LABEL_WIDTH) + who)
        context.out.say(" " * LABEL_WIDTH + where)
        context.out.say(" " * LABEL_WIDTH + vat_number_words(details.vat_number, details.vat_status))
    context.out.say("Upcoming charges")
    rows = upcoming_rows(upcoming)
    nothing_due = ["Nothing is due before the next renewal."]
    lines = table(("When and what", "Amount"), rows, right=(1,)) if rows else nothing_due
    for line in lines:
        context.out.say(f"  {line}")
    return Exit.OK

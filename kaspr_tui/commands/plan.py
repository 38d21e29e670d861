"""`kaspr-tui plan change PLAN [--interval] [--seats]`: a new plan, after the price.

An upgrade (a higher price per seat, or monthly to annual) applies now, the unused time
credited; a downgrade waits for the period end. Only what differs from today is asked for.
"""

from __future__ import annotations

from kaspr_tui.api.models import change_request
from kaspr_tui.billing.formatting import format_plan
from kaspr_tui.commands.checkout import purchase
from kaspr_tui.commands.runtime import Context, Exit
from kaspr_tui.state import AccountState


async def change(context: Context) -> Exit:
    args = context.args
    async with context.session() as client:
        subscription = await client.subscription()
        request = change_request(subscription, args.plan, args.interval, args.seats)
        if request is None:
            plan_name = AccountState(subscription=subscription).plan_name(subscription.plan)
            context.out.note(
                f"The workspace is already on {format_plan(plan_name, subscription.interval)} with "
                f"{subscription.seats} seats: nothing to change."
            )
            return Exit.OK
        return await purchase(context, client, request, what="change the plan")

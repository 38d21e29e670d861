"""`kaspr-tui plan change PLAN [--interval] [--seats]`: a new plan, after the price.

An upgrade (a higher price per seat, or monthly to annual) applies now, the unused time
credited; a downgrade waits for the period end. Only what differs from today is asked for.
"""

from __future__ import annotations

from kaspr_tui.api.models import QuoteRequest, Subscription
from kaspr_tui.billing.formatting import format_plan
from kaspr_tui.commands.checkout import purchase
from kaspr_tui.commands.runtime import Context, Exit
from kaspr_tui.state import AccountState


def change_request(
    subscription: Subscription, plan: str, interval: str | None, seats: int | None
) -> QuoteRequest | None:
    """The quote request for what differs from today's subscription; None when nothing does."""
    changes: dict[str, object] = {}
    if plan != subscription.plan:
        changes["plan"] = plan
    if interval is not None and interval != subscription.interval:
        changes["interval"] = interval
    if seats is not None and seats != subscription.seats:
        changes["seats"] = seats
    return QuoteRequest.model_validate(changes) if changes else None


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

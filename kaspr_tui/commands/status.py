"""`kaspr-tui status`: plan, interval, seats used and total, renewal, scheduled change, card, credits.

What the dashboard shows but the activity feed, in three concurrent requests; `--json` prints
`{"me": Me, "subscription": Subscription, "credits": [CreditBalance, …]}`.
"""

from __future__ import annotations

import asyncio

from kaspr_tui.api.models import CreditBalance, Subscription
from kaspr_tui.billing.catalog import CREDIT_LABELS
from kaspr_tui.billing.formatting import format_card, format_count, format_date, format_plan
from kaspr_tui.billing.order_words import period_credits, scheduled_change_words
from kaspr_tui.commands.runtime import CommandError, Context, Exit, table
from kaspr_tui.state import AccountState

LABEL_WIDTH = 10
SUPPORT_HINT = "look an account up with `kaspr-tui support lookup EMAIL`"


async def run(context: Context) -> Exit:
    async with context.session() as client:
        me, subscription, credits = await asyncio.gather(
            client.me(), client.subscription(), client.credits(), return_exceptions=True
        )
    if isinstance(me, BaseException):
        raise me
    if me.workspace is None:
        raise CommandError(f"A {me.role} key belongs to no workspace: {SUPPORT_HINT}.", Exit.USAGE)
    for answer in (subscription, credits):
        if isinstance(answer, BaseException):
            raise answer
    assert isinstance(subscription, Subscription) and isinstance(credits, list)
    if context.args.json:
        context.out.data({"me": me, "subscription": subscription, "credits": credits})
    else:
        for line in status_lines(AccountState(me=me, subscription=subscription, credits=tuple(credits))):
            context.out.say(line)
    return Exit.OK


def labelled(label: str, value: str) -> str:
    return f"{label.ljust(LABEL_WIDTH)}{value}"


def status_lines(state: AccountState) -> list[str]:
    """The dashboard's summary as lines of text."""
    me, subscription = state.me, state.subscription
    assert me is not None and me.workspace is not None and subscription is not None
    used = subscription.seats - subscription.seats_available
    lines = [
        f"{me.workspace.name} · {format_plan(state.plan_name(subscription.plan), subscription.interval)}",
        labelled("Seats", f"{used} of {subscription.seats} used · {subscription.seats_available} free"),
    ]
    if subscription.status != "active":
        lines.append(labelled("Status", subscription.status.replace("_", " ")))
    lines.append(labelled("Renews", format_date(subscription.current_period_end)))
    change = subscription.scheduled_change
    if change is not None:
        words = scheduled_change_words(state.plan_name(change.plan), change.interval, change.seats, change.effective_at)
        lines.append(labelled("", words))
    card = subscription.payment_method
    lines.append(labelled("Card", format_card(card.brand, card.last4) if card else "No card on file"))
    credit_rows = credit_table(state.credits)
    lines.append(labelled("Credits", credit_rows[0]))
    lines.extend(labelled("", row) for row in credit_rows[1:])
    return lines


def credit_table(credits: tuple[CreditBalance, ...] | list[CreditBalance]) -> list[str]:
    """One row per credit type: left of the period's total, used, and when it resets."""
    return table(
        ("Type", "Left", "Of", "Used", "Resets"),
        (
            (
                CREDIT_LABELS[balance.type],
                format_count(balance.remaining),
                format_count(period_credits(balance.used, balance.remaining)),
                format_count(balance.used),
                format_date(balance.resets_at),
            )
            for balance in credits
        ),
        right=(1, 2, 3),
    )

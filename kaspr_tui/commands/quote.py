"""`kaspr-tui quote`: what a change would cost, in the review's words; nothing changes.

`--json` prints the `Quote`.
"""

from __future__ import annotations

from kaspr_tui.api.models import AddonQuantity, QuoteRequest
from kaspr_tui.billing.catalog import CreditType
from kaspr_tui.commands.checkout import review_lines
from kaspr_tui.commands.runtime import CommandError, Context, Exit
from kaspr_tui.state import AccountState


async def run(context: Context) -> Exit:
    args = context.args
    addons: dict[CreditType, int] = {}
    for credit_type, quantity in args.addon:
        if credit_type in addons:
            raise CommandError(f"--addon {credit_type} is given twice: give each type once.", Exit.USAGE)
        addons[credit_type] = quantity
    if args.plan is None and args.interval is None and args.seats is None and not addons:
        raise CommandError(
            "Say what to price: --plan, --interval, --seats or --addon TYPE=QTY (see kaspr-tui quote --help).",
            Exit.USAGE,
        )
    request = QuoteRequest.model_validate(
        {
            "plan": args.plan,
            "interval": args.interval,
            "seats": args.seats,
            "addons": [AddonQuantity(type=credit_type, quantity=quantity) for credit_type, quantity in addons.items()],
        }
    )
    async with context.session() as client:
        quote = await client.create_quote(request)
    if args.json:
        context.out.data(quote)
    else:
        for line in review_lines(quote, AccountState()):
            context.out.say(line)
    return Exit.OK

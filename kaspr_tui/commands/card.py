"""`kaspr-tui card update`: a new default card; the old one stays on file.

The number, expiry and CVC are asked without echo on a terminal (getpass), or read from stdin,
one per line (then the name, unless `--name`): never from argv, so never in `ps` or shell
history. They are checked with the TUI's card rules before anything is sent, travel only in
the one request that saves the card (`PaymentMethodCreate`, its secrets as `SecretStr`), and
are never printed or logged. `--json` prints the saved `PaymentMethod` (brand, last 4, expiry).
"""

from __future__ import annotations

import getpass
import sys
from datetime import date

from pydantic import SecretStr

from kaspr_tui.api.models import PaymentMethodCreate
from kaspr_tui.billing.cards import normalize_card_number, parse_expiry, validate_card_text
from kaspr_tui.billing.order_words import card_line
from kaspr_tui.commands.runtime import CommandError, Context, Exit, has_terminal

FIELD_NAMES = {"number": "Card number", "exp_month": "Expiry", "cvc": "Security code", "name": "Name on card"}


def read_card(name: str | None) -> tuple[str, str, str, str]:
    """(number, expiry, cvc, name) from the prompt without echo, or from stdin's lines."""
    if has_terminal():
        number = getpass.getpass("Card number (not shown): ")
        expiry = getpass.getpass("Expiry MM/YY (not shown): ")
        cvc = getpass.getpass("Security code (not shown): ")
        if name is None:
            sys.stderr.write("Name on card: ")
            sys.stderr.flush()
            name = sys.stdin.readline().strip()
        return number, expiry, cvc, name
    wanted = 3 if name is not None else 4
    lines = [sys.stdin.readline() for _ in range(wanted)]
    if not lines[-1]:
        raise CommandError(
            f"Give the card on stdin, one per line: number, expiry MM/YY, security code{', name' * (wanted == 4)}.",
            Exit.USAGE,
        )
    number, expiry, cvc, *rest = (line.strip() for line in lines)
    return number, expiry, cvc, name if name is not None else rest[0]


async def update(context: Context) -> Exit:
    async with context.session() as client:
        me = await client.me()
        if me.role != "admin":
            raise CommandError("Only an admin of the workspace can change its card.", Exit.AUTHENTICATION)
        number, expiry, cvc, name = read_card(context.args.name)
        problems = validate_card_text(number, expiry, cvc, name, date.today())
        if problems:
            # The messages say what to fix, never what was typed.
            lines = "\n".join(
                f"  {FIELD_NAMES.get(problem.param, problem.param)}: {problem.message}" for problem in problems
            )
            raise CommandError(f"The card was not saved:\n{lines}", Exit.USAGE)
        exp_month, exp_year = parse_expiry(expiry) or (0, 0)
        card = PaymentMethodCreate(
            number=SecretStr(normalize_card_number(number)),
            exp_month=exp_month,
            exp_year=exp_year,
            cvc=SecretStr(cvc.strip()),
            name=name.strip(),
            make_default=True,
        )
        saved = await client.add_payment_method(card)
    if context.args.json:
        context.out.data(saved)
    context.out.say(f"{card_line(saved.brand, saved.last4, saved.exp_month, saved.exp_year)} is now your default card.")
    return Exit.OK

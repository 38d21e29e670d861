"""`kaspr-tui card update`: a new default card; the old one stays on file. `kaspr-tui cards
[list]`, `cards default ID` and `cards remove ID [--yes]`: the cards on file, as Manage cards
shows them (the default first), made the default or removed (the server keeps the default card of
a paid plan: exit 6). `--json` prints `[PaymentMethod, …]` for the list and the `PaymentMethod`
made the default.

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

from kaspr_tui.api.models import PaymentMethod, PaymentMethodCreate
from kaspr_tui.billing.cards import normalize_card_number, parse_expiry, validate_card_text
from kaspr_tui.billing.formatting import format_card, format_expiry
from kaspr_tui.billing.order_words import card_line
from kaspr_tui.commands.runtime import CommandError, Context, Exit, confirm, has_terminal, table

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
    context.out.say(f"{words(saved)} is now your default card.")
    return Exit.OK


def words(card: PaymentMethod) -> str:
    """`Visa •••• 4242  expires 12/2029`: all a command shows of a card."""
    return card_line(card.brand, card.last4, card.exp_month, card.exp_year)


def default_first(cards: list[PaymentMethod]) -> list[PaymentMethod]:
    """As Manage cards lists them."""
    return sorted(cards, key=lambda card: not card.is_default)


async def show(context: Context) -> Exit:
    async with context.session() as client:
        cards = default_first(await client.payment_methods())
    if context.args.json:
        context.out.data(cards)
        return Exit.OK
    if not cards:
        context.out.note("No card on file: add one with `kaspr-tui card update`.")
        return Exit.OK
    rows = [
        (format_card(card.brand, card.last4), format_expiry(card.exp_month, card.exp_year),
         "default" if card.is_default else "", card.id)
        for card in cards
    ]
    for line in table(("Card", "Expires", "Default", "Id"), rows):
        context.out.say(line)
    return Exit.OK


async def make_default(context: Context) -> Exit:
    async with context.session() as client:
        card = await client.set_default_payment_method(context.args.id.strip())
    if context.args.json:
        context.out.data(card)
    context.out.say(f"{words(card)} is now your default card.")
    return Exit.OK


async def remove(context: Context) -> Exit:
    wanted = context.args.id.strip()
    async with context.session() as client:
        found = [card for card in await client.payment_methods() if card.id == wanted]
        if not found:
            raise CommandError(f"No card {wanted} is on file: see `kaspr-tui cards`.", Exit.NOT_FOUND)
        card = found[0]
        context.out.paragraph(f"Remove {words(card)} from the cards on file?", note=True)
        confirm("Go ahead?", yes=context.args.yes, out=context.out)
        await client.delete_payment_method(card.id)
    context.out.say(f"{words(card)} is removed from the cards on file.")
    return Exit.OK

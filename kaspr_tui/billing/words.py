"""Words shared by the server's messages, the TUI and the command line: pure, no I/O.

Each rule is written once: how a count reads, how a plan's terms read, why a seat count is bounded,
how VAT reads.
"""

from __future__ import annotations

from decimal import Decimal

INTERVAL_WORDS = {"month": "monthly", "year": "annual"}


def plural(count: int, word: str) -> str:
    """`1 seat`, `2 seats`, `1,000 seats`: English nouns of this app take an s."""
    return f"{count:,} {word}{'' if count == 1 else 's'}"


def role_words(role: str) -> str:
    """`an admin`, `a member`: a workspace role in a sentence."""
    return f"an {role}" if role[0] in "aeiou" else f"a {role}"


def terms_words(plan_name: str, interval: str, seats: int, seat_word: str = "seat") -> str:
    """`Business (annual) × 10 seats`: a plan's terms, as quote lines and the screens read them."""
    return f"{plan_name} ({INTERVAL_WORDS.get(interval, interval)}) × {plural(seats, seat_word)}"


def seats_floor_reason(workspace_name: str, members: int, pending_invitations: int) -> str:
    """Why the seat count cannot go lower: every member and pending invitation holds a seat."""
    return (
        f"{workspace_name} has {plural(members, 'member')} and {plural(pending_invitations, 'pending invitation')}: "
        "remove members or revoke invitations first to go lower."
    )


def seats_ceiling_reason(plan_name: str, max_seats: int) -> str:
    """Why the seat count cannot go higher: the plan's maximum."""
    return f"The {plan_name} plan allows at most {plural(max_seats, 'user')}: choose a larger plan for more."


def vat_label(rate_percent: float | Decimal, reverse_charge: bool) -> str:
    """`VAT 20 %`, or the reverse charge spelled out: the label of a quote's or an invoice's VAT line."""
    rate = f"VAT {rate_percent:g} %"
    return f"{rate} (reverse charge: the customer accounts for VAT)" if reverse_charge else rate


def vat_charge_words(rate_percent: float | Decimal, reverse_charge: bool) -> str:
    """`VAT 20 % applies`, or `reverse charge, 0 % VAT` for a valid EU VAT number abroad."""
    if reverse_charge:
        return "reverse charge, 0 % VAT"
    return f"VAT {rate_percent:g} % applies"

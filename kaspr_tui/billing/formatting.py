"""How dates, counts, plans and cards read, on screen and on the command line: pure, no I/O.

Absolute dates only ("27 Nov 2026"), never "in 3 days": what a user reads must not depend on
when they look. Month names are spelled out here rather than taken from `strftime("%b")`, which
follows the machine's locale.
"""

from __future__ import annotations

from datetime import UTC, date, datetime

from kaspr_tui.billing.words import INTERVAL_WORDS

MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")

CARD_BRANDS = {
    "visa": "Visa",
    "mastercard": "Mastercard",
    "amex": "American Express",
    "discover": "Discover",
}


def format_date(moment: date | datetime) -> str:
    """`27 Nov 2026`. A datetime is read in UTC, the billing API's time zone."""
    if isinstance(moment, datetime):
        moment = moment.astimezone(UTC).date()
    return f"{moment.day} {MONTHS[moment.month - 1]} {moment.year}"


def format_count(count: int) -> str:
    """`1,234`."""
    return f"{count:,}"


def format_card(brand: str, last4: str) -> str:
    """`Visa •••• 4242`."""
    return f"{CARD_BRANDS.get(brand.lower(), brand.title())} •••• {last4}"


def format_expiry(month: int, year: int) -> str:
    """`12/2028`."""
    return f"{month:02d}/{year}"


def format_plan(plan_name: str, interval: str) -> str:
    """`Business · annual`."""
    return f"{plan_name} · {INTERVAL_WORDS.get(interval, interval)}"

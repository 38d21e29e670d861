"""Formatting and rounding money. Amounts are integer cents everywhere; this is the edge."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction
from math import floor

MINUS_SIGN = "\u2212"
"""A real minus sign, so a negative amount does not read as a hyphenated word."""

CURRENCY_SYMBOLS = {"eur": "€"}


def format_money(cents: int, currency: str = "eur") -> str:
    """`€1,234.50`, `−€12.00`; a currency without a symbol shows its code: `USD 1,234.50`."""
    units, cents_part = divmod(abs(cents), 100)
    symbol = CURRENCY_SYMBOLS.get(currency.lower())
    prefix = symbol if symbol else f"{currency.upper()} "
    sign = MINUS_SIGN if cents < 0 else ""
    return f"{sign}{prefix}{units:,}.{cents_part:02d}"


def round_half_up(value: Decimal | Fraction) -> int:
    """Round to the nearest integer, a half away from zero (0.5 → 1, −0.5 → −1).

    Symmetric, so a line and its reverse round to exact opposites.
    """
    exact = Fraction(value)
    magnitude = floor(abs(exact) + Fraction(1, 2))
    return magnitude if exact >= 0 else -magnitude

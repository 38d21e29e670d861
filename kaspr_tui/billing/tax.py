"""VAT (API.md rule 5): who pays which rate, and checking VAT numbers offline.

VAT numbers are checked for format and checksum with python-stdnum; no outside service is called.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

from kaspr_tui.billing.errors import FieldError
from kaspr_tui.billing.money import round_half_up

SELLER_COUNTRY = "FR"


@dataclass(frozen=True, slots=True)
class TaxDecision:
    rate_percent: Decimal
    reverse_charge: bool
    country: str | None

EU_STANDARD_VAT_RATES: dict[str, Decimal] = {
    "AT": Decimal("20"),
    "BE": Decimal("21"),
    "BG": Decimal("20"),
    "CY": Decimal("19"),
    "CZ": Decimal("21"),
    "DE": Decimal("19"),
    "DK": Decimal("25"),
    "EE": Decimal("24"),
    "ES": Decimal("21"),
    "FI": Decimal("25.5"),
    "FR": Decimal("20"),
    "GR": Decimal("24"),
    "HR": Decimal("25"),
    "HU": Decimal("27"),
    "IE": Decimal("23"),
    "IT": Decimal("22"),
    "LT": Decimal("21"),
    "LU": Decimal("17"),
    "LV": Decimal("21"),
    "MT": Decimal("18"),
    "NL": Decimal("21"),
    "PL": Decimal("23"),
    "PT": Decimal("23"),
    "RO": Decimal("21"),
    "SE": Decimal("25"),
    "SI": Decimal("22"),
    "SK": Decimal("23"),
}
"""Standard rates in percent, by ISO 3166-1 country code (Greece is `GR` here, `EL` in VAT numbers)."""

VAT_PREFIX_EXCEPTIONS = {"GR": "EL"}

_SEPARATORS = " -./,"


def vat_prefix(country: str) -> str:
    """The two letters a VAT number of `country` starts with."""
    country = country.upper()
    return VAT_PREFIX_EXCEPTIONS.get(country, country)


def compact_vat_number(vat_number: str, country: str) -> str:
    """`vat_number` without separators, upper case, with the country prefix added if left out.

    `40 303 265 045` for FR becomes `FR40303265045`; a number that already starts with two letters
    keeps them, so a wrong prefix stays visible to the check.
    """
    compact = "".join(ch for ch in vat_number if ch not in _SEPARATORS).upper()
    if compact[:2].isalpha():
        return compact
    return vat_prefix(country) + compact


def validate_vat_number(vat_number: str, country: str, param: str = "vat_number") -> FieldError | None:
    """None if `vat_number` is a well-formed EU VAT number of the billing `country`."""
    country = country.upper()
    if country not in EU_STANDARD_VAT_RATES:
        return FieldError(param, "tax_id_invalid", "VAT numbers apply to EU addresses only: leave it empty.")
    compact = compact_vat_number(vat_number, country)
    expected = vat_prefix(country)
    if not compact.startswith(expected):
        message = f"A VAT number for this address starts with {expected}: check the number or the country."
        return FieldError(param, "tax_id_invalid", message)
    # On first use: python-stdnum loads pydoc (~0.03 s), which the bundled server's boot need not wait for.
    from stdnum.eu import vat as eu_vat
    from stdnum.exceptions import ValidationError

    try:
        eu_vat.validate(compact)
    except ValidationError:
        return FieldError(param, "tax_id_invalid", f"This is not a valid {expected} VAT number: check it for a typo.")
    return None


def tax_decision(country: str, vat_number: str | None) -> TaxDecision:
    """The VAT to charge a customer billed in `country`, with `vat_number` if they gave one."""
    country = country.upper()
    rate = EU_STANDARD_VAT_RATES.get(country)
    if rate is None:
        return TaxDecision(Decimal("0"), reverse_charge=False, country=country)
    if country == SELLER_COUNTRY:
        return TaxDecision(rate, reverse_charge=False, country=country)
    if vat_number and validate_vat_number(vat_number, country) is None:
        return TaxDecision(Decimal("0"), reverse_charge=True, country=country)
    return TaxDecision(rate, reverse_charge=False, country=country)


def tax_amount(subtotal: int, decision: TaxDecision) -> int:
    """The VAT on `subtotal`, rounded half up to the cent; nothing on a credit or a zero amount."""
    if subtotal <= 0:
        return 0
    return round_half_up(Fraction(subtotal) * Fraction(decision.rate_percent) / 100)

"""Card entry: number, expiry, security code and name, each in a `FormField`.

`CardInput` groups the number as it is typed (4-4-4-4, 4-6-5 for Amex) with the brand beside it,
inserts the slash of the expiry, masks the CVC and asks for 3 or 4 digits by brand. It does no
I/O: a screen reads `entry()` when submitting and shows errors with `FormField.show_error`.

The card number and CVC live only in their `Input` widgets: `CardEntry` hides them from its repr,
nothing here logs them, and `forget_secrets()` empties them once the screen is done.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

import rich.repr
from textual import on
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Input, Label

from kaspr_tui.billing.cards import (
    MAX_CARD_DIGITS,
    cvc_length,
    detect_brand,
    format_card_number,
    normalize_card_number,
    parse_expiry,
    validate_card_text,
)
from kaspr_tui.billing.formatting import CARD_BRANDS
from kaspr_tui.widgets.forms.field_input import FieldInput
from kaspr_tui.widgets.forms.form_field import FormField

MAX_NAME_LENGTH = 100
"""What a card's name may hold on the wire (PaymentMethodCreate.name)."""

CARD_NUMBER_LENGTH = MAX_CARD_DIGITS + MAX_CARD_DIGITS // 4
"""19 digits and the spaces between their groups."""

EXPIRY_LENGTH = len("MM/YYYY")
MAX_CVC_LENGTH = cvc_length("amex")
"""The longest security code any brand has."""

CARD_PARAM_INPUTS = {
    "number": "card-number",
    "exp_month": "card-expiry",
    "exp_year": "card-expiry",
    "cvc": "card-cvc",
    "name": "card-name",
}
"""The API's card params (`POST /v1/payment_methods`) → the id of the input each belongs next to."""


class _ValueHidden:
    """For an input's messages: shown without the value, which Textual's debug log would record."""

    input: Input

    def __rich_repr__(self) -> rich.repr.Result:
        yield "input", self.input

    def __repr__(self) -> str:
        return f"{type(self).__qualname__}(input={self.input!r})"


class SecretInput(FieldInput):
    """The card number or CVC: its Changed, Blurred and Submitted messages never show the value."""

    class Changed(_ValueHidden, Input.Changed):
        pass

    class Blurred(_ValueHidden, Input.Blurred):
        pass

    class Submitted(_ValueHidden, Input.Submitted):
        pass


class CardNumberInput(SecretInput):
    """Groups the digits as printed on the card, whether typed, pasted or set; the cursor stays put.

    Formatting happens as the value is set, not in a later message, so fast typing never races it.
    """

    def validate_value(self, value: str) -> str:
        value = super().validate_value(value)
        # Group only what is a card number so far; anything else stays as typed for the error to name.
        return format_card_number(value) if _is_grouped_number(value) else value

    def replace(self, text: str, start: int, end: int) -> None:
        digits_before_cursor = sum(char.isdigit() for char in self.value[:start] + text)
        super().replace(text, start, end)
        if _is_grouped_number(self.value):
            # Regrouped: the cursor goes after the same digits it followed; text left as typed keeps Input's cursor.
            self.cursor_position = _index_after_digits(self.value, digits_before_cursor)


class ExpiryInput(FieldInput):
    """Inserts the slash of MM/YY while typing forward; a backspace over it removes it."""

    def validate_value(self, value: str) -> str:
        value = super().validate_value(value)
        if len(value) <= len(self.value) or not (value.isascii() and value.isdigit()):
            return value
        if len(value) == 1 and value in "23456789":
            return f"0{value}/"  # no month starts with these, so the month is complete
        if len(value) >= 2:
            return f"{value[:2]}/{value[2:]}"
        return value

    def replace(self, text: str, start: int, end: int) -> None:
        at_end = end >= len(self.value)
        super().replace(text, start, end)
        if at_end:
            self.cursor_position = len(self.value)


@dataclass(frozen=True)
class CardEntry:
    """The card as typed, for the one request that sends it. Never kept, never shown in a repr."""

    number: str = field(repr=False)
    exp_month: int
    exp_year: int
    cvc: str = field(repr=False)
    name: str


class CardInput(Vertical):
    """Card number (grouped, brand beside it), expiry MM/YY, CVC (masked), name on card."""

    DEFAULT_CSS = """
    CardInput {
        height: auto;
        #card-brand { width: 18; padding-left: 1; color: $text-accent; }
    }
    """

    def __init__(self, *, id: str | None = None, classes: str | None = None, disabled: bool = False) -> None:
        super().__init__(id=id, classes=classes, disabled=disabled)

    def compose(self) -> ComposeResult:
        yield FormField(
            "Card number",
            CardNumberInput(
                placeholder="1234 5678 9012 3456", max_length=CARD_NUMBER_LENGTH, id="card-number", compact=True
            ),
            beside=Label("", id="card-brand"),
            id="card-number-field",
        )
        yield FormField(
            "Expiry",
            ExpiryInput(placeholder="MM/YY", max_length=EXPIRY_LENGTH, id="card-expiry", compact=True),
            id="card-expiry-field",
        )
        yield FormField(
            "Security code",
            SecretInput(
                placeholder=_cvc_placeholder("unknown"), password=True, max_length=MAX_CVC_LENGTH, id="card-cvc",
                compact=True,
            ),
            id="card-cvc-field",
        )
        yield FormField(
            "Name on card",
            FieldInput(placeholder="As printed on the card", max_length=MAX_NAME_LENGTH, id="card-name", compact=True),
            id="card-name-field",
        )

    def _input(self, input_id: str) -> Input:
        return self.query_one(f"#{input_id}", Input)

    @property
    def brand(self) -> str:
        """`visa`, `mastercard`, `amex`, `discover` or `unknown`, from the digits typed so far."""
        return detect_brand(self._input("card-number").value)

    @on(Input.Changed, "#card-number")
    def _show_brand(self) -> None:
        brand = self.brand
        self.query_one("#card-brand", Label).update(CARD_BRANDS.get(brand, ""))
        self._input("card-cvc").placeholder = _cvc_placeholder(brand)

    def entry(self) -> CardEntry:
        """The card as typed; the expiry is (0, 0) when it cannot be read, which `errors` names."""
        month, year = parse_expiry(self._input("card-expiry").value) or (0, 0)
        return CardEntry(
            number=normalize_card_number(self._input("card-number").value),
            exp_month=month,
            exp_year=year,
            cvc=self._input("card-cvc").value.strip(),
            name=self._input("card-name").value.strip(),
        )

    def errors(self, today: date) -> dict[str, str]:
        """Every problem with the card as typed, by API param (`number`, `exp_month`, `cvc`, `name`):
        the command line's rules (`validate_card_text`), so both refuse the same cards in the same words."""
        problems = validate_card_text(
            self._input("card-number").value, self._input("card-expiry").value,
            self._input("card-cvc").value, self._input("card-name").value, today,
        )
        return {problem.param: problem.message for problem in problems}

    def fill(self, number: str, exp_month: int, exp_year: int, cvc: str, name: str) -> None:
        """Show a card typed before (the order's card, when the person comes back to the form)."""
        self._input("card-number").value = number
        self._input("card-expiry").value = f"{exp_month:02d}/{exp_year % 100:02d}"
        self._input("card-cvc").value = cvc
        self._input("card-name").value = name

    def forget_secrets(self) -> None:
        """Empty the number and the CVC, so nothing holds them once the form is closed or the card refused.

        Quietly: an emptied field is not the person's typing, so it must not replace the reason shown.
        """
        with self.prevent(SecretInput.Changed):
            for input_id in ("card-number", "card-cvc"):
                self._input(input_id).value = ""
        self._show_brand()


def _is_grouped_number(text: str) -> bool:
    """Digits, perhaps grouped with spaces or dashes: what the number input regroups."""
    digits = normalize_card_number(text)
    return digits.isascii() and digits.isdigit()


def _cvc_placeholder(brand: str) -> str:
    return f"{cvc_length(brand)} digits"


def _index_after_digits(text: str, digits: int) -> int:
    """The position in `text` right after its `digits`-th digit (0: the start)."""
    if digits == 0:
        return 0
    seen = 0
    for index, char in enumerate(text):
        seen += char.isdigit()
        if seen == digits:
            return index + 1
    return len(text)

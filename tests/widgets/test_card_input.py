"""The card input as a person types into it: grouped digits, the brand, the expiry's slash, the CVC."""

from __future__ import annotations

from datetime import date

import pytest
from textual import events
from textual.app import App, ComposeResult
from textual.widgets import Input, Label

from kaspr_tui.widgets.forms.card_input import CardInput
from kaspr_tui.widgets.forms.form_field import FormField
from tests.helpers.forms import type_into

TODAY = date(2026, 11, 27)


class CardHost(App[None]):
    def compose(self) -> ComposeResult:
        yield CardInput()


def value(app: App[None], input_id: str) -> str:
    return app.query_one(f"#{input_id}", Input).value



@pytest.mark.parametrize(
    ("typed", "shown", "brand"),
    [
        ("4242424242424242", "4242 4242 4242 4242", "Visa"),
        ("5555555555554444", "5555 5555 5555 4444", "Mastercard"),
        # Amex prints its 15 digits as 4-6-5.
        ("378282246310005", "3782 822463 10005", "American Express"),
        ("42424", "4242 4", "Visa"),
    ],
)
async def test_the_number_is_grouped_as_typed_with_the_brand_beside_it(typed: str, shown: str, brand: str) -> None:
    app = CardHost()
    async with app.run_test() as pilot:
        await type_into(pilot, "#card-number", typed)
        assert value(app, "card-number") == shown
        assert str(app.query_one("#card-brand", Label).content) == brand


async def test_a_digit_typed_in_the_middle_keeps_the_cursor_after_it() -> None:
    app = CardHost()
    async with app.run_test() as pilot:
        await type_into(pilot, "#card-number", "42424242")
        number = app.query_one("#card-number", Input)
        number.cursor_position = 2  # between "42" and "42"
        await pilot.press("9")
        assert number.value == "4294 2424 2"
        assert number.value[: number.cursor_position] == "429"


async def test_a_pasted_number_with_dashes_is_regrouped() -> None:
    app = CardHost()
    async with app.run_test() as pilot:
        app.query_one("#card-number", Input).focus()
        app.query_one("#card-number", Input).post_message(events.Paste("4242-4242-4242-4242"))
        await pilot.pause()
        assert value(app, "card-number") == "4242 4242 4242 4242"


@pytest.mark.parametrize(
    ("typed", "shown"),
    [
        ("1229", "12/29"),
        ("12", "12/"),
        # No month starts with 2-9: the month is complete, and gets its leading zero.
        ("3", "03/"),
        ("0", "0"),
    ],
)
async def test_the_expiry_gets_its_slash_while_typing(typed: str, shown: str) -> None:
    app = CardHost()
    async with app.run_test() as pilot:
        await type_into(pilot, "#card-expiry", typed)
        assert value(app, "card-expiry") == shown


async def test_backspace_over_the_expiry_slash_removes_it() -> None:
    app = CardHost()
    async with app.run_test() as pilot:
        await type_into(pilot, "#card-expiry", "12")
        await pilot.press("backspace")
        assert value(app, "card-expiry") == "12"
        await pilot.press("backspace")
        assert value(app, "card-expiry") == "1"


@pytest.mark.parametrize(
    ("number", "cvc", "expected_digits"),
    [
        ("4242424242424242", "1234", 3),
        ("378282246310005", "123", 4),
    ],
)
async def test_the_security_code_length_follows_the_brand(number: str, cvc: str, expected_digits: int) -> None:
    app = CardHost()
    async with app.run_test() as pilot:
        await type_into(pilot, "#card-number", number)
        await type_into(pilot, "#card-cvc", cvc)
        cvc_input = app.query_one("#card-cvc", Input)
        assert cvc_input.password, "the security code is masked"
        assert cvc_input.placeholder == f"{expected_digits} digits"
        errors = app.query_one(CardInput).errors(TODAY)
        assert f"{expected_digits}-digit" in errors["cvc"]


async def test_a_complete_card_has_no_errors_and_reads_back_as_sent() -> None:
    app = CardHost()
    async with app.run_test() as pilot:
        await type_into(pilot, "#card-number", "4242424242424242")
        await type_into(pilot, "#card-expiry", "1230")
        await type_into(pilot, "#card-cvc", "123")
        await type_into(pilot, "#card-name", "Alice Martin")
        card = app.query_one(CardInput)
        assert card.errors(TODAY) == {}
        entry = card.entry()
        assert (entry.number, entry.exp_month, entry.exp_year, entry.cvc, entry.name) == (
            "4242424242424242", 12, 2030, "123", "Alice Martin",
        )
        assert "4242424242424242" not in repr(entry) and "123" not in repr(entry)


async def test_every_card_problem_is_named_at_once() -> None:
    app = CardHost()
    async with app.run_test() as pilot:
        await type_into(pilot, "#card-number", "4242424242424241")  # one digit off: fails Luhn
        await type_into(pilot, "#card-expiry", "0120")
        await type_into(pilot, "#card-cvc", "12")
        errors = app.query_one(CardInput).errors(TODAY)
        assert set(errors) == {"number", "exp_year", "cvc", "name"}
        assert "expired" in errors["exp_year"]


async def test_an_unreadable_expiry_says_how_to_write_it() -> None:
    app = CardHost()
    async with app.run_test() as pilot:
        await type_into(pilot, "#card-expiry", "13/29")
        errors = app.query_one(CardInput).errors(TODAY)
        assert errors["exp_month"] == "Enter the expiry as MM/YY, like 08/29."


async def test_a_paste_too_long_is_refused_with_a_reason() -> None:
    app = CardHost()
    async with app.run_test() as pilot:
        name = app.query_one("#card-name", Input)
        name.focus()
        name.post_message(events.Paste("x" * 10_000))
        await pilot.pause()
        assert name.value == ""
        assert app.query_one("#card-name-field", FormField).error == "That does not fit here: at most 100 characters."


async def test_forgetting_the_secrets_empties_number_and_cvc() -> None:
    app = CardHost()
    async with app.run_test() as pilot:
        await type_into(pilot, "#card-number", "4242424242424242")
        await type_into(pilot, "#card-cvc", "123")
        app.query_one(CardInput).forget_secrets()
        assert value(app, "card-number") == "" and value(app, "card-cvc") == ""


async def test_letters_typed_into_the_number_stay_in_order_for_the_error_to_name() -> None:
    app = CardHost()
    async with app.run_test() as pilot:
        await type_into(pilot, "#card-number", "4242abc")
        assert value(app, "card-number") == "4242abc"
        errors = app.query_one(CardInput).errors(TODAY)
        assert errors["number"] == "A card number has digits only: remove any letters or symbols."

"""The billing information form against the bundled server (and a scripted one for failures):
what it shows, what it refuses before sending, what the server refuses, and what it saves."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import httpx
import pytest
import textual.constants
from textual import events
from textual.app import App
from textual.widgets import Button, Checkbox, Input, Select, Static

from kaspr_tui.api import BillingClient
from kaspr_tui.api.models import Address, BillingDetails, PaymentMethod
from kaspr_tui.app import STYLESHEET
from kaspr_tui.screens.checkout.billing_form import BillingFormScreen, PaymentChoice
from kaspr_tui.server.testing import ADMIN_KEY, LiveServer
from kaspr_tui.state import AccountState
from kaspr_tui.widgets.forms.card_input import CardInput
from tests.helpers.app import app_for
from tests.helpers.forms import (
    NEW_CARD,
    NEW_CVC,
    error_of,
    errors_shown,
    fill,
    form,
    open_form_on_account,
    submit,
    use_new_card,
)
from tests.helpers.http import server_state
from tests.helpers.pages import open_modal
from tests.helpers.screen import notices
from tests.helpers.waiting import until

# ---- against the bundled server --------------------------------------------------------------


async def test_the_form_is_prefilled_from_the_saved_details_and_card(
    live_server: LiveServer, admin: httpx.Client
) -> None:
    saved = admin.get("/v1/billing_details").json()
    app = app_for(live_server.url, ADMIN_KEY)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_form_on_account(pilot)
        screen = form(app)
        shown = {input_id: screen.query_one(f"#{input_id}", Input).value
                 for input_id in ("company", "contact-name", "email", "line1", "city", "postal-code", "vat-number")}
        assert shown == {
            "company": saved["company"],
            "contact-name": saved["contact_name"],
            "email": saved["email"],
            "line1": saved["address"]["line1"],
            "city": saved["address"]["city"],
            "postal-code": saved["address"]["postal_code"],
            "vat-number": saved["vat_number"],
        }
        assert screen.query_one("#country", Select).value == saved["address"]["country"] == "FR"
        use_saved = screen.query_one("#use-saved-card", Checkbox)
        assert use_saved.value and "Visa •••• 4242, expires" in str(use_saved.label)
        assert not screen.query_one(CardInput).display, "card fields are hidden while the saved card is used"
        # France bills French VAT, whatever the VAT number.
        assert "VAT 20 % applies" in str(screen.query_one("#vat-number-field .field-hint", Static).content)


async def test_client_side_errors_are_all_shown_at_once_and_nothing_is_sent(
    live_server: LiveServer, admin: httpx.Client
) -> None:
    before = server_state(admin)
    app = app_for(live_server.url, ADMIN_KEY)
    async with app.run_test(size=(120, 40)) as pilot:
        results = await open_form_on_account(pilot)
        await use_new_card(pilot, number="4242424242424241", expiry="01/20", cvc="12")
        fill(app, email="billing@", postal_code="7500", vat_number="FR00000000000")
        await submit(pilot, results)
        shown = errors_shown(app)
        assert set(shown) == {"email", "postal-code", "vat-number", "card-number", "card-expiry", "card-cvc"}
        assert "like 75002" in shown["postal-code"]
        assert "expired" in shown["card-expiry"]
        assert app.focused is not None and app.focused.id == "email", "the first field with an error has focus"
        assert results == []
    assert server_state(admin) == before


async def test_a_field_is_checked_as_it_loses_focus_and_its_error_goes_once_fixed(live_server: LiveServer) -> None:
    app = app_for(live_server.url, ADMIN_KEY)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_form_on_account(pilot)
        app.screen.query_one("#email", Input).focus()
        fill(app, email="not an email")
        await pilot.press("tab")
        assert error_of(app, "email") == "Enter an email address like name@company.com."
        assert error_of(app, "company") is None, "only the field left is checked"
        fill(app, email="ap@acme.example")
        await pilot.pause()
        assert error_of(app, "email") is None


async def test_the_vat_line_follows_country_and_number(live_server: LiveServer) -> None:
    app = app_for(live_server.url, ADMIN_KEY)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_form_on_account(pilot)
        hint = app.screen.query_one("#vat-number-field .field-hint", Static)
        app.screen.query_one("#country", Select).value = "DE"
        fill(app, vat_number="")
        await pilot.pause()
        assert str(hint.content) == "Starts with DE · VAT 19 % applies"
        fill(app, vat_number="DE136695976")  # a valid German number: another EU business pays no VAT here
        await pilot.pause()
        assert str(hint.content) == "Starts with DE · reverse charge, 0 % VAT"


async def test_in_a_checkout_a_new_card_and_changed_details_are_returned_and_nothing_is_saved(
    live_server: LiveServer, admin: httpx.Client
) -> None:
    before = server_state(admin)
    app = app_for(live_server.url, ADMIN_KEY)
    async with app.run_test(size=(80, 24)) as pilot:
        results = await open_form_on_account(pilot)
        await use_new_card(pilot)
        fill(app, city="Lyon", postal_code="69002")
        await submit(pilot, results)
    [choice] = results
    assert isinstance(choice, PaymentChoice)
    assert choice.saved_card is None and choice.new_card is not None
    assert choice.card_words == ("mastercard", "4444", 12, 2030)
    assert choice.new_card.fields.number.get_secret_value() == NEW_CARD.replace(" ", "")
    assert (choice.billing_details.address.city, choice.billing_details.address.postal_code) == ("Lyon", "69002")
    assert server_state(admin) == before, "the order's details and card travel with its payment, not before"


async def test_with_saves_a_new_card_and_changed_details_are_saved_and_returned(
    live_server: LiveServer, admin: httpx.Client
) -> None:
    app = app_for(live_server.url, ADMIN_KEY)
    async with app.run_test(size=(80, 24)) as pilot:
        results = await open_form_on_account(pilot, saves=True)
        await use_new_card(pilot)
        fill(app, city="Lyon", postal_code="69002")
        await submit(pilot, results)
    [choice] = results
    assert isinstance(choice, PaymentChoice) and choice.saved_card is not None
    assert (choice.saved_card.brand, choice.saved_card.last4) == ("mastercard", "4444")
    cards = admin.get("/v1/payment_methods").json()["data"]
    [default] = [card for card in cards if card["is_default"]]
    assert default["id"] == choice.saved_card.id
    saved = admin.get("/v1/billing_details").json()
    assert (saved["address"]["city"], saved["address"]["postal_code"]) == ("Lyon", "69002")
    assert choice.billing_details.address.city == "Lyon"


async def test_the_saved_card_with_unchanged_details_changes_nothing(
    live_server: LiveServer, admin: httpx.Client
) -> None:
    before = server_state(admin)
    app = app_for(live_server.url, ADMIN_KEY)
    async with app.run_test(size=(80, 24)) as pilot:
        results = await open_form_on_account(pilot)
        saved_card = app.account.default_card
        await submit(pilot, results)
    [choice] = results
    assert isinstance(choice, PaymentChoice)
    assert choice.saved_card == saved_card and choice.new_card is None
    assert server_state(admin) == before, "no card added, details not sent"


async def test_escape_closes_the_form_and_changes_nothing(live_server: LiveServer, admin: httpx.Client) -> None:
    before = server_state(admin)
    app = app_for(live_server.url, ADMIN_KEY)
    async with app.run_test(size=(80, 24)) as pilot:
        results = await open_form_on_account(pilot)
        await use_new_card(pilot)
        fill(app, company="Someone Else SAS")
        await pilot.press("escape")
        await pilot.pause()
    assert results == [None]
    assert server_state(admin) == before


async def test_a_double_enter_adds_the_card_once(live_server: LiveServer, admin: httpx.Client) -> None:
    cards_before = len(admin.get("/v1/payment_methods").json()["data"])
    app = app_for(live_server.url, ADMIN_KEY)
    async with app.run_test(size=(80, 24)) as pilot:
        results = await open_form_on_account(pilot, saves=True)
        await use_new_card(pilot)
        app.screen.query_one("#card-name", Input).focus()
        await pilot.press("enter", "enter")
        await until(pilot, lambda: bool(results), "the form to close")
    assert len(results) == 1
    assert len(admin.get("/v1/payment_methods").json()["data"]) == cards_before + 1


@pytest.mark.parametrize(
    ("field", "pasted", "message"),
    [
        ("company", "\x1b[31mAcme\x1b[0m", "Remove line breaks and control characters from the company name."),
        ("city", "Paris\tCedex", "Remove line breaks and control characters from the city."),
        ("card-number", "4242 🙂 4242", "A card number has digits only: remove any letters or symbols."),
    ],
    ids=["escape-sequence", "tab", "emoji"],
)
async def test_pasted_garbage_gets_a_clear_error(
    live_server: LiveServer, admin: httpx.Client, field: str, pasted: str, message: str
) -> None:
    before = server_state(admin)
    app = app_for(live_server.url, ADMIN_KEY)
    async with app.run_test(size=(80, 24)) as pilot:
        results = await open_form_on_account(pilot)
        await use_new_card(pilot)
        target = app.screen.query_one(f"#{field}", Input)
        target.focus()
        target.value = ""
        target.post_message(events.Paste(pasted))
        await pilot.pause()
        await submit(pilot, results)
        assert error_of(app, field) == message
        assert results == []
    assert server_state(admin) == before


async def test_a_10_kb_paste_is_refused_with_the_reason_and_the_value_kept(live_server: LiveServer) -> None:
    app = app_for(live_server.url, ADMIN_KEY)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_form_on_account(pilot)
        company = app.screen.query_one("#company", Input)
        company.post_message(events.Paste("A" * 10_000))
        await pilot.pause()
        assert company.value == "Acme Corp"
        assert error_of(app, "company") == "That does not fit here: at most 200 characters."


async def test_no_card_number_or_cvc_reaches_the_log_notifications_or_workers(
    live_server: LiveServer, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    log_file = tmp_path / "textual.log"
    monkeypatch.setattr(textual.constants, "LOG_FILE", str(log_file))  # what TEXTUAL_LOG=path turns on
    app = app_for(live_server.url, ADMIN_KEY)
    async with app.run_test(size=(80, 24)) as pilot:
        results = await open_form_on_account(pilot)
        await use_new_card(pilot)
        number, cvc = (app.screen.query_one(f"#{input_id}", Input) for input_id in ("card-number", "card-cvc"))
        await submit(pilot, results)
        said = [f"{note.title} {note.message}" for note in notices(app)]
        said += [repr(worker) for worker in app.workers]
        assert results and number.value == cvc.value == "", "forgotten once the form closed"
    log = log_file.read_text()
    assert "BillingFormScreen" in log, "the log records the app's work"
    everything = "\n".join([log, *said])
    assert NEW_CARD not in everything and "5555 5555 5555 4444" not in everything
    assert f"'{NEW_CVC}'" not in everything and f"={NEW_CVC}" not in everything


# ---- a scripted server: refusals the bundled one has no reason to make -----------------------


ACME = BillingDetails(
    company="Acme Corp",
    contact_name="Alice Martin",
    email="billing@acme.example",
    address=Address(line1="12 rue de la Paix", city="Paris", postal_code="75002", country="FR"),
    vat_number="FR40303265045",
    vat_status="valid",
)
SAVED_CARD = PaymentMethod(id="pm_saved", brand="visa", last4="4242", exp_month=12, exp_year=2029, is_default=True)

Handler = Callable[[httpx.Request], httpx.Response]


class ScriptedApp(App[None]):
    """A host for the form (an `AppHost`) whose client answers from `handler`, recording every request."""

    CSS_PATH = STYLESHEET
    account = AccountState()
    settings = None

    def __init__(self, handler: Handler) -> None:
        super().__init__()
        self.requests: list[httpx.Request] = []

        def record(request: httpx.Request) -> httpx.Response:
            self.requests.append(request)
            return handler(request)

        transport = httpx.MockTransport(record)
        self.client = BillingClient("http://billing.test", "kt_test", transport=transport, max_retries=0)

    def load_account(self) -> None:
        """Nothing to reload: the form's tests read what it sent."""

    def worker_failed(self, worker: object) -> None:
        raise AssertionError(f"a worker of the form failed: {worker}")

    async def on_unmount(self) -> None:
        await self.client.aclose()


def error_response(
    status: int, errors: list[dict[str, str]], message: str = "Check the highlighted fields."
) -> httpx.Response:
    error = {"type": "invalid_request_error", "code": "parameter_invalid", "message": message, "errors": errors}
    body = {"error": error}
    return httpx.Response(status, json=body)


async def test_the_servers_field_errors_are_shown_beside_each_field_at_once() -> None:
    refusals = [
        {"param": "address.postal_code", "code": "postal_code_invalid", "message": "This postal code does not exist."},
        {"param": "email", "code": "email_invalid", "message": "This domain accepts no mail."},
        {"param": "address.line2", "code": "parameter_invalid", "message": "The second address line is too long."},
    ]
    app = ScriptedApp(lambda request: error_response(400, refusals))
    async with app.run_test(size=(80, 24)) as pilot:
        results = await open_modal(pilot, BillingFormScreen(details=ACME, saved_card=SAVED_CARD, saves=True))
        fill(app, postal_code="75999", email="billing@nomail.example")
        await submit(pilot, results)
        assert errors_shown(app) == {
            "postal-code": "This postal code does not exist.",
            "email": "This domain accepts no mail.",
        }
        # A param the form has no input for is still said, at the top.
        assert str(app.screen.query_one("#form-problem", Static).content) == "The second address line is too long."
        assert app.focused is not None and app.focused.id == "email"
        assert results == []
        assert [request.method for request in app.requests] == ["PUT"]


async def test_the_servers_card_errors_land_on_the_card_fields() -> None:
    def answer(request: httpx.Request) -> httpx.Response:
        return error_response(402, [
            {"param": "number", "code": "card_declined", "message": "The bank refused this card."},
            {"param": "exp_year", "code": "expiry_invalid", "message": "The bank has another expiry for this card."},
            {"param": "cvc", "code": "incorrect_cvc", "message": "The security code is wrong."},
        ])

    app = ScriptedApp(answer)
    async with app.run_test(size=(120, 40)) as pilot:
        results = await open_modal(pilot, BillingFormScreen(details=ACME, saved_card=SAVED_CARD, saves=True))
        await use_new_card(pilot)
        await submit(pilot, results)
        assert errors_shown(app) == {
            "card-number": "The bank refused this card.",
            "card-expiry": "The bank has another expiry for this card.",
            "card-cvc": "The security code is wrong.",
        }
        # Details unchanged: only the card was sent.
        assert [request.url.path for request in app.requests] == ["/v1/payment_methods"]


async def test_a_network_failure_keeps_everything_typed_and_the_next_submit_succeeds() -> None:
    new_card = {"id": "pm_new", "brand": "mastercard", "last4": "4444", "exp_month": 12, "exp_year": 2030,
                "name": "Alice Martin", "is_default": True}
    outage = [True]

    def answer(request: httpx.Request) -> httpx.Response:
        if outage[0]:
            raise httpx.ConnectError("connection refused", request=request)
        if request.method == "PUT":
            return httpx.Response(200, json=json.loads(request.content) | {"vat_status": "valid"})
        return httpx.Response(200, json=new_card)

    app = ScriptedApp(answer)
    async with app.run_test(size=(80, 24)) as pilot:
        form = BillingFormScreen(details=ACME, saved_card=SAVED_CARD, submit_label="Confirm", saves=True)
        results = await open_modal(pilot, form)
        await use_new_card(pilot)
        fill(app, company="Acme Europe")
        await submit(pilot, results)
        problem = str(app.screen.query_one("#form-problem", Static).content)
        assert problem.startswith("Could not reach the billing server")
        assert problem.endswith("press Confirm to try again.")
        assert errors_shown(app) == {}
        assert app.screen.query_one("#company", Input).value == "Acme Europe"
        assert app.screen.query_one("#card-number", Input).value == "5555 5555 5555 4444"
        assert not app.screen.query_one("#submit", Button).disabled
        first_keys = [request.headers["Idempotency-Key"] for request in app.requests]

        outage[0] = False
        await submit(pilot, results)
    [choice] = results
    assert isinstance(choice, PaymentChoice)
    assert choice.saved_card is not None and choice.saved_card.id == "pm_new"
    assert choice.billing_details.company == "Acme Europe"
    # The same contents are sent under the same key, so a save the server did get is not made twice.
    assert [request.headers["Idempotency-Key"] for request in app.requests[len(first_keys):]][:1] == first_keys


async def test_card_errors_from_a_failed_payment_are_shown_on_open() -> None:
    app = ScriptedApp(lambda request: httpx.Response(500))
    async with app.run_test(size=(80, 24)) as pilot:
        await open_modal(pilot, BillingFormScreen(
            details=ACME, saved_card=None, errors={"number": "Your card was declined."}
        ))
        assert not app.screen.query_one("#use-saved-card").display
        assert errors_shown(app) == {"card-number": "Your card was declined."}
        assert app.focused is not None and app.focused.id == "card-number"

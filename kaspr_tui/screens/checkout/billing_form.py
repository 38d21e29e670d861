"""The billing information form: who is billed, where, with which VAT number, and which card.

Every field is checked as it loses focus and all of them at once on submit, with the same rules
the server applies (`kaspr_tui.billing`); the server's own field errors land next to the same
inputs. Escape dismisses with None and changes nothing.

In a checkout (the default) the form saves nothing: it dismisses with the order's
`PaymentChoice` (the details as typed, the saved card or the new card), which the checkout sends
with the payment, and the server keeps only if the payment succeeds (API.md rule 11). With
`saves=True` (Update payment information, Billing details → Edit) the person's Confirm is the
confirmation: the screen's one worker PUTs the details if they changed and POSTs a new card as
the default, then dismisses with the choice as saved.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from pydantic import SecretStr
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import Button, Checkbox, Input, Label, Select

from kaspr_tui.api import ApiError, BillingClient, new_idempotency_key
from kaspr_tui.api.models import (
    AddressInput,
    BillingDetails,
    BillingDetailsUpdate,
    PaymentMethod,
    PaymentMethodCreate,
)
from kaspr_tui.api.models import CardInput as CardFields
from kaspr_tui.billing.cards import detect_brand
from kaspr_tui.billing.countries import COUNTRY_NAMES
from kaspr_tui.billing.formatting import format_card, format_expiry
from kaspr_tui.billing.tax import (
    EU_STANDARD_VAT_RATES,
    tax_decision,
    vat_prefix,
)
from kaspr_tui.billing.validation import (
    MAX_EMAIL_LENGTH,
    MAX_TEXT_LENGTH,
    validate_billing_details,
)
from kaspr_tui.billing.words import vat_charge_words
from kaspr_tui.screens.dialogs.base import Dialog
from kaspr_tui.state import app_host
from kaspr_tui.widgets.forms.card_input import CARD_PARAM_INPUTS, CardInput
from kaspr_tui.widgets.forms.field_input import FieldInput
from kaspr_tui.widgets.forms.form_field import FormField
from kaspr_tui.widgets.toggles import TickBox
from kaspr_tui.widgets.words import Words

MAX_POSTAL_CODE_LENGTH = 20
MAX_VAT_NUMBER_LENGTH = 32
"""Both as the wire allows (AddressInput.postal_code, BillingDetailsUpdate.vat_number)."""

PARAM_INPUTS = {
    "company": "company",
    "contact_name": "contact-name",
    "email": "email",
    "address.line1": "line1",
    "address.city": "city",
    "address.postal_code": "postal-code",
    "address.country": "country",
    "vat_number": "vat-number",
    **CARD_PARAM_INPUTS,
}
"""The API's field names (client checks and server errors alike) → the input each belongs next to."""

FORM_ORDER = (
    "company", "contact-name", "email", "line1", "city", "postal-code", "country", "vat-number",
    "card-number", "card-expiry", "card-cvc", "card-name",
)
"""Inputs top to bottom, to focus the first one with an error."""

COUNTRY_OPTIONS = sorted(((name, code) for code, name in COUNTRY_NAMES.items()), key=lambda option: option[0])


@dataclass(frozen=True)
class NewCard:
    """A card typed for this order: sent with the payment, saved (as the default) only if it succeeds."""

    fields: CardFields
    """Number and CVC are `SecretStr`: never in a repr or a log."""
    brand: str
    last4: str


@dataclass(frozen=True)
class PaymentChoice:
    """Who is billed and which card pays, as the person gave them on the form."""

    billing_details: BillingDetailsUpdate
    saved_card: PaymentMethod | None = None
    """A card on file; or, in a checkout, None and `new_card` set."""
    new_card: NewCard | None = None

    @property
    def card_words(self) -> tuple[str, str, int, int]:
        """brand, last 4, expiry month and year: what is shown of the card that pays."""
        if self.saved_card is not None:
            card = self.saved_card
            return card.brand, card.last4, card.exp_month, card.exp_year
        assert self.new_card is not None
        return self.new_card.brand, self.new_card.last4, self.new_card.fields.exp_month, self.new_card.fields.exp_year


def vat_hint(country: str | None, vat_number: str) -> str:
    """What the VAT number should look like for `country`, and what VAT the order will carry."""
    if not country:
        return ""
    if country not in EU_STANDARD_VAT_RATES:
        return "Outside the EU: no VAT is charged; leave this empty."
    decision = tax_decision(country, vat_number)
    return f"Starts with {vat_prefix(country)} · {vat_charge_words(decision.rate_percent, decision.reverse_charge)}"


def saved_card_label(card: PaymentMethod) -> str:
    """`Use saved card: Visa •••• 4242, expires 12/2029`."""
    expires = format_expiry(card.exp_month, card.exp_year)
    return f"Use saved card: {format_card(card.brand, card.last4)}, expires {expires}"


def as_update(details: BillingDetails | BillingDetailsUpdate) -> BillingDetailsUpdate:
    """The details as a form sends them (a saved set without its VAT status)."""
    if isinstance(details, BillingDetailsUpdate):
        return details
    return BillingDetailsUpdate(
        company=details.company,
        contact_name=details.contact_name,
        email=details.email,
        address=AddressInput(**details.address.model_dump()),
        vat_number=details.vat_number,
    )


class BillingFormScreen(Dialog["PaymentChoice | None"]):
    BINDINGS = [
        Binding("escape", "cancel", "Cancel", id="billing_form.cancel"),
    ]
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (110, "-wide")]

    def __init__(
        self,
        *,
        details: BillingDetails | BillingDetailsUpdate | None,
        saved_card: PaymentMethod | None,
        title: str = "Billing information",
        submit_label: str = "Continue",
        errors: dict[str, str] | None = None,
        new_card: NewCard | None = None,
        saves: bool = False,
        asks_card: bool = True,
    ) -> None:
        super().__init__()
        self.details = details
        self.saved_card = saved_card
        self.form_title = title
        self.submit_label = submit_label
        self.errors = dict(errors or {})
        """API param → message, shown on opening: why the last payment or save was refused."""
        self.new_card = new_card
        """The card typed before (Back from the review): typed in again."""
        self.saves = saves
        self.asks_card = asks_card
        self.saving = False
        """A save is in flight: a second Enter or click must not start another."""
        self._details_key: str | None = None
        self._card_key: str | None = None
        """Idempotency keys of the current form contents, reused when the same contents are sent again."""

    # ---- layout -----------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        details = self.details
        address = details.address if details else None
        country = address.country if address and address.country in COUNTRY_NAMES else Select.NULL
        vat_number = details.vat_number or "" if details else ""
        with Vertical(id="billing-form", classes="dialog"):
            yield Words("", id="form-problem", classes="error-line", markup=False)
            # Not a focus stop of its own: focusing a field scrolls it into view.
            with VerticalScroll(id="form-body", can_focus=False), Vertical(id="form-columns"):
                with Vertical(id="details-column", classes="form-column"):
                    yield Label("Billing details", classes="form-heading")
                    yield self._text_field("Company", "company", details.company if details else None, MAX_TEXT_LENGTH)
                    yield self._text_field(
                        "Contact name", "contact-name", details.contact_name if details else None, MAX_TEXT_LENGTH
                    )
                    yield self._text_field(
                        "Billing email", "email", details.email if details else None, MAX_EMAIL_LENGTH,
                        placeholder="name@company.com",
                    )
                    yield self._text_field(
                        "Street address", "line1", address.line1 if address else None, MAX_TEXT_LENGTH
                    )
                    yield self._text_field("City", "city", address.city if address else None, MAX_TEXT_LENGTH)
                    yield self._text_field(
                        "Postal code", "postal-code", address.postal_code if address else None, MAX_POSTAL_CODE_LENGTH
                    )
                    yield FormField(
                        "Country",
                        Select(COUNTRY_OPTIONS, value=country, prompt="Choose a country", id="country", compact=True),
                        id="country-field",
                    )
                    yield FormField(
                        "VAT number",
                        FieldInput(
                            vat_number, placeholder="Optional", max_length=MAX_VAT_NUMBER_LENGTH, id="vat-number",
                            compact=True,
                        ),
                        hint=vat_hint(address.country if address else None, vat_number),
                        id="vat-number-field",
                    )
                with Vertical(id="card-column", classes="form-column") as card_column:
                    card_column.display = self.asks_card
                    yield Label("Card", classes="form-heading")
                    saved = self.saved_card
                    card_refused = any(param in CARD_PARAM_INPUTS for param in self.errors)
                    use_saved = saved is not None and self.new_card is None and not card_refused
                    label = saved_card_label(saved) if saved else ""
                    checkbox = TickBox(label, use_saved, id="use-saved-card", compact=True)
                    checkbox.display = saved is not None
                    yield checkbox
                    card = CardInput(id="card-input")
                    card.display = not use_saved
                    yield card
            with Horizontal(id="form-buttons", classes="dialog-buttons"):
                yield Button("Cancel", id="cancel", compact=True, action="screen.cancel")
                yield Button(self.submit_label, id="submit", compact=True, variant="primary")

    @staticmethod
    def _text_field(label: str, input_id: str, value: str | None, max_length: int, placeholder: str = "") -> FormField:
        return FormField(
            label,
            FieldInput(value or "", placeholder=placeholder, max_length=max_length, id=input_id, compact=True),
            id=f"{input_id}-field",
        )

    def on_mount(self) -> None:
        form = self.query_one("#billing-form")
        form.border_title = self.form_title
        form.border_subtitle = "Esc cancel"
        if self.new_card is not None:
            fields = self.new_card.fields
            self._card.fill(
                fields.number.get_secret_value(), fields.exp_month, fields.exp_year,
                fields.cvc.get_secret_value(), fields.name,
            )
        if self.errors:
            errors = self.errors.items()
            self._show_errors({PARAM_INPUTS.get(param, "card-number"): message for param, message in errors})
            self._focus_first_error()
        else:
            self.query_one("#company").focus()

    # ---- reading the form -------------------------------------------------------------------

    def _value(self, input_id: str) -> str:
        return self.query_one(f"#{input_id}", Input).value

    @property
    def _country(self) -> str | None:
        value = self.query_one("#country", Select).value
        return value if isinstance(value, str) else None

    @property
    def _uses_saved_card(self) -> bool:
        return self.saved_card is not None and self.query_one("#use-saved-card", Checkbox).value

    @property
    def _card(self) -> CardInput:
        return self.query_one(CardInput)

    def _client_errors(self) -> dict[str, str]:
        """Every client-side problem, by input id (the first message per input)."""
        problems = validate_billing_details(
            self._value("company"),
            self._value("contact-name"),
            self._value("email"),
            self._value("line1"),
            self._value("city"),
            self._value("postal-code"),
            self._country,
            self._value("vat-number"),
        )
        by_param = {problem.param: problem.message for problem in problems}
        if self.asks_card and not self._uses_saved_card:
            by_param.update(self._card.errors(date.today()))
        errors: dict[str, str] = {}
        for param, message in by_param.items():
            errors.setdefault(PARAM_INPUTS[param], message)
        return errors

    def _details_update(self) -> BillingDetailsUpdate:
        saved_address = self.details.address if self.details else None
        return BillingDetailsUpdate(
            company=self._value("company"),
            contact_name=self._value("contact-name"),
            email=self._value("email"),
            address=AddressInput(
                line1=self._value("line1"),
                # Fields this form does not show keep what was saved.
                line2=saved_address.line2 if saved_address else None,
                city=self._value("city"),
                postal_code=self._value("postal-code"),
                state=saved_address.state if saved_address else None,
                country=self._country or "",
            ),
            vat_number=self._value("vat-number").strip() or None,
        )

    # ---- showing errors ---------------------------------------------------------------------

    def _field(self, input_id: str) -> FormField:
        return self.query_one(f"#{input_id}-field", FormField)

    def _show_errors(self, errors: dict[str, str], only: set[str] | None = None) -> None:
        """Show `errors` (input id → message); every other input in `only` (default all) is cleared."""
        for input_id in only if only is not None else FORM_ORDER:
            self._field(input_id).show_error(errors.get(input_id))

    def _focus_first_error(self) -> None:
        for input_id in FORM_ORDER:
            if self._field(input_id).error is not None:
                self.query_one(f"#{input_id}").focus()
                return

    def _show_problem(self, message: str | None) -> None:
        problem = self.query_one("#form-problem", Words)
        problem.update(message or "")
        problem.set_class(message is not None, "-shown")

    def _recheck(self, *input_ids: str) -> None:
        """Check these inputs again, e.g. as one loses focus."""
        self._show_errors(self._client_errors(), only=set(input_ids))

    # ---- events -----------------------------------------------------------------------------

    @on(Input.Blurred)
    def _checked_on_blur(self, event: Input.Blurred) -> None:
        if event.input.id in FORM_ORDER and self.is_mounted:
            self._recheck(event.input.id)

    @on(Input.Changed)
    def _input_changed(self, event: Input.Changed) -> None:
        input_id = event.input.id
        if input_id not in FORM_ORDER:
            return
        self._forget_keys(input_id)
        # An error already shown follows the typing, so it goes away as soon as the value is right.
        if self._field(input_id).error is not None:
            self._recheck(input_id)
        if input_id == "vat-number":
            self._update_vat_hint()

    @on(Select.Changed, "#country")
    def _country_changed(self) -> None:
        self._forget_keys("country")
        self._update_vat_hint()
        # The postal code and VAT number are checked against the country.
        shown = [input_id for input_id in ("country", "postal-code", "vat-number") if self._field(input_id).error]
        if shown:
            self._recheck(*shown)

    @on(Checkbox.Changed, "#use-saved-card")
    def _saved_card_toggled(self, event: Checkbox.Changed) -> None:
        self._card.display = not event.value
        self._show_errors({}, only=set(CARD_PARAM_INPUTS.values()))

    @on(Input.Submitted)
    @on(Button.Pressed, "#submit")
    def _submit(self) -> None:
        if self.saving:
            return
        self._show_problem(None)
        errors = self._client_errors()
        self._show_errors(errors)
        if errors:
            self._focus_first_error()
            return
        if not self.saves:
            self._close(PaymentChoice(self._details_update(), *self._card_choice()))
            return
        self.saving = True
        self.query_one("#submit", Button).disabled = True
        self._save()

    def _card_choice(self) -> tuple[PaymentMethod | None, NewCard | None]:
        """The saved card, or the card typed, for the order (nothing sent yet)."""
        if self._uses_saved_card or not self.asks_card:
            return self.saved_card, None
        entry = self._card.entry()
        fields = CardFields(
            number=SecretStr(entry.number), exp_month=entry.exp_month, exp_year=entry.exp_year,
            cvc=SecretStr(entry.cvc), name=entry.name,
        )
        return None, NewCard(fields, brand=detect_brand(entry.number), last4=entry.number[-4:])

    def _update_vat_hint(self) -> None:
        self._field("vat-number").set_hint(vat_hint(self._country, self._value("vat-number")))

    def _forget_keys(self, input_id: str) -> None:
        if input_id in CARD_PARAM_INPUTS.values():
            self._card_key = None
        else:
            self._details_key = None

    # ---- saving -----------------------------------------------------------------------------

    @work(exclusive=True, group="billing-form", exit_on_error=False)
    async def _save(self) -> None:
        """PUT the details if they changed, POST a new card, then dismiss with the choice."""
        client = app_host(self.app).client
        try:
            if client is None:
                self._show_problem("The billing server is not connected yet; try again in a moment.")
                return
            await self._send(client)
        except ApiError as error:
            self._show_api_error(error)
        except Exception as error:  # a bug must not lose what was typed; its text may hold input, so only its type
            self._show_problem(f"Could not save ({type(error).__name__}). Your entries are kept: try again.")
        finally:
            self.saving = False
            if self.is_mounted:
                self.query_one("#submit", Button).disabled = False

    async def _send(self, client: BillingClient) -> None:
        update = self._details_update()
        if self.details is None or update != as_update(self.details):
            self._details_key = self._details_key or new_idempotency_key()
            # Saved: a retry after a card problem does not send them again.
            self.details = await client.update_billing_details(update, idempotency_key=self._details_key)
        card: PaymentMethod | None
        if self._uses_saved_card or not self.asks_card:
            card = self.saved_card
        else:
            entry = self._card.entry()
            self._card_key = self._card_key or new_idempotency_key()
            card = await client.add_payment_method(
                PaymentMethodCreate(
                    number=SecretStr(entry.number),
                    exp_month=entry.exp_month,
                    exp_year=entry.exp_year,
                    cvc=SecretStr(entry.cvc),
                    name=entry.name,
                    make_default=True,
                ),
                idempotency_key=self._card_key,
            )
        self._close(PaymentChoice(update, saved_card=card))

    def _show_api_error(self, error: ApiError) -> None:
        """Field errors next to their inputs, all at once; anything else at the top of the form."""
        if error.is_card_error and self.asks_card:
            # A refused card is not kept on screen (or in a screenshot); the next one gets its own key.
            self._card.forget_secrets()
            self._card_key = None
        field_errors: dict[str, str] = {}
        other: list[str] = []
        for param, message in error.field_errors().items():
            input_id = PARAM_INPUTS.get(param)
            if input_id is None:
                other.append(message)
            else:
                field_errors.setdefault(input_id, message)
        self._show_errors(field_errors)
        if field_errors:
            self._show_problem(" ".join(other) or None)
            self._focus_first_error()
        else:
            self._show_problem(f"{error.message} Your entries are kept: press {self.submit_label} to try again.")

    # ---- leaving ----------------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        # Leaving while a save is in flight would leave it half done behind the person's back.
        if action == "cancel":
            return not self.saving
        return True

    def action_cancel(self) -> None:
        self._close(None)

    def _close(self, choice: PaymentChoice | None) -> None:
        self._card.forget_secrets()
        self.dismiss(choice)


__all__ = ["BillingFormScreen", "NewCard", "PaymentChoice", "as_update", "saved_card_label", "vat_hint"]

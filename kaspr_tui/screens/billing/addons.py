"""Purchase add-ons: how many credits of one type to add, with a slider, its price, then Checkout.

Opened from the Plan section of Plan & Billing (`#buy-phone`, …) or the command palette. The
slider (`#credits-slider`) runs over the pack's range in its steps, from the catalog; the price
(`#quote-total`) is the server's quote for exactly that many, kept current while the slider
moves (`LiveQuote`). Checkout (`#checkout`) runs the shared checkout pipeline; Escape or Cancel
closes the dialog having changed nothing.

Bought credits are granted now and added to the type's recurring pack, which renews at every
monthly reset until its auto-renew is turned off; the dialog says so, and turns auto-renew off
(or back on) for a pack that exists (`#auto-renew`).
"""

from __future__ import annotations

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.widgets import Button

from kaspr_tui.api import ApiError
from kaspr_tui.api.models import (
    AddonPackWire,
    AddonQuantity,
    Checkout,
    Quote,
    QuoteRequest,
    RecurringAddon,
)
from kaspr_tui.billing.catalog import CREDIT_LABELS, CreditType
from kaspr_tui.billing.formatting import format_count, format_date
from kaspr_tui.billing.money import format_money
from kaspr_tui.billing.order_words import balance_words, monthly_packs_words, pack_terms_words, pack_words
from kaspr_tui.billing.words import vat_label
from kaspr_tui.screens.billing.live_quote import PurchaseDialog
from kaspr_tui.state import AccountState, app_host
from kaspr_tui.widgets.slider import Slider
from kaspr_tui.widgets.words import Words

TITLE = "Purchase add-ons"


def pack_status_words(pack: RecurringAddon, resets_on: str) -> str:
    return f"Your pack today: {pack_words(pack.quantity, pack.auto_renew, resets_on)}."


class PurchaseAddonsScreen(PurchaseDialog):
    """Dismisses with the succeeded checkout, or None when nothing was bought."""

    CHECKOUT_TITLE = TITLE
    FIRST_FOCUS = "#credits-slider"

    def __init__(self, credit_type: CreditType) -> None:
        self.credit_type = credit_type
        self.label = CREDIT_LABELS[credit_type]
        super().__init__()

    def dialog_title(self) -> str:
        return f"{TITLE}: {self.label}"

    def _pack_offer(self) -> AddonPackWire:
        catalog = app_host(self.app).account.catalog
        assert catalog is not None
        return next(pack for pack in catalog.addon_packs if pack.type == self.credit_type)

    def compose_inputs(self) -> ComposeResult:
        offer = self._pack_offer()
        yield Words(id="addons-balance", classes="dialog-note", markup=False)
        yield Slider(
            offer.min,
            min=offer.min,
            max=offer.max,
            step=offer.step,
            label=f"{self.label} to add · {format_money(offer.unit_amount)} each",
            format_value=format_count,
            id="credits-slider",
        )
        yield Words(id="addons-terms", markup=False)
        with Horizontal(id="pack-row"):
            yield Words(id="pack-status", markup=False)
            yield Button("", id="auto-renew", compact=True)

    # ---- what the workspace has ---------------------------------------------------------------

    def _pack(self, state: AccountState) -> RecurringAddon | None:
        assert state.subscription is not None
        pack = next((addon for addon in state.subscription.addons if addon.type == self.credit_type), None)
        return pack if pack is not None and pack.quantity > 0 else None

    def show_account(self, state: AccountState) -> None:
        balance = next((balance for balance in state.credits if balance.type == self.credit_type), None)
        if balance is None:
            return
        resets_on = format_date(balance.resets_at)
        pack = self._pack(state)
        self.query_one("#addons-balance", Words).update(
            balance_words(self.label, balance.used, balance.remaining, balance.resets_at)
        )
        adding = self.query_one("#credits-slider", Slider).value
        self.query_one("#addons-terms", Words).update(
            pack_terms_words(pack.quantity if pack else 0, pack.auto_renew if pack else True, adding, resets_on)
        )
        self.query_one("#pack-row").display = pack is not None
        if pack is not None:
            self.query_one("#pack-status", Words).update(pack_status_words(pack, resets_on))
            self.query_one("#auto-renew", Button).label = (
                "Turn auto-renew off" if pack.auto_renew else "Turn auto-renew on"
            )

    # ---- the price and the purchase -----------------------------------------------------------

    def current_request(self) -> QuoteRequest:
        quantity = self.query_one("#credits-slider", Slider).value
        return QuoteRequest(addons=[AddonQuantity(type=self.credit_type, quantity=quantity)])

    @on(Slider.Changed, "#credits-slider")
    def _quantity_changed(self, event: Slider.Changed) -> None:
        event.stop()
        self.show_account(app_host(self.app).account)
        self.inputs_changed()

    def priced_words(self, quote: Quote) -> Text:
        """`Total due now €12.00  (€10.00 + VAT 20 % €2.00)`, then on an annual plan what the packs
        cost every month, as the review says it: `Add-on packs every month from 22 Dec 2026: €480.00`."""
        money = lambda cents: format_money(cents, quote.currency)  # noqa: E731 — one currency per quote
        vat = vat_label(quote.tax.rate_percent, quote.tax.reverse_charge)
        words = Text.assemble(
            (f"Total due now {money(quote.total_due_now)}", "bold"),
            (f"  ({money(quote.subtotal)} + {vat} {money(quote.tax.amount)})", "dim"),
        )
        if (packs := monthly_packs_words(quote)) is not None:
            words.append(f"\n{packs}")
        return words

    def success_words(self, checkout: Checkout) -> str:
        added = sum(addon.quantity for addon in checkout.quote.addons)
        return f"{format_count(added)} {self.label.lower()} added."

    # ---- auto-renew ---------------------------------------------------------------------------

    @on(Button.Pressed, "#auto-renew")
    def _auto_renew_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        pack = self._pack(app_host(self.app).account)
        if pack is not None:
            self._set_auto_renew(not pack.auto_renew)

    @work(group="auto-renew", exclusive=True, exit_on_error=False)
    async def _set_auto_renew(self, auto_renew: bool) -> None:
        host = app_host(self.app)
        client = host.client
        if client is None:
            return
        try:
            await client.set_addon_auto_renew(self.credit_type, auto_renew)
        except ApiError as error:
            self.app.notify(error.message, title=TITLE, severity="error")
            return
        words = "renews every month" if auto_renew else "ends at the next reset"
        self.app.notify(f"Your {self.label.lower()} pack {words}.", title=TITLE)
        host.load_account()

"""Enter opens an invoice as it was issued: its lines, VAT and totals, and the billing details of
the day it was issued, not today's."""

from __future__ import annotations

import httpx
import pytest

from kaspr_tui.api import ApiError, BillingClient
from kaspr_tui.api.models import Invoice
from kaspr_tui.screens.dialogs.invoice import InvoiceScreen
from kaspr_tui.server.testing import ADMIN_KEY, GLOBEX_KEY, LiveServer
from tests.helpers.app import app_for
from tests.helpers.http import SEEDED_NUMBERS
from tests.helpers.pages import show_invoices
from tests.helpers.screen import screen_text
from tests.helpers.waiting import settle

NEW_DETAILS = {
    "company": "Acme Holding SAS",
    "contact_name": "Alice Martin",
    "email": "finance@acme.example",
    "address": {"line1": "1 avenue des Champs-Élysées", "city": "Paris", "postal_code": "75008", "country": "FR"},
    "vat_number": "FR40303265045",
}


async def test_enter_opens_the_invoice_with_its_lines_vat_and_totals_as_issued(
    live_server: LiveServer, admin: httpx.Client
) -> None:
    # The billing details change after ACME-2026-000012 was issued: the invoice keeps the old ones.
    admin.put("/v1/billing_details", json=NEW_DETAILS).raise_for_status()
    app = app_for(live_server.url, ADMIN_KEY)
    async with app.run_test(size=(80, 24)) as pilot:
        await show_invoices(pilot)
        await pilot.press("enter")  # the newest: ACME-2026-000012, 10,000 export credits at 2 cents
        await settle(pilot)
        assert isinstance(app.screen, InvoiceScreen)
        text = screen_text(app)
        assert "Invoice ACME-2026-000012" in text
        assert "Paid on 20 Nov 2026 with Visa •••• 4242" in text
        assert "Export credits add-on" in text and "10,000" in text and "€0.02" in text
        assert "€200.00" in text  # 10,000 × €0.02
        assert "VAT 20 %" in text and "€40.00" in text  # France: 20 % of €200.00
        assert "Total" in text and "€240.00" in text
        assert "reverse charge" not in text
        assert "12 rue de la Paix, 75002 Paris, FR" in text and "VAT number FR40303265045" in text
        assert "Acme Holding SAS" not in text and "Champs" not in text

        await pilot.press("escape")
        await settle(pilot)
        assert not isinstance(app.screen, InvoiceScreen)


async def test_an_older_invoice_opens_from_where_the_cursor_is(live_server: LiveServer) -> None:
    app = app_for(live_server.url, ADMIN_KEY)
    async with app.run_test(size=(120, 40)) as pilot:
        await show_invoices(pilot)
        await pilot.press(*["down"] * SEEDED_NUMBERS.index("ACME-2026-000008"), "enter")
        await settle(pilot)
        text = screen_text(app)
        assert "Invoice ACME-2026-000008" in text
        assert "Business (annual) × 10 seats" in text  # the annual renewal…
        assert "Phone credits add-on" in text  # …with the phone pack that renews with it
        assert "€11,616.00" in text


async def test_an_invoice_to_an_eu_business_with_a_vat_number_states_the_reverse_charge(
    live_server: LiveServer,
) -> None:
    app = app_for(live_server.url, GLOBEX_KEY)  # Globex GmbH, Berlin, DE136695976
    async with app.run_test(size=(80, 24)) as pilot:
        await show_invoices(pilot)
        await pilot.press("enter")
        await settle(pilot)
        text = screen_text(app)
        assert "Invoice GLBX-2026-000004" in text
        assert "VAT 0 % (reverse charge: the customer accounts for VAT)" in text
        assert "VAT reverse charge — Article 196, Council Directive 2006/112/EC" in text
        assert "VAT number DE136695976" in text
        assert "€177.00" in text  # 3 seats × €59.00, no VAT added


async def test_an_invoice_that_cannot_be_loaded_says_why_in_the_dialog(
    live_server: LiveServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    async def unavailable(self: BillingClient, id: str, workspace: str | None = None) -> Invoice:
        raise ApiError(status=503, type="api_error", code="unavailable", message="The billing service is unavailable.")

    monkeypatch.setattr(BillingClient, "invoice", unavailable)
    app = app_for(live_server.url, ADMIN_KEY)
    async with app.run_test(size=(80, 24)) as pilot:
        await show_invoices(pilot)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, InvoiceScreen)
        assert "Could not load the invoice: The billing service is unavailable." in screen_text(app)
        await pilot.press("escape")
        await settle(pilot)
        assert not isinstance(app.screen, InvoiceScreen)

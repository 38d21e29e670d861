"""The invoices table against the bundled server: what it lists, in what order, page by page."""

from __future__ import annotations

import httpx
import pytest
from textual.widgets import DataTable, TabbedContent

from kaspr_tui.api import BillingClient
from kaspr_tui.api.models import InvoiceStatus, InvoiceSummary, ListResponse
from kaspr_tui.app import KasprApp
from kaspr_tui.billing.money import format_money
from kaspr_tui.server.bulk_seed import add_invoices, workspace_id_named
from kaspr_tui.server.testing import ADMIN_KEY, LiveServer
from kaspr_tui.widgets.paged_table import PagedTable
from tests.helpers.app import app_for
from tests.helpers.http import SEEDED_NUMBERS
from tests.helpers.pages import show_invoices
from tests.helpers.screen import screen_text
from tests.helpers.waiting import settle


def invoices_table(app: KasprApp) -> PagedTable:
    return app.screen.query_one("#invoices", PagedTable)


def numbers_in(table: PagedTable) -> list[str]:
    return [str(table.get_row_at(row)[0]) for row in range(table.row_count)]


async def test_the_table_lists_every_seeded_invoice_newest_first_with_its_date_period_total_and_status(
    live_server: LiveServer, admin: httpx.Client
) -> None:
    app = app_for(live_server.url, ADMIN_KEY)
    async with app.run_test(size=(80, 24)) as pilot:
        table = await show_invoices(pilot)
        assert numbers_in(table) == SEEDED_NUMBERS
        annual_renewal = next(
            invoice for invoice in admin.get("/v1/invoices").json()["data"] if invoice["number"] == "ACME-2026-000008"
        )
        row = [str(cell) for cell in table.get_row_at(SEEDED_NUMBERS.index("ACME-2026-000008"))]
        assert row == [
            "ACME-2026-000008",
            "17 Aug 2026",
            "17 Aug 2026–17 Aug 2027",  # the annual period it paid for
            format_money(annual_renewal["total"]),
            "paid",
        ]
        text = screen_text(app)
        assert "ACME-2026-000012" in text and "Status" in text  # every column fits 80 columns


async def test_open_invoices_takes_the_keyboard_to_the_table_from_any_page(live_server: LiveServer) -> None:
    app = app_for(live_server.url, ADMIN_KEY)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("w")
        table = await show_invoices(pilot)
        assert app.current_mode == "billing"
        assert app.screen.query_one("#billing-tabs", TabbedContent).active == "plan-billing"
        assert app.focused is table
        assert "ACME-2026-000012" in screen_text(app)  # scrolled into view


async def test_many_invoices_load_page_by_page_and_end_reaches_the_oldest(live_server: LiveServer) -> None:
    context = live_server.context
    add_invoices(context, workspace_id_named(context, "Acme Corp"), 238)  # 250 invoices: 3 pages
    app = app_for(live_server.url, ADMIN_KEY)
    async with app.run_test(size=(80, 24)) as pilot:
        table = await show_invoices(pilot)
        assert table.row_count == 100  # the first page only
        assert numbers_in(table)[0] == "ACME-2026-000250"
        assert "100 shown · more as you scroll" in screen_text(app)

        while table.row_count == 100:  # moving down through what is loaded fetches the next page
            await pilot.press("pagedown")
            await settle(pilot)
        assert table.row_count == 200 and table.cursor_row < 100

        await pilot.press("end")  # fetches the last page, lands on the oldest
        await settle(pilot)
        assert table.row_count == 250
        assert numbers_in(table) == [f"ACME-2026-{sequence:06d}" for sequence in range(250, 0, -1)]
        assert table.cursor_row == 249
        text = screen_text(app)
        assert "ACME-2026-000001" in text
        assert "shown" not in text

        await pilot.press("home")
        await settle(pilot)
        assert "ACME-2026-000250" in screen_text(app)


async def test_a_new_account_load_shows_an_invoice_paid_meanwhile(live_server: LiveServer) -> None:
    app = app_for(live_server.url, ADMIN_KEY)
    async with app.run_test(size=(80, 24)) as pilot:
        table = await show_invoices(pilot)
        context = live_server.context
        add_invoices(context, workspace_id_named(context, "Acme Corp"), 1)
        await pilot.press("r")  # refresh the account
        await settle(pilot)
        assert numbers_in(table) == ["ACME-2026-000013", *SEEDED_NUMBERS]


async def test_the_invoices_are_fetched_when_their_tab_is_shown_not_when_billing_opens(
    live_server: LiveServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    pages: list[str | None] = []  # `starting_after` of each page asked for
    fetch_page = BillingClient.invoices

    async def counting(
        self: BillingClient, *, limit: int = 20, starting_after: str | None = None, workspace: str | None = None,
        status: InvoiceStatus | None = None,
    ) -> ListResponse[InvoiceSummary]:
        pages.append(starting_after)
        return await fetch_page(self, limit=limit, starting_after=starting_after, workspace=workspace, status=status)

    monkeypatch.setattr(BillingClient, "invoices", counting)
    app = app_for(live_server.url, ADMIN_KEY)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("b")  # Billing opens on its Upgrade tab
        await settle(pilot)
        assert pages == []
        app.screen.query_one("#billing-tabs", TabbedContent).active = "plan-billing"
        await settle(pilot)
        assert pages == [None]  # the first page, once
        assert numbers_in(invoices_table(app)) == SEEDED_NUMBERS


async def test_a_failed_payment_is_not_listed_as_an_invoice(live_server: LiveServer, admin: httpx.Client) -> None:
    """Issue 11 item 13: a declined attempt leaves a void, unnumbered invoice on the server; the
    Invoices table lists bills, as billing portals do, so it is not a row without a number."""
    card = admin.post("/v1/payment_methods", json={
        "number": "4000000000000002", "exp_month": 12, "exp_year": 2030, "cvc": "123", "name": "Alice Martin",
    }).raise_for_status().json()
    quote = admin.post("/v1/quotes", json={"seats": 11}).raise_for_status().json()
    admin.post("/v1/checkouts", json={"quote_id": quote["id"], "payment_method_id": card["id"]},
               headers={"Idempotency-Key": "declined-seat"}).raise_for_status()
    assert admin.get("/v1/invoices", params={"limit": 1}).json()["data"][0]["status"] == "void"
    app = app_for(live_server.url, ADMIN_KEY)
    async with app.run_test(size=(80, 24)) as pilot:
        table = await show_invoices(pilot)
        await pilot.press("end")
        await settle(pilot)
        assert numbers_in(table) == SEEDED_NUMBERS
        assert "void" not in screen_text(app)


async def test_the_invoices_are_listed_when_plan_and_billing_is_opened_after_upgrade(live_server: LiveServer) -> None:
    # As a person at 80×24: Billing (its Upgrade tab), then p. The table is below the fold and the
    # pane not laid out yet when it is shown: the table stayed empty, no request sent (found in tmux).
    app = app_for(live_server.url, ADMIN_KEY)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("b")
        await settle(pilot)
        await pilot.press("u")
        await settle(pilot)
        await pilot.press("p")
        await settle(pilot)
        assert app.screen.query_one("#invoices", DataTable).row_count == 12

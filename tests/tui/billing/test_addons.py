"""Purchase add-ons from Plan & Billing, end to end against the bundled server (Acme Corp:
Phone pack of 500 renewing, Export pack of 10,000 ending at the reset)."""

from __future__ import annotations

import httpx
import pytest

from kaspr_tui.billing.formatting import format_count
from kaspr_tui.billing.money import format_money
from kaspr_tui.screens.billing.addons import PurchaseAddonsScreen
from kaspr_tui.screens.billing.page import BillingScreen
from kaspr_tui.screens.billing.plan import open_addons
from kaspr_tui.server.testing import ADMIN_KEY, MEMBER_KEY, LiveServer
from kaspr_tui.widgets.slider import Slider
from tests.helpers.app import app_for
from tests.helpers.http import (
    addon_pack,
    catalog_pack,
    credit_balance,
    invoice_count,
    server_quote,
)
from tests.helpers.pages import open_dialog, pay_with_saved_card, press
from tests.helpers.screen import notifications, screen_text, shown
from tests.helpers.waiting import priced, settle, until

DECLINED_CARD = "4000000000000002"


def slider(app) -> Slider:
    return app.screen.query_one("#credits-slider", Slider)


@pytest.mark.parametrize("credit_type", ["phone", "direct_email", "export"])
async def test_the_slider_spans_the_catalog_pack_and_the_price_is_the_servers(
    live_server: LiveServer, admin: httpx.Client, credit_type: str
) -> None:
    pack = catalog_pack(admin, credit_type)
    app = app_for(live_server.url, ADMIN_KEY)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_dialog(pilot, f"#buy-{credit_type}", PurchaseAddonsScreen)
        assert (slider(app).value, slider(app).min, slider(app).max, slider(app).step) == (
            pack["min"], pack["min"], pack["max"], pack["step"]
        )
        await pilot.press("right")
        assert slider(app).value == pack["min"] + pack["step"]
        await pilot.press("end")
        price = await priced(pilot)
        quote = server_quote(admin, {"addons": [{"type": credit_type, "quantity": pack["max"]}]})
        assert f"Total due now {format_money(quote['total_due_now'])}" in price


async def test_the_dialog_says_what_the_packs_will_cost_every_month(live_server: LiveServer) -> None:
    """Issue 12, defect 4: "charged every month" with the amount, in the order review's words (Acme is
    annual and renews 500 phone credits: 25 more make 525 at €0.40, plus 20 % VAT)."""
    app = app_for(live_server.url, ADMIN_KEY)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_dialog(pilot, "#buy-phone", PurchaseAddonsScreen)
        price = await priced(pilot)
    assert "Add-on packs every month from 17 Dec 2026: €252.00" in price


async def test_credits_bought_equal_the_sliders_value_and_show_on_the_dashboard(
    live_server: LiveServer, admin: httpx.Client
) -> None:
    before, pack_before = credit_balance(admin, "phone"), addon_pack(admin, "phone")
    app = app_for(live_server.url, ADMIN_KEY)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_dialog(pilot, "#buy-phone", PurchaseAddonsScreen)
        await pilot.press("1", "2", "6", "0", "enter")  # snaps to the pack's step of 25
        bought = slider(app).value
        assert bought == 1250
        terms = shown(app, "#addons-terms")
        assert "renewed and charged every month" in terms
        assert "your pack becomes 1,750 a month" in terms  # the 500 renewing today, plus these
        assert "Unused credits never carry over" in terms
        price = await priced(pilot)
        quote = server_quote(admin, {"addons": [{"type": "phone", "quantity": bought}]})
        assert f"Total due now {format_money(quote['total_due_now'])}" in price

        await press(pilot, "#checkout", PurchaseAddonsScreen)
        await pay_with_saved_card(pilot)
        await until(pilot, lambda: isinstance(app.screen, BillingScreen), "the dialog to close")
        await settle(pilot)

        after = credit_balance(admin, "phone")
        assert after["addon"] == before["addon"] + bought
        assert after["remaining"] == before["remaining"] + bought
        pack = addon_pack(admin, "phone")
        assert pack is not None and pack_before is not None
        assert (pack["quantity"], pack["auto_renew"]) == (pack_before["quantity"] + bought, True)

        total = after["included"] + after["addon"]
        assert f"{format_count(after['remaining'])} of {format_count(total)}" in screen_text(app)
        await pilot.press("d")
        await settle(pilot)
        assert f"{format_count(after['remaining'])} left of" in screen_text(app)


async def test_escape_buys_nothing(live_server: LiveServer, admin: httpx.Client) -> None:
    before, pack_before = credit_balance(admin, "direct_email"), addon_pack(admin, "direct_email")
    invoices = invoice_count(admin)
    app = app_for(live_server.url, ADMIN_KEY)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_dialog(pilot, "#buy-direct_email", PurchaseAddonsScreen)
        await pilot.press("end")
        await priced(pilot)
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, BillingScreen)
    assert credit_balance(admin, "direct_email") == before
    assert addon_pack(admin, "direct_email") == pack_before
    assert invoice_count(admin) == invoices


async def test_a_declined_card_buys_nothing_and_keeps_the_dialog(live_server: LiveServer, admin: httpx.Client) -> None:
    card = {"number": DECLINED_CARD, "exp_month": 12, "exp_year": 2030, "cvc": "123", "name": "Alice Martin",
            "make_default": True}
    admin.post("/v1/payment_methods", json=card).raise_for_status()
    before, pack_before = credit_balance(admin, "phone"), addon_pack(admin, "phone")
    app = app_for(live_server.url, ADMIN_KEY)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_dialog(pilot, "#buy-phone", PurchaseAddonsScreen)
        await pilot.press("pageup")
        await priced(pilot)
        await press(pilot, "#checkout", PurchaseAddonsScreen)
        words = await pay_with_saved_card(pilot)
        assert "declined" in words.lower()
        # Back where the person was, to try again or leave.
        assert isinstance(app.screen, PurchaseAddonsScreen)
        assert slider(app).value == 25 + 10 * 25
    assert credit_balance(admin, "phone") == before
    assert addon_pack(admin, "phone") == pack_before


# Acme's Phone pack renews; its Export pack is set to end at the reset.
@pytest.mark.parametrize(
    ("credit_type", "renewing", "pack_words", "terms_words"),
    [
        ("phone", True, "500, ends on 17 Dec 2026 (auto-renew off)", "for this period only"),
        ("export", False, "10,000 a month, renews on 17 Dec 2026", "your pack becomes 10,100 a month"),
    ],
    ids=["off", "back-on"],
)
async def test_auto_renew_turns_off_or_back_on_and_buys_nothing(
    live_server: LiveServer, admin: httpx.Client, credit_type: str, renewing: bool, pack_words: str, terms_words: str
) -> None:
    before, pack_before = credit_balance(admin, credit_type), addon_pack(admin, credit_type)
    assert pack_before is not None and pack_before["auto_renew"] is renewing
    app = app_for(live_server.url, ADMIN_KEY)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_dialog(pilot, f"#buy-{credit_type}", PurchaseAddonsScreen)
        await press(pilot, "#auto-renew", PurchaseAddonsScreen)
        await until(
            pilot, lambda: (addon_pack(admin, credit_type) or {}).get("auto_renew") is (not renewing), "the switch"
        )
        await settle(pilot)
        # The dialog follows: what the pack does now, and what credits bought now would do.
        assert isinstance(app.screen, PurchaseAddonsScreen)
        assert pack_words in shown(app, "#pack-status")
        assert terms_words in shown(app, "#addons-terms")
    assert addon_pack(admin, credit_type) == {**pack_before, "auto_renew": not renewing}
    assert credit_balance(admin, credit_type) == before  # nothing bought or taken away now


async def test_no_auto_renew_offer_without_a_pack(live_server: LiveServer, admin: httpx.Client) -> None:
    assert addon_pack(admin, "direct_email") is None
    app = app_for(live_server.url, ADMIN_KEY)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_dialog(pilot, "#buy-direct_email", PurchaseAddonsScreen)
        assert not app.screen.query_one("#pack-row").display
        assert "your pack becomes 25 a month" in shown(app, "#addons-terms")


async def test_open_addons_goes_to_plan_and_billing_with_the_dialog(live_server: LiveServer) -> None:
    app = app_for(live_server.url, ADMIN_KEY)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert app.current_mode == "dashboard"
        await open_addons(app, "export")
        await until(pilot, lambda: isinstance(app.screen, PurchaseAddonsScreen), "the dialog")
        assert app.current_mode == "billing"
        assert app.screen_stack[0].query_one("#billing-tabs").active == "plan-billing"
        assert app.screen.credit_type == "export"


async def test_open_addons_tells_a_member_it_is_for_admins(live_server: LiveServer) -> None:
    app = app_for(live_server.url, MEMBER_KEY)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await open_addons(app, "phone")
        await pilot.pause()
        assert app.current_mode == "dashboard"
        assert not isinstance(app.screen, PurchaseAddonsScreen)
        assert any("admin" in message for message in notifications(app))

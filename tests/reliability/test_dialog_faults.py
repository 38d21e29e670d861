"""The Purchase add-ons and Manage licenses dialogs of Plan & Billing under the change-plan fault
test's conditions (`--fail-rate 0.3`, slow answers, answers lost on the way back after the server
acted): every purchase is bought exactly once or not at all, the person is told which, and no
retry charges twice. Counted through the API once the faults are turned off."""

from __future__ import annotations

from functools import partial

import httpx
import pytest

from kaspr_tui.screens.billing.addons import PurchaseAddonsScreen
from kaspr_tui.screens.billing.licenses import LicensesScreen
from kaspr_tui.screens.billing.live_quote import PurchaseDialog
from kaspr_tui.screens.billing.plan import open_addons, open_licenses
from kaspr_tui.widgets.seat_counter import SeatCounter
from tests.helpers.faults import (
    assert_each_bought_once,
    buy_each_under_faults,
    paid_invoices,
    steady,
    try_in_dialog,
)
from tests.helpers.http import admin_client

BOUGHT_TYPES = ("phone", "export")


def addon_credits(admin: httpx.Client) -> dict[str, int]:
    return {balance["type"]: balance["addon"] for balance in steady(admin, "/v1/credits")["data"]}


def one_step_up(dialog: PurchaseDialog) -> list[str]:
    """The slider opens at the pack's minimum: one step more."""
    return ["right"]


def buy_addons(credit_type: str):
    return partial(try_in_dialog, dialog=PurchaseAddonsScreen, open_it=partial(open_addons, credit_type=credit_type),
                   choose=one_step_up)


def licenses_to(wanted: int):
    def keys(dialog: PurchaseDialog) -> list[str]:
        return ["plus"] * (wanted - dialog.query_one("#seat-counter", SeatCounter).value)

    return partial(try_in_dialog, dialog=LicensesScreen, open_it=open_licenses, choose=keys)


@pytest.mark.long
async def test_every_add_on_purchase_under_faults_is_bought_once_and_the_person_is_told(faulty_server) -> None:
    server, faults = faulty_server
    admin = admin_client(server.url)
    paid_before, credits_before = paid_invoices(admin), addon_credits(admin)
    packs = {pack["type"]: pack for pack in steady(admin, "/v1/catalog")["addon_packs"]}

    purchases = await buy_each_under_faults(server, faults, [buy_addons(credit_type) for credit_type in BOUGHT_TYPES])

    assert_each_bought_once(admin, paid_before, purchases)
    credits_after = addon_credits(admin)
    # Granted once each: the pack's minimum plus one step, and nothing of the type not bought.
    assert {kind: credits_after[kind] - credits_before[kind] for kind in credits_before} == {
        "phone": packs["phone"]["min"] + packs["phone"]["step"],
        "export": packs["export"]["min"] + packs["export"]["step"],
        "direct_email": 0,
    }


@pytest.mark.long
async def test_every_license_purchase_under_faults_is_bought_once_and_the_person_is_told(faulty_server) -> None:
    server, faults = faulty_server
    admin = admin_client(server.url)
    paid_before = paid_invoices(admin)
    starting_seats = steady(admin, "/v1/subscription")["seats"]

    purchases = await buy_each_under_faults(server, faults, [licenses_to(starting_seats + 1),
                                                             licenses_to(starting_seats + 2)])

    assert_each_bought_once(admin, paid_before, purchases)
    assert steady(admin, "/v1/subscription")["seats"] == starting_seats + 2

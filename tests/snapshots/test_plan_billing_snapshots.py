"""How Plan & Billing and its dialogs look at 80×24 (the smallest terminal supported) and 120×40:
the pane, Purchase add-ons with the slider at its minimum, middle and maximum, and Manage licenses
pushed against its lower bound (the reason shown). Seeded server, frozen clock; each picture waits
until the price for what is on screen has arrived."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from textual.pilot import Pilot

from kaspr_tui.screens.billing.addons import PurchaseAddonsScreen
from kaspr_tui.screens.billing.licenses import LicensesScreen
from kaspr_tui.server.testing import ADMIN_KEY, LiveServer
from tests.helpers.app import app_for
from tests.helpers.pages import open_dialog, open_plan_billing
from tests.helpers.waiting import priced

SIZES = pytest.mark.parametrize("size", [(80, 24), (120, 40)], ids=["80x24", "120x40"])

Snap = Callable[..., bool]


@SIZES
def test_plan_and_billing_pane(snap_compare: Snap, live_server: LiveServer, size: tuple[int, int]) -> None:
    assert snap_compare(app_for(live_server.url, ADMIN_KEY), terminal_size=size, run_before=open_plan_billing)


# Phone credits run from 25 to 5,000 in steps of 25: halfway is 2,512.5, and 2,525 the step just above.
@SIZES
@pytest.mark.parametrize("keys", [(), ("2", "5", "2", "5", "enter"), ("end",)], ids=["min", "mid", "max"])
def test_purchase_addons(
    snap_compare: Snap, live_server: LiveServer, size: tuple[int, int], keys: tuple[str, ...]
) -> None:
    async def slide(pilot: Pilot[None]) -> None:
        await open_dialog(pilot, "#buy-phone", PurchaseAddonsScreen)
        await pilot.press(*keys)
        await priced(pilot)

    assert snap_compare(app_for(live_server.url, ADMIN_KEY), terminal_size=size, run_before=slide)


@SIZES
def test_licenses_at_the_lower_bound(snap_compare: Snap, live_server: LiveServer, size: tuple[int, int]) -> None:
    async def push_to_floor(pilot: Pilot[None]) -> None:
        await open_dialog(pilot, "#licenses-add", LicensesScreen)
        await pilot.press("minus", "minus", "minus")  # 10 → 8 (7 members + 1 invitation), then once more
        await priced(pilot)

    assert snap_compare(app_for(live_server.url, ADMIN_KEY), terminal_size=size, run_before=push_to_floor)

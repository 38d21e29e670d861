"""The change-plan flow of the TUI against a server that fails 30 % of requests and answers slowly
(`--fail-rate 0.3 --latency-ms N`), with answers also lost on the way back after the server acted:
every purchase is bought exactly once or not at all, the person is told which, and no retry
charges twice. Counted through the API once the faults are turned off."""

from __future__ import annotations

from functools import partial

import pytest

from tests.helpers.faults import (
    assert_each_bought_once,
    buy_each_under_faults,
    paid_invoices,
    steady,
    try_to_buy_seats,
)
from tests.helpers.http import admin_client


@pytest.mark.long
async def test_every_purchase_under_faults_is_bought_once_and_the_person_is_told(faulty_server) -> None:
    server, faults = faulty_server
    admin = admin_client(server.url)
    paid_before = paid_invoices(admin)
    starting_seats = steady(admin, "/v1/subscription")["seats"]

    purchases = await buy_each_under_faults(server, faults, [
        partial(try_to_buy_seats, seats=starting_seats + 1), partial(try_to_buy_seats, seats=starting_seats + 2)])

    assert_each_bought_once(admin, paid_before, purchases)
    assert steady(admin, "/v1/subscription")["seats"] == starting_seats + 2

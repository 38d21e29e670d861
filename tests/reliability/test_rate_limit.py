"""A burst of refreshes (r held down) never trips the server's per-key rate limit: the app does
not send a new load per key press."""

from __future__ import annotations

from dataclasses import replace

import httpx
import pytest

from kaspr_tui.server.settings import ServerSettings
from kaspr_tui.server.testing import ADMIN_KEY, LiveServer
from tests.helpers.app import FAST_CLIENT, app_over
from tests.helpers.http import LoopbackTransport
from tests.helpers.waiting import settle

pytestmark = pytest.mark.serial  # counts requests a second: a busy machine would change the count

RATE_LIMIT = 10
"""Requests a second: one admin account load fits (1 request; 7 to a server without GET /v1/account)."""
PRESSES = 30


class CountingTransport(LoopbackTransport):
    def __init__(self) -> None:
        super().__init__()
        self.statuses: list[int] = []

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        response = await super().handle_async_request(request)
        self.statuses.append(response.status_code)
        return response


async def test_a_burst_of_refreshes_never_trips_the_rate_limit(server_settings: ServerSettings) -> None:
    with LiveServer(replace(server_settings, rate_limit=RATE_LIMIT)) as server:
        transport = CountingTransport()
        # No retries: a 429 would not be hidden by a retry, it would show on screen.
        app = app_over(server.url, ADMIN_KEY, transport, **FAST_CLIENT)
        async with app.run_test(size=(80, 24)) as pilot:
            await settle(pilot)
            assert app.account.loaded
            await pilot.press(*["r"] * PRESSES)
            await settle(pilot)
            assert 429 not in transport.statuses, f"{transport.statuses.count(429)} requests were rate limited"
            assert app.account.error is None and not app.account.loading

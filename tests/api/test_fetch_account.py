"""state.fetch_account: one request to a server with GET /v1/account, the resources one by one to a
server without it, the same account either way."""

from __future__ import annotations

from datetime import datetime

import httpx
import pytest

from kaspr_tui.api import BillingClient
from kaspr_tui.server.testing import ADMIN_KEY, MEMBER_KEY, SUPPORT_KEY, LiveServer
from kaspr_tui.state import fetch_account
from tests.helpers.http import LoopbackTransport

NOW = datetime(2026, 12, 2, 9, 14).astimezone()


class CountingTransport(LoopbackTransport):
    """Loopback HTTP that records each request's path; with `without_account`, the server seems not
    to have GET /v1/account (404, as another server would answer)."""

    def __init__(self, *, without_account: bool = False) -> None:
        super().__init__()
        self.without_account = without_account
        self.paths: list[str] = []

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        self.paths.append(request.url.path)
        if self.without_account and request.url.path == "/v1/account":
            body = {"error": {"type": "invalid_request_error", "code": "resource_missing", "message": "Not found"}}
            return httpx.Response(404, json=body, request=request)
        return await super().handle_async_request(request)


async def fetched(url: str, key: str, transport: CountingTransport) -> object:
    async with BillingClient(url, key, transport=transport, max_retries=0) as client:
        return await fetch_account(client, now=NOW)


@pytest.mark.parametrize("key", [ADMIN_KEY, MEMBER_KEY, SUPPORT_KEY], ids=["admin", "member", "support"])
async def test_one_request_brings_the_same_account_as_the_resources_one_by_one(
    live_server: LiveServer, key: str
) -> None:
    combined, separate = CountingTransport(), CountingTransport(without_account=True)

    at_once = await fetched(live_server.url, key, combined)
    one_by_one = await fetched(live_server.url, key, separate)

    assert at_once == one_by_one
    assert combined.paths == ["/v1/account"]
    assert separate.paths[0] == "/v1/account" and "/v1/me" in separate.paths


async def test_a_server_without_the_combined_answer_is_asked_for_it_only_once(live_server: LiveServer) -> None:
    """Every later load of the same client goes straight to the resources: no 404 on each refresh."""
    separate = CountingTransport(without_account=True)
    async with BillingClient(live_server.url, ADMIN_KEY, transport=separate, max_retries=0) as client:
        first = await fetch_account(client, now=NOW)
        again = await fetch_account(client, now=NOW)

    assert first == again
    assert separate.paths.count("/v1/account") == 1
    assert separate.paths.count("/v1/me") == 2

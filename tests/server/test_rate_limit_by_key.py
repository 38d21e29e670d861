"""The rate limit (API.md: per key): a key counts as a key only once it has authenticated, so
rotating made-up keys cannot dodge the limit: they share their address's bucket. The table of
buckets stays bounded and forgets buckets that have refilled."""

from __future__ import annotations

import asyncio
from dataclasses import replace
from typing import Any

import httpx

from kaspr_tui.server.middleware import MAX_BUCKETS, RateLimitMiddleware
from kaspr_tui.server.settings import ServerSettings
from kaspr_tui.server.store import hash_api_key
from kaspr_tui.server.testing import ADMIN_KEY, LiveServer

RATE = 5


class StoppedClock:
    """Monotonic seconds that move only when the test says."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


async def _ok(scope: Any, receive: Any, send: Any) -> None:
    await send({"type": "http.response.start", "status": 200, "headers": []})
    await send({"type": "http.response.body", "body": b""})


def limiter(verified: set[str], clock: StoppedClock) -> RateLimitMiddleware:
    return RateLimitMiddleware(_ok, rate=RATE, verified=verified, now=clock)


def status_of(middleware: RateLimitMiddleware, key: str | None, address: str = "203.0.113.7") -> int:
    """What the middleware answers one request with this key from this address."""
    statuses: list[int] = []
    headers = [(b"authorization", f"Bearer {key}".encode())] if key else []
    scope = {"type": "http", "method": "GET", "path": "/v1/me", "headers": headers, "client": (address, 5000)}

    async def receive() -> dict[str, Any]:
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message: dict[str, Any]) -> None:
        if message["type"] == "http.response.start":
            statuses.append(message["status"])

    asyncio.run(middleware(scope, receive, send))
    return statuses[0]


def test_rotating_made_up_keys_share_one_bucket_per_address() -> None:
    middleware = limiter(set(), StoppedClock())
    statuses = [status_of(middleware, f"kt_fake_{n}") for n in range(2_000)]
    assert (statuses.count(200), statuses.count(429)) == (RATE, 2_000 - RATE)
    assert len(middleware.buckets) == 1


def test_an_authenticated_key_keeps_its_own_bucket_while_fakes_flood_its_address() -> None:
    middleware = limiter({hash_api_key(ADMIN_KEY)}, StoppedClock())
    for n in range(100):
        status_of(middleware, f"kt_fake_{n}")
    assert [status_of(middleware, ADMIN_KEY) for _ in range(RATE + 1)] == [200] * RATE + [429]


def test_the_table_forgets_refilled_buckets_and_never_grows_past_its_bound() -> None:
    clock = StoppedClock()
    middleware = limiter(set(), clock)
    for n in range(MAX_BUCKETS + 500):
        status_of(middleware, None, address=f"2001:db8::{n:x}")
    assert len(middleware.buckets) == MAX_BUCKETS
    clock.now += 2  # every bucket has refilled by now: keeping it is the same as keeping none
    status_of(middleware, None)
    assert len(middleware.buckets) == 1


def test_made_up_keys_over_http_are_limited_and_a_real_key_is_not(server_settings: ServerSettings) -> None:
    with LiveServer(replace(server_settings, rate_limit=RATE)) as server, httpx.Client(base_url=server.url) as http:
        admin = {"Authorization": f"Bearer {ADMIN_KEY}"}
        assert http.get("/v1/me", headers=admin).status_code == 200
        statuses = [http.get("/v1/me", headers={"Authorization": f"Bearer kt_fake_{n}"}).status_code
                    for n in range(30)]
        assert 429 in statuses and set(statuses) <= {401, 429}
        assert http.get("/v1/me", headers=admin).status_code == 200

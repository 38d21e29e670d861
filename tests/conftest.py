"""Shared fixtures: the bundled billing server, seeded and frozen, on a free loopback port."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import httpx
import pytest

from kaspr_tui.server.settings import ServerSettings
from kaspr_tui.server.testing import (
    ADMIN_KEY,
    FROZEN_NOW,
    GLOBEX_KEY,
    MEMBER_KEY,
    SUPPORT_KEY,
    LiveServer,
)


@pytest.fixture
def server_settings(tmp_path: Path) -> ServerSettings:
    """A fresh seeded database, payments that settle at once, a frozen clock, a generous rate limit."""
    return ServerSettings(db_path=tmp_path / "billing.db", payment_delay=0, frozen_now=FROZEN_NOW, rate_limit=10_000)


@pytest.fixture
def live_server(server_settings: ServerSettings) -> Iterator[LiveServer]:
    with LiveServer(server_settings) as server:
        yield server


ClientFactory = Callable[..., httpx.Client]


@pytest.fixture
def api(live_server: LiveServer) -> Iterator[ClientFactory]:
    """`api("kt_demo_admin")`: an httpx.Client on the live server with that key (None: no key)."""
    clients: list[httpx.Client] = []

    def client(key: str | None = ADMIN_KEY, **headers: str) -> httpx.Client:
        auth = {"Authorization": f"Bearer {key}"} if key else {}
        new = httpx.Client(base_url=live_server.url, headers={**auth, **headers}, timeout=10)
        clients.append(new)
        return new

    yield client
    for open_client in clients:
        open_client.close()


@pytest.fixture
def admin(api: ClientFactory) -> httpx.Client:
    return api(ADMIN_KEY)


@pytest.fixture
def member(api: ClientFactory) -> httpx.Client:
    return api(MEMBER_KEY)


@pytest.fixture
def support(api: ClientFactory) -> httpx.Client:
    return api(SUPPORT_KEY)


@pytest.fixture
def globex(api: ClientFactory) -> httpx.Client:
    return api(GLOBEX_KEY)

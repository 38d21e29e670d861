"""The system under simulation: the real server app, in process, on a still clock, every request
through its real middleware (httpx over ASGI), restartable on the same database."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import httpx
from fastapi import FastAPI

from kaspr_tui.server.app import create_app
from kaspr_tui.server.context import ServerContext
from kaspr_tui.server.settings import ServerSettings
from kaspr_tui.server.testing import (
    ADMIN_KEY,
    FROZEN_NOW,
    GLOBEX_KEY,
    MEMBER_KEY,
    SUPPORT_KEY,
)

KEYS = {"acme": ADMIN_KEY, "globex": GLOBEX_KEY, "member": MEMBER_KEY, "support": SUPPORT_KEY}
"""Who sends a request → their API key (Acme's two admins share Acme's admin key, as two sessions)."""


class World:
    def __init__(self, db_path: Path, payment_delay: float) -> None:
        self.settings = ServerSettings(db_path=db_path, payment_delay=payment_delay, frozen_now=FROZEN_NOW,
                                       still_clock=True, rate_limit=1_000_000)
        self.restarts = 0
        self._start()

    def _start(self) -> None:
        self.app: FastAPI = create_app(self.settings)
        transport = httpx.ASGITransport(app=self.app)
        self.clients = {
            who: httpx.AsyncClient(transport=transport, base_url="http://kaspr.sim",
                                   headers={"Authorization": f"Bearer {key}"})
            for who, key in KEYS.items()
        }

    @property
    def context(self) -> ServerContext:
        return self.app.state.context

    async def request(self, who: str, method: str, path: str, **options: Any) -> httpx.Response:
        return await self.clients[who].request(method, path, **options)

    async def json(self, who: str, path: str, **params: Any) -> Any:
        response = await self.request(who, "GET", path, params=params)
        assert response.status_code == 200, f"GET {path}: {response.status_code} {response.text}"
        return response.json()

    def tick(self) -> None:
        """What the server's background settler does when it wakes (ASGI runs no lifespan here)."""
        self.context.run_due_everywhere()

    async def restart(self) -> None:
        """Stop the server (its connection closed, nothing in flight) and start it on the same database."""
        await self.close()
        self.restarts += 1
        self._start()

    async def close(self) -> None:
        for client in self.clients.values():
            await client.aclose()
        self.context.store.close()

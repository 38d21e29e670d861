"""What the TUI tests share: building an app on a server, waiting for it, reading the screen."""

from __future__ import annotations

import socket
from collections.abc import Callable
from contextlib import AbstractContextManager
from pathlib import Path

import httpx
from textual.app import App
from textual.pilot import Pilot

from kaspr_tui.api import BillingClient
from kaspr_tui.app import KasprApp
from kaspr_tui.config import Settings
from kaspr_tui.server.testing import LiveServer

ServeOn = Callable[..., AbstractContextManager[LiveServer]]
"""`with serve_on(port, **faults):` the bundled server on a given port (see conftest)."""

FAST_CLIENT = {"max_retries": 0, "timeout": 5.0}
"""No retries: a test of a failure should fail at once, not after the client's backoff."""


def settings_for(url: str, key: str | None, *, warnings: tuple[str, ...] = ()) -> Settings:
    return Settings(api_url=url, api_key=key, config_path=Path("/nonexistent/kaspr-tui.toml"), warnings=warnings)


def app_for(url: str, key: str, **client_options: float) -> KasprApp:
    """The app as `kaspr-tui --api-url URL --token KEY` builds it, with a client we can tune.

    Animations are off so a screenshot or a wait never catches a half-drawn frame.
    """
    return app_over(url, key, None, **{**FAST_CLIENT, **client_options})


def app_over(url: str, key: str, transport: httpx.AsyncBaseTransport | None, **client_options: object) -> KasprApp:
    """The app as the CLI builds it, its client's HTTP going through `transport`; animations off."""
    client = BillingClient(url, key, transport=transport, **client_options)  # type: ignore[arg-type]
    app = KasprApp(settings_for(url, key), client=client)
    app.animation_level = "none"
    return app


async def settle(pilot: Pilot[None]) -> None:
    """Wait until every worker (server start, account, members) has finished and the screen shows it."""
    app = pilot.app
    for _ in range(3):  # a worker may start another (server start → account load)
        await app.workers.wait_for_complete()
        await pilot.pause()
    await pilot.pause()


def screen_text(app: App[None]) -> str:
    """Exactly what the terminal shows, one line per row: what is clipped is not there."""
    update = app.screen._compositor.render_full_update()
    return "\n".join("".join(segment.text for segment in strip) for strip in update.strips)


class LoseFirstAnswer(httpx.AsyncBaseTransport):
    """Loopback HTTP that lets the server act on the first POST to `path`, then drops its answer with
    `error` (a connection that breaks on the way back, or a timeout); records every such POST's
    Idempotency-Key, to check a retry sends the same one."""

    def __init__(self, path: str, error: type[httpx.TransportError] = httpx.ReadError) -> None:
        self._inner = httpx.AsyncHTTPTransport()
        self.path = path
        self.error = error
        self.keys: list[str] = []

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        response = await self._inner.handle_async_request(request)
        if request.method == "POST" and request.url.path == self.path:
            self.keys.append(request.headers["Idempotency-Key"])
            if len(self.keys) == 1:
                await response.aread()
                await response.aclose()
                raise self.error("connection reset by peer", request=request)
        return response

    async def aclose(self) -> None:
        await self._inner.aclose()


def free_port() -> int:
    """A loopback port nothing listens on right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]

"""Driving the Upgrade pane: an app whose quote requests are recorded, waiting for a quote, reading it."""

from __future__ import annotations

import json

import httpx
from textual.pilot import Pilot

from kaspr_tui.app import KasprApp
from kaspr_tui.screens.upgrade import QUOTING, UpgradePane
from tui_helpers import FAST_CLIENT, app_over, screen_text, settle


class RecordingTransport(httpx.AsyncHTTPTransport):
    """Loopback HTTP that remembers the body of every quote request the app sends."""

    def __init__(self) -> None:
        super().__init__()
        self.quote_requests: list[dict] = []

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        if request.method == "POST" and request.url.path == "/v1/quotes":
            self.quote_requests.append(json.loads(request.content))
        return await super().handle_async_request(request)


def recording_app(url: str, key: str) -> tuple[KasprApp, RecordingTransport]:
    transport = RecordingTransport()
    return app_over(url, key, transport, **FAST_CLIENT), transport


async def open_upgrade(pilot: Pilot[None]) -> None:
    """Billing → Upgrade, loaded, with the plan picker focused."""
    await settle(pilot)
    await pilot.press("b")
    await settle(pilot)


def shown(app: KasprApp, selector: str) -> str:
    """The text a widget on the active screen shows (as given to it, whether or not it fits)."""
    return str(app.screen.query_one(selector).render())


def on_screen(app: KasprApp, selector: str) -> str:
    """What the terminal shows where the widget is: its visible rows, one per line."""
    region = app.screen.query_one(selector).region
    rows = screen_text(app).splitlines()[region.y : region.bottom]
    return "\n".join(row[region.x : region.right] for row in rows)


async def quoted(pilot: Pilot[None], attempts: int = 300) -> None:
    """Wait until the debounced quote has been asked for and its answer (or refusal) is on screen."""
    for _ in range(attempts):
        await pilot.pause(0.02)
        pending = any(pane.quote_pending for pane in pilot.app.screen.query(UpgradePane))
        if not pending and shown(pilot.app, "#quote-status") != QUOTING and not pilot.app.workers:
            # The answer is in the widgets; one more screen update lays out what grew with it
            # (a loaded machine can take the answer between the last update and this check).
            await pilot.pause()
            return
    raise AssertionError("the quote never arrived")


def server_quote(admin: httpx.Client, body: dict) -> dict:
    response = admin.post("/v1/quotes", json=body)
    response.raise_for_status()
    return response.json()

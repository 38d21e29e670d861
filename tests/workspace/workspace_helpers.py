"""Opening the Workspace and reading it, for the workspace tests and snapshots."""

from __future__ import annotations

import httpx
from textual.pilot import Pilot
from textual.widgets import DataTable

from kaspr_tui.app import KasprApp
from tui_helpers import settle


async def open_workspace(pilot: Pilot[None]) -> None:
    await settle(pilot)
    await pilot.press("w")
    await settle(pilot)


def members_on_screen(app: KasprApp) -> DataTable[str]:
    return app.screen.query_one("#members", DataTable)


def api_emails(admin: httpx.Client) -> dict[str, str]:
    """Every member and invitation through the API: email → status (`active` / `invited`)."""
    members = admin.get("/v1/members", params={"limit": 100}).raise_for_status().json()
    assert not members["has_more"]
    return {member["email"]: member["status"] for member in members["data"]}


def seats_available(admin: httpx.Client) -> int:
    return admin.get("/v1/subscription").raise_for_status().json()["seats_available"]

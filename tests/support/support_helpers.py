"""What the support tests share: waiting while a dialog is open, typing into a field, reading
tickets from the server's database and figures through the API."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import httpx
from textual.pilot import Pilot
from textual.widgets import Input

from tui_helpers import screen_text

ACME, GLOBEX = "ws_000001", "ws_000002"
DAVID_OLD, DAVID_NEW = "david@acme.example", "david.chen@globex.example"

DIALOG_WORKERS = {"support-transfer", "support-email-change", "support-delete-confirm"}
"""Workers that wait for a dialog to close: waiting for them would wait forever."""


async def settle(pilot: Pilot[None]) -> None:
    """Wait until every worker except those holding a dialog open has finished."""
    app = pilot.app
    for _ in range(3):
        running = [worker for worker in app.workers if worker.group not in DIALOG_WORKERS and worker.is_running]
        if running:  # an empty list would mean "every worker" to wait_for_complete
            await app.workers.wait_for_complete(running)
        await pilot.pause()
    await pilot.pause()


async def type_into(pilot: Pilot[None], selector: str, text: str) -> None:
    """Focus the field, clear it and type `text` key by key, as a person would."""
    field = pilot.app.screen.query_one(selector, Input)
    field.focus()
    field.value = ""
    await pilot.pause()
    await pilot.press(*text)


def visible_text(pilot: Pilot[None]) -> str:
    return screen_text(pilot.app)


def tickets(db_path: Path) -> list[sqlite3.Row]:
    """Every support ticket the server stored, oldest first."""
    with sqlite3.connect(db_path) as db:
        db.row_factory = sqlite3.Row
        return db.execute("SELECT * FROM support_tickets ORDER BY created, id").fetchall()


def newest_event(client: httpx.Client, workspace: str | None = None) -> dict:
    headers = {"Kaspr-Workspace": workspace} if workspace else {}
    return client.get("/v1/events", params={"limit": 1}, headers=headers).raise_for_status().json()["data"][0]


def figures(support: httpx.Client, workspace: str) -> tuple[int, dict[str, dict]]:
    """A workspace's licenses and credit balances by type, as support reads them."""
    headers = {"Kaspr-Workspace": workspace}
    seats = support.get("/v1/subscription", headers=headers).raise_for_status().json()["seats"]
    credits = support.get("/v1/credits", headers=headers).raise_for_status().json()["data"]
    return seats, {balance["type"]: balance for balance in credits}

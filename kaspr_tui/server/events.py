"""The workspace's audit feed: every change, by anyone, in one sentence a person can read."""

from __future__ import annotations

import json
import sqlite3
from datetime import datetime
from typing import Any

from kaspr_tui.api.models import Event
from kaspr_tui.server.store import Tx, from_db_time, to_db_time


def record_event(
    tx: Tx,
    workspace_id: str,
    type: str,
    description: str,
    *,
    actor: str | None,
    data: dict[str, Any] | None = None,
    at: datetime | None = None,
) -> None:
    """`actor` is the email of who did it, or None for the system (renewals)."""
    tx.run(
        "INSERT INTO events(id, workspace_id, type, created, actor, description, data) VALUES (?, ?, ?, ?, ?, ?, ?)",
        (
            tx.new_id("evt"),
            workspace_id,
            type,
            to_db_time(at or tx.now),
            actor,
            description,
            json.dumps(data or {}, sort_keys=True),
        ),
    )


SUPPORT_DESCRIPTIONS = {
    "payment_method.added": "A payment card was added",
    "payment_method.updated": "A payment card's expiry or name was updated",
    "payment_method.default": "Another payment card became the default",
    "payment_method.removed": "A payment card was removed",
}
"""What support reads of a card event: that a card changed, never which (API.md rule 9)."""


def event_wire(row: sqlite3.Row, *, for_support: bool = False) -> Event:
    description = row["description"]
    if for_support:
        description = SUPPORT_DESCRIPTIONS.get(row["type"], description)
    return Event(
        id=row["id"],
        type=row["type"],
        created=from_db_time(row["created"]),
        actor=row["actor"],
        description=description,
        data=json.loads(row["data"]),
    )

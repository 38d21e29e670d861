"""Stripe-style lists: newest first, `limit` and `starting_after`, `has_more`."""

from __future__ import annotations

import sqlite3
from typing import Annotated, Any

from fastapi import Query

from kaspr_tui.server.errors import invalid
from kaspr_tui.server.store import Tx

Limit = Annotated[int, Query(ge=1, le=100, description="How many objects to return, 1 to 100.")]
StartingAfter = Annotated[
    str | None,
    Query(max_length=64, description="The id of the last object of the previous page: answers the next page."),
]


def page(
    tx: Tx, table: str, where: str, params: tuple[Any, ...], limit: int, starting_after: str | None
) -> tuple[list[sqlite3.Row], bool]:
    """Rows of `table` matching `where`, newest (highest `seq`) first, after `starting_after`."""
    cursor_clause = ""
    cursor_params: tuple[Any, ...] = ()
    if starting_after is not None:
        anchor = tx.one(f"SELECT seq FROM {table} WHERE id = ? AND {where}", (starting_after, *params))
        if anchor is None:
            raise invalid("parameter_invalid", "starting_after is not an object of this list.", "starting_after")
        cursor_clause = " AND seq < ?"
        cursor_params = (anchor["seq"],)
    rows = tx.all(
        f"SELECT * FROM {table} WHERE {where}{cursor_clause} ORDER BY seq DESC LIMIT ?",
        (*params, *cursor_params, limit + 1),
    )
    return rows[:limit], len(rows) > limit

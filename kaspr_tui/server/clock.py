"""The server's clock: real UTC time (or a frozen instant) plus an offset advance_clock grows.

The offset lives in the database, so a restart keeps the simulated date.
"""

from __future__ import annotations

import sqlite3
import threading
from datetime import UTC, datetime, timedelta

OFFSET_KEY = "clock_offset_seconds"


def utc_now() -> datetime:
    return datetime.now(UTC).replace(microsecond=0)


class Clock:
    def __init__(self, frozen_now: datetime | None, offset_seconds: int = 0) -> None:
        self._frozen_now = frozen_now.astimezone(UTC).replace(microsecond=0) if frozen_now else None
        self._offset = timedelta(seconds=offset_seconds)
        self._lock = threading.Lock()

    def now(self) -> datetime:
        base = self._frozen_now or utc_now()
        with self._lock:
            return base + self._offset

    def advance(self, conn: sqlite3.Connection, days: int) -> datetime:
        """Move the clock `days` forward and persist the offset in the caller's transaction."""
        with self._lock:
            self._offset += timedelta(days=days)
            offset = int(self._offset.total_seconds())
        conn.execute(
            "INSERT INTO meta(key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
            (OFFSET_KEY, str(offset)),
        )
        return self.now()

    def rewind_to(self, offset_seconds: int) -> None:
        """Undo an advance whose transaction rolled back."""
        with self._lock:
            self._offset = timedelta(seconds=offset_seconds)

    @property
    def offset_seconds(self) -> int:
        with self._lock:
            return int(self._offset.total_seconds())

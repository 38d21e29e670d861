"""The server's clock: real UTC time (or a frozen instant) plus an offset advance_clock grows.

It has two readings. `now()` is the calendar, to the second: what every request, invoice, renewal
and quote is dated with. `instant()` is the processor's time, in epoch seconds: what a payment's
delay is measured on. On a real clock the two are the same time. On a frozen calendar (demos,
snapshots) a payment still takes its delay in real seconds, so the processor's time runs ahead of
the calendar by the real seconds since the frozen clock first ran on this database; a still clock
(the simulation's) has no real seconds at all: nothing happens until advance_clock moves it.

The offset and the frozen clock's start live in the database, so a restart keeps both.
"""

from __future__ import annotations

import threading
import time
from datetime import UTC, datetime, timedelta

from kaspr_tui.server.store import Tx

OFFSET_KEY = "clock_offset_seconds"
TICKING_SINCE_KEY = "frozen_clock_ticking_since"
"""The wall-clock time a frozen calendar's processor seconds count from."""


def utc_now() -> datetime:
    return datetime.now(UTC).replace(microsecond=0)


class Clock:
    def __init__(self, frozen_now: datetime | None, *, still: bool = False) -> None:
        self._frozen_now = frozen_now.astimezone(UTC).replace(microsecond=0) if frozen_now else None
        self._still = still
        self._offset = timedelta()
        self._ticking_since = time.time()
        self._lock = threading.Lock()

    def now(self) -> datetime:
        base = self._frozen_now or utc_now()
        with self._lock:
            return base + self._offset

    def instant(self) -> float:
        """The processor's time (epoch seconds, fractional): payments fall due on it."""
        return self.reading()[0]

    def reading(self) -> tuple[float, float]:
        """(the processor's time, how far it runs ahead of the calendar), both in seconds."""
        with self._lock:
            offset = self._offset.total_seconds()
        if self._frozen_now is None:
            return time.time() + offset, 0.0
        ahead = 0.0 if self._still else time.time() - self._ticking_since
        return self._frozen_now.timestamp() + offset + ahead, ahead

    def load(self, tx: Tx) -> None:
        """Take the offset, and a frozen clock's start, from the database (storing the start the
        first time a frozen clock runs on it)."""
        offset, ticking = tx.meta(OFFSET_KEY), tx.meta(TICKING_SINCE_KEY)
        with self._lock:
            self._offset = timedelta(seconds=int(offset or 0))
            if ticking:
                self._ticking_since = float(ticking)
        if self._frozen_now is not None and not ticking:
            tx.set_meta(TICKING_SINCE_KEY, repr(self._ticking_since))

    def advance(self, tx: Tx, seconds: int) -> datetime:
        """Move the clock `seconds` forward and persist the offset in the caller's transaction."""
        with self._lock:
            self._offset += timedelta(seconds=seconds)
            offset = int(self._offset.total_seconds())
        tx.set_meta(OFFSET_KEY, str(offset))
        return self.now()

    def rewind_to(self, offset_seconds: int) -> None:
        """Undo an advance whose transaction rolled back."""
        with self._lock:
            self._offset = timedelta(seconds=offset_seconds)

    @property
    def offset_seconds(self) -> int:
        with self._lock:
            return int(self._offset.total_seconds())


"""How the bundled billing server runs: where its state lives, and the faults it simulates."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Literal

CrashPoint = Literal["before_commit", "after_commit", "after_store"]
"""Where a write under an Idempotency-Key can be cut short: inside its transaction, after the
transaction committed and before its answer is stored, and after the answer is stored but not sent."""


@dataclass
class ServerSettings:
    db_path: Path
    payment_delay: float = 1.5
    """Seconds a payment stays `processing`, on the server's clock (`Clock.instant`): advance_clock
    moves it too, and on a still clock only advance_clock does."""
    latency_ms: int = 0
    """Added to every request, to show how the TUI copes with a slow network."""
    fail_rate: float = 0.0
    """Share of requests (0–1) answered `503 unavailable` before anything changes."""
    rate_limit: int = 100
    """Requests a second per API key."""
    frozen_now: datetime | None = None
    """Start the calendar here and move it only with advance_clock (deterministic demos and
    snapshots); a payment's delay still passes in real seconds, unless `still_clock`."""
    still_clock: bool = False
    """With `frozen_now`: no real second passes at all, not even for a payment in progress; only
    advance_clock moves time (the simulation's clock, so every run is the same)."""
    reset: bool = False
    """Delete the database and seed it again."""
    crash_at: CrashPoint | None = None
    """Tests only: the process SIGKILLs itself at this point of the first write made under an
    Idempotency-Key, to prove a crash there never charges twice. Never set in normal use."""

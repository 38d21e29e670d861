"""How the bundled billing server runs: where its state lives, and the faults it simulates."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path


@dataclass
class ServerSettings:
    db_path: Path
    payment_delay: float = 1.5
    """Seconds a payment stays `processing` (real time, not the simulated clock)."""
    latency_ms: int = 0
    """Added to every request, to show how the TUI copes with a slow network."""
    fail_rate: float = 0.0
    """Share of requests (0–1) answered `503 unavailable` before anything changes."""
    rate_limit: int = 100
    """Requests a second per API key."""
    frozen_now: datetime | None = None
    """Start the clock here and move it only with advance_clock (deterministic demos and snapshots)."""
    reset: bool = False
    """Delete the database and seed it again."""

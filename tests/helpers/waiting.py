"""Waiting until the workers have answered and the screen shows it; never a fixed sleep."""

from __future__ import annotations

from collections.abc import Callable

from textual.pilot import Pilot

from kaspr_tui.screens.billing.live_quote import UPDATING_PRICE, PurchaseDialog
from kaspr_tui.screens.billing.upgrade import QUOTING, UpgradePane
from tests.helpers.screen import shown

DIALOG_WORKERS = frozenset(
    {"support-transfer", "support-email-change", "support-delete-confirm", "support-close-request"}
)
"""Workers that wait for a dialog to close: waiting for them would wait forever."""


SETTLE_ROUNDS = 20
"""At most this many waits for workers: one that never ends (a poll) does not hang a test."""


async def settle(pilot: Pilot[None]) -> None:
    """Wait until every worker (server start, account, members) has finished and the screen shows it;
    not those holding a dialog open (`DIALOG_WORKERS`).

    Done once a pause has gone by with no worker running: a worker may start another (server start →
    account load), and a message handled during the pause may start one (a tab shown loads its list).
    """
    app = pilot.app
    for _ in range(SETTLE_ROUNDS):
        running = [worker for worker in app.workers if worker.group not in DIALOG_WORKERS and not worker.is_finished]
        if running:  # an empty list would mean "every worker" to wait_for_complete
            await app.workers.wait_for_complete(running)
        await pilot.pause()
        if not running:
            break
    await pilot.pause()


async def until(pilot: Pilot[None], condition: Callable[[], bool], what: str, *, attempts: int = 500) -> None:
    """Pause until `condition()` holds (a worker answered); fail naming `what` if it never does."""
    for _ in range(attempts):
        if condition():
            return
        await pilot.pause(0.02)
    raise AssertionError(f"timed out waiting for {what}")


async def quoted(pilot: Pilot[None], attempts: int = 300) -> None:
    """Wait until the Upgrade pane's debounced quote has been asked for and its answer (or refusal) is on screen."""
    for _ in range(attempts):
        await pilot.pause(0.02)
        pending = any(pane.quote_pending for pane in pilot.app.screen.query(UpgradePane))
        if not pending and shown(pilot.app, "#quote-status") != QUOTING and not pilot.app.workers:
            # The answer is in the widgets; one more screen update lays out what grew with it
            # (a loaded machine can take the answer between the last update and this check).
            await pilot.pause()
            return
    raise AssertionError("the quote never arrived")


async def priced(pilot: Pilot[None]) -> str:
    """Wait until a dialog's price is the answer for its inputs (no change waiting for its price, no request
    in flight); the price."""
    app = pilot.app

    def answered() -> bool:
        screen = app.screen
        waiting = isinstance(screen, PurchaseDialog) and screen.quote_pending
        return not waiting and shown(app, "#quote-total") != UPDATING_PRICE and not screen.workers

    await pilot.pause()
    await until(pilot, answered, "the price")
    return shown(app, "#quote-total")

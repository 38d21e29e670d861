"""How the invoices look at 80×24 and 120×40: the Invoices section of Plan & Billing with the
seeded invoices (newest first), an invoice opened in the terminal (the newest, ACME-2026-000012),
the dialog saying where its PDF was saved, and the question of which year's PDFs to save."""

from __future__ import annotations

import fcntl
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from textual.pilot import Pilot

from kaspr_tui.screens.billing.invoices import open_invoices
from kaspr_tui.server.testing import ADMIN_KEY, LiveServer
from tests.helpers.app import app_for, app_saving_in
from tests.helpers.waiting import settle

SIZES = pytest.mark.parametrize("size", [(80, 24), (120, 40)], ids=["80x24", "120x40"])

Snap = Callable[..., bool]


async def show_invoices(pilot: Pilot[None]) -> None:
    await settle(pilot)
    await open_invoices(pilot.app)
    await settle(pilot)


@SIZES
def test_invoices_section(snap_compare: Snap, live_server: LiveServer, size: tuple[int, int]) -> None:
    assert snap_compare(app_for(live_server.url, ADMIN_KEY), terminal_size=size, run_before=show_invoices)


@SIZES
def test_invoice_view(snap_compare: Snap, live_server: LiveServer, size: tuple[int, int]) -> None:
    async def open_the_newest_invoice(pilot: Pilot[None]) -> None:
        await show_invoices(pilot)
        await pilot.press("enter")
        await settle(pilot)

    assert snap_compare(app_for(live_server.url, ADMIN_KEY), terminal_size=size, run_before=open_the_newest_invoice)


SNAPSHOT_DOWNLOADS = Path("/tmp/kaspr-tui-snapshot-downloads")
"""A fixed folder (not the temp dir, which TMPDIR moves), emptied first, so the path the dialog
shows is the same on every machine."""


@pytest.fixture
def snapshot_downloads() -> Iterator[Path]:
    """`SNAPSHOT_DOWNLOADS`, emptied, for this test alone: the parallel workers (and any other checkout
    testing on this machine) wait their turn for the one folder every picture shows."""
    with SNAPSHOT_DOWNLOADS.with_suffix(".lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        shutil.rmtree(SNAPSHOT_DOWNLOADS, ignore_errors=True)
        yield SNAPSHOT_DOWNLOADS


@SIZES
def test_invoice_saved_dialog(
    snap_compare: Snap, live_server: LiveServer, snapshot_downloads: Path, size: tuple[int, int]
) -> None:
    async def save_the_newest_invoice(pilot: Pilot[None]) -> None:
        await show_invoices(pilot)
        await pilot.press("d")
        await settle(pilot)

    app = app_saving_in(live_server.url, ADMIN_KEY, snapshot_downloads)
    assert snap_compare(app, terminal_size=size, run_before=save_the_newest_invoice)


@SIZES
def test_invoices_year_dialog(snap_compare: Snap, live_server: LiveServer, size: tuple[int, int]) -> None:
    async def ask_for_a_year(pilot: Pilot[None]) -> None:
        await show_invoices(pilot)
        await pilot.press("y")
        await settle(pilot)

    assert snap_compare(app_for(live_server.url, ADMIN_KEY), terminal_size=size, run_before=ask_for_a_year)

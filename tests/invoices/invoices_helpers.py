"""Opening the invoices and reading them, for the invoices tests and snapshots."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from pypdf import PdfReader
from textual.pilot import Pilot

from kaspr_tui.app import KasprApp
from kaspr_tui.screens.invoices import open_invoices
from kaspr_tui.screens.paged_table import PagedTable
from tui_helpers import app_for, settle

SEEDED_NUMBERS = [f"ACME-2026-{sequence:06d}" for sequence in range(12, 0, -1)]
"""Acme Corp's invoices as the table lists them: newest first, as the API does."""


def app_saving_in(url: str, key: str, folder: Path) -> KasprApp:
    """The test app, with `download_dir` set to `folder` as the config file would."""
    app = app_for(url, key)
    assert app.settings is not None
    app.settings = replace(app.settings, download_dir=folder)
    return app


async def show_invoices(pilot: Pilot[None]) -> PagedTable:
    """From the dashboard to the invoices table, as the palette's "Invoices" does."""
    await settle(pilot)
    await open_invoices(pilot.app)
    await settle(pilot)
    return invoices_table(pilot.app)


def invoices_table(app: KasprApp) -> PagedTable:
    return app.screen.query_one("#invoices", PagedTable)


def numbers_in(table: PagedTable) -> list[str]:
    return [str(table.get_row_at(row)[0]) for row in range(table.row_count)]


def notifications(app: KasprApp) -> list[str]:
    return [notification.message for notification in app._notifications]


def pdf_text(path: Path) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(path).pages)

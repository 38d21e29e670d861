"""Saving invoices' PDFs (`kaspr_tui.downloads` writes the files), then the dialog saying where they went.

Over SSH the file is on the remote machine, so the dialog shows the full path and offers to copy
it (OSC 52 reaches the local clipboard through the terminal).
"""

from __future__ import annotations

from pathlib import Path

from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import Button

from kaspr_tui.api.models import InvoiceSummary
from kaspr_tui.downloads import SavedInvoice, downloads_folder, save_invoice_pdfs
from kaspr_tui.screens.dialogs.base import BUTTON_ROW_KEYS, Dialog
from kaspr_tui.state import Problem, app_host
from kaspr_tui.widgets.words import Words

DOWNLOAD_GROUP = "invoice-download"
"""The worker group of every download, whichever screen runs it."""


async def download_and_show(app: App[object], invoices: list[InvoiceSummary], *, what: str) -> None:
    """Save the invoices' PDFs (at least one) and open the dialog that says where; failures are notified.

    Run it in a worker of the caller: it fetches. `what` names the set in messages ("2026").
    """
    host = app_host(app)
    client = host.client
    if client is None:
        return
    folder = downloads_folder(host.settings)
    if len(invoices) > 1:
        app.notify(f"Saving {len(invoices)} invoices to {folder}…", title="Downloading")
    try:
        saved = await save_invoice_pdfs(client, invoices, folder)
    except OSError as error:
        message = (
            f"Could not save in {folder}: {error.strerror or error}. "
            "Set download_dir in the config to another folder."
        )
        app.notify(message, title="Not saved", severity="error", timeout=15)
        return
    except Exception as error:  # the server's reason, never a crash
        app.notify(Problem.from_error(error).detail, title="Not downloaded", severity="error", timeout=15)
        return
    app.push_screen(SavedScreen(saved, folder, what=what))


def saved_message(saved: list[SavedInvoice], folder: Path, what: str) -> tuple[str, str, Path, str]:
    """(title, what was saved, the path to copy, a note on renamed files) of the dialog after saving."""
    renamed = [invoice for invoice in saved if invoice.renamed]
    if len(saved) == 1:
        invoice = saved[0]
        note = f"{invoice.label}.pdf was already there: it is kept as it was." if renamed else ""
        return "Invoice saved", f"{invoice.label} is saved as", invoice.path, note
    note = (
        f"{len(renamed)} had a file of the same name there already, kept as it was; "
        f"they are saved with a number added, as {renamed[0].path.name}."
        if renamed else ""
    )
    return f"{len(saved)} invoices saved", f"{len(saved)} paid invoices of {what} are saved in", folder, note


class SavedScreen(Dialog[None]):
    """Where the PDFs went, with the path to copy: over SSH the path is what the user needs."""

    BINDINGS = [
        Binding("escape,enter", "close", "Close", id="saved.close"),
        Binding("c", "copy_path", "Copy path", id="saved.copy_path"),
        *BUTTON_ROW_KEYS,
    ]
    CLICK_OUTSIDE = "close"

    def __init__(self, saved: list[SavedInvoice], folder: Path, *, what: str) -> None:
        super().__init__()
        self.dialog_title, self.message, self.path, self.note = saved_message(saved, folder, what)

    def compose(self) -> ComposeResult:
        with Vertical(id="saved-dialog", classes="dialog -success"):
            yield Words(self.message, id="saved-message", markup=False)
            yield Words(str(self.path), id="saved-path", markup=False)
            if self.note:
                yield Words(self.note, id="saved-note", markup=False)
            with Horizontal(id="saved-buttons", classes="dialog-buttons"):
                yield Button("Copy path", id="copy-path", compact=True, action="screen.copy_path")
                yield Button("OK", id="saved-ok", compact=True, variant="primary", action="screen.close")

    def on_mount(self) -> None:
        self.query_one("#saved-dialog").border_title = self.dialog_title
        self.query_one("#saved-ok", Button).focus()

    def action_copy_path(self) -> None:
        self.app.copy_to_clipboard(str(self.path))
        self.notify(f"{self.path} (if the terminal lets apps set the clipboard)", title="Path copied")

    def action_close(self) -> None:
        self.dismiss(None)

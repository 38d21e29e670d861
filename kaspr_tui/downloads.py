"""Saving invoices as PDF files: where, under what name, and never over another file.

Where: the config's `download_dir`, else the user's Downloads folder. Under what name: the
invoice's number; an existing file is never replaced — the new one is saved beside it as
`ACME-2026-000001 (1).pdf`. How: written to a temporary file in the same folder, then linked to
its name, which fails rather than replace a file that appeared meanwhile; nobody ever sees half a
PDF. No Textual here: the TUI's dialogs and the command line share it.
"""

from __future__ import annotations

import os
import re
import tempfile
from dataclasses import dataclass
from pathlib import Path

import platformdirs

from kaspr_tui.api import BillingClient
from kaspr_tui.api.models import InvoiceSummary
from kaspr_tui.config import Settings

UNSAFE_NAME_CHARACTERS = re.compile(r"[^A-Za-z0-9._-]+")
"""A name comes from the server: nothing in it may reach another folder (`../`) or hide the file."""
MAX_NAME_ATTEMPTS = 1000
def downloads_folder(settings: Settings | None) -> Path:
    """The folder set in the config (`download_dir`), else the user's Downloads folder."""
    if settings is not None and settings.download_dir is not None:
        return settings.download_dir
    return Path(platformdirs.user_downloads_dir())


def pdf_name(invoice: InvoiceSummary) -> str:
    """`ACME-2026-000001.pdf`; an invoice without a number yet goes by its id."""
    stem = UNSAFE_NAME_CHARACTERS.sub("_", invoice.number or invoice.id).strip("._") or "invoice"
    return f"{stem}.pdf"


def save_new_file(folder: Path, name: str, data: bytes) -> Path:
    """Write `data` as `folder/name`, or `name (1)`, `(2)`… when taken; never over a file. The path written."""
    folder.mkdir(parents=True, exist_ok=True)
    stem, suffix = os.path.splitext(name)
    descriptor, temp_name = tempfile.mkstemp(dir=folder, prefix=".kaspr-", suffix=".part")
    try:
        with os.fdopen(descriptor, "wb") as temp_file:
            temp_file.write(data)
            temp_file.flush()
            os.fsync(temp_file.fileno())
        os.chmod(temp_name, 0o644)  # mkstemp's 0600 is for secrets; an invoice reads like any download
        for attempt in range(MAX_NAME_ATTEMPTS):
            target = folder / (name if attempt == 0 else f"{stem} ({attempt}){suffix}")
            try:
                os.link(temp_name, target)  # unlike a rename, fails if the name is taken
            except FileExistsError:
                continue
            return target
        raise FileExistsError(f"{folder / name} and {MAX_NAME_ATTEMPTS - 1} numbered copies already exist")
    finally:
        Path(temp_name).unlink(missing_ok=True)


@dataclass(frozen=True)
class SavedInvoice:
    label: str
    """The invoice's number (its id before it has one), as in the file's name."""
    path: Path

    @property
    def renamed(self) -> bool:
        """Saved under another name because a file already had the invoice's name."""
        return self.path.stem != self.label


async def save_invoice_pdfs(client: BillingClient, invoices: list[InvoiceSummary], folder: Path) -> list[SavedInvoice]:
    saved = []
    for invoice in invoices:
        data = await client.invoice_pdf(invoice.id)
        name = pdf_name(invoice)
        saved.append(SavedInvoice(name.removesuffix(".pdf"), save_new_file(folder, name, data)))
    return saved


async def paid_invoices_of_year(client: BillingClient, year: int) -> list[InvoiceSummary]:
    """The paid invoices issued in `year` (UTC), newest first; stops at the first page older than it."""
    found = []
    async for invoice in client.iter_invoices():
        issued = invoice.created.year
        if issued < year:
            break  # the list is newest first: nothing after this is of `year`
        if issued == year and invoice.status == "paid":
            found.append(invoice)
    return found

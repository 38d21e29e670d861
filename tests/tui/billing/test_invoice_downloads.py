"""Saving invoice PDFs: where (config, else Downloads), under what name (never over a file), the
dialog that says where and copies the path, a whole year, and the palette's latest invoice."""

from __future__ import annotations

from pathlib import Path

import httpx
import platformdirs
import pytest
from pypdf import PdfReader

from kaspr_tui.api import ApiError, BillingClient
from kaspr_tui.app import KasprApp
from kaspr_tui.config import resolve_settings
from kaspr_tui.downloads import save_new_file
from kaspr_tui.screens.billing.invoices import download_latest_invoice
from kaspr_tui.screens.dialogs.invoice import InvoiceScreen
from kaspr_tui.screens.dialogs.invoice_year import YearScreen
from kaspr_tui.screens.dialogs.saved import SavedScreen
from kaspr_tui.server.testing import ADMIN_KEY, LiveServer
from tests.helpers.app import FAST_CLIENT, app_for, app_saving_in
from tests.helpers.http import SEEDED_NUMBERS
from tests.helpers.pages import show_invoices
from tests.helpers.screen import notifications, screen_text
from tests.helpers.waiting import settle

DECLINED_CARD = "4000000000000002"


@pytest.fixture
def downloads(tmp_path: Path) -> Path:
    """The folder the app is told to save PDFs in (created by the app when it saves)."""
    return tmp_path / "downloads"


def pdf_text(path: Path) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(path).pages)


def pdfs_in(folder: Path) -> list[str]:
    return sorted(path.name for path in folder.glob("*.pdf"))


async def close_saved_dialog(pilot) -> None:
    assert isinstance(pilot.app.screen, SavedScreen)
    await pilot.press("escape")
    await settle(pilot)


async def test_d_saves_the_selected_invoices_pdf_and_says_where(live_server: LiveServer, downloads: Path) -> None:
    app = app_saving_in(live_server.url, ADMIN_KEY, downloads)
    async with app.run_test(size=(80, 24)) as pilot:
        await show_invoices(pilot)
        await pilot.press("d")
        await settle(pilot)
        saved = downloads / "ACME-2026-000012.pdf"
        assert pdfs_in(downloads) == [saved.name]
        text = pdf_text(saved)
        assert "ACME-2026-000012" in text and "240.00" in text  # its number and total (€240.00)
        assert isinstance(app.screen, SavedScreen)
        assert f"{saved}" == str(app.screen.query_one("#saved-path").render())  # the full path, on screen
        assert not list(downloads.glob(".kaspr-*"))  # no temporary file left behind

        await pilot.press("c")  # over SSH the path is what the user needs: copy it (OSC 52)
        assert app.clipboard == str(saved)
        await close_saved_dialog(pilot)


async def test_an_existing_file_is_never_overwritten(live_server: LiveServer, downloads: Path) -> None:
    downloads.mkdir()
    mine = downloads / "ACME-2026-000012.pdf"
    mine.write_bytes(b"the user's own file")
    app = app_saving_in(live_server.url, ADMIN_KEY, downloads)
    async with app.run_test(size=(80, 24)) as pilot:
        await show_invoices(pilot)
        await pilot.press("d")
        await settle(pilot)
        assert "ACME-2026-000012.pdf was already there" in screen_text(app)
        await close_saved_dialog(pilot)
        await pilot.press("d")
        await settle(pilot)
        await close_saved_dialog(pilot)

    assert mine.read_bytes() == b"the user's own file"
    assert pdfs_in(downloads) == ["ACME-2026-000012 (1).pdf", "ACME-2026-000012 (2).pdf", "ACME-2026-000012.pdf"]
    assert "ACME-2026-000012" in pdf_text(downloads / "ACME-2026-000012 (2).pdf")


async def test_d_in_the_invoice_view_saves_that_invoice(live_server: LiveServer, downloads: Path) -> None:
    app = app_saving_in(live_server.url, ADMIN_KEY, downloads)
    async with app.run_test(size=(80, 24)) as pilot:
        await show_invoices(pilot)
        await pilot.press("down", "enter")  # ACME-2026-000011
        await settle(pilot)
        assert isinstance(app.screen, InvoiceScreen)
        await pilot.press("d")
        await settle(pilot)
        await close_saved_dialog(pilot)
        assert isinstance(app.screen, InvoiceScreen)  # back to the invoice
    assert pdfs_in(downloads) == ["ACME-2026-000011.pdf"]


async def test_a_year_saves_every_paid_invoice_of_that_year(
    live_server: LiveServer, admin: httpx.Client, downloads: Path
) -> None:
    # A declined payment leaves a void invoice in 2026: it is not saved with the paid ones.
    card = admin.post("/v1/payment_methods", json={
        "number": DECLINED_CARD, "exp_month": 12, "exp_year": 2030, "cvc": "123", "name": "Alice Martin",
    }).raise_for_status().json()
    quote = admin.post("/v1/quotes", json={"seats": 11}).raise_for_status().json()
    admin.post("/v1/checkouts", json={"quote_id": quote["id"], "payment_method_id": card["id"]},
               headers={"Idempotency-Key": "declined-seat"}).raise_for_status()
    app = app_saving_in(live_server.url, ADMIN_KEY, downloads)
    async with app.run_test(size=(80, 24)) as pilot:
        await show_invoices(pilot)
        assert "void" not in screen_text(app)  # a failed payment is not a bill (issue 11 item 13)
        await pilot.press("y")
        await settle(pilot)
        assert isinstance(app.screen, YearScreen)
        assert "2026" in screen_text(app)  # the year of the latest invoice, ready to accept
        await pilot.press("enter")
        await settle(pilot)
        assert "12 paid invoices of 2026 are saved in" in screen_text(app)
        await pilot.press("c")
        assert app.clipboard == str(downloads)
    assert pdfs_in(downloads) == sorted(f"{number}.pdf" for number in SEEDED_NUMBERS)


async def test_a_year_without_paid_invoices_saves_nothing_and_says_so(live_server: LiveServer, downloads: Path) -> None:
    app = app_saving_in(live_server.url, ADMIN_KEY, downloads)
    async with app.run_test(size=(80, 24)) as pilot:
        await show_invoices(pilot)
        await pilot.click("#invoices-download-year")
        await settle(pilot)
        await pilot.press(*"2025", "enter")  # typing replaces the year offered; Acme's first invoice is from 2026
        await settle(pilot)
        assert notifications(app) == ["No paid invoice was issued in 2025."]
    assert not downloads.exists() or pdfs_in(downloads) == []


async def test_the_year_must_be_four_digits(live_server: LiveServer, downloads: Path) -> None:
    app = app_saving_in(live_server.url, ADMIN_KEY, downloads)
    async with app.run_test(size=(80, 24)) as pilot:
        await show_invoices(pilot)
        await pilot.press("y", "backspace", *"26", "enter")
        await settle(pilot)
        assert isinstance(app.screen, YearScreen)
        assert "Enter a year of four digits" in screen_text(app)
        await pilot.press("escape")
        await settle(pilot)
    assert not downloads.exists()


async def test_download_latest_invoice_saves_the_newest_paid_one(live_server: LiveServer, downloads: Path) -> None:
    app = app_saving_in(live_server.url, ADMIN_KEY, downloads)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        download_latest_invoice(app)  # what the palette's "Download latest invoice" runs, from the dashboard
        await settle(pilot)
        assert isinstance(app.screen, SavedScreen)
    assert pdfs_in(downloads) == ["ACME-2026-000012.pdf"]


async def test_the_config_files_download_dir_is_where_pdfs_go(live_server: LiveServer, tmp_path: Path) -> None:
    folder = tmp_path / "from the config" / "invoices"
    config = tmp_path / "config.toml"
    config.write_text(f'api_url = "{live_server.url}"\napi_key = "{ADMIN_KEY}"\ndownload_dir = "{folder}"\n')
    config.chmod(0o600)
    settings = resolve_settings(env={}, config_path=config)
    app = KasprApp(settings, client=BillingClient(live_server.url, ADMIN_KEY, **FAST_CLIENT))  # type: ignore[arg-type]
    async with app.run_test(size=(80, 24)) as pilot:
        await show_invoices(pilot)
        await pilot.press("d")
        await settle(pilot)
    assert pdfs_in(folder) == ["ACME-2026-000012.pdf"]


async def test_without_download_dir_pdfs_go_to_the_users_downloads_folder(
    live_server: LiveServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(platformdirs, "user_downloads_dir", lambda: str(tmp_path / "Downloads"))
    app = app_for(live_server.url, ADMIN_KEY)
    assert app.settings is not None and app.settings.download_dir is None
    async with app.run_test(size=(80, 24)) as pilot:
        await show_invoices(pilot)
        await pilot.press("d")
        await settle(pilot)
    assert pdfs_in(tmp_path / "Downloads") == ["ACME-2026-000012.pdf"]


def test_save_new_file_numbers_the_copy_and_keeps_what_was_there(tmp_path: Path) -> None:
    first = save_new_file(tmp_path, "a.pdf", b"one")
    second = save_new_file(tmp_path, "a.pdf", b"two")
    assert (first.name, second.name) == ("a.pdf", "a (1).pdf")
    assert (first.read_bytes(), second.read_bytes()) == (b"one", b"two")
    assert sorted(path.name for path in tmp_path.iterdir()) == ["a (1).pdf", "a.pdf"]  # no temporary file left


UNAVAILABLE = ApiError(
    status=503, type="api_error", code="unavailable",
    message="The billing service is unavailable right now; try again in a minute.",
)


async def test_a_pdf_the_server_does_not_give_is_reported_and_nothing_is_saved(
    live_server: LiveServer, downloads: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    async def unavailable(self: BillingClient, id: str, workspace: str | None = None) -> bytes:
        raise UNAVAILABLE

    monkeypatch.setattr(BillingClient, "invoice_pdf", unavailable)
    app = app_saving_in(live_server.url, ADMIN_KEY, downloads)
    async with app.run_test(size=(80, 24)) as pilot:
        await show_invoices(pilot)
        await pilot.press("d")
        await settle(pilot)
        assert not isinstance(app.screen, SavedScreen)
        assert notifications(app) == [UNAVAILABLE.message]
    assert not downloads.exists()


async def test_a_download_folder_that_cannot_be_written_is_reported(live_server: LiveServer, tmp_path: Path) -> None:
    not_a_folder = tmp_path / "invoices"
    not_a_folder.write_text("a file where the folder should be")
    app = app_saving_in(live_server.url, ADMIN_KEY, not_a_folder)
    async with app.run_test(size=(80, 24)) as pilot:
        await show_invoices(pilot)
        await pilot.press("d")
        await settle(pilot)
        assert not isinstance(app.screen, SavedScreen)
        [message] = notifications(app)
        assert message.startswith(f"Could not save in {not_a_folder}") and "download_dir" in message
    assert not_a_folder.read_text() == "a file where the folder should be"

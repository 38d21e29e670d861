"""No card number or CVC anywhere once cards have been used: pay with 4242…, be declined with
4000000000000002, update the card, have the server refuse a card; then search the SQLite database
and its WAL, the server's log, the event feed, the app's log and Python log records, what the app
said, and every snapshot SVG of the suite, for the full numbers (grouped or not) and the CVCs."""

from __future__ import annotations

import logging
import re
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
import textual.constants
from textual.pilot import Pilot
from textual.widgets import Checkbox, Input

from kaspr_tui.screens.billing.payment import open_update_payment
from kaspr_tui.screens.checkout import BillingFormScreen, ProcessingScreen
from kaspr_tui.server.testing import ADMIN_KEY
from tests.helpers.app import app_for
from tests.helpers.faults import (
    PAYMENT_FAILED,
    SUCCEEDED,
    MockServerProcess,
    mock_server_in,
    refresh_until_loaded,
)
from tests.helpers.pages import open_page, press
from tests.helpers.screen import dialog_title, notices, showing
from tests.helpers.waiting import quoted, until

DECLINED = "4000000000000002"
PAID = "4242424242424242"
UPDATED = "5555555555554444"
REFUSED_AT_ONCE = "4000000000000069"
"""Expired: refused when it is saved, so its number travels in a request that fails."""
CVCS = {DECLINED: "731", PAID: "952", UPDATED: "486", REFUSED_AT_ONCE: "604"}
"""One CVC per card, none of which the seeded data holds, so any hit is a leak."""

TESTS = Path(__file__).resolve().parent.parent
PAN = re.compile(r"(?<![0-9A-Za-z])(?:\d[ -]?){12,18}\d(?![0-9A-Za-z])")


def number_pattern(number: str) -> re.Pattern[str]:
    """The number as typed or shown: digits, maybe grouped with spaces or dashes."""
    return re.compile(r"[ -]?".join(number))


def cvc_pattern(cvc: str) -> re.Pattern[str]:
    # Not inside a longer number or an id (amounts, hex request ids).
    return re.compile(rf"(?<![0-9A-Za-z]){cvc}(?![0-9A-Za-z])")


def luhn_valid(digits: str) -> bool:
    total = 0
    for position, digit in enumerate(reversed(digits)):
        value = int(digit) * (2 if position % 2 else 1)
        total += value - 9 if value > 9 else value
    return total % 10 == 0


def leaks(text: str) -> list[str]:
    """Which of the cards used, or their CVCs, `text` holds."""
    found = [f"card {number}" for number in CVCS if number_pattern(number).search(text)]
    found += [f"CVC {cvc} of {number}" for number, cvc in CVCS.items() if cvc_pattern(cvc).search(text)]
    return found


@pytest.fixture
def mock_server(tmp_path: Path) -> Iterator[MockServerProcess]:
    with mock_server_in(tmp_path, payment_delay=0) as server:
        yield server


async def type_card(pilot: Pilot[None], number: str) -> None:
    screen = pilot.app.screen
    assert isinstance(screen, BillingFormScreen)
    saved = screen.query_one("#use-saved-card", Checkbox)
    if saved.display and saved.value:
        saved.value = False
        await pilot.pause()
    values = {"card-number": number, "card-expiry": "12/30", "card-cvc": CVCS[number], "card-name": "Alice Martin"}
    for input_id, value in values.items():
        screen.query_one(f"#{input_id}", Input).value = value
    await pilot.pause()


async def pay_declined_then_paid(pilot: Pilot[None]) -> None:
    """Change plan with a card that is declined, then Try another card with one that pays."""
    app = pilot.app
    await open_page(pilot, "b")
    await pilot.press("down")  # Organization, charged now
    await quoted(pilot)
    await press(pilot, "#checkout")
    for number, outcome, next_step in ((DECLINED, PAYMENT_FAILED, "#try-another-card"), (PAID, SUCCEEDED, "#ok")):
        await until(pilot, lambda: showing(app, "#submit"), "the billing form")
        await type_card(pilot, number)
        await press(pilot, "#submit")
        await until(pilot, lambda: showing(app, "#continue-to-payment"), "the order review")
        await press(pilot, "#continue-to-payment")
        await until(
            pilot, lambda step=next_step: isinstance(app.screen, ProcessingScreen) and showing(app, step), outcome
        )
        assert dialog_title(app) == outcome
        await press(pilot, next_step)
    await refresh_until_loaded(pilot)


async def update_card(pilot: Pilot[None]) -> None:
    app = pilot.app
    open_update_payment(app)
    await until(pilot, lambda: showing(app, "#submit"), "the update form")
    await type_card(pilot, UPDATED)
    await press(pilot, "#submit")
    await until(pilot, lambda: not isinstance(app.screen, BillingFormScreen), "the update to be saved")
    await refresh_until_loaded(pilot)


def every_event(admin: httpx.Client) -> str:
    pages, starting_after = [], None
    while True:
        params = {"limit": 100, **({"starting_after": starting_after} if starting_after else {})}
        page = admin.get("/v1/events", params=params)
        pages.append(page.text)
        body = page.json()
        if not body["has_more"]:
            return "\n".join(pages)
        starting_after = body["data"][-1]["id"]


@pytest.mark.long
async def test_no_card_number_or_cvc_is_kept_anywhere_after_the_card_flows(
    mock_server: MockServerProcess, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    textual_log = tmp_path / "textual.log"
    monkeypatch.setattr(textual.constants, "LOG_FILE", str(textual_log))  # what TEXTUAL_LOG=path turns on
    caplog.set_level(logging.DEBUG)
    app = app_for(mock_server.url, ADMIN_KEY)
    async with app.run_test(size=(100, 40)) as pilot:
        await pay_declined_then_paid(pilot)
        await update_card(pilot)
        said = "\n".join(f"{note.title} {note.message}" for note in notices(app))
        cards = {(card.last4, card.is_default) for card in app.account.payment_methods}
    # The flows did what they say: the card that paid is on file by its last 4 digits, the update is the
    # default; the declined one was never kept (API.md rule 11).
    assert {("4242", False), ("4444", True)} <= cards and not any(last4 == "0002" for last4, _ in cards)

    with httpx.Client(base_url=mock_server.url, headers={"Authorization": f"Bearer {ADMIN_KEY}"}) as admin:
        refused = admin.post("/v1/payment_methods", json={
            "number": REFUSED_AT_ONCE, "exp_month": 1, "exp_year": 2020, "cvc": CVCS[REFUSED_AT_ONCE], "name": "A"})
        assert refused.status_code >= 400
        events = every_event(admin)
        # While the server runs, recent writes may sit in the WAL rather than the database file.
        stored_while_running = {path.name: path.read_bytes() for path in tmp_path.glob("billing.db*")}
    mock_server.stop()
    stored_after = {f"{path.name} (stopped)": path.read_bytes() for path in tmp_path.glob("billing.db*")}

    sources: dict[str, str] = {
        **{name: data.decode("latin-1") for name, data in {**stored_while_running, **stored_after}.items()},
        "server log": mock_server.output(),
        "event feed": events,
        "refusal body": refused.text,
        "textual log (incl. tracebacks)": textual_log.read_text() if textual_log.exists() else "",
        "python log records": caplog.text,
        "notifications": said,
    }
    assert "billing.db-wal" in sources and "POST /v1/payment_methods" in sources["server log"], "the sources are real"
    found = {name: hits for name, text in sources.items() if (hits := leaks(text))}
    assert found == {}


SNAPSHOTS = sorted(TESTS.glob("**/__snapshots__/**/*.svg"))


def test_the_suite_keeps_snapshots_to_check() -> None:
    assert len(SNAPSHOTS) > 20


@pytest.mark.parametrize("svg", SNAPSHOTS, ids=lambda svg: str(svg.relative_to(TESTS)))
def test_no_snapshot_shows_a_card_number(svg: Path) -> None:
    """No full card number, of the test cards or any other (Luhn-valid, 13 to 19 digits, grouped or not)."""
    text = re.sub(r"<[^>]+>", " ", svg.read_text()).replace("&#160;", " ")
    numbers = [match.group() for match in PAN.finditer(text)]
    assert [number for number in numbers if luhn_valid(re.sub(r"\D", "", number))] == []
    assert leaks(text) == []

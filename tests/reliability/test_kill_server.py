"""The billing server killed (SIGKILL) while a payment is processing, or inside the checkout request
itself, then started again on the same database: the workspace is in its old state or its new one,
never half of each, the payment is made once, and the TUI that was paying finds out how it went
once the server is back."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path
from typing import get_args

import httpx
import pytest

from kaspr_tui.api import ApiError, BillingClient
from kaspr_tui.api.client import new_idempotency_key
from kaspr_tui.screens.checkout import ProcessingScreen
from kaspr_tui.server.middleware import IdempotencyMiddleware
from kaspr_tui.server.settings import CrashPoint, ServerSettings
from kaspr_tui.server.testing import ADMIN_KEY, LiveServer
from tests.helpers.app import app_for
from tests.helpers.faults import (
    NOT_CONFIRMED,
    SUCCEEDED,
    MockServerProcess,
    mock_server_in,
    refresh_until_loaded,
)
from tests.helpers.http import admin_client
from tests.helpers.pages import open_page, press
from tests.helpers.screen import dialog_title, screen_text, showing
from tests.helpers.waiting import quoted, settle, until

pytestmark = pytest.mark.serial  # kills servers and waits on real time

PAYMENT_DELAY = 3.0
"""Seconds the payment processes: long enough to kill the server in the middle, short enough to wait out."""


@pytest.fixture
def mock_server(tmp_path: Path) -> Iterator[MockServerProcess]:
    with mock_server_in(tmp_path, payment_delay=PAYMENT_DELAY) as server:
        yield server


def account_state(admin: httpx.Client) -> dict[str, object]:
    """What a half-applied payment would disagree on: terms, seats, credits granted and invoices."""
    subscription = admin.get("/v1/subscription").json()
    invoices = admin.get("/v1/invoices", params={"limit": 100}).json()["data"]
    return {
        "terms": (subscription["plan"], subscription["interval"], subscription["seats"]),
        "included": {balance["type"]: balance["included"] for balance in admin.get("/v1/credits").json()["data"]},
        "paid": sorted(invoice["number"] for invoice in invoices if invoice["status"] == "paid"),
    }


def test_a_kill_mid_payment_leaves_the_old_state_or_the_new_never_half(mock_server: MockServerProcess) -> None:
    with admin_client(mock_server.url) as admin:
        old = account_state(admin)
        card = next(card for card in admin.get("/v1/payment_methods").json()["data"] if card["is_default"])
        quote = admin.post("/v1/quotes", json={"plan": "organization"}).json()
        checkout = admin.post("/v1/checkouts", json={"quote_id": quote["id"], "payment_method_id": card["id"]},
                              headers={"Idempotency-Key": "kill-mid-payment"}).json()
        assert checkout["status"] == "processing"
    mock_server.kill()

    mock_server.start()
    with admin_client(mock_server.url) as admin:
        after_restart = account_state(admin)
        for _ in range(100):  # the payment settles once its processing time is over
            settled = admin.get(f"/v1/checkouts/{checkout['id']}").json()
            if settled["status"] != "processing":
                break
            time.sleep(0.1)
        new = account_state(admin)

    assert settled["status"] == "succeeded"
    assert new["terms"][0] == "organization" and new["included"] != old["included"]
    assert len(new["paid"]) == len(old["paid"]) + 1
    assert after_restart in (old, new), "the restarted server showed half a payment"


def test_a_payment_answered_but_not_stored_before_a_crash_is_answered_after_the_restart(
    server_settings: ServerSettings, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The crash is placed after the payment committed and before its answer was stored: the
    retry with the same key still gets that checkout, not a second one and not a 409."""
    body = {"quote_id": None, "payment_method_id": None}
    with monkeypatch.context() as crash, LiveServer(server_settings) as server:
        crash.setattr(IdempotencyMiddleware, "_finish", lambda *args: None)
        with admin_client(server.url) as admin:
            body["payment_method_id"] = next(c["id"] for c in admin.get("/v1/payment_methods").json()["data"])
            body["quote_id"] = admin.post("/v1/quotes", json={"seats": 11}).json()["id"]
            answered = admin.post("/v1/checkouts", json=body, headers={"Idempotency-Key": "answered-then-crashed"})
            assert answered.status_code == 202
            paid_once = account_state(admin)["paid"]
    with LiveServer(server_settings) as restarted, admin_client(restarted.url) as admin:
        replayed = admin.post("/v1/checkouts", json=body, headers={"Idempotency-Key": "answered-then-crashed"})
        assert account_state(admin)["paid"] == paid_once
    assert (replayed.status_code, replayed.json().get("id")) == (202, answered.json()["id"])


def test_a_write_done_but_not_answered_before_a_crash_is_not_done_again(
    server_settings: ServerSettings, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Spending credits cannot find its earlier run the way a checkout does: after a crash lost its
    answer, the retry is told it was done, and the credits are spent once."""
    spend, key = {"type": "phone", "quantity": 5}, {"Idempotency-Key": "spent-then-crashed"}
    with monkeypatch.context() as crash, LiveServer(server_settings) as server, admin_client(server.url) as admin:
        used_before = phone_used(admin)
        crash.setattr(IdempotencyMiddleware, "_finish", lambda *args: None)
        assert admin.post("/v1/credits/consume", json=spend, headers=key).status_code == 200
    with LiveServer(server_settings) as restarted, admin_client(restarted.url) as admin:
        retried = admin.post("/v1/credits/consume", json=spend, headers=key)
        assert (retried.status_code, retried.json()["error"]["code"]) == (409, "idempotency_answer_lost")
        assert phone_used(admin) == used_before + 5


def phone_used(admin: httpx.Client) -> int:
    return next(balance["used"] for balance in admin.get("/v1/credits").json()["data"] if balance["type"] == "phone")


@pytest.mark.parametrize("crash_at", get_args(CrashPoint))
async def test_a_crash_inside_the_checkout_request_charges_once_and_the_retry_learns_the_outcome(
    tmp_path: Path, crash_at: CrashPoint
) -> None:
    """The server kills itself inside `POST /v1/checkouts` (before its transaction commits, after it
    commits, after the answer is stored), is started again, and the TUI's client retries the
    payment with the same key: exactly one charge, and the client is told it succeeded."""
    server = MockServerProcess(tmp_path / "billing.db", tmp_path / "server.log", payment_delay=0)
    server.start("--crash-at", crash_at)
    try:
        with admin_client(server.url) as admin:
            old = account_state(admin)
            card = next(card["id"] for card in admin.get("/v1/payment_methods").json()["data"] if card["is_default"])
            quote = admin.post("/v1/quotes", json={"seats": 11}).json()  # no Idempotency-Key: no crash here
        key = new_idempotency_key()
        async with BillingClient(server.url, ADMIN_KEY, max_retries=0) as client:
            with pytest.raises(ApiError):
                await client.create_checkout(quote["id"], card, idempotency_key=key)
        assert server.killed_itself(), server.output()

        server.start()
        with admin_client(server.url) as admin:
            after_restart = account_state(admin)
        async with BillingClient(server.url, ADMIN_KEY) as client:
            retried = await client.create_checkout(quote["id"], card, idempotency_key=key)
            again = await client.create_checkout(quote["id"], card, idempotency_key=key)
            outcome = await client.wait_for_checkout(retried.id)
        with admin_client(server.url) as admin:
            new = account_state(admin)
    finally:
        server.stop()

    assert (outcome.status, again.id) == ("succeeded", retried.id)
    assert new["terms"][2] == 11 and len(new["paid"]) == len(old["paid"]) + 1, "charged exactly once"
    # Before its commit the crash took the payment with it; after, the payment was on disk already.
    assert after_restart == (old if crash_at == "before_commit" else new)


async def test_the_tui_paying_when_the_server_dies_learns_the_outcome_once_it_is_back(
    mock_server: MockServerProcess,
) -> None:
    with admin_client(mock_server.url) as admin:
        paid_before = account_state(admin)["paid"]
    app = app_for(mock_server.url, ADMIN_KEY)
    async with app.run_test(size=(100, 40)) as pilot:
        await open_page(pilot, "b")
        await pilot.press("down")  # Organization, charged now
        await quoted(pilot)
        await press(pilot, "#checkout")
        await until(pilot, lambda: showing(app, "#submit"), "the billing form")
        await press(pilot, "#submit")
        await until(pilot, lambda: showing(app, "#continue-to-payment"), "the order review")
        await press(pilot, "#continue-to-payment")
        await until(pilot, lambda: isinstance(app.screen, ProcessingScreen) and app.screen.checkout is not None,
                    "the payment to start processing")

        mock_server.kill()
        await until(pilot, lambda: showing(app, "#retry"), "the dialog to say it lost the server", attempts=1500)
        assert dialog_title(app) == NOT_CONFIRMED
        assert "Nothing is charged twice" in str(app.screen.query_one("#payment-message").render())

        mock_server.start()
        await press(pilot, "#retry")
        await until(pilot, lambda: showing(app, "#ok"), "the payment's outcome", attempts=1500)
        assert dialog_title(app) == SUCCEEDED
        await press(pilot, "#ok")
        await refresh_until_loaded(pilot)
        await pilot.press("d")
        await settle(pilot)
        assert "Organization · annual" in screen_text(app)

    with admin_client(mock_server.url) as admin:
        assert len(account_state(admin)["paid"]) == len(paid_before) + 1

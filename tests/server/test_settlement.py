"""Settling is the processor's job on the server's clock (API.md rule 6): a payment whose delay is
over settles whether or not anyone asks, in its own transaction; a checkout applies the change it
was quoted for relative to the state it was quoted against, or fails with nothing charged.

These drive a server whose payments take real seconds, as `kaspr-tui mock-server` does, on the
usual frozen calendar (which a payment's seconds do not move)."""

from __future__ import annotations

import sqlite3
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import replace

import httpx
import pytest

from kaspr_tui.server.settings import ServerSettings
from kaspr_tui.server.testing import ADMIN_KEY, GLOBEX_KEY, SUPPORT_KEY, LiveServer

ACME_CARD = "pm_000001"
THREE_D_SECURE = "4000002760003184"
DAYS_TO_ACME_RENEWAL = 263
"""From the test servers' frozen start (2026-11-27) to Acme's annual renewal (2027-08-17)."""


class Session:
    def __init__(self, server: LiveServer) -> None:
        def client(key: str) -> httpx.Client:
            return httpx.Client(base_url=server.url, headers={"Authorization": f"Bearer {key}"}, timeout=10)

        self.server = server
        self.admin, self.globex, self.support = client(ADMIN_KEY), client(GLOBEX_KEY), client(SUPPORT_KEY)
        self._keys = 0

    def close(self) -> None:
        for client in (self.admin, self.globex, self.support):
            client.close()

    def pay(self, card: str = ACME_CARD, **quote: object) -> httpx.Response:
        self._keys += 1
        quote_id = self.admin.post("/v1/quotes", json=quote).raise_for_status().json()["id"]
        return self.admin.post("/v1/checkouts", json={"quote_id": quote_id, "payment_method_id": card},
                               headers={"Idempotency-Key": f"settle-{self._keys}"})

    def seats(self) -> int:
        return self.admin.get("/v1/subscription").json()["seats"]

    def checkout(self, checkout_id: str) -> dict:
        return self.admin.get(f"/v1/checkouts/{checkout_id}").json()

    def invoice(self, invoice_id: str) -> dict:
        return self.admin.get(f"/v1/invoices/{invoice_id}").json()

    def stored_status(self, checkout_id: str) -> str:
        """The checkout's status on disk, read without asking the server (which would settle it first)."""
        with sqlite3.connect(self.server.settings.db_path) as db:
            return db.execute("SELECT status FROM checkouts WHERE id = ?", (checkout_id,)).fetchone()[0]


@pytest.fixture
def timed(server_settings: ServerSettings) -> Iterator[Callable[..., Session]]:
    """`timed(payment_delay, frozen_now=…)`: a session on a server whose payments take that many seconds."""
    opened: list[tuple[LiveServer, Session]] = []

    def start(payment_delay: float, **changes: object) -> Session:
        server = LiveServer(replace(server_settings, payment_delay=payment_delay, **changes)).__enter__()
        session = Session(server)
        opened.append((server, session))
        return session

    yield start
    for server, session in opened:
        session.close()
        server.__exit__(None, None, None)


def test_an_unpolled_payment_settles_on_time_and_never_wedges_the_workspace(timed) -> None:
    session = timed(0.3)
    lost = session.pay(seats=11).json()  # the client that made it crashed: nobody polls this id
    assert lost["status"] == "processing"
    time.sleep(0.8)
    assert session.stored_status(lost["id"]) == "succeeded", "settled by the server itself, unasked"
    assert session.seats() == 11
    phone = next(c for c in session.admin.get("/v1/credits").json()["data"] if c["type"] == "phone")
    assert phone["included"] == 11 * 200
    paid = session.admin.get("/v1/invoices").json()["data"][0]
    assert (paid["id"], paid["status"]) == (lost["invoice_id"], "paid")
    for _ in range(5):  # what used to answer 400 quote_stale forever
        again = session.pay(addons=[{"type": "phone", "quantity": 25}])
        assert again.status_code == 202, again.text
        session.admin.get(f"/v1/checkouts/{again.json()['id']}")
        time.sleep(0.4)


def test_a_lost_checkout_is_found_again_in_the_list(timed) -> None:
    session = timed(3600)
    session.pay(seats=11)
    response = session.admin.get("/v1/checkouts", params={"status": "processing"})
    assert response.status_code == 200
    [found] = response.json()["data"]
    assert (found["status"], found["quote"]["seats"]) == ("processing", 11)
    assert response.headers.get("Retry-After") is None


def test_a_license_moved_in_while_a_seat_is_paid_for_is_kept(timed) -> None:
    session = timed(2.0)
    bought = session.pay(seats=11).json()  # 10 → 11: one seat bought
    assert bought["status"] == "processing"
    moved = session.support.post("/v1/support/transfers", json={
        "from_email": "david.chen@globex.example", "to_email": "alice@acme.example", "license": True,
        "reason": "David came back to Acme"})
    assert moved.status_code == 200, moved.text
    assert session.seats() == 11  # the license moved in
    time.sleep(2.5)
    assert session.checkout(bought["id"])["status"] == "succeeded"
    assert session.seats() == 12, "the seat paid for and the license moved in"
    assert session.globex.get("/v1/subscription").json()["seats"] == 2


def test_a_payment_in_progress_when_the_clock_jumps_past_the_renewal_is_billed_in_the_new_period(timed) -> None:
    """The payment finished seconds after it started, long before the renewal the clock jumped over:
    it is applied then, and the renewal bills the seat it bought."""
    session = timed(3.0)
    checkout = session.pay(seats=11).json()
    assert checkout["status"] == "processing"
    session.admin.post("/v1/test_helpers/advance_clock", json={"days": DAYS_TO_ACME_RENEWAL}).raise_for_status()
    time.sleep(3.5)  # as long as the payment takes in real seconds too
    assert session.checkout(checkout["id"])["status"] == "succeeded"
    assert session.seats() == 11
    renewal = next(invoice for invoice in session.admin.get("/v1/invoices", params={"limit": 100}).json()["data"]
                   if invoice["created"].startswith("2027-08-17"))
    lines = session.invoice(renewal["id"])["lines"]
    assert (lines[0]["description"], lines[0]["quantity"]) == ("Business (annual) × 11 seats", 11)


def test_a_3d_secure_approval_after_the_quote_expired_fails_with_nothing_charged(timed) -> None:
    session = timed(0)
    card = session.admin.post("/v1/payment_methods", json={
        "number": THREE_D_SECURE, "exp_month": 12, "exp_year": 2030, "cvc": "123", "name": "Alice Martin",
    }).json()["id"]
    checkout = session.pay(card, seats=11).json()
    assert checkout["status"] == "requires_action"
    session.admin.post("/v1/test_helpers/advance_clock", json={"days": 1}).raise_for_status()
    late = session.admin.post(f"/v1/checkouts/{checkout['id']}/authenticate", json={"result": "approve"})
    assert late.status_code == 200, late.text
    assert late.json()["status"] == "failed"
    assert "the bank's confirmation came too late; nothing was charged" in late.json()["error"]["message"]
    assert session.seats() == 10
    assert session.invoice(checkout["invoice_id"])["status"] == "void"


def test_many_readers_at_the_moment_a_payment_falls_due_settle_it_once(timed) -> None:
    """Eight sessions read the workspace (and the settler runs) as the payment falls due: each
    settlement is its own transaction, re-read before it is done, so it is done exactly once."""
    session = timed(0.5)
    paid_before = len(session.admin.get("/v1/invoices", params={"limit": 100, "status": "paid"}).json()["data"])
    checkout = session.pay(seats=11).json()
    start = threading.Barrier(8)
    statuses: list[str] = []

    def read(path: str) -> None:
        with httpx.Client(base_url=session.server.url, headers=session.admin.headers, timeout=10) as client:
            start.wait()
            for _ in range(20):
                client.get(path)
            statuses.append(client.get(f"/v1/checkouts/{checkout['id']}").json()["status"])

    time.sleep(0.4)
    paths = [f"/v1/checkouts/{checkout['id']}", "/v1/subscription", "/v1/credits", "/v1/invoices"] * 2
    threads = [threading.Thread(target=read, args=(path,)) for path in paths]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert statuses == ["succeeded"] * 8
    assert session.seats() == 11
    paid = session.admin.get("/v1/invoices", params={"limit": 100, "status": "paid"}).json()["data"]
    assert len(paid) == paid_before + 1

"""Transports that record or lose the app's requests, and the server's state read through its API."""

from __future__ import annotations

import json
import socket
import sqlite3
from pathlib import Path

import httpx

from kaspr_tui.api.models import BillingDetails, PaymentMethod
from kaspr_tui.screens.checkout import PaymentChoice
from kaspr_tui.screens.checkout.billing_form import as_update
from kaspr_tui.server.testing import ADMIN_KEY

ACME, GLOBEX = "ws_000001", "ws_000002"
"""The seeded workspaces: Acme Corp (Business, annual, 10 licenses, 7 members and 1 pending
invitation, so 2 free; FR) and Globex (Starter, monthly, 3 licenses; DE, valid VAT number, billed
with the reverse charge)."""
DAVID_OLD, DAVID_NEW = "david@acme.example", "david.chen@globex.example"
"""David Chen's account at Acme, and the one he made at Globex when he changed jobs."""
SEEDED_NUMBERS = [f"ACME-2026-{sequence:06d}" for sequence in range(12, 0, -1)]
"""Acme Corp's 12 paid invoices, all issued in 2026, as the API and the table list them: newest first."""


KEEPALIVE_EXPIRY = 1.0
"""Seconds the tests' client keeps an idle connection: well under uvicorn's 5 s keep-alive, after which
the server closes it. A request sent on a connection just as the server closes it fails ("server
disconnected"); the app's client retries it, but the tests' client (no retries) would fail the test."""

LOOPBACK_TLS = httpx.create_ssl_context()
"""The one TLS context of every test client: building one loads the CA bundle (~30 ms a client, a
minute of CPU over the suite), and the test servers speak plain HTTP, so none is ever used."""


class LoopbackTransport(httpx.AsyncHTTPTransport):
    """HTTP to the test's server on loopback, never on a connection the server may be closing."""

    def __init__(self) -> None:
        super().__init__(verify=LOOPBACK_TLS, limits=httpx.Limits(keepalive_expiry=KEEPALIVE_EXPIRY))


class RecordingTransport(LoopbackTransport):
    """Loopback HTTP that remembers the body of every quote request the app sends."""

    def __init__(self) -> None:
        super().__init__()
        self.quote_requests: list[dict] = []

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        if request.method == "POST" and request.url.path == "/v1/quotes":
            self.quote_requests.append(json.loads(request.content))
        return await super().handle_async_request(request)


class BrokenOn(LoopbackTransport):
    """Loopback HTTP whose POSTs to `path` fail with an error no HTTP client expects: a bug, not the network."""

    def __init__(self, path: str) -> None:
        super().__init__()
        self.path = path

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        if request.method == "POST" and request.url.path == self.path:
            raise RuntimeError(f"no client expects this answer to {self.path}")
        return await super().handle_async_request(request)


class LoseFirstAnswer(httpx.AsyncBaseTransport):
    """Loopback HTTP that lets the server act on the first POST to `path`, then drops its answer with
    `error` (a connection that breaks on the way back, or a timeout); records every such POST's
    Idempotency-Key, to check a retry sends the same one. `lose_lookups`: how many GETs of `path`
    after that fail the same way (the look-up for what was lost)."""

    def __init__(self, path: str, error: type[httpx.TransportError] = httpx.ReadError) -> None:
        self._inner = LoopbackTransport()
        self.path = path
        self.error = error
        self.keys: list[str] = []
        self.lose_lookups = 0

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        if request.method == "GET" and request.url.path == self.path and self.keys and self.lose_lookups:
            self.lose_lookups -= 1
            raise self.error("connection reset by peer", request=request)
        response = await self._inner.handle_async_request(request)
        if request.method == "POST" and request.url.path == self.path:
            self.keys.append(request.headers["Idempotency-Key"])
            if len(self.keys) == 1:
                await response.aread()
                await response.aclose()
                raise self.error("connection reset by peer", request=request)
        return response

    async def aclose(self) -> None:
        await self._inner.aclose()


def free_port() -> int:
    """A loopback port nothing listens on right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def admin_client(url: str) -> httpx.Client:
    return httpx.Client(base_url=url, headers={"Authorization": f"Bearer {ADMIN_KEY}"}, timeout=10)


# ---- the server's state, through its API --------------------------------------------------------


HELD_PAYMENT_SECONDS = 60
"""A payment delay for a server on a still clock (`still_clock=True`): the payment stays `processing`
until `settle_held_payments` moves the clock, so a test acts while it is in flight however slow the
machine (with a delay of real seconds, a loaded CI machine saw payments settle first)."""


def settle_held_payments(admin: httpx.Client) -> None:
    """Move the still clock past `HELD_PAYMENT_SECONDS`: every payment in progress settles."""
    admin.post("/v1/test_helpers/advance_clock", json={"seconds": HELD_PAYMENT_SECONDS}).raise_for_status()


def add_card(admin: httpx.Client, number: str) -> PaymentMethod:
    """A test card saved on the server (the processor decides its outcome by the number)."""
    body = {"number": number, "exp_month": 12, "exp_year": 2030, "cvc": "123", "name": "Alice Martin"}
    response = admin.post("/v1/payment_methods", json=body)
    response.raise_for_status()
    return PaymentMethod.model_validate(response.json())


def choice_for(admin: httpx.Client, card: PaymentMethod) -> PaymentChoice:
    details = BillingDetails.model_validate(admin.get("/v1/billing_details").json())
    return PaymentChoice(as_update(details), saved_card=card)


def invoices(client: httpx.Client) -> list[dict]:
    return client.get("/v1/invoices", params={"limit": 100}).json()["data"]


def invoice_count(admin: httpx.Client) -> int:
    return len(invoices(admin))


def subscription(client: httpx.Client) -> dict:
    return client.get("/v1/subscription").json()


def seats_available(admin: httpx.Client) -> int:
    return admin.get("/v1/subscription").raise_for_status().json()["seats_available"]


def server_quote(admin: httpx.Client, body: dict) -> dict:
    """The server's answer to a quote request for `body`: the quote, or the error that refuses it."""
    return admin.post("/v1/quotes", json=body).json()


def credit_balance(admin: httpx.Client, credit_type: str) -> dict:
    return next(balance for balance in admin.get("/v1/credits").json()["data"] if balance["type"] == credit_type)


def addon_pack(admin: httpx.Client, credit_type: str) -> dict | None:
    return next((pack for pack in subscription(admin)["addons"] if pack["type"] == credit_type), None)


def catalog_pack(admin: httpx.Client, credit_type: str) -> dict:
    return next(pack for pack in admin.get("/v1/catalog").json()["addon_packs"] if pack["type"] == credit_type)


def server_state(admin: httpx.Client) -> tuple[object, object, int]:
    """Billing details, cards and the size of the event feed: what a save or an update would change."""
    events_feed = admin.get("/v1/events", params={"limit": 100}).json()["data"]
    return admin.get("/v1/billing_details").json(), admin.get("/v1/payment_methods").json()["data"], len(events_feed)


def api_emails(admin: httpx.Client) -> dict[str, str]:
    """Every member and invitation through the API: email → status (`active` / `invited`)."""
    members = admin.get("/v1/members", params={"limit": 100}).raise_for_status().json()
    assert not members["has_more"]
    return {member["email"]: member["status"] for member in members["data"]}


def newest_event(client: httpx.Client, workspace: str | None = None) -> dict:
    headers = {"Kaspr-Workspace": workspace} if workspace else {}
    return client.get("/v1/events", params={"limit": 1}, headers=headers).raise_for_status().json()["data"][0]


def figures(support: httpx.Client, workspace: str) -> tuple[int, dict[str, dict]]:
    """A workspace's licenses and credit balances by type, as support reads them."""
    headers = {"Kaspr-Workspace": workspace}
    seats = support.get("/v1/subscription", headers=headers).raise_for_status().json()["seats"]
    credits = support.get("/v1/credits", headers=headers).raise_for_status().json()["data"]
    return seats, {balance["type"]: balance for balance in credits}


def tickets(db_path: Path) -> list[sqlite3.Row]:
    """Every support ticket the server stored, oldest first (read from its database)."""
    with sqlite3.connect(db_path) as db:
        db.row_factory = sqlite3.Row
        return db.execute("SELECT * FROM support_tickets ORDER BY created, id").fetchall()

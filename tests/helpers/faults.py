"""A server that fails on purpose or is killed, and purchases tried through it as a person does.

`LosesAnswers` and `faults_on` make requests fail and answers go missing (seeded); `MockServerProcess`
is `kaspr-tui mock-server` as a real subprocess, to be killed and started again. The purchase helpers
drive the TUI through whatever the server answers, and read what the server really did.
"""

from __future__ import annotations

import asyncio
import random
import re
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Awaitable, Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
from starlette.types import ASGIApp
from textual.pilot import Pilot
from textual.widgets import Button
from textual.worker import WorkerState

from kaspr_tui.app import KasprApp
from kaspr_tui.screens.billing.live_quote import PurchaseDialog
from kaspr_tui.screens.checkout import (
    BillingFormScreen,
    OrderReviewScreen,
    ProcessingScreen,
)
from kaspr_tui.server.middleware import FaultInjectionMiddleware
from kaspr_tui.server.testing import ADMIN_KEY, LiveServer
from kaspr_tui.widgets.seat_counter import SeatCounter
from tests.helpers.app import app_over
from tests.helpers.http import LoopbackTransport
from tests.helpers.pages import press
from tests.helpers.screen import dialog_title, showing
from tests.helpers.waiting import priced, quoted, settle, until

SEED = 20261127
FAIL_RATE = 0.3
LATENCY_MS = 20
"""The issue's 800 ms, scaled down: every request is still slow and late, the tests stay short."""
LOST_ANSWER_RATE = 0.3
TIME_SCALE = 0.05
"""The client waits what the server asks (`Retry-After: 1` on a 503 or a poll), twenty times faster."""
MAX_TRIES = 8
"""A person gives up after this many tries; with these rates a purchase goes through long before."""

SUCCEEDED = "Payment succeeded"
NOT_CONFIRMED = "Payment not confirmed"
COULD_NOT_START = "The payment could not start"
PAYMENT_FAILED = "Payment failed"
NOT_PRICED = "not priced"
"""What the person is told when the flow stops before any payment: the quote could not be made."""


async def scaled_sleep(seconds: float) -> None:
    await asyncio.sleep(seconds * TIME_SCALE)


class LosesAnswers(LoopbackTransport):
    """Loopback HTTP that, for a seeded share of writes, lets the server act and then drops its
    answer, as a connection that breaks on the way back does: the worst case for a double charge."""

    def __init__(self, seed: int = SEED, rate: float = LOST_ANSWER_RATE) -> None:
        super().__init__()
        self.random = random.Random(seed)
        self.rate = rate
        self.lost = 0

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        response = await super().handle_async_request(request)
        if request.method != "GET" and self.random.random() < self.rate:
            await response.aclose()
            self.lost += 1
            raise httpx.ReadError("connection reset by peer", request=request)
        return response


@contextmanager
def faults_on(faults: FaultInjectionMiddleware) -> Iterator[None]:
    """`--fail-rate` and `--latency-ms` for the block; off again after, to count what happened."""
    faults.fail_rate, faults.latency = FAIL_RATE, LATENCY_MS / 1000
    try:
        yield
    finally:
        faults.fail_rate, faults.latency = 0.0, 0.0


def fault_injection(app: ASGIApp) -> FaultInjectionMiddleware:
    """The server's fault injector, to seed it and to turn faults on and off while it runs."""
    layer: object = app.middleware_stack  # type: ignore[attr-defined]
    while not isinstance(layer, FaultInjectionMiddleware):
        layer = layer.app  # type: ignore[attr-defined]
    return layer


def checkout_running(app: KasprApp) -> bool:
    return any(
        worker.group == "checkout" and worker.state in (WorkerState.PENDING, WorkerState.RUNNING)
        for worker in app.workers
    )




async def refresh_until_loaded(pilot: Pilot[None], attempts: int = 20) -> None:
    """Press r until a refresh succeeds (the person's answer to a stale banner)."""
    app = pilot.app
    await settle(pilot)
    for _ in range(attempts):
        if app.account.error is None and app.account.loaded:
            return
        await pilot.press("r")
        await settle(pilot)
    raise AssertionError(f"the account never loaded: {app.account.error}")


async def try_to_buy_seats(pilot: Pilot[None], seats: int) -> list[str]:
    """One try at buying `seats` from the Upgrade pane: the seat counter, then Checkout and the
    payment (`pay_through_faults`). What the person was told, in order."""
    app = pilot.app
    assert isinstance(app, KasprApp)
    await pilot.press("b", "r")  # r: load the account and ask for the quote again after a failure
    await refresh_until_loaded(pilot)
    await settle(pilot)
    counter = app.screen.query_one("#seats", SeatCounter)
    counter.focus()
    await pilot.press(*["plus"] * (seats - counter.value))
    await quoted(pilot)
    return await pay_through_faults(pilot, "#checkout")


async def try_in_dialog(
    pilot: Pilot[None], dialog: type[PurchaseDialog], open_it: Callable[[KasprApp], Awaitable[None]],
    choose: Callable[[PurchaseDialog], list[str]],
) -> list[str]:
    """One try at a purchase in a Plan & Billing dialog: open it afresh with its entry function
    (a dialog left open by a try that bought nothing is closed first, as a person starting over
    would), press the keys `choose` gives for its inputs, wait for the price, then confirm and pay
    (`pay_through_faults`). What the person was told, in order."""
    app = pilot.app
    assert isinstance(app, KasprApp)
    if isinstance(app.screen, PurchaseDialog):
        await pilot.press("escape")
    await pilot.press("b")
    await refresh_until_loaded(pilot)
    await open_it(app)
    await until(pilot, lambda: isinstance(app.screen, dialog), f"the {dialog.CHECKOUT_TITLE} dialog")
    await settle(pilot)
    await pilot.press(*choose(app.screen))
    await priced(pilot)
    return await pay_through_faults(pilot, f"#{dialog.CONFIRM_ID}")


async def pay_through_faults(pilot: Pilot[None], confirm: str) -> list[str]:
    """Press `confirm` if a price allows it, then the saved card, Continue, and Retry for as long as
    the payment dialog offers it. What the person was told, in order; the last entry is the final
    word (`SUCCEEDED`, or why nothing was bought)."""
    app = pilot.app
    assert isinstance(app, KasprApp)
    if app.screen.query_one(confirm, Button).disabled:
        return [NOT_PRICED]
    await press(pilot, confirm)
    told: list[str] = []
    acted_on: set[int] = set()
    while True:
        await until(pilot, lambda: _needs_the_person(app) or not checkout_running(app), "the next step", attempts=1500)
        screen = app.screen
        if isinstance(screen, ProcessingScreen):
            if showing(app, "#retry"):
                told.append(dialog_title(app))
                await press(pilot, "#retry")
                continue
            told.append(dialog_title(app))
            await press(pilot, "#ok")
            await refresh_until_loaded(pilot)
            return told
        if isinstance(screen, BillingFormScreen | OrderReviewScreen) and id(screen) not in acted_on:
            acted_on.add(id(screen))
            await press(pilot, "#submit" if isinstance(screen, BillingFormScreen) else "#continue-to-payment")
            continue
        if not checkout_running(app):
            # The flow ended before a payment: the quote could not be made, and a notification said so.
            told.append(NOT_PRICED)
            return told


TryOnce = Callable[[Pilot[None]], Awaitable[list[str]]]
"""One try at a purchase in the running app; what the person was told, in order."""


async def buy_each_under_faults(
    server: LiveServer, faults: FaultInjectionMiddleware, purchases: list[TryOnce]
) -> list[list[list[str]]]:
    """Each purchase in the admin's app under the faults, tried again as a person does until they
    are told it succeeded; every try's words, per purchase."""
    transport = LosesAnswers()
    # The app's client as it ships (3 retries, honouring Retry-After), its waits scaled down.
    app = app_over(server.url, ADMIN_KEY, transport, sleep=scaled_sleep)
    told: list[list[list[str]]] = []
    with faults_on(faults):
        async with app.run_test(size=(100, 40)) as pilot:
            for try_once in purchases:
                tries: list[list[str]] = []
                while not tries or tries[-1][-1] != SUCCEEDED:
                    assert len(tries) < MAX_TRIES, f"the purchase never went through: {tries}"
                    tries.append(await try_once(pilot))
                told.append(tries)
    assert transport.lost, "answers were lost: the faults did happen"
    return told


def assert_each_bought_once(admin: httpx.Client, paid_before: list[dict], purchases: list[list[list[str]]]) -> None:
    """One charge per purchase the person was told succeeded and none other, every payment came to
    an end, and every try that bought nothing ended saying so."""
    new_paid = [invoice for invoice in paid_invoices(admin) if invoice not in paid_before]
    told_succeeded = sum(told.count(SUCCEEDED) for tries in purchases for told in tries)
    assert len(new_paid) == told_succeeded == len(purchases), purchases
    assert open_invoices(admin) == [], "every payment came to an end"
    for tries in purchases:
        for told in tries[:-1]:
            # Not priced, refused or failed: never "succeeded".
            assert told[-1] in (NOT_PRICED, COULD_NOT_START, PAYMENT_FAILED), tries
        # "Not confirmed" is only ever a step: the person retried until the outcome was known.
        assert all(word in (NOT_CONFIRMED, SUCCEEDED) for word in tries[-1]), tries



def _needs_the_person(app: KasprApp) -> bool:
    screen = app.screen
    if isinstance(screen, ProcessingScreen):
        return showing(app, "#retry") or showing(app, "#ok")
    if isinstance(screen, BillingFormScreen):
        return not screen.saving
    return isinstance(screen, OrderReviewScreen)


def steady(client: httpx.Client, path: str, *, attempts: int = 50, **params: object) -> dict:
    """GET through whatever faults the server injects: an answer is retried until it is not a 503."""
    for _ in range(attempts):
        response = client.get(path, params=params)
        if response.status_code != 503:
            response.raise_for_status()
            return response.json()
        time.sleep(0.01)
    raise AssertionError(f"{path} kept answering 503")


def paid_invoices(client: httpx.Client) -> list[dict]:
    return [invoice for invoice in steady(client, "/v1/invoices", limit=100)["data"] if invoice["status"] == "paid"]


def open_invoices(client: httpx.Client) -> list[dict]:
    return [invoice for invoice in steady(client, "/v1/invoices", limit=100)["data"] if invoice["status"] == "open"]


# ---- the bundled server as a subprocess, to be killed ---------------------------------------------

FROZEN_NOW = "2026-11-27T09:00:00Z"
"""The instant of `kaspr_tui.server.testing.FROZEN_NOW`, as the command line takes it."""
START_TIMEOUT_SECONDS = 20.0
LISTENING = re.compile(r"listening on (http://127\.0\.0\.1:(\d+))")


def mock_server_command() -> list[str]:
    installed = shutil.which("kaspr-tui")
    return [installed] if installed else [sys.executable, "-m", "kaspr_tui.cli"]


class MockServerProcess:
    def __init__(self, db: Path, log: Path, *, payment_delay: float) -> None:
        self.db = db
        self.log = log
        self.payment_delay = payment_delay
        self.port = 0
        self.url = ""
        self._process: subprocess.Popen[bytes] | None = None

    def start(self, *options: str) -> MockServerProcess:
        """Start on the port it had before (a free one the first time), with these extra command-line
        options for this run only; return once it answers."""
        offset = self.log.stat().st_size if self.log.exists() else 0
        with self.log.open("ab") as output:
            self._process = subprocess.Popen(
                [*mock_server_command(), "mock-server", "--port", str(self.port), "--db", str(self.db),
                 "--payment-delay", str(self.payment_delay), "--frozen-now", FROZEN_NOW, "--rate-limit", "10000",
                 *options],
                stdout=output, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
            )
        deadline = time.monotonic() + START_TIMEOUT_SECONDS
        while time.monotonic() < deadline:
            assert self._process.poll() is None, f"the server exited: {self.output()}"
            found = LISTENING.search(self.log.read_bytes()[offset:].decode(errors="replace"))
            if found and self._answers(found.group(1)):
                self.url, self.port = found.group(1), int(found.group(2))
                return self
            time.sleep(0.05)
        raise AssertionError(f"the server did not start: {self.output()}")

    @staticmethod
    def _answers(url: str) -> bool:
        try:
            return httpx.get(f"{url}/healthz", timeout=1).status_code == 200
        except httpx.TransportError:
            return False

    def kill(self) -> None:
        """SIGKILL: no shutdown handler, no last commit; what is on disk is all that is left."""
        assert self._process is not None
        self._process.send_signal(signal.SIGKILL)
        self._process.wait(START_TIMEOUT_SECONDS)
        self._process = None

    def killed_itself(self) -> bool:
        """Whether the server died of a SIGKILL it sent itself (`--crash-at`); waits for it to die."""
        assert self._process is not None
        returncode = self._process.wait(START_TIMEOUT_SECONDS)
        self._process = None
        return returncode == -signal.SIGKILL

    def stop(self) -> None:
        if self._process is not None:
            self._process.terminate()
            self._process.wait(START_TIMEOUT_SECONDS)
            self._process = None

    def output(self) -> str:
        return self.log.read_text(errors="replace") if self.log.exists() else ""


@contextmanager
def mock_server_in(folder: Path, *, payment_delay: float) -> Iterator[MockServerProcess]:
    """`kaspr-tui mock-server` on a new database in `folder` (its output in `server.log`), stopped after."""
    server = MockServerProcess(folder / "billing.db", folder / "server.log", payment_delay=payment_delay)
    try:
        yield server.start()
    finally:
        server.stop()

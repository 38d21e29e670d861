"""Two admins changing seats at once: one checkout wins, the other is refused with `quote_stale`
(the TUI prices it again and says so on the review) or `checkout_in_progress` (told to wait),
and the winner's seats are what stays."""

from __future__ import annotations

import threading
import time
from dataclasses import replace

import httpx
import pytest

from kaspr_tui.screens.checkout import OrderReviewScreen, ProcessingScreen
from kaspr_tui.server.settings import ServerSettings
from kaspr_tui.server.testing import ADMIN_KEY, LiveServer
from kaspr_tui.widgets.seat_counter import SeatCounter
from tests.helpers.app import app_for
from tests.helpers.faults import COULD_NOT_START, refresh_until_loaded
from tests.helpers.http import HELD_PAYMENT_SECONDS, admin_client, settle_held_payments
from tests.helpers.pages import open_page, press
from tests.helpers.screen import dialog_message, dialog_title, showing, shown
from tests.helpers.waiting import quoted, until

RACES = {
    # The winner's payment settled at once: the loser's price is for a subscription that is gone.
    "winner-already-paid": (0, 400, "quote_stale", "The subscription changed since this price was made"),
    # The winner's payment is still processing (held until the test settles it, however slow the
    # machine: a payment of one real second once settled first, and the loser was told `quote_stale`).
    "winner-still-paying": (HELD_PAYMENT_SECONDS, 409, "checkout_in_progress", "check your plan before buying again"),
}


@pytest.fixture(params=list(RACES))
def race(request: pytest.FixtureRequest, server_settings: ServerSettings):
    """The server, and how the loser of the race is refused: status, code, and the advice it reads."""
    payment_delay, *refusal = RACES[request.param]
    settings = replace(server_settings, payment_delay=payment_delay, still_clock=payment_delay > 0)
    with LiveServer(settings) as live:
        yield live, *refusal


def default_card(admin: httpx.Client) -> str:
    return next(card["id"] for card in admin.get("/v1/payment_methods").json()["data"] if card["is_default"])


def buy(admin: httpx.Client, quote_id: str, card: str, key: str) -> httpx.Response:
    return admin.post("/v1/checkouts", json={"quote_id": quote_id, "payment_method_id": card},
                      headers={"Idempotency-Key": key})


def wait_until_settled(admin: httpx.Client, checkout_id: str) -> dict:
    """The winner's checkout once its payment settled (a held one, once the clock moved)."""
    settle_held_payments(admin)
    for _ in range(200):
        checkout = admin.get(f"/v1/checkouts/{checkout_id}").json()
        if checkout["status"] != "processing":
            return checkout
        time.sleep(0.05)
    raise AssertionError("the winner's payment never settled")


def paid_count(admin: httpx.Client) -> int:
    invoices = admin.get("/v1/invoices", params={"limit": 100}).json()["data"]
    return sum(invoice["status"] == "paid" for invoice in invoices)


def test_two_admins_at_once_one_wins_and_its_seats_stay(race) -> None:
    server, status, code, _ = race
    # Acme has one admin key: two sessions of it are two admins at work.
    first, second = admin_client(server.url), admin_client(server.url)
    paid_before = paid_count(first)
    card = default_card(first)
    wanted = {first: 11, second: 12}
    quotes = {admin: admin.post("/v1/quotes", json={"seats": seats}).json()["id"] for admin, seats in wanted.items()}
    start = threading.Barrier(2)
    answers: dict[httpx.Client, httpx.Response] = {}

    def pay(admin: httpx.Client) -> None:
        start.wait()
        answers[admin] = buy(admin, quotes[admin], card, f"concurrent-{wanted[admin]}")

    threads = [threading.Thread(target=pay, args=(admin,)) for admin in wanted]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    winner = next(admin for admin, answer in answers.items() if answer.status_code == 202)
    loser = next(admin for admin in wanted if admin is not winner)
    refusal = answers[loser].json()["error"]
    assert (answers[loser].status_code, refusal["code"]) == (status, code)
    assert wait_until_settled(first, answers[winner].json()["id"])["status"] == "succeeded"
    assert first.get("/v1/subscription").json()["seats"] == wanted[winner]
    assert paid_count(first) == paid_before + 1
    first.close()
    second.close()


async def test_the_admin_who_loses_is_told_to_review_and_sees_the_winners_seats(race) -> None:
    server, _, code, advice = race
    other_admin = admin_client(server.url)
    paid_before = paid_count(other_admin)
    app = app_for(server.url, ADMIN_KEY)
    async with app.run_test(size=(100, 40)) as pilot:
        await open_page(pilot, "b")
        app.screen.query_one("#seats", SeatCounter).focus()
        await pilot.press("plus", "plus")  # 12 seats
        await quoted(pilot)
        await press(pilot, "#checkout")
        await until(pilot, lambda: showing(app, "#submit"), "the billing form")
        await press(pilot, "#submit")
        await until(pilot, lambda: showing(app, "#continue-to-payment"), "the order review")

        # While this admin reads the order, the other one buys 11 seats.
        quote = other_admin.post("/v1/quotes", json={"seats": 11}).json()
        winner = buy(other_admin, quote["id"], default_card(other_admin), "the-other-admin")
        assert winner.status_code == 202, winner.text

        await press(pilot, "#continue-to-payment")
        if code == "quote_stale":
            # Back at the review, priced again for today's subscription, with what moved said first.
            await until(pilot, lambda: isinstance(app.screen, OrderReviewScreen) and showing(app, "#order-renewed"),
                        "the order priced again")
            assert advice in shown(app, "#order-renewed")
            await pilot.press("escape")
        else:
            await until(pilot, lambda: isinstance(app.screen, ProcessingScreen) and showing(app, "#ok"), "the refusal")
            assert dialog_title(app) == COULD_NOT_START
            said = dialog_message(app)
            assert "Nothing was charged." in said
            assert advice in said
            assert not showing(app, "#retry"), "a refused payment is not offered again as it was"
            await press(pilot, "#ok")

        wait_until_settled(other_admin, winner.json()["id"])
        await pilot.press("r")
        await refresh_until_loaded(pilot)
        # The pane starts again from the new state: the winner's 11 seats, not this admin's 12.
        assert app.screen.query_one("#seats", SeatCounter).value == 11

    assert other_admin.get("/v1/subscription").json()["seats"] == 11
    assert paid_count(other_admin) == paid_before + 1
    other_admin.close()

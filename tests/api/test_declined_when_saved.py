"""The bundled server's processor refuses one test card as it is saved, the way Stripe declines a
card when it is attached: a 402 card_error beside the number, nothing stored, no event. The test
cards of API.md rule 6 are still saved and only decline when charged."""

from __future__ import annotations

import httpx

from tests.helpers.forms import DECLINED_WHEN_SAVED
from tests.helpers.http import server_state

CARD = {"exp_month": 12, "exp_year": 2030, "cvc": "123", "name": "Alice Martin", "make_default": True}


def test_the_declined_card_is_refused_as_it_is_saved_and_nothing_changes(admin: httpx.Client) -> None:
    before = server_state(admin)
    response = admin.post("/v1/payment_methods", json={"number": DECLINED_WHEN_SAVED, **CARD})
    assert response.status_code == 402
    error = response.json()["error"]
    assert (error["type"], error["code"], error["param"]) == ("card_error", "card_declined", "number")
    assert DECLINED_WHEN_SAVED not in response.text and DECLINED_WHEN_SAVED[-4:] not in error["message"]
    assert server_state(admin) == before


def test_a_card_that_declines_when_charged_is_still_saved(admin: httpx.Client) -> None:
    response = admin.post("/v1/payment_methods", json={"number": "4000000000000002", **CARD})
    assert response.status_code == 200
    assert response.json()["last4"] == "0002"

"""Idempotency-Key: a retried write happens once; a reused key for another request is refused."""

from __future__ import annotations

import threading

import httpx
from fastapi import Request

from kaspr_tui.server.testing import LiveServer


def test_a_replayed_checkout_pays_once_and_answers_the_same(billing) -> None:
    card, quote = billing.card(), billing.quote(seats=11)
    body, key = {"quote_id": quote["id"], "payment_method_id": card}, {"Idempotency-Key": "pay-once"}
    first = billing.client.post("/v1/checkouts", json=body, headers=key)
    replay = billing.client.post("/v1/checkouts", json=body, headers=key)
    assert (first.status_code, replay.status_code) == (202, 202)
    assert replay.content == first.content
    assert replay.headers["Idempotent-Replayed"] == "true"
    assert "Idempotent-Replayed" not in first.headers
    assert [i["number"] for i in billing.invoices()].count("ACME-2026-000013") == 1
    assert billing.subscription()["seats"] == 11


def test_the_same_key_for_another_request_is_refused(admin: httpx.Client) -> None:
    key = {"Idempotency-Key": "one-key"}
    assert admin.post("/v1/credits/consume", json={"type": "phone", "quantity": 1}, headers=key).status_code == 200
    response = admin.post("/v1/credits/consume", json={"type": "phone", "quantity": 2}, headers=key)
    error = response.json()["error"]
    assert (response.status_code, error["type"], error["code"]) == (400, "idempotency_error", "idempotency_key_reused")
    assert next(c for c in admin.get("/v1/credits").json()["data"] if c["type"] == "phone")["used"] == 340 + 1


def test_keys_belong_to_one_api_key(api) -> None:
    body, key = {"type": "phone", "quantity": 1}, {"Idempotency-Key": "shared"}
    assert api("kt_demo_admin").post("/v1/credits/consume", json=body, headers=key).status_code == 200
    second = api("kt_demo_member").post("/v1/credits/consume", json=body, headers=key)
    assert second.status_code == 200
    assert "Idempotent-Replayed" not in second.headers


def test_a_request_that_failed_validation_stores_nothing(admin: httpx.Client) -> None:
    key = {"Idempotency-Key": "fix-and-retry"}
    invalid = admin.post("/v1/invitations", json={"email": "not an email"}, headers=key)
    assert invalid.status_code == 400
    fixed = admin.post("/v1/invitations", json={"email": "ines@acme.example"}, headers=key)
    assert fixed.status_code == 201


def test_a_key_longer_than_255_characters_is_refused(admin: httpx.Client) -> None:
    response = admin.post("/v1/quotes", json={"seats": 11}, headers={"Idempotency-Key": "k" * 256})
    error = response.json()["error"]
    assert (response.status_code, error["code"], error["param"]) == (400, "parameter_invalid", "Idempotency-Key")


def test_a_replay_while_the_first_still_runs_is_409(live_server: LiveServer, admin: httpx.Client) -> None:
    release, entered = threading.Event(), threading.Event()

    def slow_write(request: Request) -> dict[str, bool]:
        entered.set()
        release.wait(10)
        return {"ok": True}

    # A write that takes as long as the test wants, behind the real middleware.
    live_server.app.add_api_route("/v1/slow_write", slow_write, methods=["POST"])
    key = {"Idempotency-Key": "in-flight"}
    first: list[httpx.Response] = []
    thread = threading.Thread(
        target=lambda: first.append(httpx.post(f"{live_server.url}/v1/slow_write", headers={**admin.headers, **key}))
    )
    thread.start()
    assert entered.wait(10)
    during = admin.post("/v1/slow_write", headers=key)
    release.set()
    thread.join()
    assert (during.status_code, during.json()["error"]["code"]) == (409, "idempotency_key_in_use")
    after = admin.post("/v1/slow_write", headers=key)
    assert (first[0].status_code, after.status_code) == (200, 200)
    assert after.headers["Idempotent-Replayed"] == "true"


def test_a_key_on_an_unknown_route_or_method_is_not_checked(admin: httpx.Client) -> None:
    key = {"Idempotency-Key": "used-once"}
    assert admin.post("/v1/quotes", json={"seats": 11}, headers=key).status_code == 200
    assert admin.put("/v1/quotes", json={"seats": 12}, headers=key).status_code == 405
    assert admin.post("/v1/no_such_thing", json={}, headers=key).status_code == 404


def test_the_same_parameters_in_other_json_are_the_same_request(admin: httpx.Client) -> None:
    """As Stripe does, a retry is compared by its parameters: other whitespace, key order or
    escapes are the same request, replayed, not `idempotency_key_reused`."""
    key = {"Idempotency-Key": "same-parameters", "Content-Type": "application/json"}
    first = admin.post("/v1/credits/consume", content=b'{"type": "phone", "quantity": 3}', headers=key)
    again = admin.post("/v1/credits/consume", content=b'{\n  "quantity":3,\n  "type":"ph\\u006fne"\n}', headers=key)
    assert (first.status_code, again.status_code) == (200, 200)
    assert again.headers["Idempotent-Replayed"] == "true"
    assert next(c for c in admin.get("/v1/credits").json()["data"] if c["type"] == "phone")["used"] == 340 + 3
    other = admin.post("/v1/credits/consume", content=b'{"type": "phone", "quantity": 4}', headers=key)
    assert (other.status_code, other.json()["error"]["code"]) == (400, "idempotency_key_reused")

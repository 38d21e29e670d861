"""Paying a quote: test cards, 3-D Secure, failures that change nothing, invoices numbered
without gaps, stale and expired quotes, one checkout at a time."""

from __future__ import annotations

import threading

import httpx
import pytest

DECLINING_CARDS = {
    "4000000000000002": "card_declined",
    "4000000000009995": "insufficient_funds",
    "4000000000000069": "expired_card",
    "4000000000000127": "incorrect_cvc",
    "4000000000000119": "processing_error",
}
THREE_D_SECURE = "4000002760003184"


def paid_numbers(billing) -> list[str]:
    return [invoice["number"] for invoice in billing.invoices() if invoice["status"] == "paid"]


@pytest.mark.parametrize("number", ["4242424242424242", "5555555555554444", "378282246310005"])
def test_a_good_card_pays_and_the_change_applies(billing, number: str) -> None:
    checkout = billing.buy(number, seats=12, addons=[{"type": "phone", "quantity": 100}])
    assert checkout["status"] == "succeeded"
    assert checkout["error"] is None
    assert billing.subscription()["seats"] == 12
    phone = billing.credits()["phone"]
    assert phone["addon"] == 500 + 100
    assert phone["included"] == 12 * 200
    invoice = billing.client.get(f"/v1/invoices/{checkout['invoice_id']}").json()
    assert invoice["status"] == "paid"
    assert invoice["number"] == "ACME-2026-000013"
    assert invoice["total"] == checkout["quote"]["total_due_now"]
    assert invoice["lines"] == checkout["quote"]["lines"]
    assert invoice["billing_details"]["vat_number"] == "FR40303265045"
    assert invoice["payment_method"]["last4"] == number[-4:]


def test_bought_credits_renew_with_the_subscription(billing) -> None:
    billing.buy(addons=[{"type": "direct_email", "quantity": 250}])
    addons = {addon["type"]: addon for addon in billing.subscription()["addons"]}
    assert addons["direct_email"] == {"type": "direct_email", "quantity": 250, "auto_renew": True}


@pytest.mark.parametrize(("number", "code"), DECLINING_CARDS.items(), ids=DECLINING_CARDS.values())
def test_a_declined_card_changes_nothing_and_voids_its_invoice(billing, number: str, code: str) -> None:
    before = billing.subscription(), billing.credits(), paid_numbers(billing)
    checkout = billing.buy(number, plan="organization", addons=[{"type": "phone", "quantity": 100}])
    assert checkout["status"] == "failed"
    assert checkout["error"]["type"] == "card_error"
    assert checkout["error"]["code"] == code
    assert checkout["error"]["message"]
    assert (billing.subscription(), billing.credits(), paid_numbers(billing)) == before
    voided = billing.client.get(f"/v1/invoices/{checkout['invoice_id']}").json()
    assert (voided["status"], voided["number"]) == ("void", None)
    assert billing.events(1)[0]["type"] == "payment.failed"


def test_invoice_numbers_have_no_gap_across_a_failed_payment(billing) -> None:
    assert billing.buy("4000000000000002", seats=11)["status"] == "failed"
    assert billing.buy(seats=11)["status"] == "succeeded"
    assert billing.buy(seats=12)["status"] == "succeeded"
    assert paid_numbers(billing)[:3] == ["ACME-2026-000014", "ACME-2026-000013", "ACME-2026-000012"]


def test_3d_secure_approved_then_paid(billing) -> None:
    checkout = billing.buy(THREE_D_SECURE, seats=11)
    assert checkout["status"] == "requires_action"
    assert billing.subscription()["seats"] == 10
    response = billing.client.post(f"/v1/checkouts/{checkout['id']}/authenticate", json={"result": "approve"})
    assert response.json()["status"] == "succeeded"
    assert billing.subscription()["seats"] == 11


def test_3d_secure_denied_fails_and_changes_nothing(billing) -> None:
    checkout = billing.buy(THREE_D_SECURE, seats=11)
    response = billing.client.post(f"/v1/checkouts/{checkout['id']}/authenticate", json={"result": "deny"})
    assert response.json()["status"] == "failed"
    assert response.json()["error"]["code"] == "authentication_failed"
    assert billing.subscription()["seats"] == 10
    again = billing.client.post(f"/v1/checkouts/{checkout['id']}/authenticate", json={"result": "approve"})
    assert again.status_code == 400


def test_a_quote_made_before_the_last_change_is_stale(billing) -> None:
    card = billing.card()
    old = billing.quote(seats=12)
    assert billing.checkout(billing.quote(seats=11)["id"], card).json()["status"] == "succeeded"
    response = billing.checkout(old["id"], card)
    assert (response.status_code, response.json()["error"]["code"]) == (400, "quote_stale")
    assert billing.subscription()["seats"] == 11


def test_a_quote_expires_after_fifteen_minutes(billing) -> None:
    card = billing.card()
    quote = billing.quote(seats=12)
    billing.advance(1)
    response = billing.checkout(quote["id"], card)
    assert (response.status_code, response.json()["error"]["code"]) == (400, "quote_expired")


def test_new_billing_details_make_a_quote_stale(billing, admin: httpx.Client) -> None:
    quote = billing.quote(seats=12)
    details = admin.get("/v1/billing_details").json()
    details["address"]["country"], details["address"]["postal_code"], details["vat_number"] = "DE", "10117", None
    details.pop("vat_status")
    assert admin.put("/v1/billing_details", json=details).status_code == 200
    response = billing.checkout(quote["id"], billing.card())
    assert response.json()["error"]["code"] == "quote_stale"


def test_seats_must_still_cover_members_when_paying(billing, admin: httpx.Client) -> None:
    quote = billing.quote(seats=8)  # 7 members and 1 invitation: just enough
    assert admin.post("/v1/invitations", json={"email": "ines@acme.example"}).status_code == 201
    response = billing.checkout(quote["id"], billing.card())
    assert response.json()["error"]["code"] == "seats_below_members"


def test_a_scheduled_change_is_paid_with_nothing_charged(billing) -> None:
    checkout = billing.buy(plan="starter", seats=9)
    assert checkout["status"] == "succeeded"
    assert checkout["invoice_id"] is None
    subscription = billing.subscription()
    assert (subscription["plan"], subscription["seats"]) == ("business", 10)
    assert subscription["scheduled_change"] == {"plan": "starter", "interval": "year", "seats": 9,
                                                "effective_at": "2027-08-17T00:00:00Z"}


def test_a_checkout_needs_an_idempotency_key(billing) -> None:
    quote = billing.quote(seats=11)
    response = billing.client.post("/v1/checkouts", json={"quote_id": quote["id"], "payment_method_id": billing.card()})
    error = response.json()["error"]
    assert (response.status_code, error["code"], error["param"]) == (400, "parameter_missing", "Idempotency-Key")


def test_unknown_quote_and_card_are_404(billing) -> None:
    quote = billing.quote(seats=11)
    missing_quote = billing.checkout("qt_999999", billing.card())
    missing_card = billing.checkout(quote["id"], "pm_999999")
    assert (missing_quote.status_code, missing_quote.json()["error"]["param"]) == (404, "quote_id")
    assert (missing_card.status_code, missing_card.json()["error"]["param"]) == (404, "payment_method_id")


def test_a_payment_processes_and_polling_is_told_to_wait(slow_billing) -> None:
    billing = slow_billing
    checkout = billing.buy(seats=11)
    assert checkout["status"] == "processing"
    assert billing.subscription()["seats"] == 10
    poll = billing.client.get(f"/v1/checkouts/{checkout['id']}")
    assert poll.json()["status"] == "processing"
    assert poll.headers["Retry-After"] == "1"
    invoice = billing.client.get(f"/v1/invoices/{checkout['invoice_id']}").json()
    assert (invoice["status"], invoice["number"]) == ("open", None)


def test_one_checkout_at_a_time_per_workspace(slow_billing) -> None:
    billing = slow_billing
    card = billing.card()
    billing.buy(seats=11)
    response = billing.checkout(billing.quote(seats=12)["id"], card)
    assert (response.status_code, response.json()["error"]["code"]) == (409, "checkout_in_progress")


def test_two_concurrent_checkouts_of_one_workspace_exactly_one_proceeds(billing) -> None:
    card = billing.card()
    quotes = [billing.quote(seats=11)["id"], billing.quote(addons=[{"type": "phone", "quantity": 25}])["id"]]
    start = threading.Barrier(len(quotes))
    results: list[httpx.Response] = []

    def pay(quote_id: str) -> None:
        with httpx.Client(base_url=str(billing.client.base_url), headers=billing.client.headers) as client:
            start.wait()
            results.append(client.post("/v1/checkouts", json={"quote_id": quote_id, "payment_method_id": card},
                                       headers={"Idempotency-Key": f"concurrent-{quote_id}"}))

    threads = [threading.Thread(target=pay, args=(quote_id,)) for quote_id in quotes]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    statuses = sorted(response.status_code for response in results)
    assert statuses == [202, 400]
    loser = next(response for response in results if response.status_code == 400)
    assert loser.json()["error"]["code"] == "quote_stale"
    assert len([n for n in paid_numbers(billing) if n == "ACME-2026-000013"]) == 1

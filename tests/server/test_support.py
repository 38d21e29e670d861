"""Support: account lookup, transfers between a user's old and new accounts, email changes,
and support requests from anyone."""

from __future__ import annotations

import httpx
import pytest

ACME, GLOBEX = "ws_000001", "ws_000002"
DAVID_OLD, DAVID_NEW = "david@acme.example", "david.chen@globex.example"


def credits(client: httpx.Client, workspace: str) -> dict[str, dict]:
    data = client.get("/v1/credits", headers={"Kaspr-Workspace": workspace}).json()["data"]
    return {balance["type"]: balance for balance in data}


def subscription(client: httpx.Client, workspace: str) -> dict:
    return client.get("/v1/subscription", headers={"Kaspr-Workspace": workspace}).json()


def newest_event(client: httpx.Client, workspace: str) -> dict:
    return client.get("/v1/events", headers={"Kaspr-Workspace": workspace}).json()["data"][0]


def transfer(support: httpx.Client, **changes) -> httpx.Response:
    body = {"from_email": DAVID_OLD, "to_email": DAVID_NEW, "license": False, "credits": {},
            "reason": "David moved from Acme to Globex", **changes}
    return support.post("/v1/support/transfers", json=body)


def test_account_lookup_shows_workspace_plan_credits_and_history(support: httpx.Client) -> None:
    response = support.get("/v1/support/accounts", params={"email": "ALICE@acme.example"})
    account = response.json()
    assert account["user"]["email"] == "alice@acme.example"
    assert (account["role"], account["workspace"]["name"]) == ("admin", "Acme Corp")
    assert account["subscription"]["plan"] == "business"
    assert {c["type"]: c["used"] for c in account["credits"]} == {"phone": 340, "direct_email": 125, "export": 2300}
    assert [i["number"] for i in account["recent_invoices"]] == [f"ACME-2026-{n:06d}" for n in range(12, 7, -1)]
    assert len(account["recent_events"]) == 5


def test_an_unknown_email_is_404(support: httpx.Client) -> None:
    response = support.get("/v1/support/accounts", params={"email": "nobody@nowhere.example"})
    assert (response.status_code, response.json()["error"]["param"]) == (404, "email")


def test_credits_move_exactly_and_both_feeds_record_it(support: httpx.Client) -> None:
    acme_before, globex_before = credits(support, ACME), credits(support, GLOBEX)
    response = transfer(support, credits={"phone": 150, "export": 1000})
    assert response.status_code == 200
    moved = response.json()
    assert moved["credits"] == {"phone": 150, "direct_email": 0, "export": 1000}
    assert (moved["from_workspace"]["id"], moved["to_workspace"]["id"]) == (ACME, GLOBEX)
    acme_after, globex_after = credits(support, ACME), credits(support, GLOBEX)
    for credit_type, quantity in (("phone", 150), ("direct_email", 0), ("export", 1000)):
        assert acme_after[credit_type]["remaining"] == acme_before[credit_type]["remaining"] - quantity
        assert globex_after[credit_type]["remaining"] == globex_before[credit_type]["remaining"] + quantity
    out_event, in_event = newest_event(support, ACME), newest_event(support, GLOBEX)
    assert (out_event["type"], in_event["type"]) == ("support.transfer_out", "support.transfer_in")
    assert out_event["actor"] == in_event["actor"] == "sofia@kaspr.example"
    assert "150 phone credits" in out_event["description"]


def test_the_license_moves_with_the_user(support: httpx.Client) -> None:
    response = transfer(support, license=True)
    assert response.status_code == 200
    acme, globex = subscription(support, ACME), subscription(support, GLOBEX)
    assert (acme["seats"], acme["members"]) == (9, 6)
    assert (globex["seats"], globex["members"]) == (4, 2)
    members = support.get("/v1/members", params={"limit": 100}, headers={"Kaspr-Workspace": ACME}).json()["data"]
    assert DAVID_OLD not in {m["email"] for m in members}
    assert credits(support, GLOBEX)["phone"]["included"] == 4 * 100
    assert support.get("/v1/invoices", headers={"Kaspr-Workspace": GLOBEX}).json()["data"][0]["number"] == \
        "GLBX-2026-000004"  # no charge


def test_a_transfer_without_the_credits_is_402_and_moves_nothing(support: httpx.Client) -> None:
    before = credits(support, ACME), credits(support, GLOBEX), subscription(support, ACME)
    response = transfer(support, license=True, credits={"phone": 100, "direct_email": 1_000_000})
    error = response.json()["error"]
    assert (response.status_code, error["code"], error["param"]) == (402, "insufficient_credits",
                                                                     "credits.direct_email")
    assert (credits(support, ACME), credits(support, GLOBEX), subscription(support, ACME)) == before


def test_a_license_move_needs_the_user_in_the_old_workspace(support: httpx.Client) -> None:
    response = transfer(support, from_email="sofia@kaspr.example", license=True)
    assert (response.status_code, response.json()["error"]["param"]) == (400, "from_email")


def test_the_last_admin_cannot_be_moved_away(support: httpx.Client) -> None:
    response = transfer(support, from_email="gina@globex.example", to_email="alice@acme.example", license=True)
    assert (response.status_code, response.json()["error"]["code"]) == (409, "last_admin")


def test_a_transfer_must_move_something(support: httpx.Client) -> None:
    response = transfer(support)
    assert (response.status_code, response.json()["error"]["code"]) == (400, "parameter_missing")


def test_email_change(support: httpx.Client, api) -> None:
    response = support.post("/v1/support/email_changes",
                            json={"user_email": "bastien@acme.example", "new_email": "b.moreau@acme.example"})
    assert response.json()["email"] == "b.moreau@acme.example"
    assert api("kt_demo_member").get("/v1/me").json()["user"]["email"] == "b.moreau@acme.example"
    assert newest_event(support, ACME)["type"] == "user.email_changed"
    taken = support.post("/v1/support/email_changes",
                         json={"user_email": "emma@acme.example", "new_email": "alice@acme.example"})
    assert (taken.status_code, taken.json()["error"]["code"]) == (409, "email_taken")
    invalid = support.post("/v1/support/email_changes", json={"user_email": "emma@acme.example", "new_email": "x"})
    assert (invalid.status_code, invalid.json()["error"]["param"]) == (400, "new_email")


def test_a_support_request_becomes_a_ticket_in_the_feed(member: httpx.Client, admin: httpx.Client) -> None:
    response = member.post("/v1/support_requests", json={
        "kind": "change_email", "message": "I changed my name", "new_email": "bastien.m@acme.example"})
    assert response.status_code == 201
    ticket = response.json()
    assert (ticket["kind"], ticket["status"], ticket["new_email"]) == ("change_email", "open", "bastien.m@acme.example")
    assert admin.get("/v1/events").json()["data"][0]["type"] == "support.request_created"


@pytest.mark.parametrize(("new_email", "code"), [(None, "parameter_missing"), ("nope", "email_invalid")])
def test_an_email_change_request_needs_a_valid_new_email(member: httpx.Client, new_email, code: str) -> None:
    request = {"kind": "change_email", "message": "Hi", "new_email": new_email}
    response = member.post("/v1/support_requests", json=request)
    assert (response.status_code, response.json()["error"]["code"]) == (400, code)


def test_support_never_sees_the_card_on_file(support: httpx.Client, admin: httpx.Client) -> None:
    # The admin's view has the Visa 4242; support reads the same workspace without it (rule 9).
    assert admin.get("/v1/subscription").json()["payment_method"]["last4"] == "4242"
    paid_with_card = admin.get("/v1/invoices/in_000012").json()
    assert paid_with_card["payment_method"]["last4"] == "4242"
    reads = [
        support.get("/v1/support/accounts", params={"email": "alice@acme.example"}).json()["subscription"],
        subscription(support, ACME),
        support.get("/v1/invoices/in_000012", headers={"Kaspr-Workspace": ACME}).json(),
    ]
    for answer in reads:
        assert answer["payment_method"] is None
        assert "4242" not in str(answer)


def test_support_never_sees_which_card_an_event_was_about(support: httpx.Client, admin: httpx.Client) -> None:
    card = {"number": "5555555555554444", "exp_month": 12, "exp_year": 2030, "cvc": "123", "name": "Alice Martin"}
    card_id = admin.post("/v1/payment_methods", json=card).json()["id"]
    admin.post(f"/v1/payment_methods/{card_id}/default")
    admin.delete("/v1/payment_methods/pm_000001")
    # The admin's own feed says which card.
    assert "4444" in admin.get("/v1/events").text
    feeds = {
        "events": support.get("/v1/events", params={"limit": 100}, headers={"Kaspr-Workspace": ACME}).json()["data"],
        "recent_events": support.get("/v1/support/accounts",
                                     params={"email": "alice@acme.example"}).json()["recent_events"],
    }
    for name, events in feeds.items():
        card_events = [event for event in events if event["type"].startswith("payment_method.")]
        assert len(card_events) >= 3, name
        for event in card_events:
            text = str(event)
            for detail in ("4444", "4242", "Visa", "visa", "Mastercard", "mastercard"):
                assert detail not in text, f"{name}: {event['description']}"
            assert "card" in event["description"].lower()

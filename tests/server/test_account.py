"""GET /v1/account: what the app loads at start in one answer, the same as the resources one by one,
and never more than the caller's role may read."""

from __future__ import annotations

import httpx

from kaspr_tui.server.testing import LiveServer


def test_an_admin_gets_what_the_resources_say_one_by_one(admin: httpx.Client) -> None:
    account = admin.get("/v1/account", params={"events_limit": 5}).raise_for_status().json()

    assert account["me"] == admin.get("/v1/me").json()
    assert account["catalog"] == admin.get("/v1/catalog").json()
    assert account["subscription"] == admin.get("/v1/subscription").json()
    assert account["credits"] == admin.get("/v1/credits").json()["data"]
    assert account["events"] == admin.get("/v1/events", params={"limit": 5}).json()["data"]
    assert account["payment_methods"] == admin.get("/v1/payment_methods").json()["data"]
    assert account["billing_details"] == admin.get("/v1/billing_details").json()


def test_a_member_gets_no_events_cards_or_billing_details(member: httpx.Client) -> None:
    account = member.get("/v1/account").raise_for_status().json()

    assert account["me"]["role"] == "member" and account["me"]["workspace"]["name"] == "Acme Corp"
    assert account["subscription"] == member.get("/v1/subscription").json()
    assert account["credits"] == member.get("/v1/credits").json()["data"]
    assert (account["events"], account["payment_methods"], account["billing_details"]) == ([], [], None)
    assert member.get("/v1/payment_methods").status_code == 403  # the same rule as the resource's


def test_support_staff_get_their_identity_and_the_catalog_only(support: httpx.Client) -> None:
    account = support.get("/v1/account").raise_for_status().json()

    assert account["me"]["role"] == "support" and account["me"]["workspace"] is None
    assert account["subscription"] is None and account["credits"] == [] and account["events"] == []


def test_it_needs_a_valid_key_and_a_sane_events_limit(admin: httpx.Client, live_server: LiveServer) -> None:
    anonymous = httpx.get(f"{live_server.url}/v1/account")
    assert anonymous.status_code == 401
    refused = admin.get("/v1/account", params={"events_limit": 0})
    assert refused.status_code == 400 and refused.json()["error"]["param"] == "events_limit"

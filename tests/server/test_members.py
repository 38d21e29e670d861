"""Members and invitations: one seat each, never more than the licenses bought."""

from __future__ import annotations

import httpx
import pytest


def subscription(client: httpx.Client) -> dict:
    return client.get("/v1/subscription").json()


def test_an_invitation_takes_a_free_seat(admin: httpx.Client) -> None:
    response = admin.post("/v1/invitations", json={"email": "ines@acme.example", "role": "admin"})
    assert response.status_code == 201
    invited = response.json()
    assert (invited["status"], invited["role"], invited["joined_at"]) == ("invited", "admin", None)
    assert invited["id"].startswith("inv_")
    after = subscription(admin)
    assert (after["pending_invitations"], after["seats_available"]) == (2, 1)
    assert admin.get("/v1/members").json()["data"][0]["email"] == "ines@acme.example"


def test_no_free_seat_is_409(admin: httpx.Client) -> None:
    for email in ("ines@acme.example", "jules@acme.example"):
        assert admin.post("/v1/invitations", json={"email": email}).status_code == 201
    response = admin.post("/v1/invitations", json={"email": "karim@acme.example"})
    error = response.json()["error"]
    assert (response.status_code, error["code"]) == (409, "no_seat_available")
    assert "All 10 licenses are taken" in error["message"]


@pytest.mark.parametrize("email", ["alice@acme.example", "ALICE@acme.example", "hugo@acme.example"])
def test_a_member_or_invitee_cannot_be_invited_again(admin: httpx.Client, email: str) -> None:
    response = admin.post("/v1/invitations", json={"email": email})
    assert (response.status_code, response.json()["error"]["code"]) == (409, "already_member")


def test_a_bad_email_is_refused(admin: httpx.Client) -> None:
    response = admin.post("/v1/invitations", json={"email": "ines@"})
    error = response.json()["error"]
    assert (response.status_code, error["code"], error["param"]) == (400, "email_invalid", "email")


def test_revoking_an_invitation_frees_its_seat(admin: httpx.Client) -> None:
    assert admin.delete("/v1/invitations/inv_000001").status_code == 204
    assert subscription(admin)["seats_available"] == 3
    assert admin.delete("/v1/invitations/inv_000001").status_code == 404


def test_removing_a_member_frees_the_seat_and_their_key_stops_working(
    admin: httpx.Client, member: httpx.Client
) -> None:
    bastien = member.get("/v1/me").json()["user"]["id"]
    assert admin.delete(f"/v1/members/{bastien}").status_code == 204
    assert subscription(admin)["members"] == 6
    assert member.get("/v1/me").status_code == 401
    assert admin.get("/v1/events").json()["data"][0]["type"] == "member.removed"


def test_the_last_admin_cannot_be_removed(admin: httpx.Client) -> None:
    alice = admin.get("/v1/me").json()["user"]["id"]
    response = admin.delete(f"/v1/members/{alice}")
    error = response.json()["error"]
    assert (response.status_code, error["code"]) == (409, "last_admin")
    assert "only admin" in error["message"]


def test_members_are_paginated_newest_first(member: httpx.Client) -> None:
    first = member.get("/v1/members", params={"limit": 3}).json()
    assert first["has_more"] is True
    assert [m["status"] for m in first["data"]] == ["invited", "active", "active"]
    rest = member.get("/v1/members", params={"limit": 100, "starting_after": first["data"][-1]["id"]}).json()
    assert rest["has_more"] is False
    everyone = first["data"] + rest["data"]
    assert len(everyone) == 8 == len({m["id"] for m in everyone})
    assert everyone[-1]["email"] == "alice@acme.example"


def test_an_unknown_cursor_is_refused(member: httpx.Client) -> None:
    response = member.get("/v1/members", params={"starting_after": "usr_999999"})
    assert (response.status_code, response.json()["error"]["param"]) == (400, "starting_after")

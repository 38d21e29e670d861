"""Changing a member's role (`PATCH /v1/members/{id}`) and resending an invitation
(`POST /v1/invitations/{id}/resend`): who may, the last admin, and the audit feed."""

from __future__ import annotations

from datetime import datetime, timedelta

import httpx
import pytest

from kaspr_tui.server.testing import FROZEN_NOW

BASTIEN = "bastien@acme.example"
HUGO = "hugo@acme.example"


def member_id(client: httpx.Client, email: str) -> str:
    members = client.get("/v1/members", params={"limit": 100}).json()["data"]
    return next(member["id"] for member in members if member["email"] == email)


def role_of(client: httpx.Client, email: str) -> str:
    members = client.get("/v1/members", params={"limit": 100}).json()["data"]
    return next(member["role"] for member in members if member["email"] == email)


def events(client: httpx.Client) -> list[dict]:
    return client.get("/v1/events", params={"limit": 100}).json()["data"]


def set_role(client: httpx.Client, id: str, role: str) -> httpx.Response:
    return client.patch(f"/v1/members/{id}", json={"role": role})


# ---- roles -----------------------------------------------------------------------------------------


def test_an_admin_makes_a_member_an_admin_who_can_then_do_what_admins_do(
    admin: httpx.Client, member: httpx.Client
) -> None:
    assert member.get("/v1/events").status_code == 403  # Bastien, a member, may not read the feed
    response = set_role(admin, member_id(admin, BASTIEN), "admin")
    assert response.status_code == 200, response.text
    changed = response.json()
    assert (changed["email"], changed["role"], changed["status"]) == (BASTIEN, "admin", "active")
    assert role_of(admin, BASTIEN) == "admin"
    assert member.get("/v1/events").status_code == 200  # his key is an admin's now
    latest = events(admin)[0]
    assert latest["type"] == "member.role_changed"
    assert latest["actor"] == "alice@acme.example"
    assert latest["description"] == "Bastien Moreau (bastien@acme.example) is now an admin (was a member)"
    assert latest["data"] == {"user": member_id(admin, BASTIEN), "role": "admin", "previous_role": "member"}


def test_an_admin_may_step_down_once_another_admin_exists(admin: httpx.Client, member: httpx.Client) -> None:
    assert set_role(admin, member_id(admin, BASTIEN), "admin").status_code == 200
    alice = admin.get("/v1/me").json()["user"]["id"]
    response = set_role(admin, alice, "member")
    assert response.status_code == 200, response.text
    assert admin.get("/v1/me").json()["role"] == "member"
    assert admin.get("/v1/events").status_code == 403  # Alice's key is a member's now
    assert events(member)[0]["description"] == "Alice Martin (alice@acme.example) is now a member (was an admin)"


def test_the_last_admin_cannot_be_made_a_member(admin: httpx.Client) -> None:
    alice = admin.get("/v1/me").json()["user"]["id"]
    before = events(admin)
    response = set_role(admin, alice, "member")
    error = response.json()["error"]
    assert (response.status_code, error["code"]) == (409, "last_admin")
    assert error["message"] == (
        "Alice Martin is the only admin of this workspace, and a workspace needs one: "
        "make another member an admin first."
    )
    assert admin.get("/v1/me").json()["role"] == "admin"
    assert events(admin) == before


@pytest.mark.parametrize("who", ["member", "support"])
def test_only_an_admin_may_change_a_role(request: pytest.FixtureRequest, admin: httpx.Client, who: str) -> None:
    caller: httpx.Client = request.getfixturevalue(who)
    response = set_role(caller, member_id(admin, BASTIEN), "admin")
    assert (response.status_code, response.json()["error"]["code"]) == (403, "role_forbidden")
    assert role_of(admin, BASTIEN) == "member"


def test_an_unknown_member_or_one_of_another_workspace_is_404(admin: httpx.Client, globex: httpx.Client) -> None:
    gina = globex.get("/v1/me").json()["user"]["id"]
    for unknown in ("usr_999999", gina):
        response = set_role(admin, unknown, "admin")
        error = response.json()["error"]
        assert (response.status_code, error["code"]) == (404, "resource_missing")
    assert globex.get("/v1/me").json()["role"] == "admin"


def test_a_role_that_does_not_exist_is_refused_naming_the_field(admin: httpx.Client) -> None:
    response = set_role(admin, member_id(admin, BASTIEN), "owner")
    error = response.json()["error"]
    assert (response.status_code, error["code"], error["param"]) == (400, "parameter_invalid", "role")
    assert role_of(admin, BASTIEN) == "member"


def test_the_same_role_again_changes_nothing_and_records_nothing(admin: httpx.Client) -> None:
    before = events(admin)
    response = set_role(admin, member_id(admin, BASTIEN), "member")
    assert (response.status_code, response.json()["role"]) == (200, "member")
    assert events(admin) == before


def test_a_pending_invitation_s_role_may_be_changed_before_it_is_accepted(admin: httpx.Client) -> None:
    hugo = member_id(admin, HUGO)
    response = set_role(admin, hugo, "admin")
    assert response.status_code == 200, response.text
    assert (response.json()["role"], response.json()["status"]) == ("admin", "invited")
    latest = events(admin)[0]
    assert (latest["type"], latest["description"]) == (
        "invitation.role_changed", "The invitation of hugo@acme.example is now for an admin (was a member)"
    )
    # A pending admin is not an admin yet: Alice is still the only one.
    alice = admin.get("/v1/me").json()["user"]["id"]
    assert set_role(admin, alice, "member").json()["error"]["code"] == "last_admin"


# ---- resending an invitation ---------------------------------------------------------------------------


def resend(client: httpx.Client, id: str) -> httpx.Response:
    return client.post(f"/v1/invitations/{id}/resend")


def test_resending_an_invitation_sends_it_and_records_it(admin: httpx.Client) -> None:
    response = resend(admin, member_id(admin, HUGO))
    assert response.status_code == 200, response.text
    answer = response.json()
    assert answer["sent"] is True
    assert datetime.fromisoformat(answer["sent_at"]) == FROZEN_NOW
    assert (answer["invitation"]["email"], answer["invitation"]["status"]) == (HUGO, "invited")
    latest = events(admin)[0]
    assert (latest["type"], latest["description"], latest["actor"]) == (
        "invitation.resent", "Invitation of hugo@acme.example sent again", "alice@acme.example"
    )


def test_a_second_resend_within_a_minute_sends_nothing_more(admin: httpx.Client) -> None:
    hugo = member_id(admin, HUGO)
    first = resend(admin, hugo).json()
    again = resend(admin, hugo)  # a double Enter: another request, another Idempotency-Key
    assert again.status_code == 200
    assert (again.json()["sent"], again.json()["sent_at"]) == (False, first["sent_at"])
    assert [event["type"] for event in events(admin)].count("invitation.resent") == 1

    admin.post("/v1/test_helpers/advance_clock", json={"seconds": 61}).raise_for_status()
    later = resend(admin, hugo).json()
    assert later["sent"] is True
    assert datetime.fromisoformat(later["sent_at"]) - datetime.fromisoformat(first["sent_at"]) == timedelta(seconds=61)
    assert [event["type"] for event in events(admin)].count("invitation.resent") == 2


def test_only_a_pending_invitation_is_resent(admin: httpx.Client, member: httpx.Client) -> None:
    for unknown in (member_id(admin, BASTIEN), "inv_999999"):
        response = resend(admin, unknown)
        error = response.json()["error"]
        assert (response.status_code, error["code"]) == (404, "resource_missing")
        assert "No such invitation" in error["message"]
    refused = resend(member, member_id(admin, HUGO))
    assert (refused.status_code, refused.json()["error"]["code"]) == (403, "role_forbidden")
    assert "invitation.resent" not in [event["type"] for event in events(admin)]

"""`kaspr-tui members role EMAIL admin|member` and `members resend EMAIL`, as subprocesses."""

from __future__ import annotations

import httpx

from kaspr_tui.api.models import InvitationResent, Member
from kaspr_tui.server.testing import MEMBER_KEY


def role_of(admin: httpx.Client, email: str) -> str:
    members = admin.get("/v1/members", params={"limit": 100}).json()["data"]
    return next(member["role"] for member in members if member["email"] == email)


def test_role_asks_first_then_makes_a_member_an_admin(kaspr, admin):
    unconfirmed = kaspr("members", "role", "bastien@acme.example", "admin")
    assert unconfirmed.code == 2
    assert "Make Bastien Moreau (bastien@acme.example) an admin of Acme Corp?" in unconfirmed.stderr
    assert role_of(admin, "bastien@acme.example") == "member"

    done = kaspr("members", "role", "Bastien@acme.example", "admin", "--yes", "--json")
    assert done.code == 0, done.stderr
    assert Member.model_validate(done.json()).role == "admin"
    assert "bastien@acme.example is now an admin." in done.stderr
    assert role_of(admin, "bastien@acme.example") == "admin"

    again = kaspr("members", "role", "bastien@acme.example", "admin")  # nothing to ask: nothing changes
    assert (again.code, again.stdout) == (0, "bastien@acme.example is already an admin; nothing changed.\n")


def test_the_last_admin_stays_one_and_the_command_says_how_to_make_another(kaspr, admin):
    for command in (("role", "alice@acme.example", "member"), ("remove", "alice@acme.example")):
        refused = kaspr("members", *command, "--yes")
        assert refused.code == 6, command
        assert "Alice Martin is the only admin of this workspace" in refused.stderr
        assert "`kaspr-tui members role EMAIL admin` makes someone an admin." in refused.stderr
    assert role_of(admin, "alice@acme.example") == "admin"


def test_role_is_refused_to_a_member_and_for_nobody(kaspr, kaspr_as, admin):
    assert kaspr_as(MEMBER_KEY)("members", "role", "chloe@acme.example", "admin", "--yes").code == 4
    assert kaspr("members", "role", "nobody@acme.example", "admin", "--yes").code == 5
    assert kaspr("members", "role", "chloe@acme.example", "owner", "--yes").code == 2
    assert role_of(admin, "chloe@acme.example") == "member"


def test_resend_sends_once_a_minute_and_only_a_pending_invitation(kaspr, admin):
    sent = kaspr("members", "resend", "hugo@acme.example", "--json")
    assert sent.code == 0, sent.stderr
    assert InvitationResent.model_validate(sent.json()).sent is True
    assert "The invitation of hugo@acme.example was sent again." in sent.stderr
    again = kaspr("members", "resend", "hugo@acme.example")
    assert again.code == 0
    assert again.stdout == (
        "The invitation of hugo@acme.example went out less than a minute ago, so it was not sent again.\n"
    )
    joined = kaspr("members", "resend", "bastien@acme.example")
    assert joined.code == 5
    assert "bastien@acme.example has joined already: there is no pending invitation to resend." in joined.stderr
    feed = admin.get("/v1/events", params={"limit": 100}).json()["data"]
    assert [event["type"] for event in feed].count("invitation.resent") == 1

"""`kaspr-tui support requests [--open]` and `support close TICKET` (issue 13's inbox) as subprocesses."""

from __future__ import annotations

import httpx

from kaspr_tui.api.models import SupportTicket
from kaspr_tui.server.testing import MEMBER_KEY, SUPPORT_KEY

from .helpers import Kaspr


def send(client: httpx.Client, message: str) -> str:
    response = client.post("/v1/support_requests", json={"kind": "other", "message": message})
    assert response.status_code == 201, response.text
    return response.json()["id"]


def test_a_customer_lists_their_requests_with_ticket_kind_status_and_date(kaspr: Kaspr, admin, support) -> None:
    assert "No support requests yet." in kaspr("support", "requests").stderr
    answered, waiting = send(admin, "Answered"), send(admin, "Waiting")
    support.post(f"/v1/support/requests/{answered}/close").raise_for_status()
    listed = kaspr("support", "requests")
    assert listed.code == 0, listed.stderr
    header, newest, oldest = listed.stdout.splitlines()
    assert header.split() == ["Ticket", "Kind", "Status", "Sent", "From"]
    assert newest.split()[:3] == [waiting, "Other", "open"]
    assert oldest.split()[:3] == [answered, "Other", "closed"]  # and when: "closed 27 Nov 2026"
    only_open = kaspr("support", "requests", "--open", "--json")
    assert [SupportTicket.model_validate(t).id for t in only_open.json()] == [waiting]


def test_staff_list_every_workspaces_open_requests(kaspr_as, admin, globex) -> None:
    acme, other = send(admin, "From Acme"), send(globex, "From Globex")
    listed = kaspr_as(SUPPORT_KEY)("support", "requests", "--open")
    assert listed.code == 0, listed.stderr
    header, *rows = listed.stdout.splitlines()
    assert header.split()[-2:] == ["From", "Workspace"]
    assert [row.split()[0] for row in rows] == [other, acme]
    assert rows[0].endswith("Globex") and rows[1].endswith("Acme Corp")


def test_staff_close_a_request_after_a_confirmation_and_closing_again_is_no_error(kaspr_as, admin) -> None:
    ticket = send(admin, "Please call me")
    staff = kaspr_as(SUPPORT_KEY)
    unconfirmed = staff("support", "close", ticket)
    assert unconfirmed.code == 2
    assert "Please call me" in unconfirmed.stdout  # shown before asking
    assert admin.get("/v1/support_requests").json()["data"][0]["status"] == "open"
    closed = staff("support", "close", ticket, "--yes", "--json")
    assert closed.code == 0, closed.stderr
    assert SupportTicket.model_validate(closed.json()).closed_by == "sofia@kaspr.example"
    assert admin.get("/v1/support_requests").json()["data"][0]["status"] == "closed"
    again = staff("support", "close", ticket)  # nothing to confirm: it changes nothing
    assert again.code == 0
    assert "was already closed" in again.stdout


def test_closing_an_unknown_ticket_is_exit_5_and_a_customer_may_not_close(kaspr: Kaspr, kaspr_as, member) -> None:
    assert kaspr_as(SUPPORT_KEY)("support", "close", "sr_999999", "--yes").code == 5
    ticket = send(member, "Mine")
    refused = kaspr_as(MEMBER_KEY)("support", "close", ticket, "--yes")
    assert refused.code == 4
    assert "Only Kaspr support" in refused.stderr
    assert kaspr("support", "requests", "--open", "--json").json()[0]["status"] == "open"


def test_read_only_staff_may_list_but_not_close(kaspr_as, admin) -> None:
    ticket = send(admin, "Please call me")
    looking = kaspr_as(SUPPORT_KEY)
    assert looking("--read-only", "support", "requests", "--open").code == 0
    refused = looking("--read-only", "support", "close", ticket, "--yes")
    assert refused.code == 2
    assert "Read-only" in refused.stderr
    assert admin.get("/v1/support_requests").json()["data"][0]["status"] == "open"

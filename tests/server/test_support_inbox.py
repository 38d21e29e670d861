"""The support inbox (issue 13): customers list their requests with status and ticket; support
staff list every workspace's open requests and close one; closing is seen by the customer."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import httpx
import pytest

from kaspr_tui.server.store import Store

ACME, GLOBEX = "ws_000001", "ws_000002"


def send(client: httpx.Client, message: str, kind: str = "other", **fields: str) -> dict:
    response = client.post("/v1/support_requests", json={"kind": kind, "message": message, **fields})
    assert response.status_code == 201, response.text
    return response.json()


def ids(answer: httpx.Response) -> list[str]:
    assert answer.status_code == 200, answer.text
    return [ticket["id"] for ticket in answer.json()["data"]]


def test_a_customer_lists_the_workspaces_requests_newest_first_with_status_and_sender(
    admin: httpx.Client, member: httpx.Client
) -> None:
    first = send(member, "Please change my email", "change_email", new_email="b.moreau@acme.example")
    second = send(admin, "Can we talk about our plan?")
    answer = admin.get("/v1/support_requests").json()
    assert [t["id"] for t in answer["data"]] == [second["id"], first["id"]]
    assert answer["has_more"] is False
    newest, oldest = answer["data"]
    assert (oldest["kind"], oldest["status"], oldest["closed_at"]) == ("change_email", "open", None)
    assert oldest["requester"]["email"] == "bastien@acme.example"
    assert newest["workspace"] == {"id": ACME, "name": "Acme Corp"}


def test_a_member_sees_only_their_own_requests(admin: httpx.Client, member: httpx.Client) -> None:
    own = send(member, "Mine")
    send(admin, "The admin's")
    assert ids(member.get("/v1/support_requests")) == [own["id"]]


def test_another_workspace_never_sees_them(admin: httpx.Client, globex: httpx.Client) -> None:
    send(admin, "Acme's")
    assert ids(globex.get("/v1/support_requests")) == []


def test_the_customers_list_is_paginated(admin: httpx.Client) -> None:
    sent = [send(admin, f"Request {n}")["id"] for n in range(5)]
    first = admin.get("/v1/support_requests", params={"limit": 2}).json()
    assert ([t["id"] for t in first["data"]], first["has_more"]) == (sent[:2:-1], True)
    rest = admin.get("/v1/support_requests", params={"limit": 10, "starting_after": sent[3]}).json()
    assert ([t["id"] for t in rest["data"]], rest["has_more"]) == (sent[2::-1], False)


def test_staff_see_every_workspaces_open_requests_and_not_the_closed_ones(
    support: httpx.Client, admin: httpx.Client, globex: httpx.Client
) -> None:
    acme = send(admin, "From Acme")
    globex_ticket = send(globex, "From Globex")
    closed = send(admin, "Already answered")
    support.post(f"/v1/support/requests/{closed['id']}/close").raise_for_status()
    assert ids(support.get("/v1/support/requests", params={"status": "open"})) == [globex_ticket["id"], acme["id"]]
    assert ids(support.get("/v1/support/requests", params={"status": "closed"})) == [closed["id"]]
    assert ids(support.get("/v1/support/requests")) == [closed["id"], globex_ticket["id"], acme["id"]]
    page = support.get("/v1/support/requests", params={"status": "open", "limit": 1}).json()
    assert ([t["id"] for t in page["data"]], page["has_more"]) == ([globex_ticket["id"]], True)


def test_closing_is_seen_by_the_customer_with_when_and_in_the_activity(
    support: httpx.Client, admin: httpx.Client
) -> None:
    ticket = send(admin, "Please help")
    closed = support.post(f"/v1/support/requests/{ticket['id']}/close")
    assert closed.status_code == 200
    assert (closed.json()["status"], closed.json()["closed_by"]) == ("closed", "sofia@kaspr.example")
    [seen] = admin.get("/v1/support_requests").json()["data"]
    assert (seen["status"], seen["closed_at"]) == ("closed", closed.json()["closed_at"])
    assert seen["closed_at"] is not None
    event = admin.get("/v1/events").json()["data"][0]
    assert (event["type"], event["actor"]) == ("support.request_closed", "sofia@kaspr.example")
    assert ticket["id"] in event["description"]


def test_closing_twice_answers_the_request_as_first_closed(support: httpx.Client, admin: httpx.Client) -> None:
    ticket = send(admin, "Please help")
    first = support.post(f"/v1/support/requests/{ticket['id']}/close").json()
    admin.post("/v1/test_helpers/advance_clock", json={"seconds": 3600}).raise_for_status()
    again = support.post(f"/v1/support/requests/{ticket['id']}/close")
    assert again.status_code == 200
    assert again.json() == first
    closings = [e for e in admin.get("/v1/events", params={"limit": 100}).json()["data"]
                if e["type"] == "support.request_closed"]
    assert len(closings) == 1


def test_staff_read_one_request(support: httpx.Client, member: httpx.Client) -> None:
    ticket = send(member, "Please delete my account", "delete_account")
    answer = support.get(f"/v1/support/requests/{ticket['id']}")
    assert (answer.status_code, answer.json()["message"]) == (200, "Please delete my account")


@pytest.mark.parametrize("path", ["/v1/support/requests/sr_999999", "/v1/support/requests/sr_999999/close"])
def test_an_unknown_request_is_404(support: httpx.Client, path: str) -> None:
    response = support.post(path) if path.endswith("close") else support.get(path)
    assert (response.status_code, response.json()["error"]["code"]) == (404, "resource_missing")


def test_customers_may_not_read_the_inbox_or_close(admin: httpx.Client, member: httpx.Client) -> None:
    ticket = send(member, "Mine")
    for client in (admin, member):
        assert client.get("/v1/support/requests").status_code == 403
        assert client.get(f"/v1/support/requests/{ticket['id']}").status_code == 403
        closing = client.post(f"/v1/support/requests/{ticket['id']}/close")
        assert (closing.status_code, closing.json()["error"]["code"]) == (403, "role_forbidden")
    assert member.get("/v1/support_requests").json()["data"][0]["status"] == "open"


def test_support_staff_have_no_customers_list(support: httpx.Client) -> None:
    assert support.get("/v1/support_requests").status_code == 403


def test_a_database_from_before_the_inbox_gains_the_closing_columns(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    with sqlite3.connect(path) as old:
        old.execute("CREATE TABLE support_tickets (seq INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE, "
                    "user_id TEXT NOT NULL, workspace_id TEXT, kind TEXT NOT NULL, message TEXT NOT NULL, "
                    "new_email TEXT, status TEXT NOT NULL, created TEXT NOT NULL)")
        old.execute("INSERT INTO support_tickets VALUES (1, 'sr_000001', 'usr_000001', 'ws_000001', 'other', "
                    "'Hi', NULL, 'open', '2026-01-01T00:00:00+00:00')")
    Store(path).close()
    with sqlite3.connect(path) as migrated:
        row = migrated.execute("SELECT id, status, closed_at, closed_by FROM support_tickets").fetchone()
    assert row == ("sr_000001", "open", None, None)


def test_a_customer_lists_only_the_open_or_the_closed_ones(support: httpx.Client, admin: httpx.Client) -> None:
    answered, waiting = send(admin, "Answered"), send(admin, "Waiting")
    support.post(f"/v1/support/requests/{answered['id']}/close").raise_for_status()
    assert ids(admin.get("/v1/support_requests", params={"status": "open"})) == [waiting["id"]]
    assert ids(admin.get("/v1/support_requests", params={"status": "closed"})) == [answered["id"]]

"""Who may do what (API.md rule 9 and the endpoint table), and workspace isolation."""

from __future__ import annotations

import re
from typing import Any

import httpx
import pytest

from kaspr_tui.server.testing import ADMIN_KEY, MEMBER_KEY, SUPPORT_KEY

ACME = "ws_000001"
GLOBEX = "ws_000002"
KEYS = {"member": MEMBER_KEY, "support": SUPPORT_KEY, "admin": ADMIN_KEY}
CARD = {"number": "4242424242424242", "exp_month": 12, "exp_year": 2030, "cvc": "123", "name": "A"}
DETAILS = {"company": "Acme Corp", "contact_name": "Alice Martin", "email": "billing@acme.example",
           "address": {"line1": "1 rue X", "city": "Paris", "postal_code": "75002", "country": "FR"}}
TRANSFER = {"from_email": "david@acme.example", "to_email": "david.chen@globex.example",
            "credits": {"phone": 10}, "reason": "Changed jobs"}

ALL_OK = {"member": 200, "support": 200, "admin": 200}
ADMIN_ONLY = {"member": 403, "support": 403}
ADMIN_AND_SUPPORT = {"member": 403, "support": 200, "admin": 200}
SUPPORT_ONLY = {"member": 403, "admin": 403, "support": 200}

# (method, path, JSON body, expected status per role). Roles run member, support, admin in this
# order on one server: refusals change nothing, so each allowed call sees the seeded state.
TABLE: list[tuple[str, str, Any, dict[str, int]]] = [
    ("GET", "/v1/me", None, ALL_OK),
    ("GET", "/v1/catalog", None, ALL_OK),
    ("GET", "/v1/account", None, ALL_OK),  # what each role may read, in one answer (test_account.py)
    ("GET", "/v1/subscription", None, ALL_OK),
    ("PATCH", "/v1/subscription/addons/phone", {"auto_renew": False}, {**ADMIN_ONLY, "admin": 200}),
    ("DELETE", "/v1/subscription/scheduled_change", None, {**ADMIN_ONLY, "admin": 404}),
    ("GET", "/v1/credits", None, ALL_OK),
    ("POST", "/v1/credits/consume", {"type": "phone", "quantity": 1}, {"member": 200, "support": 403, "admin": 200}),
    ("POST", "/v1/quotes", {"seats": 11}, {**ADMIN_ONLY, "admin": 200}),
    ("POST", "/v1/checkouts", {"quote_id": "qt_x", "payment_method_id": "pm_x"}, {**ADMIN_ONLY, "admin": 404}),
    ("GET", "/v1/checkouts", None, {**ADMIN_ONLY, "admin": 200}),
    ("GET", "/v1/checkouts/co_x", None, {**ADMIN_ONLY, "admin": 404}),
    ("POST", "/v1/checkouts/co_x/authenticate", {"result": "approve"}, {**ADMIN_ONLY, "admin": 404}),
    ("GET", "/v1/payment_methods", None, {**ADMIN_ONLY, "admin": 200}),
    ("POST", "/v1/payment_methods", CARD, {**ADMIN_ONLY, "admin": 200}),
    ("POST", "/v1/payment_methods/pm_000001/default", None, {**ADMIN_ONLY, "admin": 200}),
    ("DELETE", "/v1/payment_methods/pm_000001", None, {**ADMIN_ONLY, "admin": 409}),
    ("GET", "/v1/billing_details", None, ADMIN_AND_SUPPORT),
    ("PUT", "/v1/billing_details", DETAILS, {**ADMIN_ONLY, "admin": 200}),
    ("GET", "/v1/invoices", None, ADMIN_AND_SUPPORT),
    ("GET", "/v1/invoices/upcoming", None, ADMIN_AND_SUPPORT),
    ("GET", "/v1/invoices/in_000001", None, ADMIN_AND_SUPPORT),
    ("GET", "/v1/invoices/in_000001/pdf", None, ADMIN_AND_SUPPORT),
    ("GET", "/v1/members", None, ALL_OK),
    ("POST", "/v1/invitations", {"email": "ines@acme.example"}, {**ADMIN_ONLY, "admin": 201}),
    ("DELETE", "/v1/invitations/inv_000001", None, {**ADMIN_ONLY, "admin": 204}),
    ("DELETE", "/v1/members/usr_000008", None, {**ADMIN_ONLY, "admin": 204}),
    ("PATCH", "/v1/members/usr_000008", {"role": "admin"}, {**ADMIN_ONLY, "admin": 200}),
    ("POST", "/v1/invitations/inv_000001/resend", None, {**ADMIN_ONLY, "admin": 200}),
    ("POST", "/v1/support_requests", {"kind": "other", "message": "Hello"},
     {"member": 201, "support": 201, "admin": 201}),
    ("GET", "/v1/support_requests", None, {"member": 200, "support": 403, "admin": 200}),
    ("GET", "/v1/support/requests?status=open", None, SUPPORT_ONLY),
    ("GET", "/v1/support/requests/sr_x", None, {**SUPPORT_ONLY, "support": 404}),
    ("POST", "/v1/support/requests/sr_x/close", None, {**SUPPORT_ONLY, "support": 404}),
    ("GET", "/v1/events", None, ADMIN_AND_SUPPORT),
    ("GET", "/v1/support/accounts?email=alice@acme.example", None, SUPPORT_ONLY),
    ("POST", "/v1/support/transfers", TRANSFER, SUPPORT_ONLY),
    ("POST", "/v1/support/email_changes", {"user_email": "emma@acme.example", "new_email": "emma.l@acme.example"},
     SUPPORT_ONLY),
    ("POST", "/v1/test_helpers/advance_clock", {"days": 1}, {**ADMIN_ONLY, "admin": 200}),
]


def call(client: httpx.Client, method: str, path: str, body: Any, **headers: str) -> httpx.Response:
    return client.request(method, path, json=body, headers={"Idempotency-Key": f"{method}{path}", **headers})


@pytest.mark.parametrize(("method", "path", "body", "expected"), TABLE, ids=[f"{m} {p}" for m, p, _, _ in TABLE])
def test_role_table(api, method: str, path: str, body: Any, expected: dict[str, int]) -> None:
    assert call(api(None), method, path, body).status_code == 401
    for role in ("member", "support", "admin"):
        # Support names the workspace it reads; others may leave the header out.
        headers = {"Kaspr-Workspace": ACME} if role == "support" else {}
        response = call(api(KEYS[role]), method, path, body, **headers)
        assert response.status_code == expected[role], f"{role}: {response.text}"
        if response.status_code == 403:
            error = response.json()["error"]
            assert (error["type"], error["code"]) == ("permission_error", "role_forbidden")
            assert "Only" in error["message"]


def test_support_must_name_the_workspace(support: httpx.Client) -> None:
    response = support.get("/v1/subscription")
    error = response.json()["error"]
    assert (response.status_code, error["code"], error["param"]) == (400, "parameter_missing", "Kaspr-Workspace")
    assert support.get("/v1/subscription", headers={"Kaspr-Workspace": GLOBEX}).json()["plan"] == "starter"


def test_support_never_sees_cards(support: httpx.Client) -> None:
    response = support.get("/v1/payment_methods", headers={"Kaspr-Workspace": ACME})
    assert response.status_code == 403


@pytest.mark.parametrize("path", ["/v1/invoices/in_000013", "/v1/invoices/in_000013/pdf", "/v1/checkouts/co_000003"])
def test_another_workspaces_object_is_missing_not_forbidden(admin: httpx.Client, path: str) -> None:
    # in_000013 and co_000003 are Globex's (seeded after Acme's 12 invoices and 2 checkouts).
    response = admin.get(path)
    assert (response.status_code, response.json()["error"]["code"]) == (404, "resource_missing")


def test_another_workspace_by_header_is_missing(admin: httpx.Client, globex: httpx.Client) -> None:
    assert admin.get("/v1/subscription", headers={"Kaspr-Workspace": GLOBEX}).status_code == 404
    assert admin.get("/v1/subscription", headers={"Kaspr-Workspace": ACME}).json()["plan"] == "business"
    assert globex.get("/v1/members", headers={"Kaspr-Workspace": ACME}).status_code == 404


def test_another_workspaces_members_and_cards_cannot_be_touched(globex: httpx.Client, admin: httpx.Client) -> None:
    assert globex.delete("/v1/members/usr_000008").status_code == 404
    assert globex.delete("/v1/payment_methods/pm_000001").status_code == 404
    assert globex.delete("/v1/invitations/inv_000001").status_code == 404
    assert len(admin.get("/v1/members", params={"limit": 100}).json()["data"]) == 8


def test_the_table_has_a_row_for_every_endpoint_the_server_serves(live_server) -> None:
    """A new endpoint without a row here would have its roles untested: every (method, path) the
    server publishes in its OpenAPI schema must match a row, and every row an endpoint. Only
    /healthz is served without a key."""
    served = [
        (method.upper(), re.compile("^" + re.sub(r"\{[^/]+\}", "[^/]+", template) + "$"), template)
        for template, operations in live_server.app.openapi()["paths"].items()
        if template != "/healthz"
        for method in operations
    ]
    rows = {(method, path.split("?")[0]) for method, path, _, _ in TABLE}
    missing = [f"{method} {template}" for method, pattern, template in served
               if not any(row_method == method and pattern.match(path) for row_method, path in rows)]
    assert missing == []
    unserved = [f"{method} {path}" for method, path in rows
                if not any(method == served_method and pattern.match(path) for served_method, pattern, _ in served)]
    assert unserved == []
    assert len(served) == len(TABLE)


@pytest.mark.parametrize("workspace", [GLOBEX, "ws_999999"], ids=["another", "unknown"])
def test_a_write_naming_another_workspace_is_refused_as_a_read_is(admin: httpx.Client, workspace: str) -> None:
    """Only support keys name a workspace: an admin's key naming another one is refused the same way
    for a read and a write, and the write changes nothing in the admin's own workspace."""
    header = {"Kaspr-Workspace": workspace}
    before = admin.get("/v1/credits").json()
    read = admin.get("/v1/credits", headers=header)
    write = admin.post("/v1/credits/consume", json={"type": "phone", "quantity": 5}, headers=header)
    assert read.status_code == write.status_code == 404
    assert read.json()["error"]["code"] == write.json()["error"]["code"] == "resource_missing"
    assert read.json()["error"]["param"] == write.json()["error"]["param"] == "Kaspr-Workspace"
    assert read.json()["error"]["message"] == write.json()["error"]["message"]
    assert "Kaspr-Workspace" in write.json()["error"]["message"]
    assert admin.get("/v1/credits").json() == before


def test_a_write_naming_its_own_workspace_applies(admin: httpx.Client) -> None:
    response = admin.post("/v1/credits/consume", json={"type": "phone", "quantity": 5},
                          headers={"Kaspr-Workspace": ACME})
    assert response.status_code == 200

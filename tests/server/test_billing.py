"""Billing details, invoices (list, detail, PDF) and the event feed."""

from __future__ import annotations

import io
import time

import httpx
from pypdf import PdfReader

from kaspr_tui.server.testing import ADMIN_KEY, LiveServer

DETAILS = {
    "company": "Acme Corp", "contact_name": "Alice Martin", "email": "billing@acme.example",
    "address": {"line1": "Unter den Linden 1", "city": "Berlin", "postal_code": "10117", "country": "de"},
    "vat_number": "de 136 695 976",
}


def test_billing_details_are_saved_normalised_with_their_vat_status(admin: httpx.Client) -> None:
    response = admin.put("/v1/billing_details", json=DETAILS)
    saved = response.json()
    assert (saved["address"]["country"], saved["vat_number"], saved["vat_status"]) == ("DE", "DE136695976", "valid")
    assert admin.get("/v1/billing_details").json() == saved
    without_vat = admin.put("/v1/billing_details", json={**DETAILS, "vat_number": None}).json()
    assert (without_vat["vat_number"], without_vat["vat_status"]) == (None, "none")
    assert admin.get("/v1/events").json()["data"][0]["type"] == "billing_details.updated"


def test_every_billing_detail_error_at_once(admin: httpx.Client) -> None:
    response = admin.put("/v1/billing_details", json={
        **DETAILS, "email": "billing@", "vat_number": "FR40303265045",
        "address": {**DETAILS["address"], "postal_code": "1234"},
    })
    errors = {(e["param"], e["code"]) for e in response.json()["error"]["errors"]}
    assert response.status_code == 400
    assert errors == {("email", "email_invalid"), ("address.postal_code", "postal_code_invalid"),
                      ("vat_number", "tax_id_invalid")}
    assert admin.get("/v1/billing_details").json()["address"]["country"] == "FR"  # nothing saved


def test_invoices_are_paginated_newest_first(admin: httpx.Client) -> None:
    first = admin.get("/v1/invoices", params={"limit": 5}).json()
    assert first["object"] == "list" and first["has_more"] is True
    numbers = [invoice["number"] for invoice in first["data"]]
    assert numbers == [f"ACME-2026-{n:06d}" for n in range(12, 7, -1)]
    rest = admin.get("/v1/invoices", params={"limit": 100, "starting_after": first["data"][-1]["id"]}).json()
    assert [invoice["number"] for invoice in rest["data"]] == [f"ACME-2026-{n:06d}" for n in range(7, 0, -1)]
    assert rest["has_more"] is False


def test_an_invoice_keeps_the_billing_details_as_issued(admin: httpx.Client) -> None:
    invoice_id = admin.get("/v1/invoices").json()["data"][0]["id"]
    assert admin.put("/v1/billing_details", json=DETAILS).status_code == 200
    invoice = admin.get(f"/v1/invoices/{invoice_id}").json()
    assert invoice["billing_details"]["address"]["city"] == "Paris"
    assert invoice["billing_details"]["vat_number"] == "FR40303265045"
    assert (invoice["workspace_name"], invoice["tax"]["rate_percent"]) == ("Acme Corp", 20.0)
    assert invoice["subtotal"] + invoice["tax"]["amount"] == invoice["total"]


def test_the_annual_renewal_invoice_lists_the_plan_and_the_packs(admin: httpx.Client) -> None:
    renewal = admin.get("/v1/invoices/in_000008").json()
    assert renewal["number"] == "ACME-2026-000008"
    assert [(line["description"], line["amount"]) for line in renewal["lines"]] == [
        ("Business (annual) × 10 seats", 10 * 7900 * 12), ("Phone credits add-on", 500 * 40)]
    assert renewal["total"] == (948000 + 20000) * 6 // 5


def test_the_pdf_is_a_real_pdf_of_the_invoice(admin: httpx.Client, support: httpx.Client) -> None:
    response = admin.get("/v1/invoices/in_000008/pdf")
    assert response.headers["content-type"] == "application/pdf"
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    assert "ACME-2026-000008" in text
    assert "FR40303265045" in text and "4242" in text
    # Support reads the same invoice, but never the card it was paid with (rule 9).
    for_support = support.get("/v1/invoices/in_000008/pdf", headers={"Kaspr-Workspace": "ws_000001"})
    support_text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(for_support.content)).pages)
    assert "ACME-2026-000008" in support_text and "€11,616.00" in support_text
    assert "4242" not in support_text


def test_the_event_feed_is_paginated(admin: httpx.Client) -> None:
    first = admin.get("/v1/events", params={"limit": 2}).json()
    assert [event["type"] for event in first["data"]] == ["invitation.created", "credits.consumed"]
    assert first["data"][0]["actor"] == "alice@acme.example"
    assert first["has_more"] is True
    second = admin.get("/v1/events", params={"limit": 2, "starting_after": first["data"][1]["id"]}).json()
    assert second["data"][0]["created"] <= first["data"][1]["created"]
    assert not {e["id"] for e in first["data"]} & {e["id"] for e in second["data"]}


def test_a_processing_payment_settles_when_its_delay_is_over(server_settings) -> None:
    server_settings.payment_delay = 0.05
    with LiveServer(server_settings) as server, httpx.Client(
        base_url=server.url, headers={"Authorization": f"Bearer {ADMIN_KEY}"}
    ) as admin:
        quote = admin.post("/v1/quotes", json={"seats": 11}).json()
        started = admin.post("/v1/checkouts", json={"quote_id": quote["id"], "payment_method_id": "pm_000001"},
                             headers={"Idempotency-Key": "settle"}).json()
        assert started["status"] == "processing"
        for _ in range(200):  # polls, as the TUI does, until the payment is final
            checkout = admin.get(f"/v1/checkouts/{started['id']}").json()
            if checkout["status"] != "processing":
                break
            time.sleep(0.01)
        assert checkout["status"] == "succeeded"
        assert admin.get("/v1/subscription").json()["seats"] == 11

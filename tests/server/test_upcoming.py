"""`GET /v1/invoices/upcoming` (issue 12): the charges the subscription will make on its own, and
they are the invoices the server issues when its clock moves there."""

from __future__ import annotations

from datetime import datetime, timedelta

import httpx
import pytest

from kaspr_tui.server.testing import FROZEN_NOW


def paid(client: httpx.Client) -> list[dict]:
    return client.get("/v1/invoices", params={"status": "paid", "limit": 100}).json()["data"]


def move_to(client: httpx.Client, now: datetime, moment: datetime) -> datetime:
    """Advance the server's clock to one second after `moment`; the new now."""
    gap = moment + timedelta(seconds=1) - now
    answer = client.post("/v1/test_helpers/advance_clock",
                         json={"days": gap.days, "seconds": gap.seconds}).raise_for_status().json()
    return datetime.fromisoformat(answer["now"])


@pytest.mark.parametrize("scheduled", [False, True], ids=["as-is", "fewer-seats-scheduled"])
def test_upcoming_charges_are_the_invoices_issued_as_the_clock_moves(admin: httpx.Client, scheduled: bool) -> None:
    if scheduled:  # 9 licenses from the period end: the renewal bills 9
        quote = admin.post("/v1/quotes", json={"seats": 9}).raise_for_status().json()
        card = next(card["id"] for card in admin.get("/v1/payment_methods").json()["data"] if card["is_default"])
        admin.post("/v1/checkouts", json={"quote_id": quote["id"], "payment_method_id": card},
                   headers={"Idempotency-Key": "fewer"}).raise_for_status()
    upcoming = admin.get("/v1/invoices/upcoming").raise_for_status().json()["data"]
    # Acme: the 500 phone credits renew each month (Export's pack is off, so it ends), then the renewal.
    assert [charge["kind"] for charge in upcoming] == ["addons"] * 8 + ["renewal"]
    assert upcoming[-1]["date"].startswith("2027-08-17")
    assert ("9 seats" in upcoming[-1]["description"]) == scheduled
    now = FROZEN_NOW
    for charge in upcoming:
        before = paid(admin)
        now = move_to(admin, now, datetime.fromisoformat(charge["date"]))
        [issued] = paid(admin)[: len(paid(admin)) - len(before)]
        assert (issued["total"], issued["period_start"], issued["period_end"]) == (
            charge["total"], charge["date"], charge["period_end"]
        ), charge["description"]
    # After the renewal, the list starts over from the new period.
    assert admin.get("/v1/invoices/upcoming").json()["data"][0]["date"].startswith("2027-09-17")


def test_a_monthly_plan_lists_its_renewal_and_support_may_read_it(globex: httpx.Client, support: httpx.Client) -> None:
    [renewal] = globex.get("/v1/invoices/upcoming").json()["data"]
    assert renewal["kind"] == "renewal" and renewal["total"] > 0
    read = support.get("/v1/invoices/upcoming", headers={"Kaspr-Workspace": "ws_000002"})
    assert read.json()["data"] == [renewal]


def test_members_may_not_read_upcoming_charges(member: httpx.Client) -> None:
    assert member.get("/v1/invoices/upcoming").status_code == 403


def test_an_add_on_invoice_is_for_the_month_its_credits_are_added_to(admin: httpx.Client) -> None:
    """Issue 12, defect 4: credits reset monthly, so their invoice's period ends at the next reset,
    not at the end of the plan's (annual) period."""
    quote = admin.post("/v1/quotes", json={"addons": [{"type": "phone", "quantity": 100}]}).raise_for_status().json()
    card = next(card["id"] for card in admin.get("/v1/payment_methods").json()["data"] if card["is_default"])
    admin.post("/v1/checkouts", json={"quote_id": quote["id"], "payment_method_id": card},
               headers={"Idempotency-Key": "phone-100"}).raise_for_status()
    [bill] = paid(admin)[:1]
    [phone] = [balance for balance in admin.get("/v1/credits").json()["data"] if balance["type"] == "phone"]
    assert bill["period_end"] == phone["resets_at"]


@pytest.mark.parametrize("credit_type", ["phone", "export"], ids=["pack-renews", "pack-auto-renew-off"])
def test_an_add_on_quote_states_the_charges_the_clock_then_issues(admin: httpx.Client, credit_type: str) -> None:
    """Issue 12, defect 4: a pack bought now is charged again at every monthly reset before the
    renewal (Acme's phone pack renews; its Export pack has auto-renew off, so Export credits added
    now are for this period only). What the quote says is what each reset then invoices."""
    quantity = 500 if credit_type == "phone" else 1000
    addons = [{"type": credit_type, "quantity": quantity}]
    quote = admin.post("/v1/quotes", json={"addons": addons}).raise_for_status().json()
    card = next(card["id"] for card in admin.get("/v1/payment_methods").json()["data"] if card["is_default"])
    admin.post("/v1/checkouts", json={"quote_id": quote["id"], "payment_method_id": card},
               headers={"Idempotency-Key": f"pack-{credit_type}"}).raise_for_status()
    upcoming = admin.get("/v1/invoices/upcoming").raise_for_status().json()["data"]
    monthly = [charge for charge in upcoming if charge["kind"] == "addons"]
    assert quote["monthly_addons_from"] == monthly[0]["date"]
    assert {charge["total"] for charge in monthly} == {quote["monthly_addons_total"]}
    now = FROZEN_NOW
    for charge in upcoming:
        before = len(paid(admin))
        now = move_to(admin, now, datetime.fromisoformat(charge["date"]))
        [issued] = paid(admin)[: len(paid(admin)) - before]
        expected = quote["next_renewal_total"] if charge["kind"] == "renewal" else quote["monthly_addons_total"]
        assert (issued["created"][:10], issued["total"]) == (charge["date"][:10], expected), charge["description"]


def test_a_monthly_plan_has_no_pack_charge_apart_from_its_renewal(globex: httpx.Client) -> None:
    """Globex is monthly: its credit resets are its renewals, so the packs are in the renewal."""
    quote = globex.post("/v1/quotes", json={"addons": [{"type": "phone", "quantity": 100}]}).raise_for_status().json()
    assert (quote["monthly_addons_total"], quote["monthly_addons_from"]) == (0, None)

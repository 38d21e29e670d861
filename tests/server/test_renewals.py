"""Time passing (advance_clock): credit resets without carry-over, add-on renewals, period
renewals and scheduled changes, each charged and recorded as it falls due.

Acme's credits reset on the 17th; its annual period renews on 2027-08-17. Globex renews
monthly on the 7th at 09:00. The clock starts at 2026-11-27 09:00 UTC.
"""

from __future__ import annotations

import re
from datetime import timedelta

import httpx

from kaspr_tui.server.settings import ServerSettings
from kaspr_tui.server.testing import ADMIN_KEY, FROZEN_NOW, LiveServer

DAYS_TO_ACME_RENEWAL = 263  # 2026-11-27 → 2027-08-17


def test_credits_reset_without_carry_over(billing) -> None:
    billing.client.post("/v1/credits/consume", json={"type": "phone", "quantity": 60})
    before = billing.credits()
    assert before["phone"]["used"] == 340 + 60
    assert billing.advance(30) == "2026-12-27T09:00:00Z"
    after = billing.credits()
    assert after["phone"] == {"type": "phone", "included": 10 * 200, "addon": 500, "used": 0,
                              "remaining": 2000 + 500, "resets_at": "2027-01-17T00:00:00Z"}
    # The export pack had auto-renew off: it ended with the period it was bought for.
    assert (after["export"]["addon"], after["export"]["remaining"]) == (0, 10 * 1000)
    assert [addon["type"] for addon in billing.subscription()["addons"]] == ["phone"]


def test_a_renewing_pack_is_charged_each_month(billing) -> None:
    billing.advance(30)
    newest = billing.invoices()[0]
    assert (newest["number"], newest["created"]) == ("ACME-2026-000013", "2026-12-17T00:00:00Z")
    assert newest["total"] == 500 * 40 * 6 // 5  # 500 phone credits at 40 cents, plus 20 % VAT
    detail = billing.client.get(f"/v1/invoices/{newest['id']}").json()
    assert [line["description"] for line in detail["lines"]] == ["Phone credits add-on"]
    assert (detail["period_start"], detail["period_end"]) == ("2026-12-17T00:00:00Z", "2027-01-17T00:00:00Z")


def test_auto_renew_off_ends_the_pack_at_the_next_reset(billing) -> None:
    response = billing.client.patch("/v1/subscription/addons/phone", json={"auto_renew": False})
    assert {a["type"]: a["auto_renew"] for a in response.json()["addons"]}["phone"] is False
    assert billing.credits()["phone"]["addon"] == 500  # paid for: kept until the reset
    invoices_before = len(billing.invoices())
    billing.advance(30)
    assert billing.credits()["phone"]["addon"] == 0
    assert billing.subscription()["addons"] == []
    assert len(billing.invoices()) == invoices_before


def test_auto_renew_of_a_pack_never_bought_is_404(billing) -> None:
    response = billing.client.patch("/v1/subscription/addons/direct_email", json={"auto_renew": False})
    assert response.status_code == 404


def test_months_are_processed_in_order(billing) -> None:
    billing.advance(95)  # three resets: Dec 17, Jan 17, Feb 17
    numbers = [(i["number"], i["created"][:10]) for i in billing.invoices()[:3]]
    assert numbers == [("ACME-2027-000015", "2027-02-17"), ("ACME-2027-000014", "2027-01-17"),
                       ("ACME-2026-000013", "2026-12-17")]
    resets = [e["created"][:10] for e in billing.events() if e["type"] == "credits.reset"][:3]
    assert resets == ["2027-02-17", "2027-01-17", "2026-12-17"]


def test_a_scheduled_downgrade_applies_at_the_period_end(billing) -> None:
    assert billing.buy(plan="starter", seats=9)["status"] == "succeeded"
    billing.advance(DAYS_TO_ACME_RENEWAL - 1)
    assert billing.subscription()["plan"] == "business"
    billing.advance(1)
    subscription = billing.subscription()
    assert (subscription["plan"], subscription["interval"], subscription["seats"]) == ("starter", "year", 9)
    assert subscription["scheduled_change"] is None
    assert (subscription["current_period_start"], subscription["current_period_end"]) == (
        "2027-08-17T00:00:00Z", "2028-08-17T00:00:00Z")
    renewal = billing.client.get(f"/v1/invoices/{billing.invoices()[0]['id']}").json()
    assert [(line["quantity"], line["amount"]) for line in renewal["lines"]] == [(9, 9 * 4500 * 12), (500, 500 * 40)]
    assert renewal["total"] == (9 * 4500 * 12 + 500 * 40) * 6 // 5
    assert billing.credits()["phone"]["included"] == 9 * 100
    types = [event["type"] for event in billing.events(10)]
    assert "subscription.updated" in types and "subscription.renewed" in types


def test_a_cancelled_scheduled_change_never_applies(billing) -> None:
    billing.buy(seats=8)
    assert billing.subscription()["scheduled_change"]["seats"] == 8
    response = billing.client.delete("/v1/subscription/scheduled_change")
    assert (response.status_code, response.json()["scheduled_change"]) == (200, None)
    billing.advance(DAYS_TO_ACME_RENEWAL)
    subscription = billing.subscription()
    assert (subscription["plan"], subscription["seats"]) == ("business", 10)
    assert billing.invoices()[0]["total"] == (10 * 7900 * 12 + 500 * 40) * 6 // 5


def test_a_monthly_plan_renews_each_month(globex_billing) -> None:
    globex_billing.advance(11)
    renewal = globex_billing.client.get(f"/v1/invoices/{globex_billing.invoices()[0]['id']}").json()
    assert (renewal["number"], renewal["created"]) == ("GLBX-2026-000005", "2026-12-07T09:00:00Z")
    assert renewal["tax"] == {"rate_percent": 0.0, "amount": 0, "reverse_charge": True, "country": "DE"}
    assert renewal["total"] == 3 * 5900
    assert globex_billing.subscription()["current_period_end"] == "2027-01-07T09:00:00Z"


def test_the_clock_catches_up_lazily_when_a_request_touches_a_workspace(server_settings: ServerSettings) -> None:
    with LiveServer(server_settings):
        pass  # seeded at FROZEN_NOW
    server_settings.frozen_now = FROZEN_NOW + timedelta(days=40)
    with LiveServer(server_settings) as server, httpx.Client(
        base_url=server.url, headers={"Authorization": f"Bearer {ADMIN_KEY}"}
    ) as admin:
        credits = {c["type"]: c for c in admin.get("/v1/credits").json()["data"]}
        assert credits["phone"]["resets_at"] == "2027-01-17T00:00:00Z"
        assert credits["phone"]["used"] == 0


def test_monthly_to_annual_restarts_the_cycle_now(globex_billing) -> None:
    assert globex_billing.buy(interval="year")["status"] == "succeeded"
    subscription = globex_billing.subscription()
    assert (subscription["current_period_start"], subscription["current_period_end"]) == (
        "2026-11-27T09:00:00Z", "2027-11-27T09:00:00Z")
    assert globex_billing.credits()["phone"]["resets_at"] == "2026-12-27T09:00:00Z"
    invoices_before = len(globex_billing.invoices())
    globex_billing.advance(31)  # a monthly credit reset, no renewal: the year is paid
    assert globex_billing.credits()["phone"]["resets_at"] == "2027-01-27T09:00:00Z"
    assert len(globex_billing.invoices()) == invoices_before


def test_the_feed_writes_dates_as_people_read_them_everywhere_else(billing) -> None:
    """One date format for people (issue 13 defect 8): "17 Aug 2027", as the pages beside the feed."""
    billing.buy(plan="starter", seats=9)  # a downgrade, scheduled for the period end
    billing.advance(30)  # a credit reset
    descriptions = [event["description"] for event in billing.events(20)]
    dated = [text for text in descriptions if " until " in text or " from " in text]
    assert any("from 17 Aug 2027" in text for text in dated), descriptions
    assert any("until 17 Jan 2027" in text for text in dated), descriptions
    assert not [text for text in descriptions if re.search(r"\b\d{4}-\d{2}-\d{2}\b", text)]

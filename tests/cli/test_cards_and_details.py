"""`kaspr-tui cards` and `kaspr-tui billing-details`: Manage cards and Billing details, scriptable
(issue 12's windows, issue 14's "every flow scriptable"): the same client and words, exit codes,
read-only refusing the writes."""

from __future__ import annotations

from pydantic import TypeAdapter

from kaspr_tui.api.models import BillingDetails, PaymentMethod, UpcomingCharge
from kaspr_tui.server.testing import MEMBER_KEY

MASTERCARD = "5555555555554444"


def cards_of(admin) -> list[dict]:
    return admin.get("/v1/payment_methods").json()["data"]


def add_mastercard(admin) -> str:
    answer = admin.post("/v1/payment_methods", json={
        "number": MASTERCARD, "exp_month": 12, "exp_year": 2030, "cvc": "123", "name": "Alice Martin",
    })
    answer.raise_for_status()
    return answer.json()["id"]


def test_cards_lists_the_cards_on_file_default_first(kaspr, admin):
    mastercard = add_mastercard(admin)
    listed = TypeAdapter(list[PaymentMethod]).validate_python(kaspr("cards", "--json").json())
    on_file = sorted(cards_of(admin), key=lambda card: not card["is_default"])
    assert [card.id for card in listed] == [card["id"] for card in on_file]
    assert listed[0].is_default and mastercard in [card.id for card in listed]
    lines = kaspr("cards", "list").stdout.splitlines()
    assert lines[0].split() == ["Card", "Expires", "Default", "Id"]
    assert "Visa •••• 4242" in lines[1] and "default" in lines[1]
    assert any("Mastercard •••• 4444" in line and mastercard in line for line in lines[2:])


def test_cards_default_makes_another_card_the_default(kaspr, admin):
    mastercard = add_mastercard(admin)
    result = kaspr("cards", "default", mastercard)
    assert result.code == 0, result.stderr
    assert "Mastercard •••• 4444  expires 12/2030 is now your default card." in result.stdout
    assert [card["id"] for card in cards_of(admin) if card["is_default"]] == [mastercard]


def test_cards_remove_confirms_and_refuses_the_default_of_a_paid_plan(kaspr, admin):
    mastercard = add_mastercard(admin)
    [visa] = [card["id"] for card in cards_of(admin) if card["is_default"]]
    before = cards_of(admin)
    unconfirmed = kaspr("cards", "remove", mastercard)
    assert unconfirmed.code == 2 and "--yes" in unconfirmed.stderr
    assert cards_of(admin) == before
    default = kaspr("cards", "remove", visa, "--yes")
    assert default.code == 6 and "default" in default.stderr
    assert cards_of(admin) == before
    removed = kaspr("cards", "remove", mastercard, "--yes")
    assert removed.code == 0, removed.stderr
    assert "Mastercard •••• 4444" in removed.stdout
    assert [card["id"] for card in cards_of(admin)] == [visa]
    missing = kaspr("cards", "remove", "pm_nothing", "--yes")
    assert missing.code == 5


def test_card_writes_are_refused_read_only_and_members_may_not_see_cards(kaspr, kaspr_as, admin):
    mastercard = add_mastercard(admin)
    before = cards_of(admin)
    refused = kaspr("--read-only", "cards", "default", mastercard)
    assert refused.code == 2 and "read-only" in refused.stderr
    assert kaspr("--read-only", "cards", "remove", mastercard, "--yes").code == 2
    assert cards_of(admin) == before
    assert kaspr("--read-only", "cards").code == 0
    assert kaspr_as(MEMBER_KEY)("cards").code == 4


def test_billing_details_prints_who_is_billed_and_the_upcoming_charges(kaspr, admin):
    result = kaspr("billing-details", "--json")
    assert result.code == 0, result.stderr
    answer = result.json()
    assert BillingDetails.model_validate(answer["billing_details"]).model_dump() == (
        BillingDetails.model_validate(admin.get("/v1/billing_details").json()).model_dump()
    )
    upcoming = TypeAdapter(list[UpcomingCharge]).validate_python(answer["upcoming_charges"])
    assert upcoming == TypeAdapter(list[UpcomingCharge]).validate_python(
        admin.get("/v1/invoices/upcoming").json()["data"]
    )
    people = " ".join(kaspr("billing-details").stdout.split())
    assert "Billed to Acme Corp · Alice Martin · billing@acme.example" in people
    assert "FR · VAT FR40303265045 VAT number FR40303265045 (valid)" in people
    # The same words as Billing details' upcoming charges and the order review.
    assert "Add-on packs every month from 17 Dec 2026 €240.00" in people
    assert "17 Aug 2027 Renewal: Business (annual), 10 seats €11,616.00" in people

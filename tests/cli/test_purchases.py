"""Purchases on the command line: the review first, then y/N or --yes; exit codes 0, 2, 3, 6."""

from __future__ import annotations

from kaspr_tui.api.models import Checkout

from .helpers import credits_of, paid_invoices, use_card


def test_buying_credits_with_yes_pays_once_and_says_what_changed(kaspr, admin):
    before_phone, before_paid = credits_of(admin, "phone"), len(paid_invoices(admin))
    result = kaspr("credits", "buy", "phone", "100", "--yes")
    assert result.code == 0, result.stderr
    assert result.stdout.startswith("Check that your order is correct\n")
    assert "Total due now" in result.stdout
    assert "Card       Visa •••• 4242  expires" in result.stdout
    assert "Billed to  Acme Corp · Alice Martin · billing@acme.example" in result.stdout
    added = "100 Phone credits added now, renewed and charged every month until you turn auto-renew off."
    assert added in result.stdout
    assert "Charged €48.00 to Visa •••• 4242." in result.stdout
    assert "kaspr-tui invoices download ACME-2026-" in result.stdout
    assert credits_of(admin, "phone")["remaining"] == before_phone["remaining"] + 100
    assert len(paid_invoices(admin)) == before_paid + 1


def test_buying_without_a_terminal_or_yes_refuses_with_exit_2_and_changes_nothing(kaspr, admin):
    before = admin.get("/v1/subscription").json(), credits_of(admin, "phone"), paid_invoices(admin)
    result = kaspr("credits", "buy", "phone", "100")
    assert result.code == 2
    assert "stdin is not a terminal" in result.stderr
    assert "--yes" in result.stderr
    # The review was shown, so the script's log says what it would have bought.
    assert "Total due now" in result.stdout
    assert (admin.get("/v1/subscription").json(), credits_of(admin, "phone"), paid_invoices(admin)) == before


def test_purchase_json_is_the_succeeded_checkout_and_the_review_goes_to_stderr(kaspr):
    result = kaspr("licenses", "set", "12", "--yes", "--json")
    assert result.code == 0, result.stderr
    checkout = Checkout.model_validate(result.json())
    assert checkout.status == "succeeded"
    assert checkout.quote.seats == 12
    assert "Check that your order is correct" in result.stderr


def test_fewer_licenses_are_scheduled_and_nothing_is_charged(kaspr, admin):
    before_paid = len(paid_invoices(admin))
    result = kaspr("licenses", "set", "9", "--yes")
    assert result.code == 0, result.stderr
    assert "nothing to pay now" in result.stdout
    assert "Nothing is charged today; from 17 Aug 2027 you are on" in result.stdout
    assert admin.get("/v1/subscription").json()["scheduled_change"]["seats"] == 9
    assert len(paid_invoices(admin)) == before_paid


def test_licenses_below_the_members_are_refused_in_the_servers_words(kaspr):
    result = kaspr("licenses", "set", "3", "--yes")
    assert result.code == 2
    assert "Acme Corp has 7 members and 1 pending invitation" in result.stderr


def test_the_same_licenses_as_today_change_nothing(kaspr):
    result = kaspr("licenses", "set", "10", "--yes")
    assert (result.code, result.stdout) == (0, "")
    assert "already has 10 licenses" in result.stderr


def test_a_plan_change_upgrades_now(kaspr, admin):
    result = kaspr("plan", "change", "organization", "--yes")
    assert result.code == 0, result.stderr
    assert "Your plan is now Organization (annual) \u00d7 10 seats." in result.stdout
    assert admin.get("/v1/subscription").json()["plan"] == "organization"


def test_a_declined_card_is_exit_3_and_changes_nothing(kaspr, admin):
    use_card(admin, "4000000000000002")
    before = admin.get("/v1/subscription").json(), credits_of(admin, "phone")
    result = kaspr("credits", "buy", "phone", "100", "--yes")
    assert result.code == 3
    assert "Nothing was charged and your subscription is unchanged." in result.stderr
    assert (admin.get("/v1/subscription").json(), credits_of(admin, "phone")) == before


def test_3d_secure_approved_on_stdin_pays(kaspr, admin):
    use_card(admin, "4000002760003184")
    result = kaspr("credits", "buy", "phone", "100", "--yes", input="approve\n")
    assert result.code == 0, result.stderr
    assert "Your bank asks you to confirm this payment of €48.00 to Kaspr with Visa •••• 3184" in result.stderr
    assert "Charged €48.00" in result.stdout


def test_3d_secure_denied_or_unanswered_is_exit_3_and_charges_nothing(kaspr, admin):
    use_card(admin, "4000002760003184")
    before = credits_of(admin, "phone")
    denied = kaspr("credits", "buy", "phone", "100", "--yes", input="d\n")
    assert denied.code == 3
    unanswered = kaspr("credits", "buy", "phone", "100", "--yes")
    assert unanswered.code == 3
    assert "No answer to the bank's question" in unanswered.stderr
    assert credits_of(admin, "phone") == before
    # Nothing is left open to block the next purchase.
    use_card(admin, "4242424242424242")
    assert kaspr("credits", "buy", "phone", "100", "--yes").code == 0


def test_a_checkout_in_progress_is_exit_6(kaspr, admin):
    use_card(admin, "4000002760003184")
    card = next(card for card in admin.get("/v1/payment_methods").json()["data"] if card["is_default"])
    quote = admin.post("/v1/quotes", json={"seats": 11}, headers={"Idempotency-Key": "q-open"}).json()
    opened = admin.post(
        "/v1/checkouts",
        json={"quote_id": quote["id"], "payment_method_id": card["id"]},
        headers={"Idempotency-Key": "c-open"},
    )
    assert opened.json()["status"] == "requires_action"
    result = kaspr("credits", "buy", "phone", "100", "--yes")
    assert result.code == 6
    assert "already in progress" in result.stderr
    assert "Nothing was charged." in result.stderr


def test_a_member_may_not_buy(kaspr_as):
    result = kaspr_as("kt_demo_member")("credits", "buy", "phone", "100", "--yes")
    assert result.code == 4
    assert "Only an admin" in result.stderr


def test_no_renew_turns_the_packs_auto_renew_off_after_paying(kaspr, admin):
    result = kaspr("credits", "buy", "direct_email", "100", "--no-renew", "--yes")
    assert result.code == 0, result.stderr
    assert "With --no-renew" in result.stdout
    assert "Auto-renew is off" in result.stdout
    pack = next(addon for addon in admin.get("/v1/subscription").json()["addons"] if addon["type"] == "direct_email")
    assert pack["auto_renew"] is False


def test_arguments_a_request_cannot_carry_are_exit_2_and_name_the_field(kaspr, admin):
    before = admin.get("/v1/subscription").json()
    too_many = kaspr("licenses", "set", "100001", "--yes")
    assert (too_many.code, too_many.stderr) == (2, "kaspr-tui: seats: Input should be less than or equal to 100000.\n")
    assert kaspr("credits", "buy", "phone", "99999999", "--yes").code == 2
    long_note = kaspr("support", "request", "email-change", "a@b.example", "--message", "x" * 5001)
    assert long_note.code == 2
    assert "message: String should have at most 5000 characters." in long_note.stderr
    assert admin.get("/v1/subscription").json() == before

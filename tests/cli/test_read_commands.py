"""Commands that read: their exit codes and their --json, checked against the wire models."""

from __future__ import annotations

from pydantic import TypeAdapter

from kaspr_tui.api.models import CreditBalance, InvoiceSummary, Me, Member, Quote, Subscription, SupportAccount
from kaspr_tui.server.testing import GLOBEX_KEY, MEMBER_KEY, SUPPORT_KEY

from .helpers import use_card


def test_status_json_is_me_subscription_and_credits(kaspr, admin):
    result = kaspr("status", "--json")
    assert result.code == 0, result.stderr
    data = result.json()
    assert set(data) == {"me", "subscription", "credits"}
    me = Me.model_validate(data["me"])
    subscription = Subscription.model_validate(data["subscription"])
    credits = TypeAdapter(list[CreditBalance]).validate_python(data["credits"])
    assert me.workspace is not None and me.workspace.name == "Acme Corp"
    assert subscription == Subscription.model_validate(admin.get("/v1/subscription").json())
    assert [balance.type for balance in credits] == ["phone", "direct_email", "export"]
    assert result.stderr == ""


def test_status_for_people_names_plan_seats_renewal_card_and_credits(kaspr):
    result = kaspr("status")
    assert result.code == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0] == "Acme Corp · Business · annual"
    assert lines[1] == "Seats     8 of 10 used · 2 free"
    assert lines[2] == "Renews    17 Aug 2027"
    assert lines[3] == "Card      Visa •••• 4242"
    assert "Phone credits" in result.stdout and "2,160" in result.stdout
    assert "\x1b[" not in result.stdout  # no colour when stdout is not a terminal


def test_a_member_reads_status_too(kaspr_as):
    result = kaspr_as(MEMBER_KEY)("status", "--json")
    assert result.code == 0, result.stderr
    assert result.json()["me"]["role"] == "member"


def test_a_support_key_has_no_workspace_status_and_is_told_where_to_look(kaspr_as):
    result = kaspr_as(SUPPORT_KEY)("status")
    assert result.code == 2
    assert "support lookup EMAIL" in result.stderr
    assert result.stdout == ""


def test_credits_json_is_the_list_of_balances(kaspr):
    result = kaspr("credits", "--json")
    assert result.code == 0, result.stderr
    balances = TypeAdapter(list[CreditBalance]).validate_python(result.json())
    assert {balance.type: balance.remaining for balance in balances} == {
        "phone": 2160,
        "direct_email": 1875,
        "export": 17700,
    }


def test_members_list_json_holds_every_member_and_invitation(kaspr, admin):
    result = kaspr("members", "list", "--json")
    assert result.code == 0, result.stderr
    members = TypeAdapter(list[Member]).validate_python(result.json())
    assert len(members) == 8
    assert sum(member.status == "invited" for member in members) == 1
    table = kaspr("members").stdout.splitlines()
    assert table[0].split() == ["Name", "Email", "Role", "Status", "Joined"]
    assert len(table) == 9


def test_invoices_list_json_and_year_filter(kaspr):
    everything = TypeAdapter(list[InvoiceSummary]).validate_python(kaspr("invoices", "list", "--json").json())
    assert len(everything) == 12
    of_2026 = TypeAdapter(list[InvoiceSummary]).validate_python(
        kaspr("invoices", "list", "--year", "2026", "--json").json()
    )
    assert of_2026 == [invoice for invoice in everything if invoice.created.year == 2026]
    assert kaspr("invoices", "list", "--year", "2025", "--json").json() == []
    none = kaspr("invoices", "list", "--year", "2025")
    assert (none.code, none.stdout, none.stderr) == (0, "", "No invoices issued in 2025.\n")


def test_a_failed_payment_attempt_is_not_listed_as_an_invoice_unless_asked_for(kaspr, admin):
    """Issue 12: a failed attempt leaves a void invoice without a number; it is not a bill, as in the app."""
    use_card(admin, "4000000000000002")
    assert kaspr("credits", "buy", "phone", "100", "--yes").code == 3
    bills = TypeAdapter(list[InvoiceSummary]).validate_python(kaspr("invoices", "list", "--json").json())
    assert len(bills) == 12 and {invoice.status for invoice in bills} == {"paid"}
    people = kaspr("invoices").stdout
    assert "void" not in people and len(people.splitlines()) == 13
    everything = TypeAdapter(list[InvoiceSummary]).validate_python(kaspr("invoices", "list", "--all", "--json").json())
    [failed] = [invoice for invoice in everything if invoice.status == "void"]
    assert failed.number is None and failed.payment_error is not None
    listed = kaspr("invoices", "list", "--all").stdout
    assert "failed: " in listed and failed.id in listed


def test_quote_json_is_the_servers_quote_and_changes_nothing(kaspr, admin):
    before = admin.get("/v1/subscription").json()
    result = kaspr("quote", "--seats", "12", "--addon", "phone=100", "--json")
    assert result.code == 0, result.stderr
    quote = Quote.model_validate(result.json())
    assert quote.seats == 12
    assert [(addon.type, addon.quantity) for addon in quote.addons] == [("phone", 100)]
    assert admin.get("/v1/subscription").json() == before


def test_quote_for_people_prints_the_reviews_lines_and_totals(kaspr):
    result = kaspr("quote", "--seats", "12")
    assert result.code == 0, result.stderr
    lines = result.stdout.splitlines()
    assert any(line.startswith("Subtotal") for line in lines)
    assert any(line.startswith("VAT 20 %") for line in lines)
    total = next(line for line in lines if line.startswith("Total due now"))
    renewal = next(line for line in lines if line.startswith("Next renewal on 17 Aug 2027"))
    assert len(total) == len(renewal)  # amounts flush right


def test_quote_with_nothing_to_price_is_a_usage_error(kaspr):
    result = kaspr("quote")
    assert result.code == 2
    assert "Say what to price" in result.stderr


def test_a_bad_addon_quantity_is_refused_in_the_servers_words_with_exit_2(kaspr):
    result = kaspr("quote", "--addon", "phone=30")
    assert result.code == 2
    assert result.stderr == "kaspr-tui: Phone credits come in steps of 25, from 25 to 5,000.\n"


def test_support_lookup_json_is_the_support_account(kaspr_as):
    result = kaspr_as(SUPPORT_KEY)("support", "lookup", "gina@globex.example", "--json")
    assert result.code == 0, result.stderr
    account = SupportAccount.model_validate(result.json())
    assert account.workspace is not None and account.workspace.name == "Globex"
    people = kaspr_as(SUPPORT_KEY)("support", "lookup", "gina@globex.example")
    assert "Globex" in people.stdout and "Recent invoices" in people.stdout


def test_support_lookup_of_nobody_is_exit_5(kaspr_as):
    result = kaspr_as(SUPPORT_KEY)("support", "lookup", "nobody@nowhere.example")
    assert result.code == 5
    assert "No Kaspr account uses nobody@nowhere.example" in result.stderr


def test_a_refused_key_is_exit_4_with_advice(kaspr):
    result = kaspr("status", KASPR_API_TOKEN="kt_wrong")
    assert result.code == 4
    assert "kaspr-tui login" in result.stderr
    assert "Traceback" not in result.stderr


def test_a_key_whose_role_may_not_is_exit_4(kaspr_as):
    result = kaspr_as(MEMBER_KEY)("invoices", "list")
    assert result.code == 4


def test_an_unreachable_server_is_exit_1_in_one_message(kaspr):
    result = kaspr("status", KASPR_API_URL="http://127.0.0.1:9")
    assert result.code == 1
    assert result.stderr.startswith("kaspr-tui: Could not reach the billing server at http://127.0.0.1:9")
    assert "Traceback" not in result.stderr


def test_an_unknown_command_or_option_is_exit_2(kaspr):
    assert kaspr("credits", "sell").code == 2
    assert kaspr("status", "--jsn").code == 2
    assert kaspr("credits", "buy", "sms", "100").code == 2
    assert kaspr("licenses", "set", "0").code == 2


def test_globex_sees_its_own_workspace(kaspr_as):
    result = kaspr_as(GLOBEX_KEY)("status")
    assert result.stdout.startswith("Globex · Starter · monthly")

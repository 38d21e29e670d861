"""Card, members, invoices downloads and support on the command line."""

from __future__ import annotations

from pathlib import Path

from pypdf import PdfReader

from kaspr_tui.api.models import Member, PaymentMethod, SupportTicket, Transfer
from kaspr_tui.server.testing import MEMBER_KEY, SUPPORT_KEY


def test_card_update_from_stdin_makes_it_the_default(kaspr, admin):
    result = kaspr("card", "update", "--json", input="4000 0566 5566 5556\n03/31\n321\nAlice Martin\n")
    assert result.code == 0, result.stderr
    card = PaymentMethod.model_validate(result.json())
    assert (card.brand, card.last4, card.exp_month, card.exp_year, card.is_default) == ("visa", "5556", 3, 2031, True)
    assert "Visa •••• 5556  expires 03/2031 is now your default card." in result.stderr
    default = next(card for card in admin.get("/v1/payment_methods").json()["data"] if card["is_default"])
    assert default["last4"] == "5556"


def test_card_update_with_name_option_reads_three_lines(kaspr):
    result = kaspr("card", "update", "--name", "Alice Martin", input="4242424242424242\n12/30\n123\n")
    assert result.code == 0, result.stderr


def test_a_bad_card_is_refused_before_sending_with_every_problem_and_exit_2(kaspr, admin):
    cards_before = admin.get("/v1/payment_methods").json()
    result = kaspr("card", "update", input="4242424242424241\n13/30\n12\n\n")
    assert result.code == 2
    assert "Card number: This card number is not valid" in result.stderr
    assert "Expiry: Enter the expiry as MM/YY" in result.stderr
    assert "Security code: Enter the 3-digit security code" in result.stderr
    assert "Name on card: Enter the name as printed on the card." in result.stderr
    assert admin.get("/v1/payment_methods").json() == cards_before


def test_a_card_the_bank_refuses_on_saving_is_exit_3(kaspr):
    result = kaspr("card", "update", input="4100000000000019\n12/30\n123\nAlice\n")
    assert result.code == 3


def test_card_update_with_nothing_on_stdin_says_what_to_give(kaspr):
    result = kaspr("card", "update")
    assert result.code == 2
    assert "one per line: number, expiry MM/YY, security code, name" in result.stderr


def test_a_member_may_not_change_the_card_and_is_not_asked_for_it(kaspr_as):
    result = kaspr_as(MEMBER_KEY)("card", "update", input="4242424242424242\n12/30\n123\nBastien\n")
    assert result.code == 4


def test_invite_and_remove(kaspr, admin):
    invited = kaspr("members", "invite", "new@acme.example", "--role", "admin", "--json")
    assert invited.code == 0, invited.stderr
    member = Member.model_validate(invited.json())
    assert (member.email, member.role, member.status) == ("new@acme.example", "admin", "invited")
    assert "1 license left free" in invited.stderr
    full = kaspr("members", "invite", "another@acme.example")
    assert full.code == 0
    no_seat = kaspr("members", "invite", "third@acme.example")
    assert no_seat.code == 6
    unconfirmed = kaspr("members", "remove", "new@acme.example")
    assert unconfirmed.code == 2
    removed = kaspr("members", "remove", "NEW@acme.example", "--yes")
    assert removed.code == 0, removed.stderr
    assert "The invitation of new@acme.example is revoked." in removed.stdout
    assert kaspr("members", "remove", "nobody@acme.example", "--yes").code == 5
    emails = [m["email"] for m in admin.get("/v1/members", params={"limit": 100}).json()["data"]]
    assert "new@acme.example" not in emails and "another@acme.example" in emails


def test_invite_checks_the_address_first(kaspr):
    result = kaspr("members", "invite", "not-an-email")
    assert result.code == 2
    assert "Enter an email address like name@company.com." in result.stderr


def test_download_latest_by_number_and_year_never_over_a_file(kaspr, tmp_path):
    folder = tmp_path / "pdfs"
    latest = kaspr("invoices", "download", "--latest", "--dir", str(folder))
    assert latest.code == 0, latest.stderr
    [path] = latest.stdout.splitlines()
    assert Path(path).name == "ACME-2026-000012.pdf"
    assert "ACME-2026-000012" in PdfReader(path).pages[0].extract_text()
    again = kaspr("invoices", "download", "ACME-2026-000012", "--dir", str(folder), "--json")
    assert again.code == 0, again.stderr
    [saved] = again.json()
    assert saved["number"] == "ACME-2026-000012"
    assert Path(saved["path"]).name == "ACME-2026-000012 (1).pdf"
    assert "saved beside it" in again.stderr
    by_id = kaspr("invoices", "download", saved["id"], "--dir", str(folder))
    assert by_id.code == 0
    year = kaspr("invoices", "download", "--year", "2026", "--dir", str(tmp_path / "year"))
    assert year.code == 0
    assert len(year.stdout.splitlines()) == 12


def test_download_to_the_configured_folder(kaspr, tmp_path):
    result = kaspr("invoices", "download", "--latest", KASPR_DOWNLOAD_DIR=str(tmp_path / "configured"))
    assert result.code == 0, result.stderr
    assert Path(result.stdout.strip()).parent == tmp_path / "configured"


def test_download_of_what_does_not_exist_is_exit_5(kaspr, tmp_path):
    assert kaspr("invoices", "download", "ACME-2020-000001", "--dir", str(tmp_path)).code == 5
    assert kaspr("invoices", "download", "in_999999", "--dir", str(tmp_path)).code == 5
    assert kaspr("invoices", "download", "--year", "2019", "--dir", str(tmp_path)).code == 5
    assert kaspr("invoices", "download", "--dir", str(tmp_path)).code == 2  # say which


def test_support_requests(kaspr, admin):
    change = kaspr("support", "request", "email-change", "alice@newjob.example", "--json")
    assert change.code == 0, change.stderr
    ticket = SupportTicket.model_validate(change.json())
    assert ticket.kind == "change_email"
    assert (
        ticket.message
        == "Please change the email address of my account from alice@acme.example to alice@newjob.example."
    )
    transfer = kaspr("support", "request", "transfer", "--to", "alice@newjob.example", "--message", "From Monday")
    assert transfer.code == 0
    assert "Support will answer at alice@acme.example" in transfer.stdout
    assert kaspr("support", "request", "delete-account").code == 2  # asks first
    deleted = kaspr("support", "request", "delete-account", "--yes")
    assert deleted.code == 0
    assert "Deleting your account also deletes your subscription plan" in deleted.stderr
    assert kaspr("support", "request", "email-change", "nope").code == 2


def test_support_transfer_moves_a_license_and_credits(kaspr_as):
    support = kaspr_as(SUPPORT_KEY)
    unconfirmed = support(
        "support",
        "transfer",
        "--from",
        "bastien@acme.example",
        "--to",
        "gina@globex.example",
        "--license",
        "--credits",
        "phone=100",
        "--reason",
        "Changed jobs",
    )
    assert unconfirmed.code == 2
    assert "Moves the license (bastien@acme.example leaves Acme Corp" in unconfirmed.stdout
    done = support(
        "support",
        "transfer",
        "--from",
        "bastien@acme.example",
        "--to",
        "gina@globex.example",
        "--license",
        "--credits",
        "phone=100",
        "--reason",
        "Changed jobs",
        "--yes",
        "--json",
    )
    assert done.code == 0, done.stderr
    transfer = Transfer.model_validate(done.json())
    assert (transfer.license, transfer.credits["phone"]) == (True, 100)


def test_support_transfer_refuses_what_cannot_be(kaspr_as):
    support = kaspr_as(SUPPORT_KEY)
    nothing = support(
        "support", "transfer", "--from", "bastien@acme.example", "--to", "bastien@acme.example", "--reason", " "
    )
    assert nothing.code == 2
    assert "another account than the old one" in nothing.stderr
    assert "Choose what to move" in nothing.stderr
    assert "--reason: say why" in nothing.stderr
    too_much = support(
        "support",
        "transfer",
        "--from",
        "bastien@acme.example",
        "--to",
        "gina@globex.example",
        "--credits",
        "phone=999999",
        "--reason",
        "x",
        "--yes",
    )
    assert too_much.code == 2
    assert "Only 2,160 phone credits left in Acme Corp this period." in too_much.stderr
    missing = support(
        "support",
        "transfer",
        "--from",
        "nobody@acme.example",
        "--to",
        "gina@globex.example",
        "--license",
        "--reason",
        "x",
        "--yes",
    )
    assert missing.code == 5

"""The demo data of API.md, built relative to the clock's now by the server's own operations.

History is replayed step by step (purchases, renewals, credit resets), so the demo's invoices and
feed look exactly like what the server produces later. Ids come from counters: the same seed at
the same frozen time gives byte-identical answers.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from pydantic import SecretStr

from kaspr_tui.api.models import (
    AddonQuantity,
    AddressInput,
    BillingDetailsUpdate,
    CheckoutRequest,
    MemberRole,
    PaymentMethodCreate,
    QuoteRequest,
)
from kaspr_tui.billing.catalog import CreditType
from kaspr_tui.billing.periods import add_months, credit_period_bounds, next_period_end
from kaspr_tui.billing.quotes import Terms
from kaspr_tui.server.billing_details import save_billing_details
from kaspr_tui.server.credits import consume, grant_credit_period
from kaspr_tui.server.members import add_member, invite
from kaspr_tui.server.payment_methods import add_card
from kaspr_tui.server.processor import create_checkout
from kaspr_tui.server.quoting import create_quote
from kaspr_tui.server.renewals import catch_up
from kaspr_tui.server.store import Store, Tx, hash_api_key, to_db_time
from kaspr_tui.server.subscriptions import set_auto_renew

SEEDED_KEY = "seeded"

DEMO_KEYS = {
    "kt_demo_admin": "Acme Corp admin (Alice Martin)",
    "kt_demo_member": "Acme Corp member (Bastien Moreau)",
    "kt_demo_support": "Kaspr support (Sofia Reyes)",
    "kt_demo_globex": "Globex admin (Gina Lopez)",
}

ACME_MEMBERS: list[tuple[str, str, MemberRole]] = [
    ("Alice Martin", "alice@acme.example", "admin"),
    ("Bastien Moreau", "bastien@acme.example", "member"),
    ("Chloé Dubois", "chloe@acme.example", "member"),
    ("David Chen", "david@acme.example", "member"),
    ("Emma Laurent", "emma@acme.example", "member"),
    ("Farid Benali", "farid@acme.example", "member"),
    ("Giulia Rossi", "giulia@acme.example", "member"),
]
ACME_INVITATION = "hugo@acme.example"

LAST_ANCHOR_DAY = 28
"""Anchor the demo on a day every month has, so its history reads simply."""


def seed_if_empty(store: Store, now: datetime, fingerprint_key: bytes) -> None:
    with store.transaction(lambda: now) as tx:
        if tx.meta(SEEDED_KEY):
            return
        _seed(tx, fingerprint_key)
        tx.set_meta(SEEDED_KEY, "1")


def _at(tx: Tx, moment: datetime) -> Tx:
    """The same transaction, dated `moment`: history is written as it would have happened."""
    return Tx(tx.conn, moment)


def _midnight_days_ago(now: datetime, days: int) -> datetime:
    day = now.replace(hour=0, minute=0, second=0, microsecond=0) - timedelta(days=days)
    return day.replace(day=min(day.day, LAST_ANCHOR_DAY))


def _user(tx: Tx, name: str, email: str, *, is_support: bool = False, api_key: str | None = None) -> str:
    user_id = tx.new_id("usr")
    tx.run("INSERT INTO users(id, email, name, is_support, created) VALUES (?, ?, ?, ?, ?)",
           (user_id, email, name, int(is_support), to_db_time(tx.now)))
    if api_key:
        tx.run("INSERT INTO api_keys(key_hash, user_id, created) VALUES (?, ?, ?)",
               (hash_api_key(api_key), user_id, to_db_time(tx.now)))
    return user_id


def _workspace(tx: Tx, name: str, prefix: str, terms: Terms) -> str:
    workspace_id = tx.new_id("ws")
    period_end = next_period_end(tx.now, terms.interval)
    tx.run(
        "INSERT INTO workspaces(id, name, invoice_prefix, plan, interval, seats, period_start, period_end,"
        " billing_anchor, created) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (workspace_id, name, prefix, terms.plan, terms.interval, terms.seats, to_db_time(tx.now),
         to_db_time(period_end), to_db_time(tx.now), to_db_time(tx.now)),
    )
    _, credit_end = credit_period_bounds(tx.now, tx.now)
    grant_credit_period(tx, workspace_id, terms, tx.now, credit_end, {})
    return workspace_id


@dataclass
class _Admin:
    workspace_id: str
    email: str
    card_id: str


def _buy(tx: Tx, admin: _Admin, request: QuoteRequest) -> None:
    catch_up(tx, admin.workspace_id)
    quote = create_quote(tx, admin.workspace_id, request)
    create_checkout(tx, admin.workspace_id, CheckoutRequest(quote_id=quote.id, payment_method_id=admin.card_id),
                    actor=admin.email, payment_delay=0)


def _card(number: str, exp_year: int, name: str) -> PaymentMethodCreate:
    return PaymentMethodCreate(number=SecretStr(number), exp_month=12, exp_year=exp_year,
                               cvc=SecretStr("123"), name=name, make_default=True)


def _addons(credit_type: CreditType, quantity: int) -> QuoteRequest:
    return QuoteRequest(addons=[AddonQuantity(type=credit_type, quantity=quantity)])


def _seed(tx: Tx, fingerprint_key: bytes) -> None:
    now = tx.now
    _user(tx, "Sofia Reyes", "sofia@kaspr.example", is_support=True, api_key="kt_demo_support")
    _seed_acme(tx, fingerprint_key, now)
    _seed_globex(tx, fingerprint_key, now)


def _seed_acme(tx: Tx, fingerprint_key: bytes, now: datetime) -> None:
    this_month = _midnight_days_ago(now, 10)  # credits reset 10 days ago
    created = _at(tx, add_months(this_month, -15))  # the annual period before this one
    workspace_id = _workspace(created, "Acme Corp", "ACME", Terms("business", "year", 10))
    keys = {"alice@acme.example": "kt_demo_admin", "bastien@acme.example": "kt_demo_member"}
    for index, (name, email, role) in enumerate(ACME_MEMBERS):
        joined = _at(tx, created.now + timedelta(days=index * 3))
        add_member(joined, workspace_id, _user(joined, name, email, api_key=keys.get(email)), role)
    alice = "alice@acme.example"
    setup = _at(tx, created.now + timedelta(days=1))
    save_billing_details(setup, workspace_id, BillingDetailsUpdate(
        company="Acme Corp", contact_name="Alice Martin", email="billing@acme.example",
        address=AddressInput(line1="12 rue de la Paix", city="Paris", postal_code="75002", country="FR"),
        vat_number="FR40303265045",
    ), actor=alice)
    card = add_card(setup, workspace_id, _card("4242424242424242", created.now.year + 4, "Alice Martin"),
                    fingerprint_key=fingerprint_key, actor=alice)
    admin = _Admin(workspace_id, alice, card.id)
    _buy(_at(tx, add_months(this_month, -10) + timedelta(days=18, hours=10)), admin, _addons("phone", 500))
    export_bought = _at(tx, this_month + timedelta(days=3, hours=15))
    _buy(export_bought, admin, _addons("export", 10000))
    set_auto_renew(_at(tx, export_bought.now + timedelta(minutes=5)), workspace_id, "export", False, actor=alice)
    recently = _at(tx, now - timedelta(days=1))
    catch_up(recently, workspace_id)
    for credit_type, quantity, user in (("phone", 340, "bastien@acme.example"),
                                        ("direct_email", 125, "chloe@acme.example"),
                                        ("export", 2300, "david@acme.example")):
        consume(recently, workspace_id, credit_type, quantity, actor=user)
    invite(_at(tx, now - timedelta(hours=20)), workspace_id, ACME_INVITATION, "member", actor=alice)
    catch_up(tx, workspace_id)


def _seed_globex(tx: Tx, fingerprint_key: bytes, now: datetime) -> None:
    started = _at(tx, add_months(_midnight_days_ago(now, 20), -3) + timedelta(hours=9))
    workspace_id = _workspace(started, "Globex", "GLBX", Terms("free", "month", 1))
    gina = "gina@globex.example"
    add_member(started, workspace_id, _user(started, "Gina Lopez", gina, api_key="kt_demo_globex"), "admin")
    save_billing_details(started, workspace_id, BillingDetailsUpdate(
        company="Globex GmbH", contact_name="Gina Lopez", email="billing@globex.example",
        address=AddressInput(line1="Friedrichstraße 68", city="Berlin", postal_code="10117", country="DE"),
        vat_number="DE136695976",
    ), actor=gina)
    card = add_card(started, workspace_id, _card("5555555555554444", started.now.year + 3, "Gina Lopez"),
                    fingerprint_key=fingerprint_key, actor=gina)
    _buy(started, _Admin(workspace_id, gina, card.id), QuoteRequest(plan="starter", interval="month", seats=3))
    joined = _at(tx, started.now + timedelta(days=2))
    add_member(joined, workspace_id, _user(joined, "David Chen", "david.chen@globex.example"), "member")
    catch_up(tx, workspace_id)



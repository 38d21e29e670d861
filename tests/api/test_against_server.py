"""BillingClient end to end against the bundled server over loopback HTTP (seeded, clock frozen)."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable

import pytest
from pydantic import SecretStr

from kaspr_tui.api import ApiError, BillingClient, new_idempotency_key
from kaspr_tui.api.models import (
    AddressInput,
    BillingDetailsUpdate,
    CardInput,
    PaymentMethodCreate,
    QuoteRequest,
    SupportRequestCreate,
)
from kaspr_tui.server.testing import (
    ADMIN_KEY,
    FROZEN_NOW,
    GLOBEX_KEY,
    SUPPORT_KEY,
    LiveServer,
)

ClientFor = Callable[[str | None], BillingClient]


@pytest.fixture
async def client_for(live_server: LiveServer) -> AsyncIterator[ClientFor]:
    clients: list[BillingClient] = []

    def make(api_key: str | None) -> BillingClient:
        client = BillingClient(live_server.url, api_key)
        clients.append(client)
        return client

    yield make
    for client in clients:
        await client.aclose()


@pytest.fixture
def admin(client_for: ClientFor) -> BillingClient:
    return client_for(ADMIN_KEY)


async def test_the_admin_sees_the_seeded_acme_subscription(admin: BillingClient):
    me = await admin.me()
    subscription = await admin.subscription()

    assert me.role == "admin"
    assert me.workspace is not None and me.workspace.name == "Acme Corp"
    # API.md's seed: business, annual, 10 seats for 7 members and 1 pending invitation.
    assert (subscription.plan, subscription.interval) == ("business", "year")
    assert subscription.seats == 10
    assert (subscription.members, subscription.pending_invitations) == (7, 1)
    assert subscription.seats_available == 2
    assert subscription.payment_method is not None
    assert subscription.payment_method.last4 == "4242"


async def test_support_reads_another_workspace_by_naming_it(client_for: ClientFor):
    globex_workspace = (await client_for(GLOBEX_KEY).me()).workspace
    assert globex_workspace is not None
    support = client_for(SUPPORT_KEY)

    me = await support.me()
    subscription = await support.subscription(workspace=globex_workspace.id)

    assert (me.role, me.workspace) == ("support", None)
    assert (subscription.plan, subscription.interval, subscription.seats) == ("starter", "month", 3)


async def test_buying_seats_charges_once_even_when_the_checkout_is_sent_twice(admin: BillingClient):
    card = next(card for card in await admin.payment_methods() if card.is_default)
    quote = await admin.create_quote(QuoteRequest(seats=12))
    key = new_idempotency_key()

    started = await admin.create_checkout(quote.id, card.id, idempotency_key=key)
    finished = await admin.wait_for_checkout(started.id, poll_interval=0)
    # The person presses Pay again after a glitch: the same key replays the first answer.
    again = await admin.create_checkout(quote.id, card.id, idempotency_key=key)

    assert finished.status == "succeeded"
    assert again.id == started.id
    assert (await admin.subscription()).seats == 12
    assert finished.invoice_id is not None
    invoice = await admin.invoice(finished.invoice_id)
    assert invoice.status == "paid"
    assert invoice.total == quote.total_due_now
    assert invoice.number is not None
    assert invoice.number.startswith(f"ACME-{FROZEN_NOW.year}-")
    assert (await admin.invoice_pdf(invoice.id)).startswith(b"%PDF-")


async def test_a_declined_card_fails_the_checkout_and_changes_nothing(admin: BillingClient):
    declined = await admin.add_payment_method(
        PaymentMethodCreate(
            number="4000000000000002", exp_month=12, exp_year=2030, cvc="123", name="Ada Lovelace"
        )
    )
    quote = await admin.create_quote(QuoteRequest(seats=11))

    checkout = await admin.create_checkout(
        quote.id, declined.id, idempotency_key=new_idempotency_key()
    )
    checkout = await admin.wait_for_checkout(checkout.id, poll_interval=0)

    assert declined.last4 == "0002"
    assert checkout.status == "failed"
    assert checkout.error is not None
    assert (checkout.error.type, checkout.error.code) == ("card_error", "card_declined")
    assert (await admin.subscription()).seats == 10


async def test_invalid_billing_details_come_back_as_one_error_per_field(admin: BillingClient):
    update = BillingDetailsUpdate(
        company="Acme Corp",
        contact_name="Ada Lovelace",
        email="not an email",
        address=AddressInput(
            line1="1 rue de Rivoli", city="Paris", postal_code="7500", country="FR"
        ),
        vat_number="FR00000000000",
    )
    with pytest.raises(ApiError) as raised:
        await admin.update_billing_details(update)

    exc = raised.value
    assert (exc.status, exc.type) == (400, "invalid_request_error")
    assert exc.request_id is not None and exc.request_id.startswith("req_")
    assert set(exc.field_errors()) == {"email", "address.postal_code", "vat_number"}


async def test_spending_more_credits_than_left_is_a_402(admin: BillingClient):
    with pytest.raises(ApiError) as raised:
        await admin.consume_credits("phone", 1_000_000)

    assert (raised.value.status, raised.value.code) == (402, "insufficient_credits")
    assert not raised.value.is_card_error


async def test_a_wrong_key_is_an_authentication_error(client_for: ClientFor):
    with pytest.raises(ApiError) as raised:
        await client_for("kt_not_a_key").me()

    assert raised.value.status == 401
    assert raised.value.is_authentication_error


async def test_iterating_invoices_returns_every_invoice_once_newest_first(admin: BillingClient):
    everything = (await admin.invoices(limit=100)).data
    walked = [invoice async for invoice in admin.iter_invoices(page_size=5)]

    assert len(everything) > 10  # a year of history: the walk crosses several pages
    assert [invoice.id for invoice in walked] == [invoice.id for invoice in everything]
    assert [invoice.created for invoice in walked] == sorted(
        (invoice.created for invoice in walked), reverse=True
    )


async def test_an_order_paid_with_a_card_and_details_given_inline(admin: BillingClient) -> None:
    details = BillingDetailsUpdate(
        company="Acme SAS", contact_name="Alice Martin", email="factures@acme.example",
        address=AddressInput(line1="1 place Bellecour", city="Lyon", postal_code="69002", country="FR"),
        vat_number="FR40303265045",
    )
    card = CardInput(number=SecretStr("5555555555554444"), exp_month=11, exp_year=2031, cvc=SecretStr("486"),
                     name="Alice Martin")
    quote = await admin.create_quote(QuoteRequest(seats=11, billing_details=details))
    checkout = await admin.create_checkout(quote.id, payment_method=card, billing_details=details,
                                           idempotency_key=new_idempotency_key())
    assert checkout.status == "succeeded"
    assert (await admin.billing_details()).company == "Acme SAS"
    assert [(m.last4, m.is_default) for m in await admin.payment_methods()] == [("4444", True), ("4242", False)]


async def test_a_lost_checkout_is_found_by_status_and_failed_payments_are_marked(admin: BillingClient) -> None:
    declined = await admin.add_payment_method(PaymentMethodCreate(
        number=SecretStr("4000000000000002"), exp_month=12, exp_year=2030, cvc=SecretStr("123"), name="A"))
    quote = await admin.create_quote(QuoteRequest(seats=11))
    failed = await admin.create_checkout(quote.id, declined.id, idempotency_key=new_idempotency_key())
    [found] = (await admin.checkouts(status="failed")).data
    assert (found.id, found.error.code if found.error else None) == (failed.id, "card_declined")
    [void] = (await admin.invoices(status="void")).data
    assert void.id == failed.invoice_id and void.payment_error is not None
    assert void.payment_error.code == "card_declined"
    assert all(invoice.status == "paid" for invoice in (await admin.invoices(status="paid", limit=100)).data)


async def test_the_support_inbox_lists_open_requests_and_closing_reaches_the_customer(
    admin: BillingClient, client_for: ClientFor
) -> None:
    staff = client_for(SUPPORT_KEY)
    sent = [await admin.create_support_request(SupportRequestCreate(kind="other", message=f"Question {n}"))
            for n in range(3)]
    open_ids = [ticket.id async for ticket in staff.iter_support_inbox(status="open", page_size=2)]
    assert open_ids == [ticket.id for ticket in reversed(sent)]
    closed = await staff.close_support_request(sent[0].id)
    assert (closed.status, closed.closed_by) == ("closed", "sofia@kaspr.example")
    assert await staff.close_support_request(sent[0].id) == closed
    assert (await staff.support_request(sent[0].id)).status == "closed"
    mine = (await admin.support_requests()).data
    assert [(t.id, t.status, t.closed_at) for t in mine][-1] == (sent[0].id, "closed", closed.closed_at)
    assert sent[0].id not in [ticket.id async for ticket in staff.iter_support_inbox(status="open")]


async def test_a_read_only_client_sends_no_close(live_server: LiveServer, client_for: ClientFor) -> None:
    ticket = await client_for(ADMIN_KEY).create_support_request(SupportRequestCreate(kind="other", message="Hi"))
    async with BillingClient(live_server.url, SUPPORT_KEY, read_only=True) as looking:
        with pytest.raises(ApiError) as refused:
            await looking.close_support_request(ticket.id)
        assert refused.value.code == "read_only"
        assert (await looking.support_request(ticket.id)).status == "open"
async def test_a_role_change_and_a_resend_come_back_as_models_and_the_last_admin_as_an_error(
    admin: BillingClient,
) -> None:
    members = {member.email: member async for member in admin.iter_members()}
    bastien, hugo, alice = (members[f"{name}@acme.example"] for name in ("bastien", "hugo", "alice"))

    promoted = await admin.change_role(bastien.id, "admin")
    assert (promoted.email, promoted.role) == ("bastien@acme.example", "admin")

    resent = await admin.resend_invitation(hugo.id)
    again = await admin.resend_invitation(hugo.id)
    assert (resent.sent, resent.invitation.email, resent.sent_at) == (True, "hugo@acme.example", FROZEN_NOW)
    assert (again.sent, again.sent_at) == (False, FROZEN_NOW)

    await admin.change_role(bastien.id, "member")
    with pytest.raises(ApiError) as refused:
        await admin.change_role(alice.id, "member")
    assert (refused.value.status, refused.value.code) == (409, "last_admin")

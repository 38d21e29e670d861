"""Every endpoint of API.md: thin functions that check who calls, open one transaction on the
workspace (caught up with the clock first) and hand over to the services."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Header, Path, Query, Request, Response
from fastapi.routing import APIRoute

from kaspr_tui.api.models import (
    Account,
    AddonPackWire,
    AddonRenewalUpdate,
    AdvanceClockRequest,
    AuthenticateRequest,
    BillingDetails,
    BillingDetailsUpdate,
    Catalog,
    Checkout,
    CheckoutRequest,
    CheckoutStatus,
    ClockState,
    ConsumeRequest,
    CreditAllowance,
    CreditsResponse,
    EmailChangeRequest,
    ErrorResponse,
    Event,
    Health,
    InvitationCreate,
    InvitationResent,
    Invoice,
    InvoiceStatus,
    InvoiceSummary,
    ListResponse,
    Me,
    Member,
    MemberUpdate,
    PaymentMethod,
    PaymentMethodCreate,
    PlanWire,
    Quote,
    QuoteRequest,
    Subscription,
    SupportAccount,
    SupportRequestCreate,
    SupportRequestStatus,
    SupportTicket,
    Transfer,
    TransferRequest,
    UpcomingCharge,
    User,
    WorkspaceRef,
)
from kaspr_tui.billing.catalog import ADDON_PACKS, PLANS, CreditType
from kaspr_tui.billing.errors import FieldError
from kaspr_tui.server import members as member_service
from kaspr_tui.server import payment_methods as cards
from kaspr_tui.server import processor, support
from kaspr_tui.server.auth import (
    Principal,
    Scope,
    authenticate,
    own_workspace,
    require,
    workspace_scope,
)
from kaspr_tui.server.billing_details import save_billing_details
from kaspr_tui.server.context import ServerContext, get_context
from kaspr_tui.server.credits import balances, consume
from kaspr_tui.server.errors import field_errors, invalid, not_found
from kaspr_tui.server.events import event_wire
from kaspr_tui.server.invoices import invoice_detail, invoice_summary
from kaspr_tui.server.pagination import Limit, StartingAfter, page
from kaspr_tui.server.quoting import create_quote
from kaspr_tui.server.renewals import upcoming_charges
from kaspr_tui.server.subscriptions import cancel_scheduled_change, set_auto_renew
from kaspr_tui.server.support import CardHolder
from kaspr_tui.server.workspaces import (
    billing_details_of,
    load_workspace,
    subscription_view,
)

Context = Annotated[ServerContext, Depends(get_context)]
ObjectId = Annotated[str, Path(max_length=64)]
IdempotencyKey = Annotated[
    str | None,
    Header(alias="Idempotency-Key", min_length=1, max_length=255,
           description="Makes a retry safe: the first answer is stored 24 h and replayed."),
]
RequiredIdempotencyKey = Annotated[
    str,
    Header(alias="Idempotency-Key", min_length=1, max_length=255,
           description="Required: reuse it when retrying this payment, so it is never paid twice."),
]


def documented(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """The error answers a route may give, each with the one error body; plus the ones every
    authenticated route may give (a bad header, no or bad key, another workspace named, a body too
    large, rate limit, injected outage)."""
    descriptions = {
        400: "Invalid request: every problem is listed in `errors`.",
        401: "No API key, or an invalid one.",
        402: "A card or credits refused.",
        403: "The key's role may not do this.",
        404: "No such object in this workspace, or a workspace the key cannot reach (Kaspr-Workspace).",
        409: "Conflicts with the workspace's state.",
        413: "The request body is over 64 KiB.",
        429: "Rate limited: see `Retry-After`.",
        503: "Temporarily unavailable: retry.",
    }
    return {status: {"model": ErrorResponse, "description": descriptions[status]}
            for status in sorted({*statuses, 400, 401, 404, 413, 429, 503})}


ANY_ROLE = ("admin", "member", "support")
READ_ERRORS = documented(400, 403, 404)

async def refuse_unknown_query_parameters(request: Request) -> None:
    """As Stripe does: a query parameter the request does not take is refused, not ignored, so a
    misspelt one (`?stauts=paid`) cannot silently answer something else."""
    route = request.scope.get("route")
    known = {field.alias for field in route.dependant.query_params} if isinstance(route, APIRoute) else set()
    unknown = [name for name in request.query_params if name not in known]
    if unknown:
        raise field_errors([
            FieldError(name, "parameter_unknown",
                       f"{name} is not a parameter of this request: check its spelling." if name
                       else "A query parameter with no name was sent: remove it.")
            for name in unknown
        ])


router = APIRouter(dependencies=[Depends(refuse_unknown_query_parameters)])


# ---- health, identity, catalog --------------------------------------------------------------


@router.get("/healthz", response_model=Health, tags=["meta"], responses={})
def healthz() -> Health:
    return Health(ok=True)


@router.get("/v1/me", response_model=Me, tags=["identity"], responses=documented())
def me(context: Context, principal: Annotated[Principal, Depends(authenticate)]) -> Me:
    workspace = None
    if principal.workspace_id:
        with context.workspace_transaction(principal.workspace_id) as tx:
            workspace = WorkspaceRef(id=principal.workspace_id, name=load_workspace(tx, principal.workspace_id).name)
    return Me(user=User(id=principal.user_id, email=principal.email, name=principal.name),
              role=principal.role, workspace=workspace)


@router.get("/v1/catalog", response_model=Catalog, tags=["catalog"], responses=documented())
def catalog(principal: Annotated[Principal, Depends(authenticate)]) -> Catalog:
    return Catalog(
        plans=[
            PlanWire(id=plan.id, name=plan.name, monthly_unit_amount=plan.monthly_unit_amount,
                     annual_unit_amount=plan.annual_unit_amount, max_seats=plan.max_seats,
                     included_credits=CreditAllowance(**plan.included))
            for plan in PLANS.values()
        ],
        addon_packs=[AddonPackWire(type=pack.type, unit_amount=pack.unit_amount, min=pack.min, max=pack.max,
                                   step=pack.step) for pack in ADDON_PACKS.values()],
    )


@router.get("/v1/account", response_model=Account, tags=["identity"], responses=documented(400))
def account(
    context: Context, principal: Annotated[Principal, Depends(authenticate)], events_limit: Limit = 20
) -> Account:
    """Identity, catalog, subscription and credits, and for an admin the latest events, the cards
    and the billing details: what a client would otherwise ask for in 7 requests, 2 round trips."""
    listing = catalog(principal)
    workspace_id = principal.workspace_id
    if workspace_id is None:
        return Account(me=me(context, principal), catalog=listing)
    with context.workspace_transaction(workspace_id) as tx:
        identity = Me(
            user=User(id=principal.user_id, email=principal.email, name=principal.name),
            role=principal.role,
            workspace=WorkspaceRef(id=workspace_id, name=load_workspace(tx, workspace_id).name),
        )
        answer = Account(
            me=identity, catalog=listing, subscription=subscription_view(tx, workspace_id),
            credits=balances(tx, workspace_id),
        )
        if principal.role != "admin":
            return answer
        rows, _ = page(tx, "events", "workspace_id = ?", (workspace_id,), events_limit, None)
        answer.events = [event_wire(row, for_support=False) for row in rows]
        answer.payment_methods = cards.list_cards(tx, workspace_id)
        answer.billing_details = billing_details_of(tx, workspace_id)
    return answer


# ---- subscription and credits ---------------------------------------------------------------


def _card_hidden_from_support(scope: Scope, answer: CardHolder) -> CardHolder:
    return support.without_card(answer) if scope.principal.role == "support" else answer


@router.get("/v1/subscription", response_model=Subscription, tags=["subscription"], responses=READ_ERRORS)
def get_subscription(context: Context, scope: Annotated[Scope, Depends(workspace_scope(*ANY_ROLE))]) -> Subscription:
    with context.workspace_transaction(scope.workspace_id) as tx:
        return _card_hidden_from_support(scope, subscription_view(tx, scope.workspace_id))


@router.patch("/v1/subscription/addons/{type}", response_model=Subscription, tags=["subscription"],
              responses=documented(400, 403, 404))
def update_addon(
    context: Context, scope: Annotated[Scope, Depends(own_workspace("admin"))], type: CreditType,
    body: AddonRenewalUpdate, _key: IdempotencyKey = None,
) -> Subscription:
    with context.workspace_transaction(scope.workspace_id) as tx:
        return set_auto_renew(tx, scope.workspace_id, type, body.auto_renew, actor=scope.principal.email)


@router.delete("/v1/subscription/scheduled_change", response_model=Subscription, tags=["subscription"],
               responses=documented(400, 403, 404))
def delete_scheduled_change(
    context: Context, scope: Annotated[Scope, Depends(own_workspace("admin"))], _key: IdempotencyKey = None
) -> Subscription:
    with context.workspace_transaction(scope.workspace_id) as tx:
        return cancel_scheduled_change(tx, scope.workspace_id, actor=scope.principal.email)


@router.get("/v1/credits", response_model=CreditsResponse, tags=["credits"], responses=READ_ERRORS)
def get_credits(context: Context, scope: Annotated[Scope, Depends(workspace_scope(*ANY_ROLE))]) -> CreditsResponse:
    with context.workspace_transaction(scope.workspace_id) as tx:
        return CreditsResponse(data=balances(tx, scope.workspace_id))


@router.post("/v1/credits/consume", response_model=CreditsResponse, tags=["credits"],
             responses=documented(400, 402, 403))
def consume_credits(
    context: Context, scope: Annotated[Scope, Depends(own_workspace("admin", "member"))], body: ConsumeRequest,
    _key: IdempotencyKey = None,
) -> CreditsResponse:
    with context.workspace_transaction(scope.workspace_id) as tx:
        consume(tx, scope.workspace_id, body.type, body.quantity, actor=scope.principal.email)
        return CreditsResponse(data=balances(tx, scope.workspace_id))


# ---- quotes and checkouts -------------------------------------------------------------------


@router.post("/v1/quotes", response_model=Quote, tags=["checkout"], responses=documented(400, 403, 404))
def post_quote(
    context: Context, scope: Annotated[Scope, Depends(own_workspace("admin"))], body: QuoteRequest,
    _key: IdempotencyKey = None,
) -> Quote:
    with context.workspace_transaction(scope.workspace_id) as tx:
        return create_quote(tx, scope.workspace_id, body)


def _checkout_response(response: Response, checkout: Checkout) -> Checkout:
    if checkout.status == "processing":
        response.headers["Retry-After"] = "1"
    return checkout


KEY_REQUIRED = frozenset({("POST", "/v1/checkouts")})
"""Writes the idempotency middleware refuses without an Idempotency-Key, before any other check
(`RequiredIdempotencyKey` documents it in the schema)."""

SAFE_TO_RUN_AGAIN = frozenset({("POST", "/v1/checkouts")})
"""Writes that find what an earlier run under the same Idempotency-Key made instead of doing it
again: after a crash lost their answer, a retry may run them again to learn it."""


def _as_settled(context: ServerContext, scope: Scope, checkout_id: str) -> Checkout:
    """The checkout once whatever is due is done: with no payment delay, a payment is settled
    before its answer is sent (by the processor, in its own transaction, as any other)."""
    context.run_due(scope.workspace_id)
    context.wake_settler()  # a payment still processing is the settler's to settle when due
    with context.transaction() as tx:
        return processor.get_checkout(tx, scope.workspace_id, checkout_id)


@router.post("/v1/checkouts", response_model=Checkout, status_code=202, tags=["checkout"],
             responses=documented(400, 402, 403, 404, 409))
def post_checkout(
    context: Context, scope: Annotated[Scope, Depends(own_workspace("admin"))], body: CheckoutRequest,
    response: Response, idempotency_key: RequiredIdempotencyKey,
) -> Checkout:
    with context.workspace_transaction(scope.workspace_id) as tx:
        checkout = processor.create_checkout(
            tx, scope.workspace_id, body, actor=scope.principal.email, processing_from=context.clock.instant(),
            payment_delay=context.settings.payment_delay, fingerprint_key=context.fingerprint_key,
            idempotency_key=idempotency_key,
        )
    return _checkout_response(response, _as_settled(context, scope, checkout.id))


@router.get("/v1/checkouts", response_model=ListResponse[Checkout], tags=["checkout"],
            responses=documented(400, 403))
def list_checkouts(
    context: Context, scope: Annotated[Scope, Depends(own_workspace("admin"))],
    limit: Limit = 20, starting_after: StartingAfter = None,
    status: Annotated[CheckoutStatus | None, Query(description="Only checkouts in this status.")] = None,
) -> ListResponse[Checkout]:
    """Newest first: a client that lost a checkout's id (it crashed after paying) finds it here."""
    with context.workspace_transaction(scope.workspace_id) as tx:
        data, has_more = processor.list_checkouts(tx, scope.workspace_id, status, limit, starting_after)
    return ListResponse[Checkout](data=data, has_more=has_more)


@router.get("/v1/checkouts/{checkout_id}", response_model=Checkout, tags=["checkout"],
            responses=documented(400, 403, 404))
def get_checkout(
    context: Context, scope: Annotated[Scope, Depends(own_workspace("admin"))], checkout_id: ObjectId,
    response: Response,
) -> Checkout:
    with context.workspace_transaction(scope.workspace_id) as tx:
        checkout = processor.get_checkout(tx, scope.workspace_id, checkout_id)
    return _checkout_response(response, checkout)


@router.post("/v1/checkouts/{checkout_id}/authenticate", response_model=Checkout, tags=["checkout"],
             responses=documented(400, 403, 404))
def authenticate_checkout(
    context: Context, scope: Annotated[Scope, Depends(own_workspace("admin"))], checkout_id: ObjectId,
    body: AuthenticateRequest, response: Response, _key: IdempotencyKey = None,
) -> Checkout:
    with context.workspace_transaction(scope.workspace_id) as tx:
        checkout = processor.authenticate_checkout(
            tx, scope.workspace_id, checkout_id, body.result == "approve", processing_from=context.clock.instant(),
            payment_delay=context.settings.payment_delay,
        )
    return _checkout_response(response, _as_settled(context, scope, checkout.id))


# ---- payment methods ------------------------------------------------------------------------


@router.get("/v1/payment_methods", response_model=ListResponse[PaymentMethod], tags=["payment methods"],
            responses=documented(403))
def list_payment_methods(
    context: Context, scope: Annotated[Scope, Depends(own_workspace("admin"))]
) -> ListResponse[PaymentMethod]:
    with context.workspace_transaction(scope.workspace_id) as tx:
        return ListResponse[PaymentMethod](data=cards.list_cards(tx, scope.workspace_id))


@router.post("/v1/payment_methods", response_model=PaymentMethod, tags=["payment methods"],
             responses=documented(400, 402, 403))
def add_payment_method(
    context: Context, scope: Annotated[Scope, Depends(own_workspace("admin"))], body: PaymentMethodCreate,
    _key: IdempotencyKey = None,
) -> PaymentMethod:
    with context.workspace_transaction(scope.workspace_id) as tx:
        return cards.add_card(tx, scope.workspace_id, body, fingerprint_key=context.fingerprint_key,
                              actor=scope.principal.email)


@router.post("/v1/payment_methods/{payment_method_id}/default", response_model=PaymentMethod,
             tags=["payment methods"], responses=documented(400, 403, 404))
def default_payment_method(
    context: Context, scope: Annotated[Scope, Depends(own_workspace("admin"))], payment_method_id: ObjectId,
    _key: IdempotencyKey = None,
) -> PaymentMethod:
    with context.workspace_transaction(scope.workspace_id) as tx:
        return cards.set_default(tx, scope.workspace_id, payment_method_id, actor=scope.principal.email)


@router.delete("/v1/payment_methods/{payment_method_id}", status_code=204, response_class=Response,
               tags=["payment methods"], responses=documented(400, 403, 404, 409))
def delete_payment_method(
    context: Context, scope: Annotated[Scope, Depends(own_workspace("admin"))], payment_method_id: ObjectId,
    _key: IdempotencyKey = None,
) -> Response:
    with context.workspace_transaction(scope.workspace_id) as tx:
        cards.delete_card(tx, scope.workspace_id, payment_method_id, actor=scope.principal.email)
    return Response(status_code=204)


# ---- billing details and invoices -----------------------------------------------------------


@router.get("/v1/billing_details", response_model=BillingDetails, tags=["billing"], responses=READ_ERRORS)
def get_billing_details(
    context: Context, scope: Annotated[Scope, Depends(workspace_scope("admin", "support"))]
) -> BillingDetails:
    with context.workspace_transaction(scope.workspace_id) as tx:
        details = billing_details_of(tx, scope.workspace_id)
    if details is None:
        raise invalid("resource_missing", "This workspace has no billing details yet: an admin can add them.",
                      status=404)
    return details


@router.put("/v1/billing_details", response_model=BillingDetails, tags=["billing"],
            responses=documented(400, 403))
def put_billing_details(
    context: Context, scope: Annotated[Scope, Depends(own_workspace("admin"))], body: BillingDetailsUpdate,
    _key: IdempotencyKey = None,
) -> BillingDetails:
    with context.workspace_transaction(scope.workspace_id) as tx:
        return save_billing_details(tx, scope.workspace_id, body, actor=scope.principal.email)


@router.get("/v1/invoices", response_model=ListResponse[InvoiceSummary], tags=["billing"], responses=READ_ERRORS)
def list_invoices(
    context: Context, scope: Annotated[Scope, Depends(workspace_scope("admin", "support"))],
    limit: Limit = 20, starting_after: StartingAfter = None,
    status: Annotated[InvoiceStatus | None, Query(
        description="Only invoices in this status: `paid` for the bills, `void` for failed payment attempts.")] = None,
) -> ListResponse[InvoiceSummary]:
    where, params = "workspace_id = ?", [scope.workspace_id]
    if status is not None:
        where, params = "workspace_id = ? AND status = ?", [scope.workspace_id, status]
    with context.workspace_transaction(scope.workspace_id) as tx:
        rows, has_more = page(tx, "invoices", where, tuple(params), limit, starting_after)
    return ListResponse[InvoiceSummary](data=[invoice_summary(row) for row in rows], has_more=has_more)


def _invoice(context: ServerContext, scope: Scope, invoice_id: str) -> Invoice:
    with context.workspace_transaction(scope.workspace_id) as tx:
        row = tx.one("SELECT * FROM invoices WHERE id = ? AND workspace_id = ?", (invoice_id, scope.workspace_id))
        if row is None:
            raise not_found("invoice")
        return _card_hidden_from_support(scope, invoice_detail(row, load_workspace(tx, scope.workspace_id).name))


@router.get("/v1/invoices/upcoming", response_model=ListResponse[UpcomingCharge], tags=["billing"],
            responses=READ_ERRORS)
def list_upcoming_charges(
    context: Context, scope: Annotated[Scope, Depends(workspace_scope("admin", "support"))]
) -> ListResponse[UpcomingCharge]:
    """The charges the subscription will make on its own, up to and including the next renewal."""
    with context.workspace_transaction(scope.workspace_id) as tx:
        return ListResponse[UpcomingCharge](data=upcoming_charges(tx, scope.workspace_id))


@router.get("/v1/invoices/{invoice_id}", response_model=Invoice, tags=["billing"], responses=READ_ERRORS)
def get_invoice(
    context: Context, scope: Annotated[Scope, Depends(workspace_scope("admin", "support"))], invoice_id: ObjectId
) -> Invoice:
    return _invoice(context, scope, invoice_id)


@router.get(
    "/v1/invoices/{invoice_id}/pdf", response_class=Response, tags=["billing"],
    responses={200: {"content": {"application/pdf": {"schema": {"type": "string", "format": "binary"}}},
                     "description": "The invoice as a PDF document."}, **READ_ERRORS},
)
def get_invoice_pdf(
    context: Context, scope: Annotated[Scope, Depends(workspace_scope("admin", "support"))], invoice_id: ObjectId
) -> Response:
    from kaspr_tui.server.invoice_pdf import render_invoice_pdf

    invoice = _invoice(context, scope, invoice_id)
    filename = f"{invoice.number or invoice.id}.pdf"
    return Response(render_invoice_pdf(invoice), media_type="application/pdf",
                    headers={"Content-Disposition": f'attachment; filename="{filename}"'})


# ---- members and invitations ----------------------------------------------------------------


@router.get("/v1/members", response_model=ListResponse[Member], tags=["workspace"], responses=READ_ERRORS)
def list_members(
    context: Context, scope: Annotated[Scope, Depends(workspace_scope(*ANY_ROLE))],
    limit: Limit = 20, starting_after: StartingAfter = None,
) -> ListResponse[Member]:
    with context.workspace_transaction(scope.workspace_id) as tx:
        data, has_more = member_service.list_members(tx, scope.workspace_id, limit, starting_after)
    return ListResponse[Member](data=data, has_more=has_more)


@router.post("/v1/invitations", response_model=Member, status_code=201, tags=["workspace"],
             responses=documented(400, 403, 409))
def post_invitation(
    context: Context, scope: Annotated[Scope, Depends(own_workspace("admin"))], body: InvitationCreate,
    _key: IdempotencyKey = None,
) -> Member:
    with context.workspace_transaction(scope.workspace_id) as tx:
        return member_service.invite(tx, scope.workspace_id, body.email, body.role, actor=scope.principal.email)


@router.delete("/v1/invitations/{invitation_id}", status_code=204, response_class=Response, tags=["workspace"],
               responses=documented(400, 403, 404))
def delete_invitation(
    context: Context, scope: Annotated[Scope, Depends(own_workspace("admin"))], invitation_id: ObjectId,
    _key: IdempotencyKey = None,
) -> Response:
    with context.workspace_transaction(scope.workspace_id) as tx:
        member_service.revoke_invitation(tx, scope.workspace_id, invitation_id, actor=scope.principal.email)
    return Response(status_code=204)


@router.delete("/v1/members/{member_id}", status_code=204, response_class=Response, tags=["workspace"],
               responses=documented(400, 403, 404, 409))
def delete_member(
    context: Context, scope: Annotated[Scope, Depends(own_workspace("admin"))], member_id: ObjectId,
    _key: IdempotencyKey = None,
) -> Response:
    with context.workspace_transaction(scope.workspace_id) as tx:
        member_service.remove_member(tx, scope.workspace_id, member_id, actor=scope.principal.email)
    return Response(status_code=204)


@router.patch("/v1/members/{member_id}", response_model=Member, tags=["workspace"],
              responses=documented(400, 403, 404, 409))
def patch_member(
    context: Context, scope: Annotated[Scope, Depends(own_workspace("admin"))], member_id: ObjectId,
    body: MemberUpdate, _key: IdempotencyKey = None,
) -> Member:
    """Change a member's role, or the role a pending invitation grants. The last admin stays one
    (`409 last_admin`); the same role again changes nothing."""
    with context.workspace_transaction(scope.workspace_id) as tx:
        return member_service.change_role(tx, scope.workspace_id, member_id, body.role, actor=scope.principal.email)


@router.post("/v1/invitations/{invitation_id}/resend", response_model=InvitationResent, tags=["workspace"],
             responses=documented(400, 403, 404))
def resend_invitation(
    context: Context, scope: Annotated[Scope, Depends(own_workspace("admin"))], invitation_id: ObjectId,
    _key: IdempotencyKey = None,
) -> InvitationResent:
    """Send a pending invitation again; within a minute of the last one, nothing is sent (`sent: false`)."""
    with context.workspace_transaction(scope.workspace_id) as tx:
        return member_service.resend_invitation(tx, scope.workspace_id, invitation_id, actor=scope.principal.email)


@router.get("/v1/events", response_model=ListResponse[Event], tags=["workspace"], responses=READ_ERRORS)
def list_events(
    context: Context, scope: Annotated[Scope, Depends(workspace_scope("admin", "support"))],
    limit: Limit = 20, starting_after: StartingAfter = None,
) -> ListResponse[Event]:
    with context.workspace_transaction(scope.workspace_id) as tx:
        rows, has_more = page(tx, "events", "workspace_id = ?", (scope.workspace_id,), limit, starting_after)
    for_support = scope.principal.role == "support"
    return ListResponse[Event](data=[event_wire(row, for_support=for_support) for row in rows], has_more=has_more)


# ---- support --------------------------------------------------------------------------------


@router.post("/v1/support_requests", response_model=SupportTicket, status_code=201, tags=["support"],
             responses=documented(400))
def post_support_request(
    context: Context, principal: Annotated[Principal, Depends(authenticate)], body: SupportRequestCreate,
    _key: IdempotencyKey = None,
) -> SupportTicket:
    with context.transaction() as tx:
        return support.create_ticket(tx, body, user_id=principal.user_id, email=principal.email,
                                     workspace_id=principal.workspace_id)


SupportStatusFilter = Annotated[
    SupportRequestStatus | None, Query(description="Only requests in this status: `open` for those still to answer.")
]


@router.get("/v1/support_requests", response_model=ListResponse[SupportTicket], tags=["support"],
            responses=documented(400, 403))
def list_support_requests(
    context: Context, scope: Annotated[Scope, Depends(own_workspace("admin", "member"))],
    limit: Limit = 20, starting_after: StartingAfter = None, status: SupportStatusFilter = None,
) -> ListResponse[SupportTicket]:
    """The workspace's requests to support, newest first: an admin's list has everyone's, a
    member's their own."""
    sender = scope.principal.user_id if scope.principal.role == "member" else None
    with context.transaction() as tx:
        data, has_more = support.list_tickets(
            tx, limit, starting_after, workspace_id=scope.workspace_id, user_id=sender, status=status
        )
    return ListResponse[SupportTicket](data=data, has_more=has_more)


@router.get("/v1/support/requests", response_model=ListResponse[SupportTicket], tags=["support"],
            responses=documented(400, 403))
def list_support_inbox(
    context: Context, principal: Annotated[Principal, Depends(require("support"))],
    limit: Limit = 20, starting_after: StartingAfter = None, status: SupportStatusFilter = None,
) -> ListResponse[SupportTicket]:
    """Every workspace's requests to support (and those of users in none), newest first."""
    with context.transaction() as tx:
        data, has_more = support.list_tickets(tx, limit, starting_after, status=status)
    return ListResponse[SupportTicket](data=data, has_more=has_more)


@router.get("/v1/support/requests/{request_id}", response_model=SupportTicket, tags=["support"],
            responses=documented(400, 403, 404))
def get_support_request(
    context: Context, principal: Annotated[Principal, Depends(require("support"))], request_id: ObjectId
) -> SupportTicket:
    with context.transaction() as tx:
        return support.get_ticket(tx, request_id)


@router.post("/v1/support/requests/{request_id}/close", response_model=SupportTicket, tags=["support"],
             responses=documented(400, 403, 404))
def close_support_request(
    context: Context, principal: Annotated[Principal, Depends(require("support"))], request_id: ObjectId,
    _key: IdempotencyKey = None,
) -> SupportTicket:
    """Closed now, by the caller; closing a closed request answers it as it was closed."""
    with context.transaction() as tx:
        return support.close_ticket(tx, request_id, actor=principal.email)


@router.get("/v1/support/accounts", response_model=SupportAccount, tags=["support"],
            responses=documented(400, 403, 404))
def get_support_account(
    context: Context, principal: Annotated[Principal, Depends(require("support"))],
    email: Annotated[str, Query(min_length=1, max_length=254, description="The user's email address.")],
) -> SupportAccount:
    with context.transaction() as tx:
        workspaces = support.workspaces_of(tx, email)
    with context.workspace_transaction(*workspaces) as tx:
        return support.find_account(tx, email)


@router.post("/v1/support/transfers", response_model=Transfer, tags=["support"],
             responses=documented(400, 402, 403, 404, 409))
def post_transfer(
    context: Context, principal: Annotated[Principal, Depends(require("support"))], body: TransferRequest,
    _key: IdempotencyKey = None,
) -> Transfer:
    with context.transaction() as tx:
        workspaces = support.workspaces_of(tx, body.from_email, body.to_email)
    with context.workspace_transaction(*workspaces) as tx:
        return support.transfer(tx, body, actor=principal.email)


@router.post("/v1/support/email_changes", response_model=User, tags=["support"],
             responses=documented(400, 403, 404, 409))
def post_email_change(
    context: Context, principal: Annotated[Principal, Depends(require("support"))], body: EmailChangeRequest,
    _key: IdempotencyKey = None,
) -> User:
    with context.transaction() as tx:
        return support.change_email(tx, body, actor=principal.email)


# ---- bundled server only --------------------------------------------------------------------


@router.post("/v1/test_helpers/advance_clock", response_model=ClockState, tags=["test helpers"],
             responses=documented(400, 403))
def advance_clock(
    context: Context, principal: Annotated[Principal, Depends(require("admin"))], body: AdvanceClockRequest,
    _key: IdempotencyKey = None,
) -> ClockState:
    """Move the server's clock forward: payments due settle, and renewals, resets and scheduled
    changes happen, in the order they fall due, on the way."""
    seconds = body.days * 86_400 + body.seconds
    if seconds == 0:
        raise invalid("parameter_missing", "Say how far to move the clock: days, seconds, or both.", "days")
    offset = context.clock.offset_seconds
    try:
        with context.transaction() as tx:
            context.clock.advance(tx, seconds)
    except BaseException:
        context.clock.rewind_to(offset)
        raise
    context.run_due_everywhere()
    return ClockState(now=context.clock.now())

"""The wire: pydantic models of every request and response in API.md.

Shared by the bundled server and the client, so the two can never disagree on a field.
Money is integer cents; times are timezone-aware UTC datetimes (RFC 3339 on the wire).
Request models forbid unknown fields so a typo is a 400 naming the field, not silently ignored.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Annotated, Any, Generic, Literal, TypeVar

from pydantic import BaseModel, ConfigDict, Field, SecretStr

from kaspr_tui.billing.catalog import CreditType, Interval, PlanId
from kaspr_tui.billing.validation import MAX_MESSAGE_LENGTH, MAX_REASON_LENGTH

Role = Literal["admin", "member", "support"]
MemberRole = Literal["admin", "member"]
Cents = int
NonNegativeInt = Annotated[int, Field(ge=0, le=10_000_000)]
ShortText = Annotated[str, Field(max_length=200)]

T = TypeVar("T")


# defer_build: each response model builds its validator on first use, not on import, so importing
# the wire costs less; the app's first frame, showing the last known state, builds only what it
# holds. Request models are built on import: FastAPI applies `Body()` to a body's model when it
# first reads one, which a deferred model would take as misplaced field metadata (and warn).


class WireModel(BaseModel):
    """A response body: tolerant of fields a newer server may add."""

    model_config = ConfigDict(extra="ignore", defer_build=True)


class RequestModel(BaseModel):
    """A request body: strict, so a misspelt or unknown field is a clear 400, and a value of the
    wrong JSON type (`0` for a boolean, `"5"` for a number) is refused rather than coerced."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True, strict=True)

    def to_wire(self) -> dict[str, Any]:
        """The JSON body to send (a card's secrets stay masked unless the model reveals them)."""
        return self.model_dump(mode="json", exclude_none=True)


# ---- errors ---------------------------------------------------------------------------------


class FieldErrorWire(WireModel):
    param: str | None = None
    code: str
    message: str


class ErrorBody(WireModel):
    type: str
    code: str
    message: str
    param: str | None = None
    errors: list[FieldErrorWire] = []
    request_id: str | None = None


class ErrorResponse(WireModel):
    error: ErrorBody


class ListResponse(WireModel, Generic[T]):
    object: Literal["list"] = "list"
    data: list[T]
    has_more: bool = False


class Health(WireModel):
    ok: bool


# ---- identity -------------------------------------------------------------------------------


class User(WireModel):
    id: str
    email: str
    name: str


class WorkspaceRef(WireModel):
    id: str
    name: str


class Me(WireModel):
    user: User
    role: Role
    workspace: WorkspaceRef | None


# ---- catalog --------------------------------------------------------------------------------


class CreditAllowance(WireModel):
    phone: int
    direct_email: int
    export: int


class PlanWire(WireModel):
    id: PlanId
    name: str
    monthly_unit_amount: Cents
    annual_unit_amount: Cents
    """Per seat per month on the annual interval; billed 12 months at once."""
    max_seats: int
    included_credits: CreditAllowance
    """Per seat per month, pooled for the workspace."""


class AddonPackWire(WireModel):
    type: CreditType
    unit_amount: Cents
    min: int
    max: int
    step: int


class Catalog(WireModel):
    currency: str = "eur"
    plans: list[PlanWire]
    addon_packs: list[AddonPackWire]


# ---- subscription and credits ---------------------------------------------------------------


class AddonQuantity(RequestModel):
    type: CreditType
    quantity: Annotated[int, Field(ge=1, le=1_000_000)]


class RecurringAddon(WireModel):
    type: CreditType
    quantity: int
    auto_renew: bool


class ScheduledChange(WireModel):
    plan: PlanId
    interval: Interval
    seats: int
    effective_at: datetime


class CardSummary(WireModel):
    brand: str
    last4: str


SubscriptionStatus = Literal["active", "past_due", "canceled"]


class Subscription(WireModel):
    object: Literal["subscription"] = "subscription"
    plan: PlanId
    interval: Interval
    seats: int
    members: int
    pending_invitations: int
    seats_available: int
    status: SubscriptionStatus
    current_period_start: datetime
    current_period_end: datetime
    addons: list[RecurringAddon]
    scheduled_change: ScheduledChange | None
    payment_method: CardSummary | None


class AddonRenewalUpdate(RequestModel):
    auto_renew: bool


class CreditBalance(WireModel):
    type: CreditType
    included: int
    addon: int
    used: int
    remaining: int
    resets_at: datetime


class CreditsResponse(WireModel):
    data: list[CreditBalance]


class ConsumeRequest(RequestModel):
    type: CreditType
    quantity: Annotated[int, Field(ge=1, le=1_000_000)]


# ---- quotes and checkouts -------------------------------------------------------------------


class QuoteRequest(RequestModel):
    plan: PlanId | None = None
    interval: Interval | None = None
    seats: Annotated[int, Field(ge=1, le=100_000)] | None = None
    addons: Annotated[list[AddonQuantity], Field(max_length=3)] = []
    billing_details: BillingDetailsUpdate | None = None
    """Price the tax for these details instead of the saved ones (an order whose details are not
    saved yet); nothing is saved."""


def change_request(
    subscription: Subscription,
    plan: str,
    interval: str | None,
    seats: int | None,
    addons: Mapping[CreditType, int] | None = None,
) -> QuoteRequest | None:
    """The quote request for what differs from today's subscription (an interval or seats of None:
    unchanged; add-on credits of 0: none); None when nothing does. The Upgrade pane's and
    `kaspr-tui plan change`'s."""
    changes: dict[str, object] = {}
    if plan != subscription.plan:
        changes["plan"] = plan
    if interval is not None and interval != subscription.interval:
        changes["interval"] = interval
    if seats is not None and seats != subscription.seats:
        changes["seats"] = seats
    added = [AddonQuantity(type=credit_type, quantity=quantity) for credit_type, quantity in (addons or {}).items()
             if quantity]
    if not changes and not added:
        return None
    return QuoteRequest.model_validate({**changes, "addons": added})


class QuoteLine(WireModel):
    description: str
    quantity: int
    unit_amount: Cents
    amount: Cents


class Tax(WireModel):
    rate_percent: float
    amount: Cents
    reverse_charge: bool
    country: str | None = None


class Quote(WireModel):
    object: Literal["quote"] = "quote"
    id: str
    currency: str = "eur"
    plan: PlanId
    interval: Interval
    seats: int
    addons: list[AddonQuantity] = []
    lines: list[QuoteLine]
    subtotal: Cents
    tax: Tax
    total_due_now: Cents
    next_renewal_total: Cents
    renews_at: datetime
    """When `next_renewal_total` is billed: the end of the billing period in force once this is paid."""
    monthly_addons_total: Cents = 0
    """What each monthly credit reset before `renews_at` charges for the add-on packs that renew once
    this is paid (tax included); 0 when no pack renews or the resets are the renewals (a monthly plan)."""
    monthly_addons_from: datetime | None = None
    """The first of those resets; None when `monthly_addons_total` is 0."""
    effective_at: datetime
    """When the part charged now applies (now, for an upgrade or credits)."""
    scheduled_for: datetime | None
    """Set when all or part of the change waits for the period end (a downgrade, fewer seats)."""
    scheduled_change: ScheduledChange | None = None
    expires_at: datetime
    created: datetime


class CheckoutRequest(RequestModel):
    """Pay a quote with a saved card (`payment_method_id`) or a new one (`payment_method`), optionally
    for other billing details (`billing_details`). A new card and new details are saved, as the
    default card and the workspace's details, only once the payment succeeds."""

    quote_id: Annotated[str, Field(min_length=1, max_length=64)]
    payment_method_id: Annotated[str, Field(min_length=1, max_length=64)] | None = None
    payment_method: CardInput | None = None
    billing_details: BillingDetailsUpdate | None = None

    def to_wire(self) -> dict[str, Any]:
        body = super().to_wire()
        if self.payment_method is not None:
            body["payment_method"] = self.payment_method.to_wire()
        return body


CheckoutStatus = Literal["processing", "requires_action", "succeeded", "failed"]


class CheckoutError(WireModel):
    type: str
    code: str
    message: str


class Checkout(WireModel):
    object: Literal["checkout"] = "checkout"
    id: str
    status: CheckoutStatus
    quote: Quote
    invoice_id: str | None
    error: CheckoutError | None = None
    created: datetime


class AuthenticateRequest(RequestModel):
    result: Literal["approve", "deny"]


# ---- payment methods ------------------------------------------------------------------------


class PaymentMethod(WireModel):
    id: str
    brand: str
    last4: str
    exp_month: int
    exp_year: int
    name: str | None = None
    is_default: bool


class CardInput(RequestModel):
    """A card as typed. `number` and `cvc` are secrets: they never appear in a repr, a log or an error."""

    number: SecretStr = Field(max_length=32)
    exp_month: Annotated[int, Field(ge=1, le=12)]
    exp_year: Annotated[int, Field(ge=2000, le=2200)]
    cvc: SecretStr = Field(max_length=8)
    name: Annotated[str, Field(min_length=1, max_length=100)]

    def to_wire(self) -> dict[str, Any]:
        """The JSON body to send: the only place the secrets are revealed."""
        body = self.model_dump(mode="json")
        body["number"] = self.number.get_secret_value()
        body["cvc"] = self.cvc.get_secret_value()
        return body


class PaymentMethodCreate(CardInput):
    """A new card to save now; the same card (by fingerprint) saved again is the one card, updated."""

    make_default: bool = False


# ---- billing details and invoices -----------------------------------------------------------


class Address(WireModel):
    line1: str
    line2: str | None = None
    city: str
    postal_code: str
    state: str | None = None
    country: str
    """ISO 3166-1 alpha-2, upper case."""


VatStatus = Literal["valid", "invalid", "none"]


class BillingDetails(WireModel):
    company: str
    contact_name: str
    email: str
    address: Address
    vat_number: str | None = None
    vat_status: VatStatus = "none"


class AddressInput(RequestModel):
    line1: ShortText
    line2: ShortText | None = None
    city: ShortText
    postal_code: Annotated[str, Field(max_length=20)]
    state: ShortText | None = None
    country: Annotated[str, Field(max_length=2)]


class BillingDetailsUpdate(RequestModel):
    company: ShortText
    contact_name: ShortText
    email: Annotated[str, Field(max_length=254)]
    address: AddressInput
    vat_number: Annotated[str, Field(max_length=32)] | None = None


InvoiceStatus = Literal["open", "paid", "void"]


class InvoiceSummary(WireModel):
    id: str
    number: str | None
    """Assigned when the invoice is paid: `ACME-2026-000001`, gapless per workspace."""
    status: InvoiceStatus
    payment_error: CheckoutError | None = None
    """On a `void` invoice: why its payment failed. Such an invoice is a failed payment attempt,
    never numbered; it is not a bill."""
    created: datetime
    total: Cents
    currency: str = "eur"
    period_start: datetime
    period_end: datetime


class Invoice(InvoiceSummary):
    lines: list[QuoteLine]
    subtotal: Cents
    tax: Tax
    billing_details: BillingDetails | None
    """A copy of the details as they were when the invoice was issued."""
    payment_method: CardSummary | None = None
    paid_at: datetime | None = None
    workspace_name: str


class UpcomingCharge(WireModel):
    """A charge the subscription will make on its own, as things are now (`GET /v1/invoices/upcoming`)."""

    date: datetime
    kind: Literal["addons", "renewal"]
    """`addons`: a monthly reset renewing the add-on packs; `renewal`: the period's renewal (with its
    scheduled change and the packs)."""
    description: str
    lines: list[QuoteLine]
    total: Cents
    currency: str = "eur"
    period_start: datetime
    period_end: datetime


# ---- members and invitations ----------------------------------------------------------------


class Member(WireModel):
    id: str
    """`usr_…` for an active member, `inv_…` for an invitation."""
    email: str
    name: str | None
    role: MemberRole
    status: Literal["active", "invited"]
    joined_at: datetime | None


class InvitationCreate(RequestModel):
    email: Annotated[str, Field(max_length=254)]
    role: MemberRole = "member"


class MemberUpdate(RequestModel):
    """`PATCH /v1/members/{id}`: a member's role, or the role a pending invitation grants."""

    role: MemberRole


class InvitationResent(WireModel):
    """`POST /v1/invitations/{id}/resend`: whether the invitation went out again, and when it last did."""

    object: Literal["invitation_resent"] = "invitation_resent"
    invitation: Member
    sent: bool
    """False when it went out less than a minute ago: it is not sent again (a double Enter sends one)."""
    sent_at: datetime
    """When the latest invitation email went out: now, or the one that made this resend unnecessary."""


# ---- support --------------------------------------------------------------------------------

SupportRequestKind = Literal["change_email", "account_transfer", "delete_account", "other"]
SupportRequestStatus = Literal["open", "closed"]


class SupportRequestCreate(RequestModel):
    kind: SupportRequestKind
    message: Annotated[str, Field(min_length=1, max_length=MAX_MESSAGE_LENGTH)]
    new_email: Annotated[str, Field(max_length=254)] | None = None


class SupportTicket(WireModel):
    object: Literal["support_request"] = "support_request"
    id: str
    kind: SupportRequestKind
    message: str
    new_email: str | None
    status: SupportRequestStatus
    created: datetime
    closed_at: datetime | None = None
    closed_by: str | None = None
    """Email of the support agent who closed it."""
    requester: User | None = None
    """Who sent it, as they are now (an email changed since shows the new one)."""
    workspace: WorkspaceRef | None = None
    """The workspace the requester was in when they sent it (None: no workspace)."""


class Event(WireModel):
    id: str
    type: str
    """Dotted, e.g. `subscription.updated`, `invoice.paid`, `support.transfer_in`."""
    created: datetime
    actor: str | None
    """Email of who did it, or None for the system (renewals)."""
    description: str
    """One sentence for a person: `Seats changed from 10 to 12`."""
    data: dict[str, Any] = {}


class SupportAccount(WireModel):
    user: User
    role: Role
    workspace: WorkspaceRef | None
    subscription: Subscription | None
    credits: list[CreditBalance]
    recent_invoices: list[InvoiceSummary]
    recent_events: list[Event]


class CreditAmounts(RequestModel):
    phone: NonNegativeInt = 0
    direct_email: NonNegativeInt = 0
    export: NonNegativeInt = 0


class TransferRequest(RequestModel):
    from_email: Annotated[str, Field(max_length=254)]
    to_email: Annotated[str, Field(max_length=254)]
    license: bool = False
    credits: CreditAmounts = CreditAmounts()
    reason: Annotated[str, Field(min_length=1, max_length=MAX_REASON_LENGTH)]


class Transfer(WireModel):
    object: Literal["transfer"] = "transfer"
    id: str
    from_email: str
    to_email: str
    from_workspace: WorkspaceRef
    to_workspace: WorkspaceRef
    license: bool
    credits: dict[CreditType, int]
    reason: str
    created: datetime


class EmailChangeRequest(RequestModel):
    user_email: Annotated[str, Field(max_length=254)]
    new_email: Annotated[str, Field(max_length=254)]


class AdvanceClockRequest(RequestModel):
    """How far to move the clock: `days`, `seconds`, or both (at least one second in all)."""

    days: Annotated[int, Field(ge=0, le=3660)] = 0
    seconds: Annotated[int, Field(ge=0, le=86_400)] = 0


class ClockState(WireModel):
    now: datetime


# ---- the account at once (kaspr-tui's addition to API.md, see README's API notes) ------------


class Account(WireModel):
    """`GET /v1/account`: everything the app shows at start, in one answer read in one transaction.
    What the caller's role may not read is left empty: a member gets no events, cards or billing
    details; support staff (no workspace) get their identity and the catalog."""

    me: Me
    catalog: Catalog
    subscription: Subscription | None = None
    credits: list[CreditBalance] = []
    events: list[Event] = []
    payment_methods: list[PaymentMethod] = []
    billing_details: BillingDetails | None = None

"""`BillingClient`: the billing API of API.md over httpx, answers parsed into the wire models.

One client per app. Every call that changes something carries an `Idempotency-Key`, built into
the request once and so resent unchanged on every retry: a timeout followed by a retry can never
charge twice. Connection failures, timeouts, 429, 502/503/504 and a 409 `idempotency_key_in_use`
are retried with exponential backoff and jitter, or after the server's `Retry-After`; any other
error is raised at once as an `ApiError`.

Card numbers: the card body is a plain value only inside `_build_request` (from
`CardInput.to_wire()`, for a card saved or paid with inline), whose frame is gone before anything can fail, and no
`ApiError` is raised while a transport exception is being handled. So neither an exception,
its chain, nor a traceback that shows locals (Textual's crash report does) can carry a card.

Every attempt is logged on `kaspr_tui.api.client` at INFO: method, path (without the query),
status, duration and Request-Id; never a header, a body or a query string, so never a key or a
card. A read-only client (`read_only=True`) refuses every write (`is_write_request`) before it
is sent.
"""

from __future__ import annotations

import asyncio
import functools
import logging
import random
import re
import time
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from functools import partial
from typing import Any, Literal, Protocol, TypeVar
from urllib.parse import quote

import httpx
from pydantic import BaseModel, ValidationError

from kaspr_tui import __version__
from kaspr_tui.api.errors import ApiError, retry_after_seconds
from kaspr_tui.api.models import (
    Account,
    AddonRenewalUpdate,
    AdvanceClockRequest,
    AuthenticateRequest,
    BillingDetails,
    BillingDetailsUpdate,
    CardInput,
    Catalog,
    Checkout,
    CheckoutRequest,
    CheckoutStatus,
    ClockState,
    ConsumeRequest,
    CreditBalance,
    CreditsResponse,
    EmailChangeRequest,
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
    MemberRole,
    MemberUpdate,
    PaymentMethod,
    PaymentMethodCreate,
    Quote,
    QuoteRequest,
    RequestModel,
    Subscription,
    SupportAccount,
    SupportRequestCreate,
    SupportRequestStatus,
    SupportTicket,
    Transfer,
    TransferRequest,
    UpcomingCharge,
    User,
)
from kaspr_tui.billing.catalog import CreditType

log = logging.getLogger(__name__)

Model = TypeVar("Model", bound=BaseModel)


class Listed(Protocol):
    """What a paginated list holds: items with an id, which `starting_after` names."""

    @property
    def id(self) -> str: ...


Item = TypeVar("Item", bound=Listed)

MAX_RETRY_DELAY = 30.0
"""Seconds: the longest one wait between attempts may be, whatever the server asks."""
DEFAULT_POLL_INTERVAL = 1.0
"""Seconds between checkout polls when the server sends no `Retry-After`."""
RETRYABLE_STATUSES = frozenset({429, 502, 503, 504})
KEY_IN_USE = "idempotency_key_in_use"
"""409 while the first request with this key still runs: after a timeout that is our own
earlier attempt, and asking again later returns its stored answer (Stripe retries it too)."""
RETRYABLE_TRANSPORT_ERRORS = (httpx.TimeoutException, httpx.NetworkError, httpx.RemoteProtocolError)
"""No answer, or the connection dropped before one: the same request may safely go again
(writes carry an Idempotency-Key). A bad URL or proxy setting would fail the same way again."""
WRITE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})
PRICE_ONLY_PATHS = frozenset({"/v1/quotes"})
"""Posted to, but nothing changes: pricing is allowed to a read-only client."""
READ_ONLY_CODE = "read_only"
WORKSPACE_HEADER = "Kaspr-Workspace"
"""Which workspace a support key reads; other keys are bound to their own."""


def is_write_request(method: str, path: str) -> bool:
    """Whether a request changes something: every POST, PUT, PATCH and DELETE but a quote."""
    return method.upper() in WRITE_METHODS and path not in PRICE_ONLY_PATHS


def new_idempotency_key() -> str:
    """A fresh key for one user action; pass it again when the person retries that action."""
    return f"kt_{uuid.uuid4().hex}"


class BillingClient:
    def __init__(
        self,
        base_url: str,
        api_key: str | None,
        *,
        timeout: float = 10.0,
        max_retries: int = 3,
        backoff: float = 0.25,
        transport: httpx.AsyncBaseTransport | None = None,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
        read_only: bool = False,
    ) -> None:
        headers = {"User-Agent": f"kaspr-tui/{__version__}"}
        if api_key:
            headers["Authorization"] = f"Bearer {api_key}"
        self.base_url = base_url
        self.read_only = read_only
        self._timeout = timeout
        self._max_retries = max_retries
        self._backoff = backoff
        self._sleep = sleep
        # Plain http never uses TLS: not loading the CA bundle saves ~70 ms of startup.
        uses_tls = httpx.URL(base_url).scheme == "https"
        self._http = httpx.AsyncClient(
            base_url=base_url, headers=headers, timeout=timeout, transport=transport, verify=uses_tls
        )

    async def __aenter__(self) -> BillingClient:
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        await self._http.aclose()

    # ---- the one request path ---------------------------------------------------------------

    def _build_request(
        self,
        method: str,
        path: str,
        *,
        body: RequestModel | None,
        params: dict[str, Any] | None,
        workspace: str | None,
        idempotency_key: str | None,
        accept: str,
    ) -> httpx.Request:
        headers = {"Accept": accept}
        if method in WRITE_METHODS:
            headers["Idempotency-Key"] = (
                new_idempotency_key() if idempotency_key is None else idempotency_key
            )
        if workspace is not None:
            headers[WORKSPACE_HEADER] = workspace
        # A card's own serializer (`CardInput.to_wire`) is the only one that reveals it.
        wire = None if body is None else body.to_wire()
        return self._http.build_request(method, path, json=wire, params=params, headers=headers)

    async def _request(
        self,
        method: str,
        path: str,
        *,
        body: RequestModel | None = None,
        params: dict[str, Any] | None = None,
        workspace: str | None = None,
        idempotency_key: str | None = None,
        accept: str = "application/json",
        retry: bool = True,
    ) -> httpx.Response:
        """Send once, and again on a retryable failure; the 2xx response, or raise `ApiError`."""
        if self.read_only and is_write_request(method, path):
            raise ApiError(
                status=0,
                type=READ_ONLY_CODE,
                code=READ_ONLY_CODE,
                message=(
                    "Read-only: changes are turned off here (--read-only, or read_only = true in the config), "
                    "so nothing was sent and nothing changed."
                ),
            )
        request = self._build_request(
            method,
            path,
            body=body,
            params=params,
            workspace=workspace,
            idempotency_key=idempotency_key,
            accept=accept,
        )
        attempts = 1 + (self._max_retries if retry else 0)
        attempt = 0
        while True:  # every path through the loop body returns, raises or retries
            attempt += 1
            started = time.perf_counter()
            try:
                response = await self._http.send(request)
            except httpx.TransportError as exc:
                failure = self._transport_failure(exc, attempt)
                retryable = isinstance(exc, RETRYABLE_TRANSPORT_ERRORS)
                _log_exchange(request, failure.code, started, None)
            else:
                _log_exchange(request, str(response.status_code), started, response.headers.get("Request-Id"))
                if response.is_success:
                    return response
                failure = ApiError.from_response(response)
                retryable = response.status_code in RETRYABLE_STATUSES or failure.code == KEY_IN_USE
            # Raised here, outside the `except`, so no transport exception is chained to it.
            if not retryable or attempt == attempts:
                raise failure
            delay = self._retry_delay(attempt, failure.retry_after)
            log.debug(
                "%s %s failed (%s), attempt %d of %d; retrying in %.2f s",
                method,
                path,
                failure.code,
                attempt,
                attempts,
                delay,
            )
            await self._sleep(delay)

    def _transport_failure(self, exc: httpx.TransportError, attempts: int) -> ApiError:
        if isinstance(exc, httpx.TimeoutException):
            return ApiError.timed_out(self.base_url, self._timeout, attempts)
        return ApiError.unreachable(self.base_url, _reason(exc))

    def _retry_delay(self, attempt: int, retry_after: float | None) -> float:
        """The server's `Retry-After` if it sent one, else exponential backoff with jitter."""
        if retry_after is not None:
            return min(retry_after, MAX_RETRY_DELAY)
        # Equal jitter: half the backoff is fixed, half random, so clients that failed together
        # do not all come back together.
        backoff = self._backoff * 2 ** (attempt - 1)
        return min(backoff * (0.5 + random.random() / 2), MAX_RETRY_DELAY)

    async def _call(self, method: str, path: str, model: type[Model], **options: Any) -> Model:
        return _parse(await self._request(method, path, **options), model)

    async def _list(
        self,
        path: str,
        item: type[Item],
        *,
        limit: int,
        starting_after: str | None,
        workspace: str | None,
        extra: dict[str, Any] | None = None,
    ) -> ListResponse[Item]:
        params: dict[str, Any] = {"limit": limit, **(extra or {})}
        if starting_after is not None:
            params["starting_after"] = starting_after
        # pydantic builds the page's model from the item type at run time, which mypy cannot follow.
        page = ListResponse[item]  # type: ignore[valid-type]
        return await self._call("GET", path, page, params=params, workspace=workspace)

    # ---- identity and catalog -----------------------------------------------------------------

    async def health(self) -> bool:
        """Whether the server answers `/healthz` right now (one try, no retries)."""
        try:
            return (await self._call("GET", "/healthz", Health, retry=False)).ok
        except ApiError:
            return False

    async def me(self) -> Me:
        return await self._call("GET", "/v1/me", Me)

    async def catalog(self) -> Catalog:
        return await self._call("GET", "/v1/catalog", Catalog)

    async def account(self, *, events_limit: int = 20) -> Account:
        """Everything the app shows at start in one request (`GET /v1/account`, kaspr-tui's server
        only: another server answers 404, see `state.fetch_account`)."""
        return await self._call("GET", "/v1/account", Account, params={"events_limit": events_limit})

    # ---- subscription and credits ---------------------------------------------------------------

    async def subscription(self, workspace: str | None = None) -> Subscription:
        return await self._call("GET", "/v1/subscription", Subscription, workspace=workspace)

    async def set_addon_auto_renew(
        self, type: CreditType, auto_renew: bool, *, idempotency_key: str | None = None
    ) -> Subscription:
        return await self._call(
            "PATCH",
            f"/v1/subscription/addons/{_segment(type)}",
            Subscription,
            body=AddonRenewalUpdate(auto_renew=auto_renew),
            idempotency_key=idempotency_key,
        )

    async def cancel_scheduled_change(self, *, idempotency_key: str | None = None) -> Subscription:
        return await self._call(
            "DELETE",
            "/v1/subscription/scheduled_change",
            Subscription,
            idempotency_key=idempotency_key,
        )

    async def credits(self, workspace: str | None = None) -> list[CreditBalance]:
        return (await self._call("GET", "/v1/credits", CreditsResponse, workspace=workspace)).data

    async def consume_credits(
        self, type: CreditType, quantity: int, *, idempotency_key: str | None = None
    ) -> list[CreditBalance]:
        balances = await self._call(
            "POST",
            "/v1/credits/consume",
            CreditsResponse,
            body=ConsumeRequest(type=type, quantity=quantity),
            idempotency_key=idempotency_key,
        )
        return balances.data

    # ---- quotes and checkouts -----------------------------------------------------------------

    async def create_quote(
        self, request: QuoteRequest, *, idempotency_key: str | None = None
    ) -> Quote:
        return await self._call(
            "POST", "/v1/quotes", Quote, body=request, idempotency_key=idempotency_key
        )

    async def create_checkout(
        self,
        quote_id: str,
        payment_method_id: str | None = None,
        *,
        payment_method: CardInput | None = None,
        billing_details: BillingDetailsUpdate | None = None,
        idempotency_key: str,
    ) -> Checkout:
        """Pay a quote with a saved card (`payment_method_id`) or a new one (`payment_method`), for
        the saved billing details or the order's own (`billing_details`; quote with the same ones
        so the VAT matches). A new card and new details are saved only if the payment succeeds.
        The key is required: reuse it when the person retries this payment."""
        return await self._call(
            "POST",
            "/v1/checkouts",
            Checkout,
            body=CheckoutRequest(quote_id=quote_id, payment_method_id=payment_method_id,
                                 payment_method=payment_method, billing_details=billing_details),
            idempotency_key=idempotency_key,
        )

    async def checkouts(
        self,
        *,
        status: CheckoutStatus | None = None,
        limit: int = 20,
        starting_after: str | None = None,
    ) -> ListResponse[Checkout]:
        """Checkouts, newest first: how a client that lost a checkout's id finds it again."""
        return await self._list(
            "/v1/checkouts",
            Checkout,
            limit=limit,
            starting_after=starting_after,
            workspace=None,
            extra={"status": status} if status is not None else None,
        )

    async def get_checkout(self, checkout_id: str) -> Checkout:
        return await self._call("GET", _checkout_path(checkout_id), Checkout)

    async def authenticate_checkout(
        self,
        checkout_id: str,
        result: Literal["approve", "deny"],
        *,
        idempotency_key: str | None = None,
    ) -> Checkout:
        """Answer a 3-D Secure step."""
        return await self._call(
            "POST",
            f"{_checkout_path(checkout_id)}/authenticate",
            Checkout,
            body=AuthenticateRequest(result=result),
            idempotency_key=idempotency_key,
        )

    async def wait_for_checkout(
        self, checkout_id: str, *, poll_interval: float | None = None
    ) -> Checkout:
        """Poll until the checkout is `succeeded`, `failed` or `requires_action`.

        Waits `poll_interval` seconds between polls if given, else what the server's
        `Retry-After` asks. Runs until then: cancel the worker to stop waiting.
        """
        while True:
            response = await self._request("GET", _checkout_path(checkout_id))
            checkout = _parse(response, Checkout)
            if checkout.status != "processing":
                return checkout
            if poll_interval is not None:
                await self._sleep(poll_interval)
            else:
                retry_after = retry_after_seconds(response)
                wait = DEFAULT_POLL_INTERVAL if retry_after is None else retry_after
                await self._sleep(min(wait, MAX_RETRY_DELAY))

    # ---- payment methods ------------------------------------------------------------------

    async def payment_methods(self) -> list[PaymentMethod]:
        return (await self._call("GET", "/v1/payment_methods", ListResponse[PaymentMethod])).data

    async def add_payment_method(
        self, card: PaymentMethodCreate, *, idempotency_key: str | None = None
    ) -> PaymentMethod:
        return await self._call(
            "POST", "/v1/payment_methods", PaymentMethod, body=card, idempotency_key=idempotency_key
        )

    async def set_default_payment_method(
        self, id: str, *, idempotency_key: str | None = None
    ) -> PaymentMethod:
        return await self._call(
            "POST",
            f"/v1/payment_methods/{_segment(id)}/default",
            PaymentMethod,
            idempotency_key=idempotency_key,
        )

    async def delete_payment_method(self, id: str, *, idempotency_key: str | None = None) -> None:
        await self._request(
            "DELETE", f"/v1/payment_methods/{_segment(id)}", idempotency_key=idempotency_key
        )

    # ---- billing details and invoices -------------------------------------------------------

    async def billing_details(self, workspace: str | None = None) -> BillingDetails:
        return await self._call("GET", "/v1/billing_details", BillingDetails, workspace=workspace)

    async def update_billing_details(
        self, update: BillingDetailsUpdate, *, idempotency_key: str | None = None
    ) -> BillingDetails:
        return await self._call(
            "PUT",
            "/v1/billing_details",
            BillingDetails,
            body=update,
            idempotency_key=idempotency_key,
        )

    async def invoices(
        self,
        *,
        limit: int = 20,
        starting_after: str | None = None,
        workspace: str | None = None,
        status: InvoiceStatus | None = None,
    ) -> ListResponse[InvoiceSummary]:
        """Newest first; `status="paid"` for the bills only, `"void"` for failed payment attempts
        (each with its `payment_error`)."""
        return await self._list(
            "/v1/invoices",
            InvoiceSummary,
            limit=limit,
            starting_after=starting_after,
            workspace=workspace,
            extra={"status": status} if status is not None else None,
        )

    def iter_invoices(
        self, *, page_size: int = 100, workspace: str | None = None, status: InvoiceStatus | None = None
    ) -> AsyncIterator[InvoiceSummary]:
        """Every invoice (or those of `status`), newest first, fetching `page_size` at a time."""
        return _walk(functools.partial(self.invoices, status=status), page_size=page_size, workspace=workspace)

    async def upcoming_charges(self, workspace: str | None = None) -> list[UpcomingCharge]:
        """What the subscription will charge on its own, up to and including the next renewal."""
        return (await self._call(
            "GET", "/v1/invoices/upcoming", ListResponse[UpcomingCharge], workspace=workspace
        )).data

    async def invoice(self, id: str, workspace: str | None = None) -> Invoice:
        return await self._call("GET", f"/v1/invoices/{_segment(id)}", Invoice, workspace=workspace)

    async def invoice_pdf(self, id: str, workspace: str | None = None) -> bytes:
        response = await self._request(
            "GET",
            f"/v1/invoices/{_segment(id)}/pdf",
            workspace=workspace,
            accept="application/pdf",
        )
        return response.content

    # ---- members and invitations ------------------------------------------------------------

    async def members(
        self, *, limit: int = 20, starting_after: str | None = None, workspace: str | None = None
    ) -> ListResponse[Member]:
        return await self._list(
            "/v1/members", Member, limit=limit, starting_after=starting_after, workspace=workspace
        )

    def iter_members(
        self, *, page_size: int = 100, workspace: str | None = None
    ) -> AsyncIterator[Member]:
        """Every member and pending invitation, fetching `page_size` at a time."""
        return _walk(self.members, page_size=page_size, workspace=workspace)

    async def invite(
        self, request: InvitationCreate, *, idempotency_key: str | None = None
    ) -> Member:
        return await self._call(
            "POST", "/v1/invitations", Member, body=request, idempotency_key=idempotency_key
        )

    async def revoke_invitation(self, id: str, *, idempotency_key: str | None = None) -> None:
        await self._request(
            "DELETE", f"/v1/invitations/{_segment(id)}", idempotency_key=idempotency_key
        )

    async def remove_member(self, id: str, *, idempotency_key: str | None = None) -> None:
        await self._request(
            "DELETE", f"/v1/members/{_segment(id)}", idempotency_key=idempotency_key
        )

    async def change_role(
        self, id: str, role: MemberRole, *, idempotency_key: str | None = None
    ) -> Member:
        """A member's role, or the role a pending invitation grants (`409 last_admin` for the last admin)."""
        return await self._call(
            "PATCH",
            f"/v1/members/{_segment(id)}",
            Member,
            body=MemberUpdate(role=role),
            idempotency_key=idempotency_key,
        )

    async def resend_invitation(
        self, id: str, *, idempotency_key: str | None = None
    ) -> InvitationResent:
        """Send a pending invitation again; `sent` is False when it went out less than a minute ago."""
        return await self._call(
            "POST",
            f"/v1/invitations/{_segment(id)}/resend",
            InvitationResent,
            idempotency_key=idempotency_key,
        )

    # ---- support ----------------------------------------------------------------------------

    async def create_support_request(
        self, request: SupportRequestCreate, *, idempotency_key: str | None = None
    ) -> SupportTicket:
        return await self._call(
            "POST",
            "/v1/support_requests",
            SupportTicket,
            body=request,
            idempotency_key=idempotency_key,
        )

    async def support_requests(
        self,
        *,
        status: SupportRequestStatus | None = None,
        limit: int = 20,
        starting_after: str | None = None,
        workspace: str | None = None,
    ) -> ListResponse[SupportTicket]:
        """The caller's requests to support, newest first (an admin's: the whole workspace's)."""
        return await self._list(
            "/v1/support_requests", SupportTicket, limit=limit, starting_after=starting_after, workspace=workspace,
            extra={"status": status} if status is not None else None,
        )

    def iter_support_requests(
        self, *, status: SupportRequestStatus | None = None, page_size: int = 100
    ) -> AsyncIterator[SupportTicket]:
        """Every one of the caller's requests (in `status`), fetching `page_size` at a time."""
        return _walk(partial(self.support_requests, status=status), page_size=page_size, workspace=None)

    async def support_inbox(
        self, *, status: SupportRequestStatus | None = None, limit: int = 20, starting_after: str | None = None
    ) -> ListResponse[SupportTicket]:
        """Support staff: every workspace's requests, newest first; `status="open"` for those to answer."""
        return await self._list(
            "/v1/support/requests", SupportTicket, limit=limit, starting_after=starting_after, workspace=None,
            extra={"status": status} if status is not None else None,
        )

    def iter_support_inbox(
        self, *, status: SupportRequestStatus | None = None, page_size: int = 100
    ) -> AsyncIterator[SupportTicket]:
        """Every request of the inbox (in `status`), fetching `page_size` at a time."""

        def fetch_page(*, workspace: str | None, **page: Any) -> Awaitable[ListResponse[SupportTicket]]:
            return self.support_inbox(status=status, **page)  # the inbox spans every workspace: no header

        return _walk(fetch_page, page_size=page_size, workspace=None)

    async def support_request(self, id: str) -> SupportTicket:
        return await self._call("GET", f"/v1/support/requests/{_segment(id)}", SupportTicket)

    async def close_support_request(self, id: str, *, idempotency_key: str | None = None) -> SupportTicket:
        """Closed by the caller (support staff); one already closed comes back as it was closed."""
        return await self._call(
            "POST", f"/v1/support/requests/{_segment(id)}/close", SupportTicket, idempotency_key=idempotency_key
        )

    async def events(
        self, *, limit: int = 20, starting_after: str | None = None, workspace: str | None = None
    ) -> ListResponse[Event]:
        return await self._list(
            "/v1/events", Event, limit=limit, starting_after=starting_after, workspace=workspace
        )

    async def support_account(self, email: str) -> SupportAccount:
        return await self._call(
            "GET", "/v1/support/accounts", SupportAccount, params={"email": email}
        )

    async def support_transfer(
        self, request: TransferRequest, *, idempotency_key: str | None = None
    ) -> Transfer:
        return await self._call(
            "POST", "/v1/support/transfers", Transfer, body=request, idempotency_key=idempotency_key
        )

    async def support_email_change(
        self, request: EmailChangeRequest, *, idempotency_key: str | None = None
    ) -> User:
        return await self._call(
            "POST", "/v1/support/email_changes", User, body=request, idempotency_key=idempotency_key
        )

    # ---- bundled server only ----------------------------------------------------------------

    async def advance_clock(
        self, days: int = 0, *, seconds: int = 0, idempotency_key: str | None = None
    ) -> ClockState:
        return await self._call(
            "POST",
            "/v1/test_helpers/advance_clock",
            ClockState,
            body=AdvanceClockRequest(days=days, seconds=seconds),
            idempotency_key=idempotency_key,
        )


def _log_exchange(request: httpx.Request, outcome: str, started: float, request_id: str | None) -> None:
    """`GET /v1/subscription 200 12 ms req_…`: the path only, never its query, a header or a body."""
    milliseconds = (time.perf_counter() - started) * 1000
    log.info("%s %s %s %.0f ms %s", request.method, request.url.path, outcome, milliseconds, request_id or "-")


def _parse(response: httpx.Response, model: type[Model]) -> Model:
    try:
        return model.model_validate_json(response.content)
    except ValidationError:
        raise ApiError.unexpected_response(response) from None


async def _walk(
    fetch_page: Callable[..., Awaitable[ListResponse[Item]]],
    *,
    page_size: int,
    workspace: str | None,
) -> AsyncIterator[Item]:
    """Every item of a paginated list, following `starting_after` from page to page."""
    starting_after = None
    while True:
        page = await fetch_page(limit=page_size, starting_after=starting_after, workspace=workspace)
        for item in page.data:
            yield item
        if not page.has_more or not page.data:
            return
        starting_after = page.data[-1].id


def _checkout_path(checkout_id: str) -> str:
    return f"/v1/checkouts/{_segment(checkout_id)}"


def _segment(value: str) -> str:
    """An id as one path segment: a `/` or `?` in it cannot reach another endpoint."""
    return quote(value, safe="")


def _reason(exc: httpx.TransportError) -> str:
    """`[Errno 111] Connection refused` → `connection refused`."""
    reason = re.sub(r"^\[Errno -?\d+\]\s*", "", str(exc)) or type(exc).__name__
    return reason[0].lower() + reason[1:]

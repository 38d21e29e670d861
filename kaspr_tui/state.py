"""The account state every screen shows, how it is fetched, how a failure reads, and what screens
ask of the app (`AppHost`).

`AccountState` is immutable: a load builds a new one and the app publishes it as a whole, so a
screen never sees half of one load and half of another. Fetching happens in the app's workers,
never while rendering. No Textual here: the command line shares it.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any, Protocol, runtime_checkable

from kaspr_tui.api import ApiError, BillingClient
from kaspr_tui.api.models import (
    BillingDetails,
    Catalog,
    CreditBalance,
    Event,
    Me,
    PaymentMethod,
    Role,
    Subscription,
)
from kaspr_tui.config import Settings

RECENT_EVENTS = 20
"""Enough to fill a tall terminal; the dashboard shows as many as fit."""

AUTH_ADVICE = "Run `kaspr-tui login` to store a valid key, or pass --token, then restart kaspr-tui."


@dataclass(frozen=True)
class Problem:
    """A failure as the person at the keyboard should read it: what failed, and what to do."""

    title: str
    detail: str

    @classmethod
    def from_error(cls, error: BaseException) -> Problem:
        if isinstance(error, ApiError):
            detail = str(error)
            if error.is_authentication_error:
                detail = f"{detail} {AUTH_ADVICE}"
            return cls(problem_title(error), detail)
        # Anything else is a bug or a broken answer: say so plainly rather than crash the app.
        return cls("Something went wrong while loading your account", f"{type(error).__name__}: {error}")


def problem_title(error: ApiError) -> str:
    if error.code == "timeout":
        return "The billing server did not answer in time"
    if error.is_connection_error:
        return "Cannot reach the billing server"
    if error.is_authentication_error:
        return "The API key was refused"
    if error.is_permission_error:
        return "This key is not allowed to do that"
    if error.status == 429:
        return "Too many requests"
    if error.status >= 500:
        return "The billing server had a problem"
    return "The billing server refused the request"


@dataclass(frozen=True)
class AccountState:
    me: Me | None = None
    catalog: Catalog | None = None
    subscription: Subscription | None = None
    credits: tuple[CreditBalance, ...] = ()
    events: tuple[Event, ...] = ()
    payment_methods: tuple[PaymentMethod, ...] = ()
    billing_details: BillingDetails | None = None
    loaded_at: datetime | None = None
    """When the data shown was fetched (local time), for the stale notice."""
    loading: bool = False
    error: Problem | None = None
    """Why the latest load failed; None once a load succeeds."""
    starting_server: bool = False
    """The bundled server is still starting (embedded mode)."""

    @property
    def loaded(self) -> bool:
        return self.me is not None

    @property
    def stale(self) -> bool:
        """Data from an earlier load is on screen but the latest load failed."""
        return self.loaded and self.error is not None

    @property
    def role(self) -> Role | None:
        return None if self.me is None else self.me.role

    @property
    def is_admin(self) -> bool:
        return self.role == "admin"

    @property
    def default_card(self) -> PaymentMethod | None:
        return next((card for card in self.payment_methods if card.is_default), None)

    def plan_name(self, plan_id: str) -> str:
        if self.catalog is not None:
            for plan in self.catalog.plans:
                if plan.id == plan_id:
                    return plan.name
        return plan_id.title()

    def reloading(self) -> AccountState:
        return replace(self, loading=True)

    def failed(self, error: BaseException) -> AccountState:
        return replace(self, loading=False, starting_server=False, error=Problem.from_error(error))


async def fetch_account(client: BillingClient, now: datetime) -> AccountState:
    """Everything the screens show, fetched concurrently; what a role may not read is left out.

    `/v1/me` comes first because the role decides what else to ask for.
    """
    me = await client.me()
    if me.workspace is None:
        # Support staff belong to no workspace; their console looks accounts up on demand.
        return AccountState(me=me, catalog=await client.catalog(), loaded_at=now)
    if me.role == "admin":
        catalog, subscription, credits, events, cards, details = await gather_or_raise(
            client.catalog(),
            client.subscription(),
            client.credits(),
            client.events(limit=RECENT_EVENTS),
            client.payment_methods(),
            client.billing_details(),
        )
        return AccountState(
            me=me,
            catalog=catalog,
            subscription=subscription,
            credits=tuple(credits),
            events=tuple(events.data),
            payment_methods=tuple(cards),
            billing_details=details,
            loaded_at=now,
        )
    catalog, subscription, credits = await gather_or_raise(
        client.catalog(), client.subscription(), client.credits()
    )
    return AccountState(me=me, catalog=catalog, subscription=subscription, credits=tuple(credits), loaded_at=now)


async def gather_or_raise(*calls: Awaitable[Any]) -> list[Any]:
    """Run the calls concurrently and raise the first failure, but only once all have finished.

    Plain `gather` would raise at the first failure and leave the other requests running
    unattended, still holding the client when the app closes it.
    """
    results = await asyncio.gather(*calls, return_exceptions=True)
    for result in results:
        if isinstance(result, BaseException):
            raise result
    return results


@runtime_checkable
class AppHost(Protocol):
    """What a screen may ask of the app it runs in: `KasprApp` is one, a test's host app may be another."""

    @property
    def client(self) -> BillingClient | None:
        """The one billing API client; None while the bundled server is still starting."""
        ...

    @property
    def account(self) -> AccountState:
        """The account state last published."""
        ...

    @property
    def settings(self) -> Settings | None:
        """The settings the app runs with; None when they could not be read."""
        ...

    def load_account(self) -> object:
        """Load the account again (in a worker of the app); every page shows the new state."""
        ...

    def worker_failed(self, worker: Any) -> None:
        """A worker of a screen ended on an error it did not handle: tell the person, keep it in the log."""
        ...


def app_host(app: object) -> AppHost:
    """`app` (a screen's `self.app`) as the `AppHost` it must be: the one way screens reach the app."""
    if not isinstance(app, AppHost):
        raise TypeError(
            f"{type(app).__name__} is not an AppHost: it needs client, account, settings, load_account, worker_failed"
        )
    return app

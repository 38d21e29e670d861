"""The account state every screen shows, how it is fetched, how a failure reads, and what screens
ask of the app (`AppHost`).

`AccountState` is immutable: a load builds a new one and the app publishes it as a whole, so a
screen never sees half of one load and half of another. Fetching happens in the app's workers,
never while rendering. No Textual here: the command line shares it.

The last known state: each live load is kept (`save_last_known`), and the next start shows it
at once (`load_last_known`), marked, until the live state replaces it. One file per profile, API
URL and API key, in the data folder, mode 0600; it holds what the API answered, never the key.
httpx is not imported here (the client is reached only through the `BillingClient` given).
"""

from __future__ import annotations

import asyncio
import functools
import hashlib
import json
import logging
import weakref
from collections.abc import Awaitable
from dataclasses import dataclass, fields, replace
from datetime import date, datetime
from pathlib import Path
from types import SimpleNamespace
from typing import TYPE_CHECKING, Any, Protocol, cast, runtime_checkable

from kaspr_tui.config import Settings, default_data_dir, write_private_file

if TYPE_CHECKING:
    # Types only: the wire models (pydantic) load with the first live answer or `load_last_known`,
    # not with this module, which the app's first frame imports.
    from pydantic import TypeAdapter

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

log = logging.getLogger(__name__)

RECENT_EVENTS = 20
"""Enough to fill a tall terminal; the dashboard shows as many as fit."""

AUTH_ADVICE = "Run `kaspr-tui login` to store a valid key, or pass --token, then restart kaspr-tui."


@dataclass(frozen=True)
class Problem:
    """A failure as the person at the keyboard should read it: what failed, and what to do."""

    title: str
    detail: str
    can_retry: bool = True
    """False when trying again cannot help (a refused key): the person is offered what can."""

    @classmethod
    def from_error(cls, error: BaseException) -> Problem:
        from kaspr_tui.api.errors import ApiError  # httpx: only once something has failed

        if isinstance(error, ApiError):
            if error.is_authentication_error:
                return cls(problem_title(error), f"{error} {AUTH_ADVICE}", can_retry=False)
            return cls(problem_title(error), str(error))
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
    cached: bool = False
    """The data is the last known state, kept by an earlier run, until a live load replaces it."""
    unchecked: bool = False
    """The last known state as read for the first frame, without the wire models' checks (plain
    records): only the dashboard shows it, until `load_last_known` has read the file with them."""

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

    def freshness(self, now: datetime) -> str | None:
        """What the page's header adds to its title about the data's age, if anything."""
        if self.cached and self.error is None and self.loaded_at is not None:
            return f"as of {as_of(self.loaded_at, now)} · updating…"
        if self.loading and self.loaded:
            return "refreshing…"
        return None

    def reloading(self) -> AccountState:
        return replace(self, loading=True)

    def failed(self, error: BaseException) -> AccountState:
        return replace(self, loading=False, starting_server=False, error=Problem.from_error(error))


def as_of(moment: datetime, now: datetime) -> str:
    """When data was fetched: `09:14` today, `1 Dec 09:14` another day (in `now`'s time zone)."""
    local = moment.astimezone(now.tzinfo)
    if local.date() == now.date():
        return f"{local:%H:%M}"
    return f"{local.day} {local:%b %H:%M}"


async def fetch_account(client: BillingClient, now: datetime) -> AccountState:
    """Everything the screens show; what a role may not read is left out.

    One request (`GET /v1/account`) where the server has it, as the bundled one does; else one
    resource at a time, `/v1/me` first because the role decides what else to ask for.
    """
    from kaspr_tui.api.errors import ApiError

    if client in _CLIENTS_WITHOUT_ACCOUNT:
        return await _fetch_one_resource_at_a_time(client, now)
    try:
        answer = await client.account(events_limit=RECENT_EVENTS)
    except ApiError as error:
        if error.status != 404:
            raise
        _CLIENTS_WITHOUT_ACCOUNT.add(client)
    else:
        return AccountState(
            me=answer.me,
            catalog=answer.catalog,
            subscription=answer.subscription,
            credits=tuple(answer.credits),
            events=tuple(answer.events),
            payment_methods=tuple(answer.payment_methods),
            billing_details=answer.billing_details,
            loaded_at=now,
        )
    return await _fetch_one_resource_at_a_time(client, now)


_CLIENTS_WITHOUT_ACCOUNT: weakref.WeakSet[BillingClient] = weakref.WeakSet()
"""Clients whose server answered GET /v1/account with 404: their later loads do not ask again
(the app has one client per run, so this is per run and URL)."""


async def _fetch_one_resource_at_a_time(client: BillingClient, now: datetime) -> AccountState:
    """`fetch_account` against a server without `/v1/account`: the requests run concurrently."""
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


# ---- the last known state ---------------------------------------------------------------------

LAST_KNOWN_FORMAT = 1
"""Bumped when the file's layout changes: a file of another format is ignored."""
LAST_KNOWN_FOLDER = "last-known"
EMBEDDED_URL = "embedded"
"""What the file records as the API URL of the bundled server (its port changes every run)."""
NOT_KEPT = frozenset({"loading", "error", "starting_server", "cached", "unchecked"})
"""The fields about this run rather than the account: never written, their defaults on reading."""
DATETIME_TAG, DATE_TAG = "$datetime", "$date"
"""How the file marks a time, so that the first frame reads it back as one without the models."""


def last_known_path(settings: Settings) -> Path:
    """The file of this profile, API URL and key: another one of them never reads it.

    The name is a digest (the key itself is never written anywhere); the file repeats the
    profile and URL, checked on reading.
    """
    identity = "\0".join((settings.profile or "", settings.api_url or EMBEDDED_URL, settings.api_key or ""))
    digest = hashlib.sha256(identity.encode()).hexdigest()[:32]
    return default_data_dir() / LAST_KNOWN_FOLDER / f"{digest}.json"


def save_last_known(settings: Settings, state: AccountState) -> None:
    """Keep a live state for the next start; a failure to write is logged, never raised."""
    if not settings.cache or not state.loaded or state.cached:
        return
    path = last_known_path(settings)
    try:
        body = {
            "format": LAST_KNOWN_FORMAT,
            "profile": settings.profile,
            "api_url": settings.api_url or EMBEDDED_URL,
            "state": _account_adapter().dump_python(state, exclude=set(NOT_KEPT)),
        }
        write_private_file(path, json.dumps(body, default=_encode_value))
    except Exception as error:  # a cache that cannot be written must not stop the app
        log.warning("Could not keep the last known account state in %s: %s", path, error)


def forget_last_known(settings: Settings) -> None:
    """Remove what an earlier run kept for this profile, URL and key (`cache = false`: whoever turns
    the cache off expects the account state stored on this machine gone); a failure is logged."""
    path = last_known_path(settings)
    try:
        path.unlink(missing_ok=True)
    except OSError as error:
        log.warning("Could not remove the last known account state in %s: %s", path, error)


def load_last_known(settings: Settings) -> AccountState | None:
    """The state the previous run kept for this profile, URL and key, checked by the wire models and
    marked `cached`; None when there is none, it is turned off, or the file cannot be used (logged:
    it is then ignored)."""
    path = last_known_path(settings)
    kept = _read_last_known(settings, path)
    if kept is None:
        return None
    try:
        state = _account_adapter().validate_python(kept)
        if not state.loaded:
            raise ValueError("it holds no account")
    except Exception as error:  # whatever is in the file, the app starts as on a first start
        log.warning("Ignored the last known account state in %s: %s", path, error)
        return None
    return replace(state, cached=True)


def peek_last_known(settings: Settings) -> AccountState | None:
    """`load_last_known` for the first frame, without the wire models (pydantic costs as much to
    load as Textual): the same file read into plain records, marked `unchecked`. Only a workspace's
    state is shown so (the dashboard); `load_last_known` checks it right after."""
    path = last_known_path(settings)
    kept = _read_last_known(settings, path)
    if kept is None:
        return None
    try:
        names = {field.name for field in fields(AccountState)} - NOT_KEPT
        state = AccountState(
            **{name: _as_record(value) for name, value in kept.items() if name in names},
            cached=True,
            unchecked=True,
        )
        me = state.me
        workspace = None if me is None else me.workspace
        if me is None or me.role not in ("admin", "member") or not isinstance(getattr(workspace, "name", None), str):
            return None  # a support console, or not what this version writes: left to load_last_known
    except Exception as error:
        log.warning("Ignored the last known account state in %s: %s", path, error)
        return None
    return state


def _read_last_known(settings: Settings, path: Path) -> dict[str, Any] | None:
    """The kept state's fields as JSON (times as datetimes), if the file is this profile's and URL's."""
    if not settings.cache:
        return None
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return None
    except (OSError, UnicodeDecodeError) as error:
        log.warning("Ignored the last known account state in %s: cannot read it (%s)", path, error)
        return None
    try:
        body = json.loads(text, object_hook=_decode_value)
        if not isinstance(body, dict) or body.get("format") != LAST_KNOWN_FORMAT:
            raise ValueError("not a file of this version")
        if (body.get("profile"), body.get("api_url")) != (settings.profile, settings.api_url or EMBEDDED_URL):
            raise ValueError("kept for another profile or API URL")
        if not isinstance(body.get("state"), dict):
            raise ValueError("it holds no account")
    except ValueError as error:  # JSONDecodeError is one
        log.warning("Ignored the last known account state in %s: %s", path, error)
        return None
    return cast(dict[str, Any], body["state"])


def _encode_value(value: object) -> object:
    if isinstance(value, datetime):
        return {DATETIME_TAG: value.isoformat()}
    if isinstance(value, date):
        return {DATE_TAG: value.isoformat()}
    from pydantic_core import to_jsonable_python  # saving follows a live load: pydantic is loaded

    return to_jsonable_python(value)


def _decode_value(mapping: dict[str, Any]) -> object:
    if len(mapping) == 1:
        if isinstance(mapping.get(DATETIME_TAG), str):
            return datetime.fromisoformat(mapping[DATETIME_TAG])
        if isinstance(mapping.get(DATE_TAG), str):
            return date.fromisoformat(mapping[DATE_TAG])
    return mapping


def _as_record(value: object) -> Any:
    """JSON as the models read: an object's fields as attributes, a list as a tuple."""
    if isinstance(value, dict):
        return SimpleNamespace(**{name: _as_record(item) for name, item in value.items()})
    if isinstance(value, list):
        return tuple(_as_record(item) for item in value)
    return value


@functools.cache
def _account_adapter() -> TypeAdapter[AccountState]:
    """AccountState to and from the wire models, built on first use (it builds the models it holds).

    Pydantic resolves AccountState's annotations here: every wire model it holds is imported below.
    """
    from pydantic import TypeAdapter

    from kaspr_tui.api.models import (  # noqa: F401 (the names AccountState's annotations use)
        BillingDetails,
        Catalog,
        CreditBalance,
        Event,
        Me,
        PaymentMethod,
        Subscription,
    )

    return TypeAdapter(AccountState)


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

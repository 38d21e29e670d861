"""KasprApp: the modes, the global keys, the command palette, and the account state.

The app owns the one `BillingClient` and the account state. Loading runs in workers (the bundled
server's start, then the account), so the first frame never waits for the network; each page
watches `KasprApp.account` and re-renders when a new state is published.
"""

from __future__ import annotations

import asyncio
import importlib
import logging
import time
from collections.abc import Callable, Iterable
from dataclasses import replace
from datetime import datetime
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

from textual import events, work
from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.reactive import reactive
from textual.screen import Screen
from textual.worker import Worker, WorkerState

from kaspr_tui.billing.catalog import CREDIT_LABELS, CREDIT_TYPES
from kaspr_tui.config import ConfigError, Settings, resolve_settings, theme_problem
from kaspr_tui.embedded import EmbeddedServer
from kaspr_tui.screens.dashboard import DashboardScreen
from kaspr_tui.state import (
    AccountState,
    AppHost,
    Problem,
    fetch_account,
    forget_last_known,
    load_last_known,
    peek_last_known,
    save_last_known,
)

if TYPE_CHECKING:
    from kaspr_tui.api import BillingClient
    from kaspr_tui.api.models import Role

# Only the first page is imported with the app: each other page, dialog and palette flow is
# imported when first shown (see `_lazy`), which keeps their modules off the way to the first frame.
# So is the API client (httpx): the first frame shows the last known state, which needs no network.

log = logging.getLogger(__name__)

STYLESHEET = Path(__file__).with_name("kaspr.tcss")
"""The look of every page and dialog (reusable widgets keep their own DEFAULT_CSS)."""

MODE_TITLES = {
    "dashboard": "Dashboard",
    "billing": "Billing",
    "workspace": "Workspace",
    "support": "Support",
}

REFRESH_INTERVAL = 1.0
"""Seconds from one account load to the next asked for with r: presses sooner (r held down) share
one load, so a burst stays far below the server's per-key rate limit (an admin's load is 1 request, 6 to a
server without GET /v1/account, after the first load's 404)."""

CUSTOMER_SUPPORT_COMMANDS = (
    ("Request an email change", "Ask support to change your login email", "request_email_change"),
    ("Changing jobs: request a transfer", "Move your license and credits to a new account", "request_account_transfer"),
    (
        "Ask support before deleting my account",
        "Deleting the account deletes the subscription",
        "request_account_deletion",
    ),
    ("My support requests", "The requests you sent support: ticket, status, date (key i on Support)", "show_requests"),
)
SUPPORT_COMMANDS: dict[Role, tuple[tuple[str, str, str], ...]] = {
    "admin": CUSTOMER_SUPPORT_COMMANDS,
    "member": CUSTOMER_SUPPORT_COMMANDS,
    "support": (
        ("Look up an account", "Find a user by email: workspace, plan, seats, credits", "lookup_account"),
        ("Transfer license and credits", "Move a license and credits from one user to another", "transfer"),
        ("Change a user's email", "Apply an email change for the account looked up", "change_email"),
        ("Open support requests", "Every workspace's requests not closed yet (key i on Support)", "show_requests"),
        ("Close a support request", "The open request highlighted in the list (key c on Support)", "close_request"),
    ),
}
"""Palette commands of the Support page, by role: (name, help, the page's action)."""
READ_ONLY_SUPPORT_ACTIONS = frozenset({"lookup_account", "show_requests"})
"""The Support page's actions that change nothing: the palette keeps them when read-only."""

MODES_BY_ROLE: dict[Role, tuple[str, ...]] = {
    "admin": ("dashboard", "billing", "workspace", "support"),
    # A member reads the plan, credits and members, and can ask support; billing is for admins.
    "member": ("dashboard", "workspace", "support"),
    # Support agents belong to no workspace: there is no dashboard of their own to show.
    "support": ("support",),
}


def _lazy(module: str, name: str) -> Callable[..., Any]:
    """`module.name`, imported on the first call and then called with the call's arguments."""

    def call(*args: Any) -> Any:
        return getattr(importlib.import_module(module), name)(*args)

    return call


def _import_http_client() -> None:
    """Import the API client (httpx, pydantic, the wire models) and httpx's transport, httpcore, which
    httpx imports only when the first client is built: on the event loop, that held up the screen."""
    importlib.import_module("kaspr_tui.api.client")
    importlib.import_module("httpcore")


def _new_client(url: str, api_key: str | None, *, read_only: bool) -> BillingClient:
    """The app's client, imported (with httpx) only once the app is about to go online."""
    from kaspr_tui.api import BillingClient

    return BillingClient(url, api_key, read_only=read_only)


class KasprApp(App[None]):
    TITLE = "Kaspr"
    CSS_PATH = STYLESHEET
    MODES: ClassVar = {
        "dashboard": DashboardScreen,
        "billing": _lazy("kaspr_tui.screens.billing.page", "BillingScreen"),
        "workspace": _lazy("kaspr_tui.screens.workspace.page", "WorkspaceScreen"),
        "support": _lazy("kaspr_tui.screens.support.page", "SupportScreen"),
    }
    DEFAULT_MODE = "dashboard"
    BINDINGS = [
        Binding(
            "d", "go('dashboard')", "Dashboard", tooltip="Plan, seats, credits, card, recent activity",
            id="app.dashboard",
        ),
        Binding("b", "go('billing')", "Billing", tooltip="Plans, credits, licenses, payment method", id="app.billing"),
        Binding("w", "go('workspace')", "Workspace", tooltip="Members and invitations", id="app.workspace"),
        Binding("s", "go('support')", "Support", tooltip="How to reach support", id="app.support"),
        Binding("r", "refresh", "Refresh", tooltip="Load the account again from the billing server", id="app.refresh"),
        Binding("question_mark,f1", "show_keys", "Keys", tooltip="Every key, and how to move around", id="app.keys"),
        Binding("q", "quit", "Quit", id="app.quit"),
        # Textual routes each key to the widget focused when the key is read, but a plain Tab moves
        # focus only once the focused input has handled it, so keys typed right after a Tab (a
        # burst from tmux, a paste, a fast typist) landed in the previous field of any form. A
        # priority binding moves focus before the next key is routed.
        Binding("tab", "focus_next", "Next field", show=False, priority=True, id="app.next_field"),
        Binding("shift+tab", "focus_previous", "Previous field", show=False, priority=True, id="app.previous_field"),
    ]

    account: reactive[AccountState] = reactive(AccountState, init=False)

    def __init__(self, settings: Settings | None = None, *, client: BillingClient | None = None) -> None:
        self.config_error: str | None = None
        if settings is None:
            try:
                settings = resolve_settings()
            except ConfigError as error:
                self.config_error = str(error)
        self.settings = settings
        super().__init__()
        # The app owns its client, given or built: it closes it on exit.
        self._client = client
        self._server: EmbeddedServer | None = None
        self._last_load = -REFRESH_INTERVAL
        """When the latest account load started (time.monotonic)."""
        self._theme_applied = False
        """Set once the configured theme is on: a theme change after that is the person's, and saved."""
        self._last_known_checked = asyncio.Event()
        """Clear while the first frame's last known state is unchecked: another page opens only once it is set."""
        self._last_known_checked.set()

    @property
    def client(self) -> BillingClient | None:
        """The billing API client; None while the bundled server is still starting."""
        return self._client

    @property
    def embedded_server(self) -> EmbeddedServer | None:
        """The bundled server this app started (embedded mode), stopped when the app exits."""
        return self._server

    # ---- start and stop ---------------------------------------------------------------------

    def on_mount(self) -> None:
        if self.settings is None:
            from kaspr_tui.screens.dialogs.config_error import ConfigErrorScreen

            self.push_screen(ConfigErrorScreen(self.config_error or ""))
            return
        self._apply_theme(self.settings)
        if self.settings.keymap:
            self.set_keymap(dict(self.settings.keymap))
            self._check_keymap()
        for warning in self.settings.warnings:
            self.notify(warning, title="Settings", severity="warning", timeout=15)
        if not self.settings.cache:
            forget_last_known(self.settings)
        # The first frame shows what the previous run last saw, marked, until the live state arrives.
        last_known = peek_last_known(self.settings)
        if last_known is not None:
            self._last_known_checked.clear()
            self.account = last_known
            self.call_after_refresh(self._check_last_known)
        # What loads pydantic and httpx starts once the first frame is out, not competing with it.
        if self._client is None and self.settings.embedded:
            self.start_embedded_server()
            self.call_after_refresh(self._import_http_transport)
            return
        self.call_after_refresh(self.load_account)

    def _apply_theme(self, settings: Settings) -> None:
        problem = theme_problem(settings.theme, self.available_themes, settings.sources.get("theme", "default"))
        if problem is None:
            self.theme = settings.theme
        else:
            self.notify(f"{problem}. Using {self.theme}.", title="Settings", severity="warning", timeout=15)
        self._theme_applied = True

    @work(thread=True, group="keymap", exit_on_error=False)
    def _check_keymap(self) -> None:
        """Say what is wrong in `[keymap]` (an unknown id, a clash) once, at start; in a thread, as
        it imports every page and dialog, which the first frame does not wait for."""
        from kaspr_tui.keymap import binding_scopes, keymap_problems

        problems = keymap_problems(self._keymap, binding_scopes(type(self)))
        for problem in problems:
            log.warning("%s", problem)
        if problems:
            self.call_from_thread(
                self.notify, "\n".join(problems), title="Keymap in config.toml", severity="warning", timeout=20
            )

    def on_resize(self, event: events.Resize) -> None:
        """Below the smallest size laid out for, a note over everything; gone once it fits again."""
        from kaspr_tui.screens.dialogs.too_small import MIN_HEIGHT, MIN_WIDTH, TooSmallScreen

        width, height = event.size
        small = width < MIN_WIDTH or height < MIN_HEIGHT
        shown = self.screen if isinstance(self.screen, TooSmallScreen) else None
        if small and shown is None:
            self.push_screen(TooSmallScreen(width, height))
        elif small and shown is not None:
            shown.show_size(width, height)
        elif shown is not None:
            self.pop_screen()

    def watch_theme(self, theme: str) -> None:
        settings = self.settings
        if settings is None or not self._theme_applied or theme == settings.theme:
            return
        from kaspr_tui.config import write_settings

        try:
            write_settings(settings.config_path, {"theme": theme})
        except (ConfigError, OSError) as error:
            self.notify(f"The theme {theme} is used now but not saved: {error}", severity="warning")
            return
        self.settings = replace(settings, theme=theme)
        self.notify(f"Theme {theme} saved to {settings.config_path}.", title="Theme", timeout=4)

    async def on_unmount(self) -> None:
        if self._client is not None:
            await self._client.aclose()
        if self._server is not None:
            await self._server.stop()

    @work(exclusive=True, group="server", exit_on_error=False)
    async def start_embedded_server(self) -> None:
        """Start the bundled billing server, then load the account from it."""
        assert self.settings is not None
        self.account = replace(self.account, starting_server=True, loading=True, error=None)
        if self._server is None:
            self._server = EmbeddedServer()
        try:
            url = await self._server.start()
        except Exception as error:  # EmbeddedServerError, or the OS refusing to spawn it
            problem = Problem("Could not start the bundled billing server", str(error))
            self.account = replace(self.account, starting_server=False, loading=False, error=problem)
            return
        self._client = _new_client(url, self.settings.api_key, read_only=self.settings.read_only)
        self.account = replace(self.account, starting_server=False)
        self.load_account()

    @work(thread=True, group="import", exit_on_error=False)
    def _import_http_transport(self) -> None:
        """Import the API client while the bundled server boots (it takes longer than this), rather
        than after it has started."""
        _import_http_client()

    # ---- the account state ------------------------------------------------------------------

    @work(group="last-known", exit_on_error=False)
    async def _check_last_known(self) -> None:
        """Read the last known state again with the wire models (off the event loop), and put it in
        place of the first frame's unchecked records, unless a live answer has come first."""
        assert self.settings is not None
        try:
            checked = await asyncio.to_thread(load_last_known, self.settings)
        finally:
            self._last_known_checked.set()
        shown = self.account
        if not shown.unchecked:
            return  # a live state replaced it already
        # A file the models refuse is ignored (load_last_known logged why): back to "Loading…".
        self.account = replace(
            checked or AccountState(), loading=shown.loading, error=shown.error, starting_server=shown.starting_server
        )

    @work(exclusive=True, group="account", exit_on_error=False)
    async def load_account(self, *, not_before: float = 0.0) -> None:
        """Fetch the account (not before `not_before`, in time.monotonic); on failure keep what was
        shown, marked stale, with the reason."""
        settings = self.settings
        going_online = self._client is None and settings is not None and not settings.embedded
        if self._client is None and not going_online:
            return
        self.account = self.account.reloading()  # "refreshing…" at once, even while the load waits
        if going_online and settings is not None:
            # httpx is imported off the event loop, so that the first frame does not wait for it.
            await asyncio.to_thread(_import_http_client)
            self._client = _new_client(settings.api_url or "", settings.api_key, read_only=settings.read_only)
        client = self._client
        assert client is not None
        await asyncio.sleep(max(0.0, not_before - time.monotonic()))
        self._last_load = time.monotonic()
        try:
            state = await fetch_account(client, now=datetime.now().astimezone())
        except Exception as error:  # every failure becomes a message on screen, never a crash
            self.log.error(f"Loading the account failed: {error!r}")
            self.account = self.account.failed(error)
        else:
            self.account = state
            if settings is not None:
                # Kept once the live state is on screen: the writing (pydantic) would compete with the paint.
                self.call_after_refresh(self._keep_last_known, settings, state)

    @work(thread=True, group="keep-last-known", exit_on_error=False)
    def _keep_last_known(self, settings: Settings, state: AccountState) -> None:
        save_last_known(settings, state)

    # ---- workers that fail ------------------------------------------------------------------

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        if event.state == WorkerState.ERROR:
            self.worker_failed(event.worker)

    def worker_failed(self, worker: Worker[Any]) -> None:
        """The one handler of a worker that ended on an error it did not handle (the app's own, and
        those screens pass on): the person is told what it was, the log keeps the traceback."""
        error = worker.error
        described = f"{type(error).__name__}: {error}"
        log.error("A worker (%s, group %r) failed: %s", worker.name, worker.group, described, exc_info=error)
        self.log.error(f"Worker {worker.name!r} (group {worker.group!r}) failed: {error!r}")
        self.notify(
            f"{described}. Press r to load your account again; if it happens again, it is a bug.",
            title="Something went wrong",
            severity="error",
            timeout=15,
        )

    def watch_account(self, old: AccountState, new: AccountState) -> None:
        if new.me is not None and new.me.workspace is not None:
            self.title = self._title(new.me.workspace.name)
        if old.role != new.role:
            self.refresh_bindings()
            if self.current_mode not in self.allowed_modes:
                self.switch_mode(self.allowed_modes[0])

    def _title(self, workspace_name: str) -> str:
        """`Kaspr · Acme Corp`, with the profile when it is not the default and read-only when it is."""
        parts = ["Kaspr", workspace_name]
        if self.settings is not None and self.settings.profile is not None:
            parts.append(f"profile {self.settings.profile}")
        if self.read_only_reason is not None:
            parts.append("read-only")
        return " · ".join(parts)

    @property
    def read_only_reason(self) -> str | None:
        """Why nothing may be changed (`--read-only`, a profile's `read_only`); None when it may."""
        return None if self.settings is None else self.settings.read_only_reason

    @property
    def allowed_modes(self) -> tuple[str, ...]:
        """The modes the signed-in role can use; all of them until the role is known."""
        if self.settings is None:
            return ()
        role = self.account.role
        return tuple(MODE_TITLES) if role is None else MODES_BY_ROLE[role]

    # ---- actions ----------------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "go":
            return parameters[0] in self.allowed_modes
        if action == "refresh":
            return self.settings is not None
        return True

    async def action_go(self, mode: str) -> None:
        await self._last_known_checked.wait()  # no other page sees unchecked records
        if mode in self.allowed_modes:
            self.switch_mode(mode)

    def action_refresh(self) -> None:
        if self.settings is None:
            return
        if self._client is None and self.settings.embedded:
            self.start_embedded_server()
        elif not self.account.loading:  # else the load on its way (or waiting its turn) answers this press too
            self.load_account(not_before=self._last_load + REFRESH_INTERVAL)

    def on_problem_banner_retry(self) -> None:
        self.action_refresh()

    async def action_change_plan(self) -> None:
        """The Billing page's Upgrade tab, with the plan picker focused (focusing it shows its tab)."""
        await self._last_known_checked.wait()  # no other page sees unchecked records
        if "billing" in self.allowed_modes:
            await self.switch_mode("billing")
            self.screen.query_one("#plan-select").focus()

    async def _billing_tab(self, tab: str) -> None:
        await self.switch_mode("billing")
        await self.run_action(f"screen.show_tab('{tab}')")

    async def _billing_invoices_action(self, action: str) -> None:
        await self._billing_tab("plan-billing")
        await self.screen.query_one("#invoices-section").run_action(action)

    async def _workspace_action(self, action: str) -> None:
        await self.switch_mode("workspace")
        await self.run_action(f"screen.{action}")

    async def action_cancel_scheduled_change(self) -> None:
        await self.switch_mode("dashboard")
        await self.run_action("screen.cancel_scheduled_change")

    def _billing_commands(self, *, writes: bool) -> Iterable[SystemCommand]:
        """The Billing page's commands; those that buy or change something only when `writes`."""
        yield from self._billing_reads()
        if not writes:
            return
        for credit_type in CREDIT_TYPES:
            label = CREDIT_LABELS[credit_type]
            yield SystemCommand(
                f"Buy {label.lower()}",
                f"Purchase {label} add-ons with a slider; they renew every month",
                partial(_lazy("kaspr_tui.screens.billing.plan", "open_addons"), self, credit_type),
            )
        yield SystemCommand(
            "Add licenses", "Choose the total number of licenses (seats)",
            partial(_lazy("kaspr_tui.screens.billing.plan", "open_licenses"), self),
        )
        yield SystemCommand(
            "Update payment information: new card", "A new card becomes the default",
            partial(_lazy("kaspr_tui.screens.billing.payment", "open_update_payment"), self),
        )

    def _billing_reads(self) -> Iterable[SystemCommand]:
        yield SystemCommand(
            "Manage cards", "The cards on file: make one the default, remove one, add one",
            partial(_lazy("kaspr_tui.screens.billing.cards", "open_cards"), self),
        )
        yield SystemCommand(
            "Billing details", "Plan, seats, add-ons, renewal, billing address, VAT",
            partial(_lazy("kaspr_tui.screens.dialogs.billing_details", "open_billing_details"), self),
        )
        yield SystemCommand(
            "Invoices", "Every invoice: open one, download its PDF",
            partial(_lazy("kaspr_tui.screens.billing.invoices", "open_invoices"), self),
        )
        yield SystemCommand(
            "Download latest invoice", "Save the newest paid invoice's PDF",
            partial(_lazy("kaspr_tui.screens.billing.invoices", "download_latest_invoice"), self),
        )
        yield SystemCommand(
            "Download a year's invoices", "Save every invoice PDF of one year",
            partial(self._billing_invoices_action, "download_year"),
        )

    async def _support_action(self, action: str) -> None:
        await self._last_known_checked.wait()  # no other page sees unchecked records
        await self.switch_mode("support")
        await self.run_action(f"screen.{action}")

    def action_show_keys(self) -> None:
        from kaspr_tui.screens.dialogs.keys import KeysScreen, control_keys, keys_from_bindings

        if isinstance(self.screen, KeysScreen):
            return
        page_keys = keys_from_bindings(self.screen.active_bindings.values(), self.get_key_display)
        self.push_screen(KeysScreen(page_keys, control_keys(self.screen, self.get_key_display)))

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        for mode in self.allowed_modes:
            title = MODE_TITLES[mode]
            yield SystemCommand(
                f"Go to {title.lower()}", f"Show the {title} page", lambda mode=mode: self.action_go(mode)
            )
        writes = self.read_only_reason is None
        if "billing" in self.allowed_modes:
            yield SystemCommand(
                "Plan & Billing", "Plan, licenses, credits, card, billing details, invoices (key p on Billing)",
                partial(self._billing_tab, "plan-billing"),
            )
        if "billing" in self.allowed_modes and writes:
            yield SystemCommand(
                "Change plan",
                "Choose another plan, annual or monthly, users and add-on credits",
                self.action_change_plan,
            )
        subscription = self.account.subscription
        if writes and self.account.is_admin and subscription is not None and subscription.scheduled_change is not None:
            yield SystemCommand(
                "Cancel scheduled change",
                "Keep today's plan and seats at the renewal",
                self.action_cancel_scheduled_change,
            )
        if self.account.is_admin:
            yield from self._billing_commands(writes=writes)
        if writes and self.account.is_admin and "workspace" in self.allowed_modes:
            yield SystemCommand(
                "Invite a member", "Send an invitation to take a free license (key a on Workspace)",
                partial(self._workspace_action, "add_member"),
            )
            yield SystemCommand(
                "Remove a member or revoke an invitation", "The one selected on Workspace (key x there)",
                partial(self._workspace_action, "remove_selected"),
            )
            yield SystemCommand(
                "Make admin / make member", "Change the role of the one selected on Workspace (key m there)",
                partial(self._workspace_action, "change_role"),
            )
            yield SystemCommand(
                "Resend an invitation", "Send the pending invitation selected on Workspace again (key e there)",
                partial(self._workspace_action, "resend_invitation"),
            )
        if "workspace" in self.allowed_modes:
            yield SystemCommand(
                "Filter members", "Type to narrow the members and invitations (key / on Workspace)",
                partial(self._workspace_action, "filter"),
            )
        if self.account.is_admin and "billing" in self.allowed_modes:
            yield SystemCommand(
                "Filter invoices", "Type to narrow the invoices (key / in the Invoices table)",
                partial(_lazy("kaspr_tui.screens.billing.invoices", "filter_invoices"), self),
            )
        role = self.account.role
        if role is not None:
            for name, help_text, action in SUPPORT_COMMANDS[role]:
                if writes or action in READ_ONLY_SUPPORT_ACTIONS:
                    yield SystemCommand(name, help_text, partial(self._support_action, action))
        if self.check_action("refresh", ()):
            yield SystemCommand(
                "Refresh account", "Load plan, credits and card again from the billing server", self.action_refresh
            )
        yield SystemCommand("Show keys", "Every key, and how to move around", self.action_show_keys)
        yield SystemCommand("Change theme", "Pick another colour theme", self.action_change_theme)
        yield SystemCommand("Quit", "Leave kaspr-tui", self.action_quit)


if TYPE_CHECKING:
    # Screens reach the app through `AppHost` only: mypy checks here that the app is one.
    _KASPR_APP_IS_A_HOST: type[AppHost] = KasprApp

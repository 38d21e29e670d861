"""What every mode's page shares: header, problem banner, loading notice, body, footer.

A page subscribes to the app's account state and re-renders whenever a new one is published;
it never fetches the account itself.
"""

from __future__ import annotations

import logging
from datetime import datetime
from typing import ClassVar

from textual import events
from textual.app import App, ComposeResult
from textual.containers import Vertical
from textual.screen import Screen
from textual.widgets import Header

from kaspr_tui.screens.failures import ReportsFailedWorkers
from kaspr_tui.screens.read_only import disable_write_buttons, refuses
from kaspr_tui.state import AccountState, app_host, as_of
from kaspr_tui.widgets.footer import KeysFooter
from kaspr_tui.widgets.problem_banner import ProblemBanner
from kaspr_tui.widgets.words import Words

log = logging.getLogger(__name__)


class AccountScreen(ReportsFailedWorkers, Screen[None]):
    MODE_TITLE: ClassVar[str] = ""

    def __init__(self) -> None:
        super().__init__()
        # A page new to its mode is styled from the app's stylesheet as it mounts, so it is as up to
        # date as the app's CSS; else Textual parses every stylesheet again when a mode opens its first
        # page (Screen starts at -1), which at start-up costs as much as the app's own first parse.
        self._css_update_count = self.app._css_update_count
        self._resumed = False

    def compose(self) -> ComposeResult:
        yield Header(icon="≡")
        yield ProblemBanner(id="problem")
        yield Words("Loading your account…", id="loading")
        with Vertical(id="body"):
            yield from self.compose_body()
        yield KeysFooter(compact=True)

    def compose_body(self) -> ComposeResult:
        """The page's own widgets; filled in by `show_account`."""
        raise NotImplementedError

    def show_account(self, state: AccountState) -> None:
        """Render a loaded account state (`state.loaded` is true)."""
        raise NotImplementedError

    def on_mount(self) -> None:
        self.watch(self.app, "account", self._account_changed, init=True)

    def on_screen_resume(self, event: events.ScreenResume) -> None:
        # Textual says "resumed" twice when a mode opens its first page (`_init_mode`, then
        # `switch_mode`), and each restyles the whole page (~70 ms on Billing): nothing can have
        # changed between the two. Runs before Screen's own handler (the subclass's comes first).
        if self._resumed:
            event.refresh_styles = False
        self._resumed = True
        self._focus_where_seen()

    def on_screen_suspend(self) -> None:
        self._resumed = False

    def _focus_where_seen(self) -> None:
        """Keep the keyboard on something the person sees. Textual's first focus (AUTO_FOCUS) takes
        a focusable widget inside a hidden container, and a control hidden by a new account state
        keeps its focus: then Tab, Enter and letters act on something not on screen. Nothing
        focused, the first focus is given once there is something to focus."""
        focused = self.focused
        chain = self.focus_chain
        if focused in chain:
            return  # None is not: the first focus can come once a state shows something (Retry)
        wanted = [widget for widget in self.query(self.AUTO_FOCUS or "*") if widget in chain]
        self.set_focus(wanted[0] if wanted else None)

    def _account_changed(self, state: AccountState) -> None:
        # A reload, or the last known state of an earlier run, keeps the data on screen; the header
        # says how old it is and that the live state is on its way.
        now = datetime.now().astimezone()
        freshness = state.freshness(now)
        self.sub_title = self.MODE_TITLE if freshness is None else f"{self.MODE_TITLE} · {freshness}"
        banner = self.query_one(ProblemBanner)
        if state.error is None:
            banner.clear()
        elif state.loaded and state.loaded_at is not None:
            banner.show_stale(
                as_of(state.loaded_at, now), state.error.title, state.error.detail, can_retry=state.error.can_retry
            )
        else:
            banner.show_blocking(state.error.title, state.error.detail, can_retry=state.error.can_retry)
        loading = self.query_one("#loading", Words)
        loading.display = not state.loaded and state.error is None
        if state.starting_server:
            loading.update("Starting the bundled billing server…")
        else:
            loading.update("Loading your account…")
        body = self.query_one("#body")
        body.display = state.loaded
        if state.loaded and state.unchecked:
            try:
                self.show_account(state)
            except Exception as error:  # not what this version wrote: show what a first start shows
                log.warning("The last known account state could not be shown: %r", error)
                self._account_changed(AccountState(loading=True, starting_server=state.starting_server))
        elif state.loaded:
            self.show_account(state)
        if state.loaded:
            disable_write_buttons(self)
        self.call_after_refresh(self._focus_where_seen)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Read-only hides every write key; a page's own rules come after (`allows`)."""
        if refuses(self, action):
            return False
        return self.allows(action, parameters)

    def allows(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """As Textual's `check_action`, for the page's own rules (True: shown and enabled)."""
        return True


class AccountPanel(ReportsFailedWorkers, Vertical):
    """A section of a page that re-renders from the account state its page passes on."""

    def show_account(self, state: AccountState) -> None:
        raise NotImplementedError


def ready_for_admin(app: App[object], title: str, only_admins: str) -> bool:
    """Whether an admin's window (from the palette, over any page) may open now; if not, the person
    is told why: the account is still loading, or they are not an admin (`only_admins`). Without a
    client (the bundled server still starting) the window could not ask for anything it needs,
    even with the last known dashboard on screen."""
    host = app_host(app)
    if host.client is None and host.account.subscription is not None:
        app.notify("The billing server is still starting; try again in a moment.", title=title, severity="warning")
        return False
    if host.client is None or host.account.subscription is None:
        app.notify("The account is not loaded yet; try again in a moment.", title=title, severity="warning")
        return False
    if not host.account.is_admin:
        app.notify(only_admins, title=title, severity="warning")
        return False
    return True

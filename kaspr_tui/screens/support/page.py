"""Support: how to reach the team and the requests Kaspr's help article sends customers to support
for (`requests.py`), or, for a support key, the console (`console.py`). The page mounts the one
panel the signed-in role uses, once the role is known.

Entry points for the command palette (run on this screen, e.g.
`await app.switch_mode("support"); await app.run_action("screen.request_email_change")`):
`request_email_change`, `request_account_transfer`, `request_account_deletion` (customers) and
`lookup_account`, `transfer`, `change_email`, `close_request` (support; `change_email` is a
customer's request too), and `show_requests` (both: the customer's requests, or the open ones).
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll

from kaspr_tui.api.models import Role
from kaspr_tui.screens.base import AccountScreen
from kaspr_tui.screens.support.console import SupportConsole
from kaspr_tui.screens.support.inbox import OpenRequests, RequestList
from kaspr_tui.screens.support.requests import CustomerRequests
from kaspr_tui.state import AccountState, app_host

SupportPanel = SupportConsole | CustomerRequests

FIRST_FIELD = "#support-scroll Input"


def panel_for(role: Role | None) -> SupportPanel | None:
    """The console for support staff, the requests for customers; nothing while the role is unknown."""
    if role is None:
        return None
    return SupportConsole() if role == "support" else CustomerRequests()


class SupportScreen(AccountScreen):
    MODE_TITLE = "Support"
    # The first field of the form (the look-up, or the new email), so what is typed goes in it and
    # never into a letter shortcut; Escape leaves it for the page's keys.
    AUTO_FOCUS = FIRST_FIELD

    BINDINGS = [
        Binding("slash", "lookup_account", "Look up", id="support.lookup"),
        Binding("t", "transfer", "Transfer", id="support.transfer"),
        # "Close", not "Close request": the support footer then fits 80 columns; ? says the rest.
        Binding(
            "c", "close_request", "Close", tooltip="Close the open request highlighted in the list",
            id="support.close_request",
        ),
        Binding("i", "show_requests", "Requests", show=False, id="support.requests"),
        # Not in the footer, full at 80 columns for customers: the Keys screen (?) lists them.
        Binding("e", "change_email", "Change an email", show=False, id="support.change_email"),
        Binding("escape", "leave_field", "Leave field", show=False, id="support.leave_field"),
        Binding(
            "j", "request_account_transfer", "Changing jobs: request a transfer", show=False,
            id="support.request_transfer",
        ),
    ]

    def compose_body(self) -> ComposeResult:
        with VerticalScroll(id="support-scroll"):
            # Composed with the page when the role is known (the usual case), so a palette entry
            # point run right after switching here finds its fields.
            panel = panel_for(app_host(self.app).account.role)
            if panel is not None:
                yield panel

    def show_account(self, state: AccountState) -> None:
        panel = self.panel
        wanted = SupportConsole if state.role == "support" else CustomerRequests
        if panel is not None and not isinstance(panel, wanted):
            panel.remove()
            panel = None
        if panel is None:
            new_panel = panel_for(state.role)
            if new_panel is not None:
                # It shows the account itself once mounted.
                self.query_one("#support-scroll").mount(new_panel)
                self.call_after_refresh(self._focus_first_field)
        else:
            panel.show_account(state)

    @property
    def panel(self) -> SupportPanel | None:
        """The panel on the page, if any: the role is not known yet, or it is still being mounted."""
        children = self.query_one("#support-scroll").children
        return next((child for child in children if isinstance(child, SupportConsole | CustomerRequests)), None)

    @property
    def console(self) -> SupportConsole | None:
        panel = self.panel
        return panel if isinstance(panel, SupportConsole) else None

    @property
    def requests(self) -> CustomerRequests | None:
        panel = self.panel
        return panel if isinstance(panel, CustomerRequests) else None

    def allows(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        is_support = app_host(self.app).account.role == "support"
        if action in {"lookup_account", "transfer", "close_request"}:
            return is_support
        if action.startswith("request_"):
            return not is_support
        return True

    # ---- entry points -------------------------------------------------------------------------

    def action_lookup_account(self) -> None:
        if (console := self.console) is not None:
            console.focus_lookup()

    def action_show_requests(self) -> None:
        if (panel := self.panel) is not None:
            panel.query_one(RequestList).focus_list()

    def action_close_request(self) -> None:
        if (console := self.console) is not None:
            console.query_one(OpenRequests).close_selected()

    def action_transfer(self) -> None:
        if (console := self.console) is not None:
            console.run_transfer()

    def action_change_email(self) -> None:
        if (console := self.console) is not None:
            console.focus_email_change()
        else:
            self.action_request_email_change()

    def _focus_first_field(self) -> None:
        """Into the panel mounted after the page (the role was not known yet), unless the person
        has already moved elsewhere."""
        if self.focused is None or self.focused.id == "support-scroll":
            fields = self.query(FIRST_FIELD)
            if fields:
                fields.first().focus()

    def action_leave_field(self) -> None:
        self.query_one("#support-scroll").focus()

    def action_request_email_change(self) -> None:
        if (requests := self.requests) is not None:
            requests.focus_email_change()

    def action_request_account_transfer(self) -> None:
        if (requests := self.requests) is not None:
            requests.focus_transfer()

    def action_request_account_deletion(self) -> None:
        if (requests := self.requests) is not None:
            requests.ask_before_deleting()

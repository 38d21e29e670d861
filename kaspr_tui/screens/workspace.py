"""Workspace: who is in it, who is invited, and how many licenses are free.

The member list is paginated on the server; this page shows its first page and says when there
are more. It reloads whenever the account is (re)loaded, so `r` refreshes it too.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, cast

from textual import work
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.content import Content
from textual.widgets import DataTable, Static

from kaspr_tui.api.models import ListResponse, Member
from kaspr_tui.screens.account import AccountState, Problem
from kaspr_tui.screens.base import AccountScreen
from kaspr_tui.widgets.formatting import format_date

if TYPE_CHECKING:
    from kaspr_tui.app import KasprApp

MEMBERS_PAGE_SIZE = 100
"""The API's largest page."""

COLUMNS = ("Name", "Email", "Role", "Status", "Joined")


def seats_summary(state: AccountState) -> Content:
    subscription = state.subscription
    assert subscription is not None
    used = subscription.seats - subscription.seats_available
    invited = subscription.pending_invitations
    return Content.assemble(
        ("Licenses ", "$text-muted"),
        (f"{used} of {subscription.seats} used", "bold"),
        f" · {subscription.seats_available} free · {subscription.members} members, "
        f"{invited} pending invitation{'' if invited == 1 else 's'}",
    )


def member_row(member: Member) -> tuple[str, str, str, str, str]:
    return (
        member.name or "—",
        member.email,
        member.role,
        "active" if member.status == "active" else "invited",
        format_date(member.joined_at) if member.joined_at else "—",
    )


class WorkspaceScreen(AccountScreen):
    MODE_TITLE = "Workspace"

    DEFAULT_CSS = """
    WorkspaceScreen {
        #seats-summary { padding: 0 1; height: auto; }
        #members-panel { height: 1fr; }
        #members { height: 1fr; }
        #members-note { color: $text-muted; height: auto; }
        #members-note.-error { color: $error; }
    }
    """

    def __init__(self) -> None:
        super().__init__()
        self._members_loaded_for: datetime | None = None

    def compose_body(self) -> ComposeResult:
        yield Static(id="seats-summary")
        with Vertical(id="members-panel", classes="panel"):
            table: DataTable[str] = DataTable(id="members", cursor_type="row", zebra_stripes=True)
            table.add_columns(*COLUMNS)
            yield table
            yield Static(id="members-note")

    def on_mount(self) -> None:
        self.query_one("#members-panel").border_title = "Members and invitations"
        self.query_one("#members-note").display = False
        super().on_mount()

    def show_account(self, state: AccountState) -> None:
        if state.subscription is None:
            return
        self.query_one("#seats-summary", Static).update(seats_summary(state))
        # A new load of the account (first load, `r`) means the member list may have changed too.
        if state.loaded_at != self._members_loaded_for:
            self._members_loaded_for = state.loaded_at
            self.load_members()

    @work(exclusive=True, group="members", exit_on_error=False)
    async def load_members(self) -> None:
        client = cast("KasprApp", self.app).client
        if client is None:
            return
        try:
            page = await client.members(limit=MEMBERS_PAGE_SIZE)
        except Exception as error:  # shown on the page; the account banner covers retrying
            problem = Problem.from_error(error)
            self._show_note(f"Could not load the members: {problem.detail}", error=True)
            return
        self._show_members(page)

    def _show_members(self, page: ListResponse[Member]) -> None:
        table = self.query_one("#members", DataTable)
        table.clear()
        for member in page.data:
            table.add_row(*member_row(member), key=member.id)
        more = f"Showing the first {len(page.data)} members and invitations." if page.has_more else ""
        self._show_note(more, error=False)

    def _show_note(self, text: str, *, error: bool) -> None:
        note = self.query_one("#members-note", Static)
        note.update(text)
        note.set_class(error, "-error")
        note.display = bool(text)

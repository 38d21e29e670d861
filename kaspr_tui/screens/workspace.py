"""Workspace: who is in it, who is invited, how many licenses are free; admins add and remove.

The member list is paginated on the server (newest first). The page fetches one page of 100,
and the next one only when the user scrolls or moves near the end of what is loaded; End walks
the remaining pages and lands on the last member. The DataTable draws only the rows in view, so
a workspace of thousands costs a few requests, not thousands of widgets.

After any change (an invitation, a removal) the page asks the app to reload the account, which
updates the seat counts everywhere; a new account load reloads this list, keeping as many rows
as were shown so the user does not lose their place.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, cast

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import ActiveBinding, Binding
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.widgets import Button, DataTable, Static

from kaspr_tui.api import BillingClient
from kaspr_tui.api.models import Member
from kaspr_tui.screens.account import AccountState, Problem
from kaspr_tui.screens.base import AccountScreen
from kaspr_tui.screens.confirm import ConfirmScreen
from kaspr_tui.screens.invite import ADD_LICENSES, InviteMemberScreen, InviteResult
from kaspr_tui.screens.licenses import LicensesScreen
from kaspr_tui.widgets.formatting import format_date

if TYPE_CHECKING:
    from kaspr_tui.app import KasprApp

MEMBERS_PAGE_SIZE = 100
"""The API's largest page."""
LOAD_AHEAD_ROWS = 30
"""Fetch the next page once the cursor or the view comes this close to the last loaded row:
more than a tall terminal's page, so PageDown rarely reaches the end before the rows arrive."""

COLUMNS = ("Name", "Email", "Role", "Status", "Joined")


def plural(count: int, noun: str) -> str:
    return f"{count:,} {noun}{'' if count == 1 else 's'}"


def seats_summary(state: AccountState) -> Content:
    subscription = state.subscription
    assert subscription is not None
    used = subscription.seats - subscription.seats_available
    return Content.assemble(
        ("Licenses ", "$text-muted"),
        (f"{used} of {subscription.seats} used", "bold"),
        " · ",
        (f"{subscription.seats_available} free", "bold $text-success" if subscription.seats_available else "bold $text-warning"),
        (f" · {plural(subscription.members, 'member')}, {subscription.pending_invitations:,} invited", "$text-muted"),
    )


def member_row(member: Member) -> tuple[Text, ...]:
    """The row's cells as plain text: a name or email is never read as markup (`[b]Eve`), and
    the table skips parsing it, which counts with thousands of rows."""
    cells = (
        member.name or "—",
        member.email,
        member.role,
        "active" if member.status == "active" else "invited",
        format_date(member.joined_at) if member.joined_at else "—",
    )
    return tuple(Text(cell, no_wrap=True, end="") for cell in cells)


def removal_question(member: Member, workspace_name: str) -> tuple[str, str, str]:
    """(title, message, button label) of the confirmation before removing `member`."""
    if member.status == "invited":
        return (
            "Revoke this invitation?",
            f"The invitation of {member.email} to {workspace_name} is cancelled and can no longer "
            "be accepted. Its license becomes free for someone else.",
            "Revoke invitation",
        )
    who = f"{member.name} ({member.email})" if member.name else member.email
    return (
        "Remove this member?",
        f"{who} loses access to {workspace_name}. Their license becomes free for someone else; "
        "the number of licenses you pay for does not change.",
        "Remove member",
    )


class MembersTable(DataTable[Text]):
    """The member list; End and Home go to the last and first member, not the last column."""

    BINDINGS = [
        Binding("end,ctrl+end", "screen.last_member", "Last member", show=False),
        Binding("home,ctrl+home", "scroll_top", "First member", show=False),
    ]


class WorkspaceScreen(AccountScreen):
    MODE_TITLE = "Workspace"
    AUTO_FOCUS = "#members"

    BINDINGS = [
        Binding("a", "add_member", "Add member", tooltip="Invite someone by email to take a free license"),
        # Not in the footer, which has no room left at 80 columns: the panel's subtitle says it.
        Binding("x,delete", "remove_selected", "Remove", show=False),
    ]

    DEFAULT_CSS = """
    WorkspaceScreen {
        #workspace-bar { height: auto; padding: 0 1; }
        #seats-summary { width: 1fr; height: auto; }
        #workspace-bar Button { margin-left: 1; min-width: 8; }
        #members-panel { height: 1fr; }
        #members { height: 1fr; }
        #members-note { color: $text-muted; height: auto; }
        #members-note.-error { color: $text-error; }
    }
    """

    def __init__(self) -> None:
        super().__init__()
        self._members_loaded_for: datetime | None = None
        self._members: dict[str, Member] = {}
        self._has_more = False
        self._last_loaded_id: str | None = None
        """Where the next page starts (`starting_after`)."""
        self._want_last_member = False

    # ---- layout -----------------------------------------------------------------------------

    def compose_body(self) -> ComposeResult:
        with Horizontal(id="workspace-bar"):
            yield Static(id="seats-summary")
            yield Button("Add member", id="add-member", compact=True, variant="primary", action="screen.add_member")
            yield Button("Remove", id="remove-member", compact=True, variant="error", action="screen.remove_selected")
        with Vertical(id="members-panel", classes="panel"):
            table = MembersTable(id="members", cursor_type="row", zebra_stripes=True)
            table.add_columns(*COLUMNS)
            yield table
            yield Static(id="members-note")

    def on_mount(self) -> None:
        self.query_one("#members-panel").border_title = "Members and invitations"
        self.query_one("#members-note").display = False
        self.watch(self.members_table, "scroll_y", self._load_more_if_near_end, init=False)
        super().on_mount()

    @property
    def members_table(self) -> MembersTable:
        return self.query_one("#members", MembersTable)

    @property
    def kaspr_app(self) -> KasprApp:
        return cast("KasprApp", self.app)

    @property
    def is_admin(self) -> bool:
        return self.kaspr_app.account.is_admin

    @property
    def selected_member(self) -> Member | None:
        table = self.members_table
        if table.row_count == 0:
            return None
        row_key, _ = table.coordinate_to_cell_key(table.cursor_coordinate)
        return self._members.get(cast(str, row_key.value))

    def show_account(self, state: AccountState) -> None:
        if state.subscription is None:
            return
        self.query_one("#seats-summary", Static).update(seats_summary(state))
        self.query_one("#add-member").display = state.is_admin
        self.query_one("#members-panel").border_subtitle = (
            "x remove · End last · Home first" if state.is_admin else "End last · Home first"
        )
        self._show_remove_button()
        self.refresh_bindings()
        # A new load of the account (first load, `r`, after a change) means the list may have changed too.
        if state.loaded_at != self._members_loaded_for:
            self._members_loaded_for = state.loaded_at
            self.reload_members()

    @property
    def active_bindings(self) -> dict[str, ActiveBinding]:
        """As everywhere, less the key that goes to this very page: the footer needs the room."""
        return {
            key: active
            for key, active in super().active_bindings.items()
            if active.binding.action != f"go('{self.app.current_mode}')"
        }

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("add_member", "remove_selected"):
            if not self.is_admin:
                return False  # a member reads the list; nothing is offered they cannot do
            if action == "remove_selected" and self.selected_member is None:
                return None  # shown, dimmed: there is nobody to remove yet
        return True

    @on(DataTable.RowHighlighted, "#members")
    def _row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        self._show_remove_button()
        self.refresh_bindings()
        self._load_more_if_near_end()

    def _show_remove_button(self) -> None:
        button = self.query_one("#remove-member", Button)
        member = self.selected_member
        button.display = self.is_admin and member is not None
        if member is not None:
            button.label = "Revoke" if member.status == "invited" else "Remove"

    # ---- loading the list ---------------------------------------------------------------------

    @work(exclusive=True, group="members", exit_on_error=False)
    async def reload_members(self) -> None:
        """The list from its first page, as many rows as were shown, the cursor where it was."""
        client = self.kaspr_app.client
        if client is None:
            return
        table = self.members_table
        try:
            members, has_more = await self._fetch_members(client, None, wanted=max(table.row_count, 1))
        except Exception as error:  # shown on the page; the account banner covers retrying
            self._show_note(f"Could not load the members: {Problem.from_error(error).detail}", error=True)
            return
        cursor_row = table.cursor_row
        table.clear()
        self._members.clear()
        self._last_loaded_id = None
        self._add_rows(members, has_more)
        if table.row_count:
            table.move_cursor(row=min(cursor_row, table.row_count - 1), animate=False)
        self._show_remove_button()
        self.refresh_bindings()
        self._continue_to_last_member()

    @work(group="members", exit_on_error=False)
    async def load_more_members(self) -> None:
        """The pages after the last row shown: one, or all of them when End asked for the last member."""
        client = self.kaspr_app.client
        if client is None:
            return
        # Walking to the end adds the rows once, at the end: the table re-measures and redraws
        # on every addition, which would cost more than the requests themselves.
        wanted = None if self._want_last_member else MEMBERS_PAGE_SIZE
        try:
            members, has_more = await self._fetch_members(client, self._last_loaded_id, wanted=wanted)
        except Exception as error:
            self._want_last_member = False
            self._show_note(f"Could not load more members: {Problem.from_error(error).detail}", error=True)
            return
        self._add_rows(members, has_more)
        self._continue_to_last_member()

    async def _fetch_members(
        self, client: BillingClient, starting_after: str | None, *, wanted: int | None
    ) -> tuple[list[Member], bool]:
        """Pages after `starting_after` until `wanted` rows are in (None: all); (rows, more after them)."""
        members: list[Member] = []
        has_more = True
        while has_more and (wanted is None or len(members) < wanted):
            after = members[-1].id if members else starting_after
            page = await client.members(limit=MEMBERS_PAGE_SIZE, starting_after=after)
            members.extend(page.data)
            has_more = page.has_more and bool(page.data)
            if has_more and len(members) > MEMBERS_PAGE_SIZE:
                loaded = len(members) + (0 if starting_after is None else self.members_table.row_count)
                self._show_note(f"Loading members… {loaded:,} of {self._total_rows():,}", error=False)
        return members, has_more

    def _add_rows(self, members: list[Member], has_more: bool) -> None:
        table = self.members_table
        for member in members:
            self._members[member.id] = member
            table.add_row(*member_row(member), key=member.id)
            self._last_loaded_id = member.id
        self._has_more = has_more
        if has_more:
            self._show_note(
                f"{table.row_count:,} of {self._total_rows():,} shown · more as you scroll · End: the last",
                error=False,
            )
        else:
            self._show_note("", error=False)

    def _total_rows(self) -> int:
        """Members and invitations in the workspace, as the account last counted them."""
        subscription = self.kaspr_app.account.subscription
        return 0 if subscription is None else subscription.members + subscription.pending_invitations

    def _members_loading(self) -> bool:
        return any(worker.group == "members" and worker.is_running for worker in self.workers)

    def _load_more_if_near_end(self, *_: object) -> None:
        table = self.members_table
        if not self._has_more or self._members_loading():
            return
        view_bottom = table.scroll_y + table.scrollable_content_region.height
        near_end = (
            table.cursor_row >= table.row_count - LOAD_AHEAD_ROWS
            or view_bottom >= table.virtual_size.height - LOAD_AHEAD_ROWS
        )
        if near_end:
            self.load_more_members()

    def action_last_member(self) -> None:
        self._want_last_member = True
        if not self._members_loading():
            self._continue_to_last_member()

    def _continue_to_last_member(self) -> None:
        """Land on the last member once every page is in; fetch the rest first if End asked for it."""
        if not self._want_last_member:
            return
        if self._has_more:
            self.load_more_members()
            return
        self._want_last_member = False
        table = self.members_table
        table.move_cursor(row=table.row_count - 1, animate=False)

    def _show_note(self, text: str, *, error: bool) -> None:
        note = self.query_one("#members-note", Static)
        note.update(text)
        note.set_class(error, "-error")
        note.display = bool(text)

    # ---- adding a member --------------------------------------------------------------------

    def action_add_member(self) -> None:
        state = self.kaspr_app.account
        client = self.kaspr_app.client
        if not state.is_admin or state.subscription is None or client is None or state.me is None:
            return
        workspace_name = state.me.workspace.name if state.me.workspace else ""
        if state.subscription.seats_available == 0:
            self.app.push_screen(
                ConfirmScreen(
                    "No free seat: add licenses first",
                    f"All {state.subscription.seats} licenses of {workspace_name} are taken by members and "
                    "pending invitations. Add licenses, or remove someone, to invite a new member.",
                    confirm_label="Add licenses",
                ),
                callback=self._offer_answered,
            )
            return
        self.app.push_screen(
            InviteMemberScreen(client, workspace_name, state.subscription.seats_available),
            callback=self._invite_closed,
        )

    async def _offer_answered(self, add_licenses: bool | None) -> None:
        if add_licenses:
            await self.add_licenses()

    async def _invite_closed(self, result: InviteResult) -> None:
        if result == ADD_LICENSES:
            await self.add_licenses()
        elif isinstance(result, Member):
            self.notify(f"{result.email} is invited as {result.role}.", title="Invitation sent")
            self._workspace_changed()

    async def add_licenses(self) -> None:
        """The licenses dialog over this page, so the admin can invite as soon as a seat is free."""
        await self.app.push_screen(LicensesScreen())

    # ---- removing a member or an invitation -----------------------------------------------------

    def action_remove_selected(self) -> None:
        member = self.selected_member
        state = self.kaspr_app.account
        if member is None or not state.is_admin:
            return
        workspace_name = state.me.workspace.name if state.me and state.me.workspace else "this workspace"
        title, message, label = removal_question(member, workspace_name)
        self.app.push_screen(
            ConfirmScreen(title, message, confirm_label=label, danger=True),
            callback=lambda confirmed: self.remove_member(member) if confirmed else None,
        )

    @work(exclusive=True, group="member-change", exit_on_error=False)
    async def remove_member(self, member: Member) -> None:
        client = self.kaspr_app.client
        if client is None:
            return
        try:
            if member.status == "invited":
                await client.revoke_invitation(member.id)
            else:
                await client.remove_member(member.id)
        except Exception as error:  # the server's reason (e.g. the last admin) is shown, never a crash
            message = Problem.from_error(error).detail
            self._show_note(message, error=True)
            self.notify(message, title="Not removed", severity="error", timeout=10)
            return
        done = "Invitation revoked" if member.status == "invited" else "Member removed"
        self.notify(f"{member.email}: its license is free.", title=done)
        self._workspace_changed()

    def _workspace_changed(self) -> None:
        """Seat counts changed: reload the account (every page's counts), which reloads this list."""
        self.kaspr_app.load_account()

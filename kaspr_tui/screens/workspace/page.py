"""Workspace: who is in it, who is invited, how many licenses are free; admins add and remove
members, change their roles (`m`) and resend invitations (`e`); `/` filters the list.

The member list is paginated on the server (newest first) and loaded as `paged_table` does it:
a page of 100, the next as the user scrolls near the end, End walks to the last member.

After any change (an invitation, a removal, a role) the page asks the app to reload the account, which
updates the seat counts everywhere; a new account load reloads this list, keeping as many rows
as were shown so the user does not lose their place.
"""

from __future__ import annotations

from collections.abc import Awaitable
from datetime import datetime

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import ActiveBinding, Binding
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.widgets import Button, DataTable

from kaspr_tui.api import ApiError
from kaspr_tui.api.models import ListResponse, Member, MemberRole
from kaspr_tui.billing.formatting import format_date
from kaspr_tui.billing.member_words import person_words, resend_words, role_change_question, role_words
from kaspr_tui.billing.words import plural
from kaspr_tui.screens.base import AccountScreen
from kaspr_tui.screens.billing.licenses import LicensesScreen
from kaspr_tui.screens.dialogs.confirm import ConfirmScreen
from kaspr_tui.screens.paged_rows import PagedRows
from kaspr_tui.screens.workspace.invite import (
    ADD_LICENSES,
    InviteMemberScreen,
    InviteResult,
)
from kaspr_tui.state import AccountState, Problem, app_host
from kaspr_tui.widgets.note import Note
from kaspr_tui.widgets.paged_table import PagedTable, plain_cells
from kaspr_tui.widgets.table_filter import TableFilter
from kaspr_tui.widgets.words import Words

COLUMNS = ("Name", "Email", "Role", "Status", "Joined")


def seats_summary(state: AccountState) -> Content:
    subscription = state.subscription
    assert subscription is not None
    used = subscription.seats - subscription.seats_available
    free_style = "bold $text-success" if subscription.seats_available else "bold $text-warning"
    return Content.assemble(
        ("Licenses ", "$text-muted"),
        (f"{used} of {subscription.seats} used", "bold"),
        " · ",
        (f"{subscription.seats_available} free", free_style),
        (f" · {plural(subscription.members, 'member')}, {subscription.pending_invitations:,} invited", "$text-muted"),
    )


def member_row(member: Member) -> tuple[Text, ...]:
    return plain_cells(
        member.name or "—",
        member.email,
        member.role,
        "active" if member.status == "active" else "invited",
        format_date(member.joined_at) if member.joined_at else "—",
    )


def removal_question(member: Member, workspace_name: str) -> tuple[str, str, str, str]:
    """(title, message, the button that removes, the one that keeps) of the confirmation before
    removing `member`."""
    if member.status == "invited":
        return (
            "Revoke this invitation?",
            f"The invitation of {member.email} to {workspace_name} is cancelled and can no longer "
            "be accepted. Its license becomes free for someone else.",
            "Revoke invitation",
            "Keep invitation",
        )
    return (
        "Remove this member?",
        f"{person_words(member.name, member.email)} loses access to {workspace_name}. Their license becomes free "
        "for someone else; the number of licenses you pay for does not change.",
        "Remove member",
        "Keep member",
    )


ADMIN_ACTIONS = frozenset({"add_member", "remove_selected", "change_role", "resend_invitation"})
"""What only an admin is offered; all but adding act on the selected row."""


class WorkspaceScreen(AccountScreen):
    MODE_TITLE = "Workspace"
    AUTO_FOCUS = "#members"

    BINDINGS = [
        Binding(
            "a", "add_member", "Add member", tooltip="Invite someone by email to take a free license",
            id="workspace.add_member",
        ),
        # Not in the footer, which has no room left at 80 columns: the panel's subtitle says them.
        Binding("x,delete", "remove_selected", "Remove", show=False, id="workspace.remove"),
        Binding("m", "change_role", "Make admin / make member", show=False, id="workspace.change_role"),
        Binding("e", "resend_invitation", "Resend invitation", show=False, id="workspace.resend"),
        Binding("slash", "filter", "Filter", show=False, id="workspace.filter"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self._members_loaded_for: datetime | None = None
        self._someone_selected = False

    # ---- layout -----------------------------------------------------------------------------

    def compose_body(self) -> ComposeResult:
        with Horizontal(id="workspace-bar"):
            yield Words(id="seats-summary")
            yield Button("Add member", id="add-member", compact=True, variant="primary", action="screen.add_member")
            yield Button("Remove", id="remove-member", compact=True, variant="error", action="screen.remove_selected")
        with Vertical(id="members-panel", classes="panel"):
            yield TableFilter("members", id="members-filter")
            table = PagedTable(id="members", cursor_type="row", zebra_stripes=True)
            table.add_columns(*COLUMNS)
            yield table
            yield Note(id="members-note", classes="table-note")

    def on_mount(self) -> None:
        self.query_one("#members-panel").border_title = "Members and invitations"
        self.query_one("#members-note").display = False
        self.members: PagedRows[Member] = PagedRows(
            self,
            self.query_one("#members", PagedTable),
            self.query_one("#members-note", Note),
            fetch_page=self._fetch_members,
            row_cells=member_row,
            noun="members",
            group="members",
            total=self._total_rows,
            loaded=self._selection_changed,
            filter=self.query_one("#members-filter", TableFilter),
        )
        super().on_mount()

    @property
    def is_admin(self) -> bool:
        return app_host(self.app).account.is_admin

    @property
    def selected_member(self) -> Member | None:
        return self.members.selected

    def show_account(self, state: AccountState) -> None:
        if state.subscription is None:
            return
        self.query_one("#seats-summary", Words).update(seats_summary(state))
        self.query_one("#add-member").display = state.is_admin
        self.query_one("#members-panel").border_subtitle = (
            "/ filter · m role · e resend · x remove · End last" if state.is_admin
            else "/ filter · End last · Home first"
        )
        self._show_remove_button()
        self.refresh_bindings()
        # A new load of the account (first load, `r`, after a change) means the list may have changed too.
        if state.loaded_at != self._members_loaded_for:
            self._members_loaded_for = state.loaded_at
            self.members.reload()

    @property
    def active_bindings(self) -> dict[str, ActiveBinding]:
        """As everywhere, less the key that goes to this very page: the footer needs the room."""
        return {
            key: active
            for key, active in super().active_bindings.items()
            if active.binding.action != f"go('{self.app.current_mode}')"
        }

    def allows(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ADMIN_ACTIONS:
            if not self.is_admin:
                return False  # a member reads the list; nothing is offered they cannot do
            if action != "add_member" and self.selected_member is None:
                return None  # shown, dimmed: there is nobody to act on yet
        return True

    def action_filter(self) -> None:
        self.query_one("#members-filter", TableFilter).open()

    @on(DataTable.RowHighlighted, "#members")
    def _selection_changed(self) -> None:
        self._show_remove_button()
        # The bindings depend only on whether someone is selected (Remove is dimmed without one),
        # and refreshing them rebuilds the footer: on every row, End would wait for it.
        someone_selected = self.selected_member is not None
        if someone_selected != self._someone_selected:
            self._someone_selected = someone_selected
            self.refresh_bindings()

    @on(PagedTable.LastRowWanted, "#members")
    def _last_member_wanted(self) -> None:
        self.members.go_to_last_row()

    def _show_remove_button(self) -> None:
        button = self.query_one("#remove-member", Button)
        member = self.selected_member
        button.display = self.is_admin and member is not None
        if member is not None:
            button.label = "Revoke" if member.status == "invited" else "Remove"

    # ---- loading the list ---------------------------------------------------------------------

    def _fetch_members(self, limit: int, starting_after: str | None) -> Awaitable[ListResponse[Member]]:
        client = app_host(self.app).client
        assert client is not None  # the account was loaded through it
        return client.members(limit=limit, starting_after=starting_after)

    def _total_rows(self) -> int:
        """Members and invitations in the workspace, as the account last counted them."""
        subscription = app_host(self.app).account.subscription
        return 0 if subscription is None else subscription.members + subscription.pending_invitations

    # ---- adding a member --------------------------------------------------------------------

    def action_add_member(self) -> None:
        host = app_host(self.app)
        state = host.account
        if not state.is_admin or state.subscription is None or host.client is None or state.me is None:
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
            InviteMemberScreen(workspace_name, state.subscription.seats_available),
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
        state = app_host(self.app).account
        if member is None or not state.is_admin:
            return
        workspace_name = state.me.workspace.name if state.me and state.me.workspace else "this workspace"
        title, message, label, keep = removal_question(member, workspace_name)

        def answered(confirmed: bool | None) -> None:
            if confirmed:
                self.remove_member(member)

        self.app.push_screen(
            ConfirmScreen(title, message, confirm_label=label, danger=True, cancel_label=keep), callback=answered
        )

    @work(exclusive=True, group="member-change", exit_on_error=False)
    async def remove_member(self, member: Member) -> None:
        client = app_host(self.app).client
        if client is None:
            return
        try:
            if member.status == "invited":
                await client.revoke_invitation(member.id)
            else:
                await client.remove_member(member.id)
        except Exception as error:  # the server's reason (e.g. the last admin) is shown, never a crash
            self._refused(error, "Not removed")
            return
        done = "Invitation revoked" if member.status == "invited" else "Member removed"
        self.notify(f"{member.email}: its license is free.", title=done)
        self._workspace_changed()

    # ---- changing a role ---------------------------------------------------------------------------

    def action_change_role(self) -> None:
        """Make the selected member (or invitation) an admin, or an admin a member, once confirmed."""
        member = self.selected_member
        state = app_host(self.app).account
        if member is None or not state.is_admin or state.me is None:
            return
        role: MemberRole = "member" if member.role == "admin" else "admin"
        workspace_name = state.me.workspace.name if state.me.workspace else "this workspace"
        question = role_change_question(person_words(member.name, member.email), role, workspace_name,
                                        invited=member.status == "invited", yourself=member.id == state.me.user.id)

        def answered(confirmed: bool | None) -> None:
            if confirmed:
                self.change_role(member, role)

        self.app.push_screen(
            ConfirmScreen(
                f"Make {member.name or member.email} {role_words(role)}?",
                question,
                confirm_label="Make admin" if role == "admin" else "Make member",
                cancel_label=f"Keep as {member.role}",
                # Taking the admin role away can lock the person out of billing: tinted as a risk.
                danger=role == "member",
            ),
            callback=answered,
        )

    @work(exclusive=True, group="member-change", exit_on_error=False)
    async def change_role(self, member: Member, role: MemberRole) -> None:
        client = app_host(self.app).client
        if client is None:
            return
        try:
            changed = await client.change_role(member.id, role)
        except Exception as error:  # the last admin, a role taken away meanwhile: the server's words
            self._refused(error, "Role not changed")
            return
        self.notify(f"{person_words(changed.name, changed.email)} is now {role_words(changed.role)}.",
                    title="Role changed")
        self._workspace_changed()

    # ---- resending an invitation ---------------------------------------------------------------------

    def action_resend_invitation(self) -> None:
        member = self.selected_member
        if member is None or not self.is_admin:
            return
        if member.status != "invited":
            self.notify(f"{member.email} has joined already: only a pending invitation can be resent.",
                        title="Nothing to resend", severity="warning")
            return
        self.resend_invitation(member)

    @work(exclusive=True, group="member-change", exit_on_error=False)
    async def resend_invitation(self, invitation: Member) -> None:
        client = app_host(self.app).client
        if client is None:
            return
        try:
            answer = await client.resend_invitation(invitation.id)
        except Exception as error:  # revoked or accepted meanwhile: the server's words
            self._refused(error, "Invitation not resent")
            return
        self.members.say_progress()  # an earlier refusal under the table is out of date
        self.notify(resend_words(answer.invitation.email, sent=answer.sent),
                    title="Invitation sent again" if answer.sent else "Not sent again")

    # ---- after a change ------------------------------------------------------------------------------

    def _refused(self, error: Exception, title: str) -> None:
        """The server's reason, under the table and in a notification; for the last admin, the key
        that makes another member an admin."""
        message = Problem.from_error(error).detail
        if isinstance(error, ApiError) and error.code == "last_admin":
            message = f"{message} Select another member and press {self._key_for('change_role')} to make them an admin."
        self.query_one("#members-note", Note).say(message, error=True)
        self.notify(message, title=title, severity="error", timeout=10)

    def _key_for(self, action: str) -> str:
        """The key of one of this page's actions, as the keymap has it."""
        binding = next(active.binding for active in self.active_bindings.values() if active.binding.action == action)
        return self.app.get_key_display(binding)

    def _workspace_changed(self) -> None:
        """Seat counts changed: reload the account (every page's counts), which reloads this list."""
        app_host(self.app).load_account()

"""The Add a member dialog: an email (`#invite-email`), a role, and Send invitation (`#send-invite`).

The address is checked here first with the same rule the server uses, so an obvious typo never
costs a request; whatever the server still refuses (a duplicate, no free seat) is shown under
the field in the server's words. When the server says no seat is free, the dialog offers to add
licenses: it closes with `ADD_LICENSES` and the page that opened it takes the admin there.
"""

from __future__ import annotations

from typing import Literal

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Input, Label, RadioSet

from kaspr_tui.api import ApiError
from kaspr_tui.api.models import InvitationCreate, Member, MemberRole
from kaspr_tui.billing.validation import MAX_EMAIL_LENGTH, validate_email
from kaspr_tui.billing.words import plural
from kaspr_tui.screens.dialogs.base import Dialog
from kaspr_tui.state import Problem, app_host
from kaspr_tui.widgets.forms.field_input import FieldInput, show_field_error
from kaspr_tui.widgets.toggles import Radio
from kaspr_tui.widgets.words import Words

ADD_LICENSES: Literal["add_licenses"] = "add_licenses"
"""The dialog's result when the admin chose to add licenses instead."""

InviteResult = Member | Literal["add_licenses"] | None
"""The invitation sent, a request to add licenses, or None when cancelled."""


class InviteMemberScreen(Dialog[InviteResult]):
    BINDINGS = [Binding("escape", "cancel", "Cancel", id="invite.cancel")]

    def __init__(self, workspace_name: str, seats_free: int) -> None:
        super().__init__()
        self.workspace_name = workspace_name
        self.seats_free = seats_free

    def compose(self) -> ComposeResult:
        free = plural(self.seats_free, "free license")
        with Vertical(id="invite-dialog", classes="dialog"):
            yield Words(
                f"They get an invitation by email and take one of the {free} of {self.workspace_name}.",
                id="invite-intro",
                markup=False,
            )
            yield Label("Email")
            yield FieldInput(
                placeholder="name@company.com", id="invite-email", max_length=MAX_EMAIL_LENGTH, compact=True
            )
            yield Words(id="invite-email-error", classes="error-line", markup=False)
            yield Label("Role", id="invite-role-label")
            with RadioSet(id="invite-role", compact=True):
                yield Radio("Member", value=True, id="role-member", compact=True)
                yield Radio("Admin", id="role-admin", compact=True)
            yield Words("Admins manage billing, licenses and members.", id="invite-role-hint")
            with Horizontal(id="invite-buttons", classes="dialog-buttons"):
                yield Button("Add licenses", id="invite-add-licenses", compact=True, action="screen.add_licenses")
                yield Button("Cancel", id="invite-cancel", compact=True, action="screen.cancel")
                yield Button("Send invitation", id="send-invite", compact=True, variant="primary")

    def on_mount(self) -> None:
        self.query_one("#invite-dialog").border_title = "Add a member"
        self.query_one("#invite-add-licenses").display = False
        self.query_one("#invite-email-error").display = False

    @property
    def role(self) -> MemberRole:
        return "admin" if self.query_one("#role-admin", Radio).value else "member"

    @on(Input.Submitted, "#invite-email")
    @on(Button.Pressed, "#send-invite")
    def send(self) -> None:
        email = self.query_one("#invite-email", Input).value.strip()
        if problem := validate_email(email):
            self.show_error(problem.message)
            return
        self.show_error("")
        self.query_one("#send-invite", Button).disabled = True
        self.send_invitation(InvitationCreate(email=email, role=self.role))

    @work(exclusive=True, group="invite", exit_on_error=False)
    async def send_invitation(self, invitation: InvitationCreate) -> None:
        client = app_host(self.app).client
        assert client is not None, "the dialog opens only once the app has a client"
        try:
            member = await client.invite(invitation)
        except Exception as error:  # every failure is shown under the field, never a crash
            self.query_one("#send-invite", Button).disabled = False
            self.show_error(Problem.from_error(error).detail)
            self.query_one("#invite-email", Input).focus()
            no_seat = isinstance(error, ApiError) and error.code == "no_seat_available"
            self.query_one("#invite-add-licenses").display = no_seat
            return
        self.dismiss(member)

    def show_error(self, message: str) -> None:
        show_field_error(self, "invite-email", message)

    def action_add_licenses(self) -> None:
        self.dismiss(ADD_LICENSES)

    def action_cancel(self) -> None:
        self.dismiss(None)

"""What a customer's request to support says, and what a support transfer moves: pure, no I/O.

The TUI's support page (`screens/support/`) and the command line send and show the same words.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from datetime import datetime
from typing import Protocol

from kaspr_tui.billing.catalog import CREDIT_LABELS, PLANS, CreditType, Interval, PlanId
from kaspr_tui.billing.formatting import format_count, format_date, format_plan

DELETE_CONFIRMATION = (
    "Deleting your account also deletes your subscription plan. Support will contact you before "
    "anything is deleted, so you can keep your plan if you wish."
)


def with_note(message: str, note: str | None) -> str:
    """The request's sentence, then the customer's own note after a blank line."""
    note = (note or "").strip()
    return f"{message}\n\n{note}" if note else message


def email_change_message(email: str, new_email: str) -> str:
    return f"Please change the email address of my account from {email} to {new_email}."


def transfer_message(email: str, new_email: str) -> str:
    return f"I am changing jobs: please transfer the license and credits of {email} to my new account {new_email}."


def deletion_message(email: str) -> str:
    return f"Please delete my account {email}; contact me first about my subscription."


REQUEST_KINDS = {
    "change_email": "Email change",
    "account_transfer": "Account transfer",
    "delete_account": "Account deletion",
    "other": "Other",
}
"""A request's kind as the inbox lists it (the API's `kind` → words)."""


def request_status(status: str, closed_at: datetime | None) -> str:
    """`open`, or `closed 3 Dec 2026`: a closed request says when."""
    return f"closed {format_date(closed_at)}" if status == "closed" and closed_at else status


def ticket_line(ticket_id: str, status: str, created: datetime, email: str, lead: str = "Request sent") -> str:
    return f"{lead}: ticket {ticket_id} ({status}), {format_date(created)}. Support will answer at {email}."


def what_moves(from_email: str, license: bool, credits: Mapping[CreditType, int], source_workspace: str) -> str:
    """`Moves the license (… leaves Acme Corp; no charge to either workspace), 150 phone credits.`"""
    parts = [
        f"{format_count(quantity)} {CREDIT_LABELS[credit_type].lower()}"
        for credit_type, quantity in credits.items()
        if quantity
    ]
    if license:
        parts.insert(0, f"the license ({from_email} leaves {source_workspace}; no charge to either workspace)")
    return f"Moves {', '.join(parts)}."


class _Named(Protocol):
    @property
    def name(self) -> str: ...
    @property
    def email(self) -> str: ...


class _Workspace(Protocol):
    @property
    def id(self) -> str: ...
    @property
    def name(self) -> str: ...


class _Subscription(Protocol):
    @property
    def plan(self) -> PlanId: ...
    @property
    def interval(self) -> Interval: ...
    @property
    def seats(self) -> int: ...
    @property
    def members(self) -> int: ...
    @property
    def pending_invitations(self) -> int: ...
    @property
    def seats_available(self) -> int: ...


class _Balance(Protocol):
    @property
    def type(self) -> CreditType: ...
    @property
    def remaining(self) -> int: ...
    @property
    def used(self) -> int: ...
    @property
    def resets_at(self) -> datetime: ...


class LookedUpAccount(Protocol):
    """What a support look-up answers (`api.models.SupportAccount` is one; billing imports no wire models)."""

    @property
    def user(self) -> _Named: ...
    @property
    def role(self) -> str: ...
    @property
    def workspace(self) -> _Workspace | None: ...
    @property
    def subscription(self) -> _Subscription | None: ...
    @property
    def credits(self) -> Sequence[_Balance]: ...


def account_summary_lines(account: LookedUpAccount) -> list[str]:
    """Who the user is and what their workspace has: plan, licenses, credits. Never a card.

    The first line is `Name <email>` (the TUI shows it bold)."""
    user, subscription = account.user, account.subscription
    lines = [f"{user.name} <{user.email}>"]
    if account.workspace is None or subscription is None:
        what = "a Kaspr support agent" if account.role == "support" else "in no workspace"
        return [*lines, f"{account.role.title()}, {what}."]
    plan = format_plan(PLANS[subscription.plan].name, subscription.interval)
    used = subscription.members + subscription.pending_invitations
    lines += [
        f"{account.role.title()} of {account.workspace.name} ({account.workspace.id}) · {plan}",
        f"Licenses: {used} of {subscription.seats} used · {subscription.seats_available} free "
        f"({subscription.members} members, {subscription.pending_invitations} invited)",
    ]
    lines += [
        f"{CREDIT_LABELS[balance.type]}: {format_count(balance.remaining)} left, {format_count(balance.used)} used · "
        f"resets {format_date(balance.resets_at)}"
        for balance in account.credits
    ]
    return lines


class SupportRequest(Protocol):
    """A request to support as the inbox lists it (`api.models.SupportTicket` is one)."""

    @property
    def id(self) -> str: ...
    @property
    def kind(self) -> str: ...
    @property
    def message(self) -> str: ...
    @property
    def status(self) -> str: ...
    @property
    def created(self) -> datetime: ...
    @property
    def closed_at(self) -> datetime | None: ...
    @property
    def requester(self) -> _Named | None: ...
    @property
    def workspace(self) -> _Workspace | None: ...


REQUEST_COLUMNS: dict[str, Callable[[SupportRequest], str]] = {
    "Ticket": lambda request: request.id,
    "Kind": lambda request: REQUEST_KINDS.get(request.kind, request.kind),
    "Status": lambda request: request_status(request.status, request.closed_at),
    "Sent": lambda request: format_date(request.created),
    "From": lambda request: request.requester.email if request.requester else "—",
    "Workspace": lambda request: request.workspace.name if request.workspace else "—",
}
"""The inbox's columns, by heading: the app's tables and the command line pick theirs."""


def request_cells(request: SupportRequest, columns: Sequence[str]) -> tuple[str, ...]:
    return tuple(REQUEST_COLUMNS[column](request) for column in columns)


def request_summary(request: SupportRequest) -> list[str]:
    """`sr_000001 · Email change · open · sent 3 Dec 2026`, who sent it from where, then the message."""
    kind, status, sent = request_cells(request, ("Kind", "Status", "Sent"))
    lines = [f"{request.id} · {kind} · {status} · sent {sent}"]
    if request.requester is not None:
        where = f" ({request.workspace.name})" if request.workspace else ""
        lines.append(f"From {request.requester.name} <{request.requester.email}>{where}")
    return [*lines, request.message]

"""Support: tickets from anyone, and for support staff account lookups, transfers between a
user's old and new accounts (rule 10), and email changes."""

from __future__ import annotations

import sqlite3
from typing import TypeVar

from kaspr_tui.api.models import (
    EmailChangeRequest,
    Invoice,
    Subscription,
    SupportAccount,
    SupportRequestCreate,
    SupportTicket,
    Transfer,
    TransferRequest,
    User,
    WorkspaceRef,
)
from kaspr_tui.billing.catalog import CREDIT_LABELS, CREDIT_TYPES, PLANS
from kaspr_tui.billing.quotes import Terms
from kaspr_tui.billing.validation import validate_email
from kaspr_tui.server.credits import balances, raise_included, transfer_credits
from kaspr_tui.server.errors import conflict, field_errors, invalid, not_found
from kaspr_tui.server.events import event_wire, record_event
from kaspr_tui.server.invoices import invoice_summary
from kaspr_tui.server.members import leave_workspace
from kaspr_tui.server.pagination import page
from kaspr_tui.server.store import Tx, from_db_time, to_db_time
from kaspr_tui.server.workspaces import (
    bump_version,
    load_workspace,
    set_terms,
    subscription_view,
)

RECENT = 5

CardHolder = TypeVar("CardHolder", Subscription, Invoice)


def without_card(answer: CardHolder) -> CardHolder:
    """`answer` as support may read it: support never sees a card (rule 9), not even its brand
    and last 4 digits."""
    return answer.model_copy(update={"payment_method": None})


def _user_by_email(tx: Tx, email: str, param: str) -> sqlite3.Row:
    row = tx.one(
        "SELECT u.*, m.workspace_id, m.role, w.name AS workspace_name FROM users u "
        "LEFT JOIN memberships m ON m.user_id = u.id LEFT JOIN workspaces w ON w.id = m.workspace_id "
        "WHERE u.email = ? COLLATE NOCASE",
        (email,),
    )
    if row is None:
        raise not_found("user with this email", param)
    return row


def _user_wire(row: sqlite3.Row) -> User:
    return User(id=row["id"], email=row["email"], name=row["name"])


def _workspace_ref(row: sqlite3.Row) -> WorkspaceRef | None:
    return WorkspaceRef(id=row["workspace_id"], name=row["workspace_name"]) if row["workspace_id"] else None


def workspaces_of(tx: Tx, *emails: str) -> list[str]:
    """The workspaces these users belong to (the ones a lookup or a transfer will read)."""
    marks = ", ".join("?" * len(emails))
    rows = tx.all(f"SELECT DISTINCT m.workspace_id FROM users u JOIN memberships m ON m.user_id = u.id "
                  f"WHERE u.email COLLATE NOCASE IN ({marks}) ORDER BY m.workspace_id", emails)
    return [row["workspace_id"] for row in rows]


def find_account(tx: Tx, email: str) -> SupportAccount:
    user = _user_by_email(tx, email, "email")
    workspace_id = user["workspace_id"]
    if user["is_support"] or workspace_id is None:
        return SupportAccount(user=_user_wire(user), role="support" if user["is_support"] else "member",
                              workspace=None, subscription=None, credits=[], recent_invoices=[], recent_events=[])
    invoices, _ = page(tx, "invoices", "workspace_id = ?", (workspace_id,), RECENT, None)
    events, _ = page(tx, "events", "workspace_id = ?", (workspace_id,), RECENT, None)
    return SupportAccount(
        user=_user_wire(user),
        role=user["role"],
        workspace=_workspace_ref(user),
        subscription=without_card(subscription_view(tx, workspace_id)),
        credits=balances(tx, workspace_id),
        recent_invoices=[invoice_summary(row) for row in invoices],
        recent_events=[event_wire(row, for_support=True) for row in events],
    )


def _shift_seats(tx: Tx, workspace_id: str, delta: int) -> None:
    """Seats now, and any scheduled seat count with them, moved by `delta`."""
    terms = load_workspace(tx, workspace_id).terms
    set_terms(tx, workspace_id, Terms(terms.plan, terms.interval, max(1, terms.seats + delta)))
    tx.run("UPDATE scheduled_changes SET seats = MAX(1, seats + ?) WHERE workspace_id = ?", (delta, workspace_id))


def transfer(tx: Tx, request: TransferRequest, *, actor: str) -> Transfer:
    source_user = _user_by_email(tx, request.from_email, "from_email")
    target_user = _user_by_email(tx, request.to_email, "to_email")
    source, target = source_user["workspace_id"], target_user["workspace_id"]
    if source is None:
        raise invalid("parameter_invalid", "The old account belongs to no workspace: there is nothing to move.",
                      "from_email")
    if target is None:
        raise invalid("parameter_invalid", "The new account belongs to no workspace to move anything to.",
                      "to_email")
    if source == target:
        raise invalid("parameter_invalid", "Both accounts are in the same workspace: there is nothing to move.",
                      "to_email")
    amounts = {credit_type: getattr(request.credits, credit_type) for credit_type in CREDIT_TYPES}
    if not request.license and not any(amounts.values()):
        raise invalid("parameter_missing", "Choose what to move: the license, credits, or both.", "credits")
    for credit_type, quantity in amounts.items():
        if quantity:
            transfer_credits(tx, source, target, credit_type, quantity, param=f"credits.{credit_type}")
    if request.license:
        _move_license(tx, source_user, source, target)
    moved = ", ".join(
        [*(["the license"] if request.license else []),
         *(f"{quantity:,} {CREDIT_LABELS[t].lower()}" for t, quantity in amounts.items() if quantity)]
    )
    transfer_id = tx.new_id("tr")
    data = {"transfer": transfer_id, "license": request.license, "credits": amounts, "reason": request.reason}
    record_event(tx, source, "support.transfer_out",
                 f"Moved {moved} from {source_user['email']} to {target_user['email']} "
                 f"({target_user['workspace_name']})",
                 actor=actor, data=data)
    record_event(tx, target, "support.transfer_in",
                 f"Received {moved} for {target_user['email']} from {source_user['email']} "
                 f"({source_user['workspace_name']})",
                 actor=actor, data=data)
    if request.license:  # seats priced by quotes changed; credits are in no price
        bump_version(tx, source)
        bump_version(tx, target)
    result = Transfer(
        id=transfer_id,
        from_email=source_user["email"],
        to_email=target_user["email"],
        from_workspace=WorkspaceRef(id=source, name=source_user["workspace_name"]),
        to_workspace=WorkspaceRef(id=target, name=target_user["workspace_name"]),
        license=request.license,
        credits=amounts,
        reason=request.reason,
        created=tx.now,
    )
    tx.run("INSERT INTO transfers(id, body, created) VALUES (?, ?, ?)",
           (transfer_id, result.model_dump_json(), to_db_time(tx.now)))
    return result


def _move_license(tx: Tx, source_user: sqlite3.Row, source: str, target: str) -> None:
    """The user leaves the old workspace with its paid seat; the new workspace gains one. No charge."""
    source_plan = PLANS[load_workspace(tx, source).terms.plan]
    target_workspace = load_workspace(tx, target)
    target_plan = PLANS[target_workspace.terms.plan]
    if not source_plan.is_paid:
        raise invalid("parameter_invalid", "The old account is on the Free plan: it has no paid license to move.",
                      "license")
    if target_workspace.terms.seats >= target_plan.max_seats:
        raise invalid("plan_seat_limit", f"{target_workspace.name} is on the {target_plan.name} plan, which allows "
                      f"at most {target_plan.max_seats} licenses: it cannot take one more.", "license")
    leave_workspace(tx, source, source_user["id"])
    _shift_seats(tx, source, -1)
    _shift_seats(tx, target, +1)
    raise_included(tx, target, load_workspace(tx, target).terms)


def change_email(tx: Tx, request: EmailChangeRequest, *, actor: str) -> User:
    user = _user_by_email(tx, request.user_email, "user_email")
    if error := validate_email(request.new_email, "new_email"):
        raise field_errors([error])
    taken = tx.one("SELECT id FROM users WHERE email = ? COLLATE NOCASE AND id != ?", (request.new_email, user["id"]))
    if taken:
        raise conflict("email_taken", "Another account already uses this email address.", "new_email")
    tx.run("UPDATE users SET email = ? WHERE id = ?", (request.new_email, user["id"]))
    if user["workspace_id"]:
        record_event(tx, user["workspace_id"], "user.email_changed",
                     f"{user['name']}'s email changed from {user['email']} to {request.new_email}",
                     actor=actor, data={"user": user["id"]})
    return User(id=user["id"], email=request.new_email, name=user["name"])


def _kind_words(kind: str) -> str:
    """`change_email` → `change email`, as the workspace's activity says it."""
    return kind.replace("_", " ")


def create_ticket(
    tx: Tx, request: SupportRequestCreate, *, user_id: str, email: str, workspace_id: str | None
) -> SupportTicket:
    if request.kind == "change_email":
        if not request.new_email:
            raise invalid("parameter_missing", "Give the new email address you want to use.", "new_email")
        if error := validate_email(request.new_email, "new_email"):
            raise field_errors([error])
    ticket_id = tx.new_id("sr")
    tx.run(
        "INSERT INTO support_tickets(id, user_id, workspace_id, kind, message, new_email, status, created) "
        "VALUES (?, ?, ?, ?, ?, ?, 'open', ?)",
        (ticket_id, user_id, workspace_id, request.kind, request.message, request.new_email, to_db_time(tx.now)),
    )
    if workspace_id:
        record_event(tx, workspace_id, "support.request_created",
                     f"Support request ({_kind_words(request.kind)}) sent", actor=email,
                     data={"support_request": ticket_id, "kind": request.kind})
    return ticket_wire(tx, tx.row("SELECT * FROM support_tickets WHERE id = ?", (ticket_id,)))


def ticket_wire(tx: Tx, row: sqlite3.Row) -> SupportTicket:
    """A stored request with who sent it, as they are now, and the workspace they sent it from."""
    user = tx.row("SELECT id, email, name FROM users WHERE id = ?", (row["user_id"],))
    workspace = None
    if row["workspace_id"]:
        name = tx.row("SELECT name FROM workspaces WHERE id = ?", (row["workspace_id"],))["name"]
        workspace = WorkspaceRef(id=row["workspace_id"], name=name)
    return SupportTicket(
        id=row["id"], kind=row["kind"], message=row["message"], new_email=row["new_email"], status=row["status"],
        created=from_db_time(row["created"]),
        closed_at=from_db_time(row["closed_at"]) if row["closed_at"] else None, closed_by=row["closed_by"],
        requester=User(id=user["id"], email=user["email"], name=user["name"]), workspace=workspace,
    )


def list_tickets(
    tx: Tx, limit: int, starting_after: str | None, **columns: str | None
) -> tuple[list[SupportTicket], bool]:
    """A page of the requests whose `columns` (`workspace_id`, `user_id`, `status`) have the values
    given; a None value does not filter."""
    wanted = {column: value for column, value in columns.items() if value is not None}
    where = " AND ".join(f"{column} = ?" for column in wanted) or "1 = 1"
    rows, has_more = page(tx, "support_tickets", where, tuple(wanted.values()), limit, starting_after)
    return [ticket_wire(tx, row) for row in rows], has_more


def _ticket_row(tx: Tx, ticket_id: str) -> sqlite3.Row:
    row = tx.one("SELECT * FROM support_tickets WHERE id = ?", (ticket_id,))
    if row is None:
        raise not_found("support request")
    return row


def get_ticket(tx: Tx, ticket_id: str) -> SupportTicket:
    return ticket_wire(tx, _ticket_row(tx, ticket_id))


def close_ticket(tx: Tx, ticket_id: str, *, actor: str) -> SupportTicket:
    """Closed by `actor` now; a request already closed stays as it was closed (closing is a no-op)."""
    row = _ticket_row(tx, ticket_id)
    if row["status"] == "open":
        tx.run("UPDATE support_tickets SET status = 'closed', closed_at = ?, closed_by = ? WHERE id = ?",
               (to_db_time(tx.now), actor, ticket_id))
        if row["workspace_id"]:
            record_event(tx, row["workspace_id"], "support.request_closed",
                         f"Support request {ticket_id} ({_kind_words(row['kind'])}) closed", actor=actor,
                         data={"support_request": ticket_id, "kind": row["kind"]})
    return get_ticket(tx, ticket_id)

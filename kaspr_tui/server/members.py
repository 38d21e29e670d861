"""Members and invitations: one list, one seat each (rule 1)."""

from __future__ import annotations

import sqlite3
from datetime import timedelta

from kaspr_tui.api.models import InvitationResent, Member, MemberRole
from kaspr_tui.billing.member_words import person_words, role_words
from kaspr_tui.billing.validation import validate_email
from kaspr_tui.server.errors import conflict, field_errors, not_found
from kaspr_tui.server.events import record_event
from kaspr_tui.server.pagination import page
from kaspr_tui.server.store import Tx, from_db_time, to_db_time
from kaspr_tui.server.workspaces import load_workspace, member_counts

MEMBER_LIST = (
    "(SELECT m.seq, m.id, m.workspace_id, m.role, m.status, m.created, m.sent_at, u.name, "
    "COALESCE(u.email, m.invited_email) AS email FROM memberships m LEFT JOIN users u ON u.id = m.user_id)"
)
RESEND_INTERVAL = timedelta(minutes=1)
"""An invitation resent this soon after it last went out is not sent again: a double Enter, or two
admins at once, send the invitee one email."""


def _wire(row: sqlite3.Row) -> Member:
    active = row["status"] == "active"
    return Member(
        id=row["id"], email=row["email"], name=row["name"], role=row["role"], status=row["status"],
        joined_at=from_db_time(row["created"]) if active else None,
    )


def list_members(tx: Tx, workspace_id: str, limit: int, starting_after: str | None) -> tuple[list[Member], bool]:
    rows, has_more = page(tx, MEMBER_LIST, "workspace_id = ?", (workspace_id,), limit, starting_after)
    return [_wire(row) for row in rows], has_more


def add_member(tx: Tx, workspace_id: str, user_id: str, role: MemberRole) -> None:
    tx.run(
        "INSERT INTO memberships(id, workspace_id, user_id, role, status, created) VALUES (?, ?, ?, ?, 'active', ?)",
        (user_id, workspace_id, user_id, role, to_db_time(tx.now)),
    )


def _load(tx: Tx, workspace_id: str, member_id: str, status: str) -> sqlite3.Row:
    row = tx.one(f"SELECT * FROM {MEMBER_LIST} WHERE id = ? AND workspace_id = ? AND status = ?",
                 (member_id, workspace_id, status))
    if row is None:
        raise not_found("member" if status == "active" else "invitation")
    return row


def invite(tx: Tx, workspace_id: str, email: str, role: MemberRole, *, actor: str) -> Member:
    if error := validate_email(email):
        raise field_errors([error])
    if tx.one(f"SELECT 1 FROM {MEMBER_LIST} WHERE workspace_id = ? AND email = ? COLLATE NOCASE",
              (workspace_id, email)):
        raise conflict("already_member", f"{email} is already a member of this workspace or invited to it.", "email")
    workspace = load_workspace(tx, workspace_id)
    members, invited = member_counts(tx, workspace_id)
    if members + invited >= workspace.terms.seats:
        raise conflict(
            "no_seat_available",
            f"All {workspace.terms.seats} licenses are taken ({members} members, {invited} pending invitations): "
            "add licenses or remove a member first.",
        )
    invitation_id = tx.new_id("inv")
    tx.run(
        "INSERT INTO memberships(id, workspace_id, invited_email, role, status, created) "
        "VALUES (?, ?, ?, ?, 'invited', ?)",
        (invitation_id, workspace_id, email, role, to_db_time(tx.now)),
    )
    record_event(tx, workspace_id, "invitation.created", f"{email} invited as {role}", actor=actor,
                 data={"invitation": invitation_id, "role": role})
    return _wire(_load(tx, workspace_id, invitation_id, "invited"))


def revoke_invitation(tx: Tx, workspace_id: str, invitation_id: str, *, actor: str) -> None:
    row = _load(tx, workspace_id, invitation_id, "invited")
    tx.run("DELETE FROM memberships WHERE id = ?", (invitation_id,))
    record_event(tx, workspace_id, "invitation.revoked", f"Invitation of {row['email']} revoked; its seat is free",
                 actor=actor, data={"invitation": invitation_id})


def _keep_an_admin(tx: Tx, workspace_id: str, row: sqlite3.Row) -> None:
    """Refuse to take away the admin role of the workspace's last active admin."""
    if row["role"] != "admin" or row["status"] != "active":
        return
    admins = tx.row("SELECT COUNT(*) AS n FROM memberships WHERE workspace_id = ? AND role = 'admin' "
                    "AND status = 'active'", (workspace_id,))["n"]
    if admins == 1:
        raise conflict(
            "last_admin",
            f"{row['name']} is the only admin of this workspace, and a workspace needs one: "
            "make another member an admin first.",
        )


def leave_workspace(tx: Tx, workspace_id: str, user_id: str) -> sqlite3.Row:
    """Take an active member out, unless they are its last admin."""
    row = _load(tx, workspace_id, user_id, "active")
    _keep_an_admin(tx, workspace_id, row)
    tx.run("DELETE FROM memberships WHERE id = ?", (user_id,))
    return row


def remove_member(tx: Tx, workspace_id: str, user_id: str, *, actor: str) -> None:
    row = leave_workspace(tx, workspace_id, user_id)
    record_event(tx, workspace_id, "member.removed", f"{row['name']} ({row['email']}) removed; their seat is free",
                 actor=actor, data={"user": user_id})


def change_role(tx: Tx, workspace_id: str, member_id: str, role: MemberRole, *, actor: str) -> Member:
    """A member's role, or the role a pending invitation will grant; never the last admin's away.
    The same role again changes nothing and records nothing."""
    row = tx.one(f"SELECT * FROM {MEMBER_LIST} WHERE id = ? AND workspace_id = ?", (member_id, workspace_id))
    if row is None:
        raise not_found("member or invitation")
    previous = row["role"]
    if previous == role:
        return _wire(row)
    if role == "member":
        _keep_an_admin(tx, workspace_id, row)
    tx.run("UPDATE memberships SET role = ? WHERE id = ?", (role, member_id))
    was = f"{role_words(role)} (was {role_words(previous)})"
    if row["status"] == "invited":
        record_event(tx, workspace_id, "invitation.role_changed", f"The invitation of {row['email']} is now for {was}",
                     actor=actor, data={"invitation": member_id, "role": role, "previous_role": previous})
    else:
        record_event(tx, workspace_id, "member.role_changed", f"{person_words(row['name'], row['email'])} is now {was}",
                     actor=actor, data={"user": member_id, "role": role, "previous_role": previous})
    return _wire(_load(tx, workspace_id, member_id, row["status"]))


def resend_invitation(tx: Tx, workspace_id: str, invitation_id: str, *, actor: str) -> InvitationResent:
    """Send a pending invitation again, unless it went out less than `RESEND_INTERVAL` ago."""
    row = _load(tx, workspace_id, invitation_id, "invited")
    last_sent = from_db_time(row["sent_at"] or row["created"])
    if tx.now - last_sent < RESEND_INTERVAL:
        return InvitationResent(invitation=_wire(row), sent=False, sent_at=last_sent)
    tx.run("UPDATE memberships SET sent_at = ? WHERE id = ?", (to_db_time(tx.now), invitation_id))
    record_event(tx, workspace_id, "invitation.resent", f"Invitation of {row['email']} sent again", actor=actor,
                 data={"invitation": invitation_id})
    return InvitationResent(invitation=_wire(row), sent=True, sent_at=tx.now)

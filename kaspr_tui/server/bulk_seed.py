"""Many members at once, for benchmarks and tests of big workspaces (not part of the demo seed).

    context = ServerContext.open(settings)
    add_members(context, workspace_id_named(context, "Acme Corp"), 5_000)

The licenses grow with the members so rule 1 (`seats >= members + pending invitations`) holds;
no invoice is made, as if support had granted them.
"""

from __future__ import annotations

from kaspr_tui.server.context import ServerContext
from kaspr_tui.server.store import to_db_time
from kaspr_tui.server.workspaces import member_counts


def workspace_id_named(context: ServerContext, name: str) -> str:
    with context.transaction() as tx:
        row = tx.one("SELECT id FROM workspaces WHERE name = ?", (name,))
    if row is None:
        raise LookupError(f"no workspace named {name!r}")
    return row["id"]


def add_members(context: ServerContext, workspace_id: str, count: int) -> None:
    """Add `count` active members (`Member 1` … `member1.<workspace>@bulk.example`), one transaction."""
    with context.transaction() as tx:
        created = to_db_time(tx.now)
        for number in range(1, count + 1):
            user_id = tx.new_id("usr")
            email = f"member{number}.{workspace_id}@bulk.example"
            tx.run(
                "INSERT INTO users(id, email, name, created) VALUES (?, ?, ?, ?)",
                (user_id, email, f"Member {number}", created),
            )
            tx.run(
                "INSERT INTO memberships(id, workspace_id, user_id, role, status, created) "
                "VALUES (?, ?, ?, 'member', 'active', ?)",
                (user_id, workspace_id, user_id, created),
            )
        members, invited = member_counts(tx, workspace_id)
        # A change of seats makes earlier quotes stale, as any change of the subscription does.
        tx.run("UPDATE workspaces SET seats = MAX(seats, ?), version = version + 1 WHERE id = ?",
               (members + invited, workspace_id))

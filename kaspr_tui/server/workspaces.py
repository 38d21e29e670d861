"""A workspace's subscription: its terms, seats, add-ons, scheduled change, and the views of it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from kaspr_tui.api.models import (
    BillingDetails,
    CardSummary,
    RecurringAddon,
    ScheduledChange,
    Subscription,
)
from kaspr_tui.billing.catalog import CREDIT_TYPES, PLANS, CreditType
from kaspr_tui.billing.quotes import Terms
from kaspr_tui.billing.tax import TaxDecision, tax_decision
from kaspr_tui.server.errors import not_found
from kaspr_tui.server.store import Tx, from_db_time, to_db_time


@dataclass(frozen=True)
class Workspace:
    id: str
    name: str
    terms: Terms
    period_start: datetime
    period_end: datetime
    billing_anchor: datetime
    status: str
    version: int


def load_workspace(tx: Tx, workspace_id: str) -> Workspace:
    row = tx.one("SELECT * FROM workspaces WHERE id = ?", (workspace_id,))
    if row is None:
        raise not_found("workspace")
    return Workspace(
        id=row["id"],
        name=row["name"],
        terms=Terms(row["plan"], row["interval"], row["seats"]),
        period_start=from_db_time(row["period_start"]),
        period_end=from_db_time(row["period_end"]),
        billing_anchor=from_db_time(row["billing_anchor"]),
        status=row["status"],
        version=row["version"],
    )


def set_terms(tx: Tx, workspace_id: str, terms: Terms) -> None:
    tx.run(
        "UPDATE workspaces SET plan = ?, interval = ?, seats = ? WHERE id = ?",
        (terms.plan, terms.interval, terms.seats, workspace_id),
    )


def start_period(tx: Tx, workspace_id: str, start: datetime, end: datetime, *, restart_cycle: bool) -> None:
    """A new billing period; `restart_cycle` re-anchors billing on `start` (free → paid, monthly → annual)."""
    tx.run("UPDATE workspaces SET period_start = ?, period_end = ? WHERE id = ?",
           (to_db_time(start), to_db_time(end), workspace_id))
    if restart_cycle:
        tx.run("UPDATE workspaces SET billing_anchor = ? WHERE id = ?", (to_db_time(start), workspace_id))


def describe_terms(terms: Terms) -> str:
    """`Business (annual), 10 seats`."""
    interval = "annual" if terms.interval == "year" else "monthly"
    return f"{PLANS[terms.plan].name} ({interval}), {terms.seats} seat{'' if terms.seats == 1 else 's'}"


def bump_version(tx: Tx, workspace_id: str) -> None:
    """Quotes made before this are stale: what they priced has changed."""
    tx.run("UPDATE workspaces SET version = version + 1 WHERE id = ?", (workspace_id,))


def member_counts(tx: Tx, workspace_id: str) -> tuple[int, int]:
    """(active members, pending invitations)."""
    row = tx.one(
        "SELECT SUM(status = 'active') AS members, SUM(status = 'invited') AS invited FROM memberships "
        "WHERE workspace_id = ?",
        (workspace_id,),
    )
    return row["members"] or 0, row["invited"] or 0


def default_card(tx: Tx, workspace_id: str) -> CardSummary | None:
    row = tx.one("SELECT brand, last4 FROM payment_methods WHERE workspace_id = ? AND is_default", (workspace_id,))
    return CardSummary(brand=row["brand"], last4=row["last4"]) if row else None


def billing_details_of(tx: Tx, workspace_id: str) -> BillingDetails | None:
    row = tx.one("SELECT details FROM billing_details WHERE workspace_id = ?", (workspace_id,))
    return BillingDetails.model_validate_json(row["details"]) if row else None


NO_TAX_ADDRESS = TaxDecision(rate_percent=Decimal(0), reverse_charge=False, country=None)
"""Until a workspace gives an address nothing says which VAT applies; checkout asks for one first."""


def workspace_tax(tx: Tx, workspace_id: str) -> TaxDecision:
    details = billing_details_of(tx, workspace_id)
    if details is None:
        return NO_TAX_ADDRESS
    return tax_decision(details.address.country, details.vat_number)


def scheduled_change_of(tx: Tx, workspace_id: str) -> ScheduledChange | None:
    row = tx.one("SELECT * FROM scheduled_changes WHERE workspace_id = ?", (workspace_id,))
    if row is None:
        return None
    return ScheduledChange(
        plan=row["plan"], interval=row["interval"], seats=row["seats"], effective_at=from_db_time(row["effective_at"])
    )


def schedule_change(tx: Tx, workspace_id: str, terms: Terms, effective_at: datetime) -> None:
    tx.run(
        "INSERT INTO scheduled_changes(workspace_id, plan, interval, seats, effective_at) VALUES (?, ?, ?, ?, ?) "
        "ON CONFLICT(workspace_id) DO UPDATE SET plan = excluded.plan, interval = excluded.interval, "
        "seats = excluded.seats, effective_at = excluded.effective_at",
        (workspace_id, terms.plan, terms.interval, terms.seats, to_db_time(effective_at)),
    )


def clear_scheduled_change(tx: Tx, workspace_id: str) -> bool:
    return tx.run("DELETE FROM scheduled_changes WHERE workspace_id = ?", (workspace_id,)).rowcount > 0


def recurring_addons(tx: Tx, workspace_id: str) -> list[RecurringAddon]:
    rows = {
        row["credit_type"]: row
        for row in tx.all("SELECT * FROM recurring_addons WHERE workspace_id = ?", (workspace_id,))
    }
    return [
        RecurringAddon(type=credit_type, quantity=rows[credit_type]["quantity"],
                       auto_renew=bool(rows[credit_type]["auto_renew"]))
        for credit_type in CREDIT_TYPES
        if credit_type in rows
    ]


def renewing_addons(tx: Tx, workspace_id: str) -> dict[CreditType, int]:
    """The packs that will renew at the next reset (auto-renew on)."""
    return {addon.type: addon.quantity for addon in recurring_addons(tx, workspace_id) if addon.auto_renew}


def subscription_view(tx: Tx, workspace_id: str) -> Subscription:
    workspace = load_workspace(tx, workspace_id)
    members, invited = member_counts(tx, workspace_id)
    return Subscription(
        plan=workspace.terms.plan,
        interval=workspace.terms.interval,
        seats=workspace.terms.seats,
        members=members,
        pending_invitations=invited,
        seats_available=max(0, workspace.terms.seats - members - invited),
        status=workspace.status,
        current_period_start=workspace.period_start,
        current_period_end=workspace.period_end,
        addons=recurring_addons(tx, workspace_id),
        scheduled_change=scheduled_change_of(tx, workspace_id),
        payment_method=default_card(tx, workspace_id),
    )

"""Changes to a subscription that cost nothing: add-on auto-renewal, cancelling a scheduled change."""

from __future__ import annotations

from kaspr_tui.api.models import Subscription
from kaspr_tui.billing.catalog import CREDIT_LABELS, CreditType
from kaspr_tui.server.errors import not_found
from kaspr_tui.server.events import record_event
from kaspr_tui.server.store import Tx
from kaspr_tui.server.workspaces import (
    bump_version,
    clear_scheduled_change,
    subscription_view,
)


def set_auto_renew(tx: Tx, workspace_id: str, credit_type: CreditType, auto_renew: bool, *, actor: str) -> Subscription:
    """Off: the pack's credits stay until the next reset, then it ends. On: it keeps renewing."""
    updated = tx.run("UPDATE recurring_addons SET auto_renew = ? WHERE workspace_id = ? AND credit_type = ?",
                     (int(auto_renew), workspace_id, credit_type)).rowcount
    if not updated:
        raise not_found(f"{CREDIT_LABELS[credit_type].lower()} add-on on this subscription")
    label = CREDIT_LABELS[credit_type]
    record_event(
        tx, workspace_id, "addon.updated",
        f"{label} add-on {'renews every month' if auto_renew else 'ends at the next reset'}",
        actor=actor, data={"type": credit_type, "auto_renew": auto_renew},
    )
    bump_version(tx, workspace_id)
    return subscription_view(tx, workspace_id)


def cancel_scheduled_change(tx: Tx, workspace_id: str, *, actor: str) -> Subscription:
    if not clear_scheduled_change(tx, workspace_id):
        raise not_found("scheduled change on this subscription")
    record_event(tx, workspace_id, "subscription.change_canceled", "Scheduled change cancelled", actor=actor)
    bump_version(tx, workspace_id)
    return subscription_view(tx, workspace_id)

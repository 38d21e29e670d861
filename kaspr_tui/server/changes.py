"""Applying a paid change to a subscription: new terms, new period, scheduled part, add-on credits.

Runs inside the caller's transaction (a checkout's success), so all of it happens or none.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, replace
from datetime import datetime

from kaspr_tui.billing.catalog import CREDIT_LABELS, CREDIT_TYPES, PLANS, CreditType
from kaspr_tui.billing.formatting import format_date
from kaspr_tui.billing.periods import credit_period_bounds
from kaspr_tui.billing.quotes import PriceChange, Terms
from kaspr_tui.billing.words import plural
from kaspr_tui.server.credits import (
    add_addon_credits,
    move_current_period,
    raise_included,
)
from kaspr_tui.server.events import record_event
from kaspr_tui.server.store import Tx, from_db_time, to_db_time
from kaspr_tui.server.workspaces import (
    Workspace,
    bump_version,
    clear_scheduled_change,
    describe_terms,
    load_workspace,
    schedule_change,
    set_terms,
    start_period,
)


@dataclass(frozen=True)
class AcceptedChange:
    """What a quote promised, kept with it until its checkout succeeds, and the terms it was quoted
    against (`base`), so it can be applied relative to them."""

    changes_terms: bool
    restarts_cycle: bool
    """Billing starts afresh now (free → paid, monthly → annual), on `period_start`–`period_end`."""
    immediate: Terms
    scheduled: Terms | None
    scheduled_for: datetime | None
    period_start: datetime
    period_end: datetime
    addons_now: dict[CreditType, int]
    base: Terms | None = None
    """The terms when it was quoted; None for a quote stored before quotes kept them."""

    @classmethod
    def of(
        cls, change: PriceChange, *, current: Terms, current_period_start: datetime, changes_terms: bool,
        addons_now: dict[CreditType, int],
    ) -> AcceptedChange:
        return cls(changes_terms, change.period_start != current_period_start, change.immediate, change.scheduled,
                   change.scheduled_for, change.period_start, change.period_end, dict(addons_now), current)

    def rebased(self, current: Terms) -> AcceptedChange:
        """The same change made to `current`: the seats it buys (or schedules away) are added to
        today's seats, so licenses support moved in or out meanwhile are kept."""
        drift = current.seats - self.base.seats if self.base else 0
        if not drift:
            return self

        def moved(terms: Terms) -> Terms:
            return Terms(terms.plan, terms.interval, max(1, terms.seats + drift))

        return replace(self, immediate=moved(self.immediate),
                       scheduled=moved(self.scheduled) if self.scheduled else None, base=current)

    def to_json(self) -> str:
        def terms(value: Terms | None) -> list[object] | None:
            return [value.plan, value.interval, value.seats] if value else None

        return json.dumps({
            "changes_terms": self.changes_terms,
            "restarts_cycle": self.restarts_cycle,
            "immediate": terms(self.immediate),
            "scheduled": terms(self.scheduled),
            "scheduled_for": to_db_time(self.scheduled_for) if self.scheduled_for else None,
            "period_start": to_db_time(self.period_start),
            "period_end": to_db_time(self.period_end),
            "addons_now": self.addons_now,
            "base": terms(self.base),
        })

    @classmethod
    def from_json(cls, text: str) -> AcceptedChange:
        data = json.loads(text)
        return cls(
            changes_terms=data["changes_terms"],
            restarts_cycle=data["restarts_cycle"],
            immediate=Terms(*data["immediate"]),
            scheduled=Terms(*data["scheduled"]) if data["scheduled"] else None,
            scheduled_for=from_db_time(data["scheduled_for"]) if data["scheduled_for"] else None,
            period_start=from_db_time(data["period_start"]),
            period_end=from_db_time(data["period_end"]),
            addons_now=data["addons_now"],
            base=Terms(*data["base"]) if data.get("base") else None,
        )


def outdated_reason(change: AcceptedChange, workspace: Workspace) -> str | None:
    """Why `change` can no longer be applied to the workspace as it is now, if it cannot: the plan
    or interval it was quoted against changed, or the seats it adds would pass the plan's limit."""
    base = change.base
    current = workspace.terms
    if base is not None and (current.plan, current.interval) != (base.plan, base.interval):
        return (f"the plan changed to {describe_terms(current)} while it was in progress, so this price "
                "no longer applies")
    seats = change.rebased(current).immediate.seats
    plan = PLANS[change.immediate.plan]
    if seats > plan.max_seats:
        return (f"licenses were moved into {workspace.name} while it was in progress, and with them this order "
                f"would give it {plural(seats, 'license')}, more than the {plan.name} plan's {plan.max_seats}")
    return None


def apply_change(tx: Tx, workspace_id: str, change: AcceptedChange, *, actor: str | None) -> None:
    """Apply `change` relative to the terms it was quoted against (see `AcceptedChange.rebased`);
    the caller has checked `outdated_reason`."""
    before = load_workspace(tx, workspace_id).terms
    change = change.rebased(before)
    if change.immediate != before:
        set_terms(tx, workspace_id, change.immediate)
        if change.restarts_cycle:
            start_period(tx, workspace_id, change.period_start, change.period_end, restart_cycle=True)
            move_current_period(tx, workspace_id, *credit_period_bounds(change.period_start, tx.now))
        raise_included(tx, workspace_id, change.immediate)
        record_event(
            tx, workspace_id, "subscription.updated",
            f"Subscription changed from {describe_terms(before)} to {describe_terms(change.immediate)}",
            actor=actor,
            data={"from": _terms_data(before), "to": _terms_data(change.immediate)},
        )
    if change.changes_terms:
        # A new choice of terms replaces whatever was waiting for the period end.
        if change.scheduled and change.scheduled_for:
            schedule_change(tx, workspace_id, change.scheduled, change.scheduled_for)
            record_event(
                tx, workspace_id, "subscription.change_scheduled",
                f"{describe_terms(change.scheduled)} from {format_date(change.scheduled_for)}",
                actor=actor,
                data={"to": _terms_data(change.scheduled), "effective_at": to_db_time(change.scheduled_for)},
            )
        elif clear_scheduled_change(tx, workspace_id):
            record_event(tx, workspace_id, "subscription.change_canceled",
                         "Scheduled change replaced by the new terms", actor=actor)
    for credit_type in CREDIT_TYPES:
        quantity = change.addons_now.get(credit_type, 0)
        if quantity:
            add_addon_credits(tx, workspace_id, credit_type, quantity)
            add_recurring_addon(tx, workspace_id, credit_type, quantity)
            record_event(
                tx, workspace_id, "credits.purchased",
                f"{quantity:,} {CREDIT_LABELS[credit_type].lower()} added, renewing monthly",
                actor=actor, data={"type": credit_type, "quantity": quantity},
            )
    bump_version(tx, workspace_id)


def add_recurring_addon(tx: Tx, workspace_id: str, credit_type: CreditType, quantity: int) -> None:
    tx.run(
        "INSERT INTO recurring_addons(workspace_id, credit_type, quantity, auto_renew) VALUES (?, ?, ?, 1) "
        "ON CONFLICT(workspace_id, credit_type) DO UPDATE SET quantity = quantity + excluded.quantity",
        (workspace_id, credit_type, quantity),
    )


def _terms_data(terms: Terms) -> dict[str, object]:
    return {"plan": terms.plan, "interval": terms.interval, "seats": terms.seats}

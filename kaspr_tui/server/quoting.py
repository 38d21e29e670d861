"""Quotes: a proposed change checked against the workspace and priced by `billing.quotes`.

A quote changes nothing. It lives 15 minutes on the server's clock, and is stale once the
subscription (or the billing details its tax came from) changes.
"""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass
from datetime import timedelta

from kaspr_tui.api.models import (
    BillingDetailsUpdate,
    Quote,
    QuoteRequest,
    ScheduledChange,
)
from kaspr_tui.billing.catalog import ADDON_PACKS, CREDIT_LABELS, PLANS, CreditType
from kaspr_tui.billing.errors import FieldError
from kaspr_tui.billing.periods import credit_period_bounds
from kaspr_tui.billing.quotes import Terms, price_change
from kaspr_tui.billing.tax import TaxDecision, tax_decision
from kaspr_tui.billing.words import plural
from kaspr_tui.server.billing_details import billing_details_problems, normalized
from kaspr_tui.server.changes import AcceptedChange
from kaspr_tui.server.errors import field_errors, invalid, not_found, prefixed
from kaspr_tui.server.invoices import lines_wire, tax_wire
from kaspr_tui.server.store import Tx, to_db_time
from kaspr_tui.server.workspaces import (
    Workspace,
    load_workspace,
    member_counts,
    recurring_addons,
    renewing_addons,
    workspace_tax,
)

QUOTE_LIFETIME = timedelta(minutes=15)


def seat_problems(tx: Tx, workspace: Workspace, target: Terms) -> list[FieldError]:
    """Rule 1 and the plan's limit: what is wrong with `target.seats` for this workspace."""
    problems = []
    plan = PLANS[target.plan]
    if target.seats > plan.max_seats:
        problems.append(FieldError(
            "seats", "plan_seat_limit",
            f"The {plan.name} plan allows at most {plural(plan.max_seats, 'license')}: "
            "choose fewer licenses or a larger plan.",
        ))
    members, invited = member_counts(tx, workspace.id)
    if target.seats < members + invited:
        problems.append(FieldError(
            "seats", "seats_below_members",
            f"{workspace.name} has {plural(members, 'member')} and {plural(invited, 'pending invitation')}: "
            f"keep at least {plural(members + invited, 'license')} or remove members first.",
        ))
    return problems


def _addon_problems(request: QuoteRequest) -> list[FieldError]:
    problems, seen = [], set()
    for index, addon in enumerate(request.addons):
        pack = ADDON_PACKS[addon.type]
        if addon.type in seen:
            problems.append(FieldError(
                f"addons[{index}].type", "parameter_invalid",
                f"{CREDIT_LABELS[addon.type]} appear twice: give each credit type once, with the total quantity.",
            ))
        seen.add(addon.type)
        if not pack.accepts(addon.quantity):
            problems.append(FieldError(
                f"addons[{index}].quantity", "parameter_invalid",
                f"{CREDIT_LABELS[addon.type]} come in steps of {pack.step:,}, from {pack.min:,} to {pack.max:,}.",
            ))
    return problems


def order_tax(tx: Tx, workspace_id: str, update: BillingDetailsUpdate | None) -> TaxDecision:
    """The VAT of an order for these billing details (every problem with them, at once, as a 400),
    or for the workspace's saved ones."""
    if update is None:
        return workspace_tax(tx, workspace_id)
    if errors := billing_details_problems(update):
        raise field_errors(prefixed(errors, "billing_details"))
    details = normalized(update)
    return tax_decision(details.address.country, details.vat_number)


def create_quote(tx: Tx, workspace_id: str, request: QuoteRequest) -> Quote:
    tax = order_tax(tx, workspace_id, request.billing_details)
    workspace = load_workspace(tx, workspace_id)
    current = workspace.terms
    target = Terms(request.plan or current.plan, request.interval or current.interval, request.seats or current.seats)
    if target == current and not request.addons:
        raise invalid(
            "parameter_missing",
            f"This quote changes nothing: you are on {PLANS[current.plan].name} with {plural(current.seats, 'seat')}. "
            "Choose another plan, interval or number of seats, or add credits.",
        )
    problems = _addon_problems(request) + (seat_problems(tx, workspace, target) if target != current else [])
    if problems:
        raise field_errors(problems)
    addons_now: dict[CreditType, int] = {addon.type: addon.quantity for addon in request.addons}
    change = price_change(
        current, target,
        addons_now=addons_now,
        recurring_addons=renewing_addons(tx, workspace_id),
        period_start=workspace.period_start,
        period_end=workspace.period_end,
        now=tx.now,
        tax=tax,
        ending_addons=frozenset(addon.type for addon in recurring_addons(tx, workspace_id) if not addon.auto_renew),
    )
    # A new period (free → paid, monthly → annual) re-anchors the monthly resets on now.
    anchor = tx.now if change.period_start == tx.now else workspace.billing_anchor
    next_reset = credit_period_bounds(anchor, tx.now)[1]
    packs_monthly = change.monthly_addons_total > 0 and next_reset < change.period_end
    quote = Quote(
        id=tx.new_id("qt"),
        plan=target.plan,
        interval=target.interval,
        seats=target.seats,
        addons=request.addons,
        lines=lines_wire(change.lines),
        subtotal=change.subtotal,
        tax=tax_wire(change.tax, change.tax_amount),
        total_due_now=change.total_due_now,
        next_renewal_total=change.next_renewal_total,
        renews_at=change.period_end,
        monthly_addons_total=change.monthly_addons_total if packs_monthly else 0,
        monthly_addons_from=next_reset if packs_monthly else None,
        effective_at=change.effective_at,
        scheduled_for=change.scheduled_for,
        scheduled_change=(
            ScheduledChange(plan=change.scheduled.plan, interval=change.scheduled.interval,
                            seats=change.scheduled.seats, effective_at=change.scheduled_for)
            if change.scheduled and change.scheduled_for else None
        ),
        expires_at=tx.now + QUOTE_LIFETIME,
        created=tx.now,
    )
    accepted = AcceptedChange.of(change, current=current, current_period_start=workspace.period_start,
                                 changes_terms=target != current, addons_now=addons_now)
    tx.run(
        "INSERT INTO quotes(id, workspace_id, workspace_version, body, change, expires_at) VALUES (?, ?, ?, ?, ?, ?)",
        (quote.id, workspace_id, workspace.version, quote.model_dump_json(), accepted.to_json(),
         to_db_time(quote.expires_at)),
    )
    return quote


@dataclass(frozen=True)
class StoredQuote:
    quote: Quote
    change: AcceptedChange
    workspace_version: int

    @property
    def target(self) -> Terms:
        return Terms(self.quote.plan, self.quote.interval, self.quote.seats)


def _stored(row: sqlite3.Row) -> StoredQuote:
    change = AcceptedChange.from_json(row["change"])
    body = json.loads(row["body"])
    # A quote stored before `renews_at` was on the wire renews when the period it accepted ends.
    body.setdefault("renews_at", to_db_time(change.period_end))
    return StoredQuote(Quote.model_validate(body), change, row["workspace_version"])


def load_quote(tx: Tx, workspace_id: str, quote_id: str) -> StoredQuote:
    row = tx.one("SELECT * FROM quotes WHERE id = ? AND workspace_id = ?", (quote_id, workspace_id))
    if row is None:
        raise not_found("quote", "quote_id")
    return _stored(row)


def usable_quote(tx: Tx, workspace: Workspace, quote_id: str) -> StoredQuote:
    """The quote, if it can still be paid: not expired, not stale, still within the seat rules."""
    stored = load_quote(tx, workspace.id, quote_id)
    if tx.now >= stored.quote.expires_at:
        raise invalid("quote_expired", "This quote has expired (quotes last 15 minutes): get a new one.", "quote_id")
    if stored.workspace_version != workspace.version:
        raise invalid(
            "quote_stale",
            "The subscription or billing details changed since this quote was made: get a new quote.",
            "quote_id",
        )
    if stored.change.changes_terms and (problems := seat_problems(tx, workspace, stored.target)):
        raise field_errors(problems)
    return stored


def stored_quote_by_id(tx: Tx, quote_id: str) -> StoredQuote:
    row = tx.one("SELECT * FROM quotes WHERE id = ?", (quote_id,))
    assert row is not None
    return _stored(row)


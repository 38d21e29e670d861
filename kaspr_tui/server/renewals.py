"""What happens as time passes: monthly credit resets, add-on pack renewals, period renewals and
scheduled changes, each dated at the moment it fell due and recorded in the feed.

`settlement` decides when a reset is due and runs it, in order with the payments that fall due.
"""

from __future__ import annotations

from datetime import datetime

from kaspr_tui.api.models import UpcomingCharge
from kaspr_tui.billing.formatting import format_date
from kaspr_tui.billing.money import format_money
from kaspr_tui.billing.periods import credit_period_bounds, next_period_end
from kaspr_tui.billing.quotes import PriceChange, Terms, price_change
from kaspr_tui.billing.tax import TaxDecision
from kaspr_tui.server.credits import grant_credit_period
from kaspr_tui.server.events import record_event
from kaspr_tui.server.invoices import lines_wire, open_invoice, pay_invoice, tax_wire
from kaspr_tui.server.store import Tx
from kaspr_tui.server.workspaces import (
    Workspace,
    billing_details_of,
    bump_version,
    clear_scheduled_change,
    default_card,
    describe_terms,
    load_workspace,
    member_counts,
    renewing_addons,
    scheduled_change_of,
    set_terms,
    start_period,
    workspace_tax,
)


def renews_period(tx: Tx, workspace_id: str) -> bool:
    """Whether the reset due at `tx.now` also ends the billing period."""
    return tx.now >= load_workspace(tx, workspace_id).period_end


def reset(tx: Tx, workspace_id: str) -> None:
    """The credit period ends at `tx.now`; so may the billing period."""
    workspace = load_workspace(tx, workspace_id)
    renews = renews_period(tx, workspace_id)
    terms = workspace.terms
    if renews:
        terms = _apply_scheduled_change(tx, workspace)
        period_end = next_period_end(tx.now, terms.interval, workspace.billing_anchor.day)
        start_period(tx, workspace_id, tx.now, period_end, restart_cycle=False)
    dropped = tx.run("DELETE FROM recurring_addons WHERE workspace_id = ? AND auto_renew = 0 RETURNING credit_type",
                     (workspace_id,)).fetchall()
    addons = renewing_addons(tx, workspace_id)
    _, credit_period_end = credit_period_bounds(workspace.billing_anchor, tx.now)
    grant_credit_period(tx, workspace_id, terms, tx.now, credit_period_end, addons)
    record_event(
        tx, workspace_id, "credits.reset",
        f"Credits reset until {format_date(credit_period_end)}; unused credits do not carry over",
        actor=None,
        data={"addons": addons, "ended_addons": [row["credit_type"] for row in dropped]},
    )
    charge_end = load_workspace(tx, workspace_id).period_end if renews else credit_period_end
    charge = _renewal_charge(terms if renews else None, terms, addons, tx.now, charge_end,
                             workspace_tax(tx, workspace_id))
    if charge.total_due_now > 0:
        invoice_id = open_invoice(
            tx, workspace_id,
            lines=lines_wire(charge.lines), subtotal=charge.subtotal, tax=tax_wire(charge.tax, charge.tax_amount),
            period_start=tx.now, period_end=charge_end,
            billing_details=billing_details_of(tx, workspace_id), payment_method=default_card(tx, workspace_id),
        )
        # Renewals are charged off-session to the card on file, which the demo processor always accepts.
        pay_invoice(tx, invoice_id, actor=None)
    if renews:
        record_event(
            tx, workspace_id, "subscription.renewed",
            f"Subscription renewed: {describe_terms(terms)} until {format_date(charge_end)}"
            + (f", {format_money(charge.total_due_now)} charged" if charge.total_due_now else ""),
            actor=None,
        )
    bump_version(tx, workspace_id)


def _renewal_charge(
    renewed_plan: Terms | None,
    terms: Terms,
    addons: dict,
    start: datetime,
    end: datetime,
    tax: TaxDecision,
) -> PriceChange:
    """The renewal invoice, priced by the same rules as a quote: starting the plan afresh (as if
    from Free, so it is the whole period) when it renews, plus the packs that renew."""
    current = Terms("free", renewed_plan.interval, renewed_plan.seats) if renewed_plan else terms
    return price_change(
        current, terms,
        addons_now=addons, recurring_addons={},
        period_start=start, period_end=end, now=start, tax=tax,
    )


UPCOMING_LIMIT = 13
"""Charges listed ahead at most: the monthly packs of an annual period and its renewal."""


def upcoming_charges(tx: Tx, workspace_id: str) -> list[UpcomingCharge]:
    """What the next resets will charge, up to and including the next renewal, priced as `reset`
    prices them (`_renewal_charge`) for the subscription as it is now: the packs that renew each
    month, the renewal with its scheduled change applied. A reset that charges nothing is left out."""
    workspace = load_workspace(tx, workspace_id)
    tax = workspace_tax(tx, workspace_id)
    addons = renewing_addons(tx, workspace_id)  # packs with auto-renew off end at the next reset
    _, moment = credit_period_bounds(workspace.billing_anchor, tx.now)
    charges: list[UpcomingCharge] = []
    while len(charges) < UPCOMING_LIMIT:
        renews = moment >= workspace.period_end
        terms = _terms_after(tx, workspace, moment) if renews else workspace.terms
        end = (next_period_end(moment, terms.interval, workspace.billing_anchor.day) if renews
               else credit_period_bounds(workspace.billing_anchor, moment)[1])
        charge = _renewal_charge(terms if renews else None, terms, addons, moment, end, tax)
        if charge.total_due_now > 0:
            charges.append(UpcomingCharge(
                date=moment, kind="renewal" if renews else "addons",
                description=f"Renewal: {describe_terms(terms)}" if renews else "Add-on packs for the month",
                lines=lines_wire(charge.lines), total=charge.total_due_now, period_start=moment, period_end=end,
            ))
        if renews:
            break
        moment = end
    return charges


def _terms_after(tx: Tx, workspace: Workspace, moment: datetime) -> Terms:
    """The terms in force once the renewal at `moment` applies the scheduled change (if due)."""
    change = scheduled_change_of(tx, workspace.id)
    if change is None or change.effective_at > moment:
        return workspace.terms
    members, invited = member_counts(tx, workspace.id)
    # Members invited since the change was scheduled keep their seats.
    return Terms(change.plan, change.interval, max(change.seats, members + invited))


def _apply_scheduled_change(tx: Tx, workspace: Workspace) -> Terms:
    change = scheduled_change_of(tx, workspace.id)
    if change is None or change.effective_at > tx.now:
        return workspace.terms
    terms = _terms_after(tx, workspace, tx.now)
    set_terms(tx, workspace.id, terms)
    clear_scheduled_change(tx, workspace.id)
    record_event(
        tx, workspace.id, "subscription.updated",
        f"Scheduled change applied: {describe_terms(workspace.terms)} → {describe_terms(terms)}",
        actor=None,
        data={"plan": terms.plan, "interval": terms.interval, "seats": terms.seats},
    )
    return terms

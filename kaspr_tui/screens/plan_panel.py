"""The Plan section of Plan & Billing: plan, period, licenses with +, credits with Purchase Add-ons."""

from __future__ import annotations

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.widgets import Button, Static

from kaspr_tui.api.models import RecurringAddon
from kaspr_tui.billing.catalog import CREDIT_LABELS, CREDIT_TYPES
from kaspr_tui.screens.account import AccountState
from kaspr_tui.screens.base import AccountPanel
from kaspr_tui.widgets.formatting import format_count, format_date, format_plan


def renewal_words(addon: RecurringAddon | None) -> str:
    if addon is None or addon.quantity == 0:
        return "—"
    return f"{format_count(addon.quantity)} ({'renews' if addon.auto_renew else 'ends at reset'})"


def credits_table(state: AccountState) -> Table:
    assert state.subscription is not None
    recurring = {addon.type: addon for addon in state.subscription.addons}
    table = Table(box=None, pad_edge=False, header_style="bold", expand=False)
    table.add_column("Credits")
    table.add_column("Included", justify="right")
    table.add_column("Add-on", justify="right")
    table.add_column("Used", justify="right")
    table.add_column("Left", justify="right")
    table.add_column("Add-on pack")
    for balance in state.credits:
        table.add_row(
            CREDIT_LABELS[balance.type].removesuffix(" credits"),
            format_count(balance.included),
            format_count(balance.addon),
            format_count(balance.used),
            format_count(balance.remaining),
            renewal_words(recurring.get(balance.type)),
        )
    return table


def plan_summary(state: AccountState) -> Table:
    subscription = state.subscription
    assert subscription is not None
    used = subscription.seats - subscription.seats_available
    summary = Table.grid(padding=(0, 2))
    summary.add_column(style="dim")
    summary.add_column()
    summary.add_row("Current", format_plan(state.plan_name(subscription.plan), subscription.interval))
    summary.add_row(
        "Period", f"{format_date(subscription.current_period_start)} – {format_date(subscription.current_period_end)}"
    )
    summary.add_row("Licenses", f"{subscription.seats} ({used} used · {subscription.seats_available} free)")
    return summary


def credits_section(state: AccountState) -> Table:
    outer = Table.grid()
    outer.add_row(credits_table(state))
    resets = state.credits[0].resets_at if state.credits else None
    if resets is not None:
        outer.add_row(Text(f"Credits reset on {format_date(resets)}; unused credits do not carry over.", style="dim"))
    return outer


class PlanPanel(AccountPanel):
    """Plan, licenses (+ opens the licenses dialog) and credits (a Purchase Add-ons button per type)."""

    DEFAULT_CSS = """
    PlanPanel {
        .panel-row { height: auto; }
        .panel-row Button { margin-left: 2; }
        #plan-summary, #credits-summary { width: auto; height: auto; }
        #addon-buttons { height: auto; margin-top: 1; }
        #addon-buttons Button { margin-right: 1; }
    }
    """

    def compose(self) -> ComposeResult:
        with Horizontal(classes="panel-row"):
            yield Static(id="plan-summary")
            yield Button("+", id="licenses-add", compact=True, tooltip="Add or remove licenses")
        yield Static(id="credits-summary")
        with Horizontal(id="addon-buttons"):
            for credit_type in CREDIT_TYPES:
                label = CREDIT_LABELS[credit_type].removesuffix(" credits")
                yield Button(f"Purchase {label} add-ons", id=f"buy-{credit_type}", compact=True)

    def show_account(self, state: AccountState) -> None:
        self.query_one("#plan-summary", Static).update(plan_summary(state))
        self.query_one("#credits-summary", Static).update(credits_section(state))

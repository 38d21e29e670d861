"""Billing: the Upgrade tab (change plan, users and credits: `screens/upgrade.py`) and the Plan &
Billing tab (what the workspace has).

Admins only. Buying credits, adding licenses and updating the card are added to the Plan & Billing
pane by their own flows.
"""

from __future__ import annotations

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.content import Content
from textual.widgets import Static, TabbedContent, TabPane

from kaspr_tui.api.models import BillingDetails, RecurringAddon
from kaspr_tui.billing.catalog import CREDIT_LABELS
from kaspr_tui.screens.account import AccountState
from kaspr_tui.screens.base import AccountScreen
from kaspr_tui.screens.upgrade import UpgradePane
from kaspr_tui.widgets.formatting import format_card, format_count, format_date, format_expiry, format_plan

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


def plan_section(state: AccountState) -> Table:
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
    resets = state.credits[0].resets_at if state.credits else None
    outer = Table.grid()
    outer.add_row(summary)
    outer.add_row("")
    outer.add_row(credits_table(state))
    if resets is not None:
        outer.add_row(Text(f"Credits reset on {format_date(resets)}; unused credits do not carry over.", style="dim"))
    return outer


def payment_section(state: AccountState) -> Content:
    if not state.payment_methods:
        return Content.styled("No card on file", "$text-muted")
    lines = []
    for card in sorted(state.payment_methods, key=lambda card: not card.is_default):
        line = Content.assemble(
            (format_card(card.brand, card.last4), "bold" if card.is_default else ""),
            f"  expires {format_expiry(card.exp_month, card.exp_year)}",
            ("  default" if card.is_default else "", "$text-success"),
        )
        lines.append(line)
    return Content("\n").join(lines)


VAT_STATUS_WORDS = {"valid": "valid", "invalid": "not valid", "none": "not checked"}


def billing_details_section(details: BillingDetails | None) -> Content:
    if details is None:
        return Content.styled("No billing details yet", "$text-muted")
    address = details.address
    place = " ".join(part for part in (address.postal_code, address.city) if part)
    lines = [
        Content.styled(details.company, "bold"),
        f"{details.contact_name} · {details.email}",
        ", ".join(part for part in (address.line1, address.line2, place, address.state, address.country) if part),
    ]
    if details.vat_number:
        lines.append(f"VAT number {details.vat_number} ({VAT_STATUS_WORDS[details.vat_status]})")
    else:
        lines.append("No VAT number")
    return Content("\n").join(lines)


class BillingScreen(AccountScreen):
    MODE_TITLE = "Billing"
    AUTO_FOCUS = "#plan-select"

    DEFAULT_CSS = """
    BillingScreen {
        #billing-tabs { height: 1fr; }
        TabPane { padding: 0; }
        .pane-scroll { height: 1fr; scrollbar-size-vertical: 1; }
        .note { color: $text-muted; padding: 0 1 1 1; }
    }
    """

    def compose_body(self) -> ComposeResult:
        with TabbedContent(id="billing-tabs"):
            with TabPane("Upgrade", id="upgrade"):
                yield UpgradePane(id="upgrade-pane")
            with TabPane("Plan & Billing", id="plan-billing"):
                with VerticalScroll(classes="pane-scroll"):
                    yield Static(id="plan-section", classes="panel")
                    yield Static(id="payment-method", classes="panel")
                    yield Static(id="billing-details-summary", classes="panel")

    def on_mount(self) -> None:
        self.query_one("#plan-section").border_title = "Plan"
        self.query_one("#payment-method").border_title = "Payment method"
        self.query_one("#billing-details-summary").border_title = "Billing details"
        super().on_mount()

    def show_account(self, state: AccountState) -> None:
        if state.catalog is None or state.subscription is None:
            return
        self.query_one(UpgradePane).show_account(state)
        self.query_one("#plan-section", Static).update(plan_section(state))
        self.query_one("#payment-method", Static).update(payment_section(state))
        self.query_one("#billing-details-summary", Static).update(billing_details_section(state.billing_details))

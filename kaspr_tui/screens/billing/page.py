"""Billing: the Upgrade tab (change plan, users and credits: `upgrade.py`) and the Plan &
Billing tab (what the workspace has).

Admins only. Buying credits, adding licenses and updating the card are added to the Plan & Billing
pane by their own flows.
"""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import ScrollableContainer, VerticalScroll
from textual.widgets import TabbedContent, TabPane

from kaspr_tui.screens.base import AccountPanel, AccountScreen
from kaspr_tui.screens.billing.invoices import InvoicesPanel
from kaspr_tui.screens.billing.payment import BillingDetailsPanel, PaymentPanel
from kaspr_tui.screens.billing.plan import PlanPanel
from kaspr_tui.screens.billing.upgrade import UpgradePane
from kaspr_tui.state import AccountState

PLAN_BILLING_PANELS: tuple[tuple[type[AccountPanel], str, str], ...] = (
    (PlanPanel, "plan-section", "Plan"),
    (PaymentPanel, "payment-method", "Payment method"),
    (BillingDetailsPanel, "billing-details-summary", "Billing details"),
    (InvoicesPanel, "invoices-section", "Invoices"),
)
"""Each section of Plan & Billing: its widget, its id and its title; each shows the account itself."""


class BillingScreen(AccountScreen):
    MODE_TITLE = "Billing"
    AUTO_FOCUS = "#plan-select"
    BINDINGS = [
        # Not in the footer (full at 80 columns): the Keys screen (?) and the palette list them.
        Binding("u", "show_tab('upgrade')", "Upgrade tab", show=False, id="billing.upgrade_tab"),
        Binding("p", "show_tab('plan-billing')", "Plan & Billing tab", show=False, id="billing.plan_billing_tab"),
    ]

    def compose_body(self) -> ComposeResult:
        with TabbedContent(id="billing-tabs"):
            with TabPane("Upgrade", id="upgrade"):
                yield UpgradePane(id="upgrade-pane")
            with TabPane("Plan & Billing", id="plan-billing"):
                with VerticalScroll(classes="pane-scroll"):
                    for panel_class, panel_id, _ in PLAN_BILLING_PANELS:
                        yield panel_class(id=panel_id, classes="panel")

    def on_mount(self) -> None:
        for _, panel_id, title in PLAN_BILLING_PANELS:
            self.query_one(f"#{panel_id}").border_title = title
        super().on_mount()

    def action_show_tab(self, tab: str) -> None:
        """Show a tab with the keyboard on its first control (Shift+Tab took up to 8 presses)."""
        self.query_one(TabbedContent).active = tab
        self.call_after_refresh(self._focus_first_in, tab)

    def _focus_first_in(self, tab: str) -> None:
        pane = self.query_one(f"#{tab}")
        in_pane = [widget for widget in self.focus_chain if pane in widget.ancestors]
        # A control before the scroll that holds it (which only scrolls).
        controls = [widget for widget in in_pane if not isinstance(widget, ScrollableContainer)] or in_pane
        if controls:
            controls[0].focus()

    @on(TabbedContent.TabActivated, pane="#plan-billing")
    def _plan_billing_shown(self) -> None:
        # Not left to the panel's Show: at 80x24 the invoices sit below the fold, and a real terminal
        # did not always deliver it, so the table stayed empty.
        self.query_one(InvoicesPanel).load_if_shown()

    def show_account(self, state: AccountState) -> None:
        if state.catalog is None or state.subscription is None:
            return
        self.query_one(UpgradePane).show_account(state)
        for panel_class, panel_id, _ in PLAN_BILLING_PANELS:
            self.query_one(f"#{panel_id}", panel_class).show_account(state)

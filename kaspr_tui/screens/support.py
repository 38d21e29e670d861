"""Support: how to reach the support team, in the words of Kaspr's help article.

A support key (an agent, in no workspace) lands here; this page tells the agent plainly that the
account console is not in this version rather than pretending to offer it.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.content import Content
from textual.widgets import Static

from kaspr_tui.screens.account import AccountState
from kaspr_tui.screens.base import AccountScreen

SUPPORT_EMAIL = "support@kaspr.io"

CONTACT = (
    "Need more help? If you haven't found the answer to your question here, please reach out "
    f"to our support team via chat or at {SUPPORT_EMAIL}."
)
CHANGE_EMAIL = f"If you want to change your email address, please reach out to our support team at {SUPPORT_EMAIL}."
CHANGING_JOBS = (
    "No worries! You can keep your Kaspr account details when transitioning to a new role or "
    "company. It is possible to transfer your current license and credits to your new role. "
    "You have two options:\n"
    "  1. Create a new account using your new company email and contact our team to facilitate "
    "the transfer of your account details and credits.\n"
    "  2. Continue logging into your current Kaspr account, even if your work email is deactivated."
)
DELETING = (
    "Deleting your account will also delete your subscription plan, so it's best practice to "
    "contact our team beforehand if you wish to keep your plan."
)
CONSOLE_NOT_YET = (
    "The support console (looking an account up by email, moving a license and credits from a "
    "user's old account to the new one, applying an email change) is not available in this "
    "version of kaspr-tui yet."
)


class SupportScreen(AccountScreen):
    MODE_TITLE = "Support"

    DEFAULT_CSS = """
    SupportScreen {
        #support-scroll { height: 1fr; }
        #support-console { border: round $warning; }
    }
    """

    def compose_body(self) -> ComposeResult:
        with VerticalScroll(id="support-scroll"):
            yield Static(id="support-console", classes="panel")
            yield Static(CONTACT, id="support-contact", classes="panel")
            yield Static(CHANGE_EMAIL, id="support-change-email", classes="panel")
            yield Static(CHANGING_JOBS, id="support-changing-jobs", classes="panel")
            yield Static(DELETING, id="support-deleting", classes="panel")

    def on_mount(self) -> None:
        self.query_one("#support-console").border_title = "Support console"
        self.query_one("#support-contact").border_title = "Contact support"
        self.query_one("#support-change-email").border_title = "Change your email address"
        self.query_one("#support-changing-jobs").border_title = "Planning to change jobs?"
        self.query_one("#support-deleting").border_title = "Deleting your account"
        super().on_mount()

    def show_account(self, state: AccountState) -> None:
        console = self.query_one("#support-console", Static)
        console.display = state.role == "support"
        if state.me is not None and state.role == "support":
            console.update(
                Content.assemble(
                    (f"Signed in as {state.me.user.name} <{state.me.user.email}>, support agent.", "bold"),
                    "\n",
                    CONSOLE_NOT_YET,
                )
            )

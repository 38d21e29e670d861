"""A price that follows a dialog's inputs: the quote for what they ask for, kept current as they move.

The owner (a screen or widget) says what its inputs ask for (`ask`, None when they match today)
and how to show a `QuoteState`. After each change `LiveQuote` waits `QUOTE_DEBOUNCE` for the next
one (sliding through fifty steps asks once, for where the slider stops), then asks the server in an
exclusive worker: a newer request cancels the one in flight, and an answer for inputs that have
moved on since is dropped. The same rules as the Upgrade pane (`upgrade.py`), in one place
for the dialogs of the Plan & Billing tab.

`PurchaseDialog` is what those dialogs (add-ons, licenses) share: the live price in
`#quote-total`, Cancel and a confirm button that runs `run_checkout` for the price on screen.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.dom import DOMNode
from textual.timer import Timer
from textual.widgets import Button, Static

from kaspr_tui.api import ApiError
from kaspr_tui.api.models import Checkout, Quote, QuoteRequest
from kaspr_tui.screens.billing.upgrade import QUOTE_DEBOUNCE, problem_words
from kaspr_tui.screens.checkout import run_checkout
from kaspr_tui.screens.dialogs.base import Dialog
from kaspr_tui.state import AccountState, app_host

QUOTE_GROUP = "live-quote"
UPDATING_PRICE = "Updating the price…"


@dataclass(frozen=True)
class QuoteState:
    """Where the price of the inputs on screen stands."""

    request: QuoteRequest | None
    """What the inputs ask for; None when they ask for nothing (today's subscription as it is)."""
    quote: Quote | None = None
    """The server's price for `request`, once it answered."""
    problem: ApiError | None = None
    """Why the server refused to price `request`."""

    @property
    def waiting(self) -> bool:
        return self.request is not None and self.quote is None and self.problem is None


class LiveQuote:
    """Keeps `state` the price of `ask()`; calls `show(state)` whenever it changes."""

    def __init__(
        self,
        owner: DOMNode,
        ask: Callable[[], QuoteRequest | None],
        show: Callable[[QuoteState], None],
    ) -> None:
        self._owner = owner
        self._ask = ask
        self._show = show
        self._debounce: Timer | None = None
        self.state = QuoteState(None)

    def inputs_changed(self) -> None:
        """The inputs moved: forget a price that no longer fits them and ask again after a pause."""
        if self._debounce is not None:
            self._debounce.stop()
        request = self._ask()
        if request is not None and request == self.state.request and self.state.quote is not None:
            return  # back to what the price on screen is for
        if request is None:
            self._owner.workers.cancel_group(self._owner, QUOTE_GROUP)
        else:
            self._debounce = self._owner.set_timer(QUOTE_DEBOUNCE, self._ask_now)
        self._publish(QuoteState(request))

    def _ask_now(self) -> None:
        request = self._ask()
        if request is not None:
            self._owner.run_worker(self._fetch(request), group=QUOTE_GROUP, exclusive=True, exit_on_error=False)

    async def _fetch(self, request: QuoteRequest) -> None:
        client = app_host(self._owner.app).client
        if client is None:
            return
        try:
            quote = await client.create_quote(request)
        except ApiError as error:
            if request == self._ask():
                self._publish(QuoteState(request, problem=error))
            return
        if request == self._ask():
            self._publish(QuoteState(request, quote=quote))

    def _publish(self, state: QuoteState) -> None:
        self.state = state
        self._show(state)


class PurchaseDialog(Dialog[Checkout | None]):
    """A dialog whose inputs ask for a change, priced live, bought through the checkout pipeline.

    A subclass composes its inputs (`compose_inputs`), says what they ask for (`current_request`),
    how the server's price reads (`priced_words`) and what a success changed (`success_words`),
    and calls `inputs_changed()` when an input moves. The dialog shows the price in `#quote-total`,
    enables its confirm button only for a price on screen, and closes with the succeeded checkout;
    Escape or Cancel closes it with None, having changed nothing.
    """

    CHECKOUT_TITLE: ClassVar[str] = ""
    """The title of the dialog and of every step of its checkout."""
    CONFIRM_ID: ClassVar[str] = "checkout"
    CONFIRM_LABEL: ClassVar[str] = "Checkout"
    FIRST_FOCUS: ClassVar[str] = ""
    """The input focused when the dialog opens."""

    BINDINGS = [Binding("escape", "cancel", "Cancel")]

    DEFAULT_CSS = """
    PurchaseDialog {
        #purchase-dialog { width: 76; }
        .dialog-note { color: $text-muted; }
        #quote-total { margin-top: 1; }
        #quote-total.-problem { color: $text-error; }
    }
    """

    def __init__(self) -> None:
        super().__init__()
        self._live_quote = LiveQuote(self, self.current_request, self._show_quote)

    # ---- what a subclass says -------------------------------------------------------------------

    def dialog_title(self) -> str:
        return self.CHECKOUT_TITLE

    def compose_inputs(self) -> ComposeResult:
        raise NotImplementedError

    def show_account(self, state: AccountState) -> None:
        """Bring the words and bounds up to date with a (re)loaded account."""
        raise NotImplementedError

    def current_request(self) -> QuoteRequest | None:
        raise NotImplementedError

    def unchanged_words(self) -> str:
        """Why there is nothing to buy while the inputs ask for nothing."""
        return ""

    def priced_words(self, quote: Quote) -> Text:
        raise NotImplementedError

    def success_words(self, checkout: Checkout) -> str:
        raise NotImplementedError

    # ---- the dialog -----------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        with Vertical(id="purchase-dialog", classes="dialog"):
            yield from self.compose_inputs()
            yield Static(UPDATING_PRICE, id="quote-total", markup=False)
            with Horizontal(id="dialog-buttons", classes="dialog-buttons"):
                yield Button("Cancel", id="cancel", compact=True, action="screen.cancel")
                yield Button(self.CONFIRM_LABEL, id=self.CONFIRM_ID, classes="confirm", variant="primary",
                             compact=True, disabled=True)

    def on_mount(self) -> None:
        self.query_one("#purchase-dialog").border_title = self.dialog_title()
        # After the first refresh: only then are the widgets inside nested containers all mounted.
        self.call_after_refresh(self._start)

    def _start(self) -> None:
        self.query_one(self.FIRST_FOCUS).focus()
        self.watch(self.app, "account", self._account_changed, init=True)

    def _account_changed(self, state: AccountState) -> None:
        if state.subscription is not None and state.catalog is not None:
            self.show_account(state)
        # A reload (r) is also the moment to ask again after a failure; a price still current stays.
        self._live_quote.inputs_changed()

    def inputs_changed(self) -> None:
        self._live_quote.inputs_changed()

    def _show_quote(self, state: QuoteState) -> None:
        total = self.query_one("#quote-total", Static)
        total.set_class(state.problem is not None, "-problem")
        if state.request is None:
            total.update(Text(self.unchanged_words()))
        elif state.problem is not None:
            total.update(Text(problem_words(state.problem)))
        elif state.quote is None:
            total.update(UPDATING_PRICE)
        else:
            total.update(self.priced_words(state.quote))
        self.query_one(".confirm", Button).disabled = state.quote is None

    @on(Button.Pressed, ".confirm")
    def _confirm_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        state = self._live_quote.state
        if state.quote is not None and state.request is not None:
            self._checkout(state.request)

    @work(group="checkout", exclusive=True)
    async def _checkout(self, request: QuoteRequest) -> None:
        checkout = await run_checkout(self, request, title=self.CHECKOUT_TITLE)
        if checkout is None:
            return  # nothing bought: the dialog stays as the person left it
        self.app.notify(self.success_words(checkout), title=self.CHECKOUT_TITLE)
        self.dismiss(checkout)

    def action_cancel(self) -> None:
        self.dismiss(None)

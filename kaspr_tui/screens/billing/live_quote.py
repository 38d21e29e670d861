"""A price that follows a set of inputs: the quote for what they ask for, kept current as they move.

The owner (the Upgrade pane, a Plan & Billing dialog) says what its inputs ask for (`ask`, None
when they match today) and how to show a `QuoteState`, and calls `inputs_changed()` when one
moves. That restarts a wait of `QUOTE_DEBOUNCE`: holding + (or sliding through fifty steps) asks
once, for where the input stops. On the Upgrade pane a key redraws nothing but the input it moved
(the price says it is being updated once the keys stop); a dialog, asked to (`at_once`), says at
each change that its price is being updated, or that nothing is asked. Then
the server is asked in an exclusive worker: a newer request cancels the one in flight, and an
answer for inputs that have moved on since is dropped. The server's refusals (seat limits,
members, free and paid rules) are shown as it words them.

`PurchaseDialog` is what the Plan & Billing dialogs (add-ons, licenses) share: the live price in
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
from textual.widgets import Button

from kaspr_tui.api import ApiError
from kaspr_tui.api.models import Checkout, Quote, QuoteRequest
from kaspr_tui.screens.checkout import run_checkout
from kaspr_tui.screens.dialogs.base import Dialog
from kaspr_tui.state import AccountState, app_host
from kaspr_tui.widgets.words import Words

QUOTE_DEBOUNCE = 0.15
"""Seconds a change waits for the next one before a quote is asked for."""
QUOTE_GROUP = "live-quote"
UPDATING_PRICE = "Updating the price…"


TRY_AGAIN = "Change a value or press r to try again."


def problem_words(error: ApiError) -> str:
    """The server's own words: every field message (seat limit and members can both apply), else its message."""
    messages = list(dict.fromkeys(field.message for field in error.errors)) or [error.message]
    if error.is_connection_error or error.status >= 500 or error.code == "timeout":
        messages.append(TRY_AGAIN)
    return "\n".join(messages)


def failure_words(error: Exception) -> str:
    """What failed while pricing, when it is not the server refusing: a bug, said as one."""
    return f"This could not be priced ({type(error).__name__}: {error}). {TRY_AGAIN}"


@dataclass(frozen=True)
class QuoteState:
    """Where the price of the inputs stands, as last asked."""

    request: QuoteRequest | None
    """What the inputs asked for; None when they ask for nothing (today's subscription as it is)."""
    quote: Quote | None = None
    """The server's price for `request`, once it answered."""
    problem: str | None = None
    """Why `request` has no price: the server's refusal, or what failed, in words for the person."""

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
        *,
        at_once: bool = False,
    ) -> None:
        self._owner = owner
        self._ask = ask
        self._show = show
        self._at_once = at_once
        """Show the new state of the inputs at every change, not only once they are still."""
        self._debounce: Timer | None = None
        self.state = QuoteState(None)

    def inputs_changed(self) -> None:
        """An input moved: ask again once the inputs have been still for `QUOTE_DEBOUNCE`."""
        if self._debounce is not None:
            self._debounce.stop()
        self._debounce = self._owner.set_timer(QUOTE_DEBOUNCE, self.ask_now)
        if self._at_once:
            request = self._ask()
            if request is None or request != self.state.request or self.state.quote is None:
                self._publish(QuoteState(request))

    def ask_now(self) -> None:
        """Price what the inputs ask for now, or say that they ask for nothing."""
        if self._debounce is not None:
            self._debounce.stop()
            self._debounce = None
        request = self._ask()
        if request is not None and request == self.state.request and self.state.quote is not None:
            return  # back to what the price on screen is for
        if request is None:
            self._owner.workers.cancel_group(self._owner, QUOTE_GROUP)
        else:
            self._owner.run_worker(self._fetch(request), group=QUOTE_GROUP, exclusive=True, exit_on_error=False)
        self._publish(QuoteState(request))

    @property
    def pending(self) -> bool:
        """A change waits for the inputs to be still, or its quote has been asked for and not answered."""
        return self._debounce is not None or any(
            worker.group == QUOTE_GROUP and not worker.is_finished for worker in self._owner.workers
            if worker.node is self._owner
        )

    @property
    def priced(self) -> tuple[QuoteRequest, Quote] | None:
        """The request and its quote, when the price on screen is for the inputs as they are now."""
        state = self.state
        if state.request is None or state.quote is None or state.request != self._ask():
            return None
        return state.request, state.quote

    async def _fetch(self, request: QuoteRequest) -> None:
        client = app_host(self._owner.app).client
        if client is None:
            return
        try:
            quote = await client.create_quote(request)
        except ApiError as error:
            if request == self._ask():
                self._publish(QuoteState(request, problem=problem_words(error)))
            return
        except Exception as error:
            # Never "Updating…" for ever: the price says it failed, the app's handler logs it.
            if request == self._ask():
                self._publish(QuoteState(request, problem=failure_words(error)))
            raise
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

    BINDINGS = [Binding("escape", "cancel", "Cancel", id="purchase.cancel")]

    def __init__(self) -> None:
        super().__init__()
        self._live_quote = LiveQuote(self, self.current_request, self._show_quote, at_once=True)

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
            yield Words(UPDATING_PRICE, id="quote-total", markup=False)
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

    @property
    def quote_pending(self) -> bool:
        """A change waits for its price, or the price has been asked for and not yet answered."""
        return self._live_quote.pending

    def _show_quote(self, state: QuoteState) -> None:
        total = self.query_one("#quote-total", Words)
        total.set_class(state.problem is not None, "-problem")
        if state.request is None:
            total.update(Text(self.unchanged_words()))
        elif state.problem is not None:
            total.update(Text(state.problem))
        elif state.quote is None:
            total.update(UPDATING_PRICE)
        else:
            total.update(self.priced_words(state.quote))
        self.query_one(".confirm", Button).disabled = state.quote is None

    @on(Button.Pressed, ".confirm")
    def _confirm_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        priced = self._live_quote.priced
        if priced is None:
            # Pressed in the moment between a change and its price: price what is on screen now.
            self._live_quote.ask_now()
            return
        self._checkout(*priced)

    @work(group="checkout", exclusive=True, exit_on_error=False)
    async def _checkout(self, request: QuoteRequest, quote: Quote) -> None:
        # The price on screen is the one paid, unless it must be made again (the review then says so).
        checkout = await run_checkout(self, request, title=self.CHECKOUT_TITLE, quote=quote)
        if checkout is None:
            return  # nothing bought: the dialog stays as the person left it
        self.app.notify(self.success_words(checkout), title=self.CHECKOUT_TITLE)
        self.dismiss(checkout)

    def action_cancel(self) -> None:
        self.dismiss(None)

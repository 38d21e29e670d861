"""Manage cards: the cards on file, one made the default, one removed, one added.

Opened from Plan & Billing → Payment method → Manage cards (`#manage-cards`) or the palette. The
list (`#card-list`) follows the account: every change reloads it, and the list shows the reload.
Make default (`#card-make-default`) and Remove (`#card-remove`, after a confirmation) act on the
highlighted card; the server's rules stand (the default card of a paid plan is not removed: it is
said beside the list, nothing changes). Add a card (`#card-add`) is Update payment information.
The same card saved twice is one card on the server (by fingerprint), so the list has no
duplicates. Escape or Close (`#close`) dismisses it.
"""

from __future__ import annotations

from textual import on, work
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, OptionList
from textual.widgets.option_list import Option

from kaspr_tui.api import ApiError, new_idempotency_key
from kaspr_tui.api.models import PaymentMethod
from kaspr_tui.billing.formatting import format_card
from kaspr_tui.billing.order_words import card_line
from kaspr_tui.screens.base import ready_for_admin
from kaspr_tui.screens.billing.payment import open_update_payment
from kaspr_tui.screens.dialogs.base import Dialog
from kaspr_tui.screens.dialogs.confirm import ConfirmScreen
from kaspr_tui.state import AccountState, app_host
from kaspr_tui.widgets.words import Words

TITLE = "Manage cards"


def card_option(card: PaymentMethod) -> str:
    """`Visa •••• 4242  expires 12/2029  default`."""
    line = card_line(card.brand, card.last4, card.exp_month, card.exp_year)
    return f"{line}  default" if card.is_default else line


class CardsScreen(Dialog[None]):
    BINDINGS = [Binding("escape", "close", "Close", id="cards.close")]

    def __init__(self) -> None:
        super().__init__()
        self.cards: tuple[PaymentMethod, ...] = ()
        self.busy = False
        """A change is in flight: another key or click sends nothing."""

    def compose(self) -> ComposeResult:
        with Vertical(id="cards-dialog", classes="dialog"):
            yield OptionList(id="card-list")
            yield Words("", id="cards-problem", classes="error-line", markup=False)
            with Horizontal(id="cards-buttons", classes="dialog-buttons"):
                yield Button("Make default", id="card-make-default", compact=True, variant="primary")
                yield Button("Remove", id="card-remove", compact=True, variant="error")
                yield Button("Add a card", id="card-add", compact=True)
                yield Button("Close", id="close", compact=True, action="screen.close")

    def on_mount(self) -> None:
        dialog = self.query_one("#cards-dialog")
        dialog.border_title = TITLE
        dialog.border_subtitle = "Esc close"
        self.watch(self.app, "account", self._show_account, init=True)
        self.query_one("#card-list").focus()

    def _show_account(self, state: AccountState) -> None:
        highlighted = self.highlighted
        self.cards = tuple(sorted(state.payment_methods, key=lambda card: not card.is_default))
        cards = self.query_one("#card-list", OptionList)
        cards.set_options([Option(card_option(card), id=card.id) for card in self.cards])
        if not self.cards:
            cards.add_option(Option("No card on file", disabled=True))
        ids = [card.id for card in self.cards]
        cards.highlighted = ids.index(highlighted.id) if highlighted and highlighted.id in ids else 0

    @property
    def highlighted(self) -> PaymentMethod | None:
        index = self.query_one("#card-list", OptionList).highlighted
        return self.cards[index] if index is not None and index < len(self.cards) else None

    def _say(self, problem: str) -> None:
        self.query_one("#cards-problem", Words).update(problem)

    @on(Button.Pressed, "#card-make-default")
    def _make_default(self) -> None:
        card = self.highlighted
        if card is None or self.busy:
            return
        if card.is_default:
            self._say(f"{format_card(card.brand, card.last4)} is already the default card.")
            return
        self._change(card, "default")

    @on(Button.Pressed, "#card-remove")
    @work(group="cards-confirm", exclusive=True, exit_on_error=False)
    async def _remove(self) -> None:
        card = self.highlighted
        if card is None or self.busy:
            return
        words = format_card(card.brand, card.last4)
        if await self.app.push_screen_wait(ConfirmScreen(
            "Remove this card?", f"{words} will no longer be on file. Nothing is charged.", "Remove", danger=True,
        )):
            self._change(card, "remove")

    @on(Button.Pressed, "#card-add")
    def _add(self) -> None:
        open_update_payment(self.app)

    @work(group="cards", exclusive=True, exit_on_error=False)
    async def _change(self, card: PaymentMethod, change: str) -> None:
        host = app_host(self.app)
        if host.client is None:
            return
        self.busy = True
        self._say("")
        words = format_card(card.brand, card.last4)
        try:
            if change == "default":
                await host.client.set_default_payment_method(card.id, idempotency_key=new_idempotency_key())
                self.app.notify(f"{words} is now your default card.", title=TITLE)
            else:
                await host.client.delete_payment_method(card.id, idempotency_key=new_idempotency_key())
                self.app.notify(f"{words} was removed.", title=TITLE)
        except ApiError as error:
            self._say(error.message)  # the server's rule, in its words; nothing changed
            return
        finally:
            self.busy = False
        host.load_account()  # the list shows the reload

    def action_close(self) -> None:
        self.dismiss(None)


def open_cards(app: App[object]) -> None:
    """"Manage cards": the dialog over whatever is on screen, for an admin of a loaded account."""
    if ready_for_admin(app, TITLE, "Only an admin of the workspace can manage its cards."):
        app.push_screen(CardsScreen())


__all__ = ["CardsScreen", "card_option", "open_cards"]

"""A seeded scheduler of actors against the real server, with the model's invariants checked after
every step.

Actors: two admins of Acme (two sessions of its one admin key) and Globex's admin quote and pay,
some abandoning a quote, some turning a pack's auto-renew off or on or cancelling a scheduled
change, some losing the answer and retrying with the same Idempotency-Key or
finding the checkout again in the list, some paying with a card and billing details given inline;
the bank answers 3-D Secure steps (some after the quote expired); a member spends credits;
support moves credits and licenses between the workspaces; the clock moves by seconds, minutes and
days (across credit resets and renewals); the processor wakes; the server restarts on its database.

Every choice comes from one `random.Random(seed)`, and the clock moves only when an actor moves
it, so a seed replays the same run exactly.
"""

from __future__ import annotations

import random
import re
from collections import Counter
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from kaspr_tui.billing.catalog import CREDIT_TYPES, PLANS, CreditType, PlanId
from kaspr_tui.billing.tax import tax_decision
from kaspr_tui.server.testing import FROZEN_NOW

from .model import (
    OPEN,
    QUOTE_LIFETIME,
    Balance,
    Card,
    CheckoutSeen,
    Model,
    QuoteSeen,
    Violation,
    WorkspaceModel,
)
from .world import World

PAYMENT_DELAY = timedelta(minutes=2)
ACME, GLOBEX = "acme", "globex"
ADMINS = {"acme-1": ACME, "acme-2": ACME, "globex": GLOBEX}
"""Each buyer → the workspace it buys for (Acme's two admins share the workspace and its key)."""
UPGRADES: dict[PlanId, PlanId] = {"business": "organization", "starter": "business"}
CARD_NUMBERS: dict[Card, str] = {"good": "4242424242424242", "declined": "4000000000000002",
                                 "3ds": "4000002760003184"}
INLINE_CARDS: dict[str, tuple[Card, str]] = {
    "5555555555554444": ("good", "4444"), "4000000000000002": ("declined", "0002"),
    "4000002760003184": ("3ds", "3184"),
}
MOVERS = {ACME: ["chloe@acme.example", "david@acme.example", "emma@acme.example", "farid@acme.example",
                 "giulia@acme.example"],
          GLOBEX: ["david.chen@globex.example"]}
"""Users support may move with their license (never an admin, never the member who spends credits)."""
RECEIVERS = {ACME: "alice@acme.example", GLOBEX: "gina@globex.example"}
PACK_STEPS = {"phone": (25, 300, 25), "direct_email": (25, 300, 25), "export": (100, 3000, 100)}


@dataclass
class Held:
    """A quote an admin holds, ready to pay."""

    quote: QuoteSeen
    body: dict[str, Any]


@dataclass
class Lost:
    """A checkout request whose answer the admin lost: it retries with the same key and body."""

    key: str
    held: Held
    body: dict[str, Any]
    checkout: CheckoutSeen | None
    """What the model says the lost request did (None: it was refused, and stored nothing)."""


@dataclass
class Ledger:
    """What the invariant checks have seen of a workspace's paid invoices so far."""

    seen: set[str] = field(default_factory=set)
    total: int = 0
    last_number: int = 0


class Simulation:
    def __init__(self, seed: int, db_path: Path) -> None:
        self.seed = seed
        self.rng = random.Random(seed)
        self.world = World(db_path, PAYMENT_DELAY.total_seconds())
        self.steps: list[str] = []
        self.held: dict[str, list[Held]] = {admin: [] for admin in ADMINS}
        self.lost: dict[str, list[Lost]] = {admin: [] for admin in ADMINS}
        self.keys = 0
        self.invited = 0
        self.ledgers = {ACME: Ledger(), GLOBEX: Ledger()}
        self.baseline: dict[str, tuple[int, int]] = {}
        self.card_ids: dict[str, dict[Card, str]] = {}
        self.invoices_checked: set[str | None] = {None}
        self.demo_checkouts: set[str] = set()
        self.by_id: dict[str, CheckoutSeen] = {}
        """Every checkout whose id an actor has been told."""
        """The seed's own checkouts, made before the simulation began."""
        self.model: Model

    # ---- setup: the model starts from the demo's state, read once --------------------------------

    async def setup(self) -> None:
        workspaces = {}
        for name, admin in ((ACME, "acme"), (GLOBEX, "globex")):
            cards = (await self.world.json(admin, "/v1/payment_methods"))["data"]
            self.card_ids[name] = {"good": next(card["id"] for card in cards if card["is_default"])}
            for card in ("declined", "3ds"):
                response = await self.world.request(admin, "POST", "/v1/payment_methods", json={
                    "number": CARD_NUMBERS[card], "exp_month": 12, "exp_year": 2030, "cvc": "123", "name": "Sim"})
                assert response.status_code == 200, response.text
                self.card_ids[name][card] = response.json()["id"]
            workspaces[name] = await self._read_workspace(name, admin)
            demo = (await self.world.json(admin, "/v1/checkouts", limit=100))["data"]
            self.demo_checkouts |= {checkout["id"] for checkout in demo}
            ledger = self.ledgers[name]
            await self._new_paid_invoices(name, admin)  # the demo's invoices, before anything happens
            self.baseline[name] = (len(ledger.seen), ledger.total)
        self.model = Model(now=FROZEN_NOW, payment_delay=PAYMENT_DELAY, workspaces=workspaces)

    async def _read_workspace(self, name: str, admin: str) -> WorkspaceModel:
        subscription = await self.world.json(admin, "/v1/subscription")
        credits = (await self.world.json(admin, "/v1/credits"))["data"]
        members = (await self.world.json(admin, "/v1/members", limit=100))["data"]
        details = await self.world.json(admin, "/v1/billing_details")
        cards = (await self.world.json(admin, "/v1/payment_methods"))["data"]
        resets_at = datetime.fromisoformat(credits[0]["resets_at"])
        return WorkspaceModel(
            name=name,
            id=(await self.world.json(admin, "/v1/me"))["workspace"]["id"],
            plan=subscription["plan"], interval=subscription["interval"], seats=subscription["seats"],
            members=[m["email"] for m in members if m["status"] == "active"],
            invitations=[m["id"] for m in members if m["status"] == "invited"],
            scheduled=None,
            period_end=datetime.fromisoformat(subscription["current_period_end"]),
            credit_end=resets_at, anchor=resets_at,
            balances={c["type"]: Balance(c["included"], c["addon"], c["used"]) for c in credits},
            packs={a["type"]: [a["quantity"], a["auto_renew"]] for a in subscription["addons"]},
            tax=tax_decision(details["address"]["country"], details["vat_number"]),
            default_card=next(c["last4"] for c in cards if c["is_default"]),
            cards={c["last4"] for c in cards}, company=details["company"],
        )

    # ---- the run ----------------------------------------------------------------------------------

    async def run(self, steps: int) -> None:
        actions: list[tuple[int, Callable[[], Awaitable[str]]]] = [
            (10, self.quote), (14, self.pay), (4, self.pay_inline), (3, self.lose_answer), (3, self.retry_lost),
            (2, self.find_lost), (1, self.abandon), (6, self.bank_answers), (8, self.consume),
            (4, self.transfer_credits), (1, self.transfer_license), (2, self.invite), (1, self.revoke),
            (14, self.seconds_pass), (2, self.minutes_pass), (1, self.days_pass), (1, self.to_the_brink),
            (3, self.processor_wakes),
            (1, self.restart), (2, self.toggle_renewal), (1, self.cancel_scheduled),
        ]
        weights, choices = zip(*actions, strict=True)
        for number in range(1, steps + 1):
            action = self.rng.choices(choices, weights)[0]
            try:
                self.steps.append(f"{number:>6}  {self.model.now:%Y-%m-%d %H:%M:%S}  {await action()}")
                await self.check()
            except Violation as violation:
                raise Violation(self.report(number, str(violation))) from None
        await self.world.close()

    def summary(self) -> str:
        """What the run exercised: how every checkout ended, and how often time did what."""
        outcomes = Counter(f"{c.status}" + (f" ({c.error})" if c.error else "") for c in self.model.checkouts)
        renewals = sum(len(w.renewal_charges) for w in self.model.workspaces.values())
        refusals = Counter(found.group(1) for line in self.steps if (found := re.search(r"→ refused ([a-z_]+)", line)))
        return (f"seed {self.seed}: {len(self.steps)} steps to {self.model.now:%Y-%m-%d}, "
                f"{len(self.model.checkouts)} checkouts: {dict(sorted(outcomes.items()))}; "
                f"refusals {dict(sorted(refusals.items()))}; {renewals} charged resets and renewals, "
                f"{self.world.restarts} restarts")

    def report(self, number: int, violation: str) -> str:
        shown = self.steps[-40:]
        return (f"invariant violated at step {number} of seed {self.seed}: {violation}\n"
                f"replay: KASPR_SIM_SEED={self.seed} KASPR_SIM_STEPS={number} "
                f"pytest tests/simulation -q\nlast {len(shown)} steps:\n" + "\n".join(shown))

    def key(self) -> str:
        self.keys += 1
        return f"sim-{self.seed}-{self.keys}"

    @staticmethod
    def expect(condition: bool, message: str) -> None:
        if not condition:
            raise Violation(message)

    # ---- admins -----------------------------------------------------------------------------------

    async def quote(self) -> str:
        admin = self.rng.choice(list(ADMINS))
        workspace = self.model.workspaces[ADMINS[admin]]
        kind = self.rng.choice(["seats", "seats", "fewer", "addons", "addons", "upgrade", "seats+addons"])
        target, plan, addons = workspace.seats, workspace.plan, {}
        if kind in ("seats", "seats+addons"):
            target += self.rng.randint(1, 3)
        if kind == "fewer":
            target -= 1
        if kind == "upgrade":
            plan = UPGRADES.get(workspace.plan, workspace.plan)
        if kind in ("addons", "seats+addons"):
            credit_type: CreditType = self.rng.choice(list(CREDIT_TYPES))
            low, high, step = PACK_STEPS[credit_type]
            addons = {credit_type: self.rng.randrange(low, high + 1, step)}
        if target == workspace.seats and plan == workspace.plan and not addons:
            return f"[{admin}] has nothing to change"
        body: dict[str, Any] = {"seats": target, "plan": plan}
        if addons:
            body["addons"] = [{"type": t, "quantity": q} for t, q in addons.items()]
        response = await self.world.request(admin.split("-")[0], "POST", "/v1/quotes", json=body)
        changes_terms = (target, plan) != (workspace.seats, workspace.plan)
        refusal = self.model.quote_refusal(workspace, target, plan) if changes_terms else None
        if refusal:
            self.expect(response.status_code == 400 and response.json()["error"]["code"] == refusal,
                        f"a quote for {target} seats must be refused {refusal}: {response.status_code} {response.text}")
            return f"[{admin}] quote {kind} {body} → refused {refusal}"
        self.expect(response.status_code == 200, f"quote {body} refused: {response.status_code} {response.text}")
        answer = response.json()
        fewer = target < workspace.seats
        quote = QuoteSeen(
            id=answer["id"], workspace=workspace.name, created=self.model.now, total=answer["total_due_now"],
            version=workspace.version, changes_terms=changes_terms, target_seats=target, plan=plan,
            immediate_seats=max(target, workspace.seats), scheduled_seats=target if fewer else None,
            scheduled_for=workspace.period_end if fewer else None, base_seats=workspace.seats, addons=addons,
        )
        self.held[admin].append(Held(quote, {"quote_id": quote.id}))
        return f"[{admin}] quote {kind} {body} → {quote.id}, {quote.total} due now"

    def _pick_held(self) -> tuple[str, Held] | None:
        """A quote some admin holds: mostly one still valid (an admin pays what they were just shown)."""
        held = [(admin, quote) for admin, quotes in self.held.items() for quote in quotes]
        fresh = [(admin, quote) for admin, quote in held if self.model.now < quote.quote.expires]
        if fresh and self.rng.random() < 0.9:
            return self.rng.choice(fresh)
        return self.rng.choice(held) if held else None

    async def _pay(self, admin: str, held: Held, card: Card, body: dict[str, Any], key: str, *,
                   inline_card: str | None = None, inline_company: str | None = None,
                   lose: bool = False) -> str:
        refusal = self.model.checkout_refusal(held.quote)
        response = await self.world.request(admin.split("-")[0], "POST", "/v1/checkouts", json=body,
                                            headers={"Idempotency-Key": key})
        checkout = None
        if refusal is None:
            checkout = CheckoutSeen(key=key, quote=held.quote, card=card, created=self.model.now, status="",
                                    first_answer="", inline_card=inline_card, inline_company=inline_company)
            self.model.start_checkout(checkout)
        if lose:
            self.lost[admin].append(Lost(key, held, body, checkout))
            return f"[{admin}] pays {held.quote.id} with {card} card, loses the answer"
        return self._answered(response, refusal, checkout, f"[{admin}] pays {held.quote.id} with {card} card",
                              held.quote)

    def _answered(self, response: Any, refusal: tuple[int, str] | None, checkout: CheckoutSeen | None,
                  what: str, quote: QuoteSeen) -> str:
        if refusal is not None:
            status, code = refusal
            self.expect(response.status_code == status and response.json()["error"]["code"] == code,
                        f"{what}: must be refused {status} {code}, got {response.status_code} {response.text}")
            if code in ("quote_expired", "quote_stale"):  # the admin is told to get a new price
                for quotes in self.held.values():
                    quotes[:] = [held for held in quotes if held.quote is not quote]
            return f"{what} → refused {code}"
        assert checkout is not None
        self.expect(response.status_code == 202, f"{what}: must start, got {response.status_code} {response.text}")
        answer = response.json()
        self.expect(checkout.id in (None, answer["id"]), f"{what}: answered {answer['id']}, was {checkout.id}")
        checkout.id, checkout.invoice_id = answer["id"], answer["invoice_id"]
        self.by_id[checkout.id] = checkout
        self.expect(answer["status"] == checkout.first_answer,
                    f"{what}: answered {answer['status']}, must be {checkout.first_answer}")
        return f"{what} → {checkout.id} {answer['status']}"

    async def pay(self) -> str:
        picked = self._pick_held()
        if picked is None:
            return "nobody holds a quote to pay"
        admin, held = picked
        cards: list[Card] = ["good", "declined", "3ds"]
        card = self.rng.choices(cards, [6, 2, 2])[0]
        body = {**held.body, "payment_method_id": self.card_ids[held.quote.workspace][card]}
        return await self._pay(admin, held, card, body, self.key())

    async def pay_inline(self) -> str:
        held_by_acme = [(admin, held) for admin in ("acme-1", "acme-2") for held in self.held[admin]]
        if not held_by_acme:
            return "no Acme admin holds a quote to pay inline"
        admin, held = self.rng.choice(held_by_acme)
        number = self.rng.choice(list(INLINE_CARDS))
        card, last4 = INLINE_CARDS[number]
        company = self.rng.choice(["Acme Corp", "Acme SAS"])
        expires = self.model.now.year + 3  # a card still valid however far the clock has gone
        body = {**held.body, "payment_method": {"number": number, "exp_month": 12, "exp_year": expires, "cvc": "123",
                                                "name": "Alice Martin"},
                "billing_details": {"company": company, "contact_name": "Alice Martin",
                                    "email": "billing@acme.example", "vat_number": "FR40303265045",
                                    "address": {"line1": "12 rue de la Paix", "city": "Paris",
                                                "postal_code": "75002", "country": "FR"}}}
        return await self._pay(admin, held, card, body, self.key(), inline_card=last4, inline_company=company)

    async def lose_answer(self) -> str:
        picked = self._pick_held()
        if picked is None:
            return "nobody holds a quote to pay"
        admin, held = picked
        body = {**held.body, "payment_method_id": self.card_ids[held.quote.workspace]["good"]}
        return await self._pay(admin, held, "good", body, self.key(), lose=True)

    async def retry_lost(self) -> str:
        losing = [admin for admin, lost in self.lost.items() if lost]
        if not losing:
            return "nobody lost an answer"
        admin = self.rng.choice(losing)
        lost = self.lost[admin].pop(self.rng.randrange(len(self.lost[admin])))
        what = f"[{admin}] retries {lost.key}"
        if lost.checkout is None:  # refused the first time: nothing was stored, so it runs again
            return await self._pay(admin, lost.held, "good", lost.body, lost.key)
        response = await self.world.request(admin.split("-")[0], "POST", "/v1/checkouts", json=lost.body,
                                            headers={"Idempotency-Key": lost.key})
        self.expect(response.headers.get("Idempotent-Replayed") == "true", f"{what}: not replayed: {response.text}")
        return self._answered(response, None, lost.checkout, what, lost.held.quote) + " (replayed)"

    async def find_lost(self) -> str:
        admin = self.rng.choice(list(ADMINS))
        status = self.rng.choice(["processing", "requires_action", "succeeded", "failed"])
        page = await self.world.json(admin.split("-")[0], "/v1/checkouts", status=status, limit=100)
        lost_checkouts = (attempt.checkout for attempts in self.lost.values() for attempt in attempts)
        unknown = [c for c in lost_checkouts if c and c.id is None]
        found = 0
        for answer in page["data"]:
            if answer["id"] in self.demo_checkouts:
                continue
            seen = self.by_id.get(answer["id"])
            if seen is None:
                seen = next((c for c in unknown if c.quote.id == answer["quote"]["id"]), None)
                self.expect(seen is not None, f"a checkout nobody made: {answer['id']}")
                assert seen is not None
                seen.id, seen.invoice_id, found = answer["id"], answer["invoice_id"], found + 1
                self.by_id[seen.id] = seen
            self.expect(seen.status == status, f"{seen.id} listed as {status}, must be {seen.status}")
        return f"[{admin}] lists {status} checkouts: {len(page['data'])}, {found} found again"

    async def abandon(self) -> str:
        picked = self._pick_held()
        if picked is None:
            return "nobody holds a quote"
        admin, held = picked
        self.held[admin].remove(held)
        return f"[{admin}] abandons {held.quote.id}"

    async def bank_answers(self) -> str:
        latest = [w.last_checkout for w in self.model.workspaces.values() if w.last_checkout is not None]
        waiting = [c for c in latest if c.card == "3ds" and c.id]
        if not waiting:
            return "no 3-D Secure step to answer"
        checkout = self.rng.choice(waiting)
        approve = self.rng.random() < 0.75
        expected, status = self.model.authenticate(checkout, approve)
        admin = "acme" if checkout.quote.workspace == ACME else "globex"
        response = await self.world.request(admin, "POST", f"/v1/checkouts/{checkout.id}/authenticate",
                                            json={"result": "approve" if approve else "deny"})
        what = f"bank {'approves' if approve else 'denies'} {checkout.id}"
        self.expect(response.status_code == expected, f"{what}: {response.status_code}, must be {expected}")
        if expected == 200:
            self.expect(response.json()["status"] == status, f"{what}: {response.json()['status']}, must be {status}")
        return f"{what} → {response.status_code} {status or ''}"

    async def invite(self) -> str:
        workspace = self.model.workspaces[ACME]
        self.invited += 1
        email = f"guest{self.invited}.{self.seed}@acme.example"
        response = await self.world.request("acme", "POST", "/v1/invitations", json={"email": email})
        if len(workspace.members) + len(workspace.invitations) >= workspace.seats:
            self.expect(response.status_code == 409 and response.json()["error"]["code"] == "no_seat_available",
                        f"an invitation with no free seat: {response.status_code} {response.text}")
            return f"[acme-1] invites {email} → no seat"
        self.expect(response.status_code == 201, f"an invitation into a free seat: {response.text}")
        workspace.invitations.append(response.json()["id"])
        return f"[acme-1] invites {email}"

    async def revoke(self) -> str:
        workspace = self.model.workspaces[ACME]
        if not workspace.invitations:
            return "no invitation to revoke"
        invitation = workspace.invitations.pop(self.rng.randrange(len(workspace.invitations)))
        response = await self.world.request("acme", "DELETE", f"/v1/invitations/{invitation}")
        self.expect(response.status_code == 204, f"revoking {invitation}: {response.text}")
        return f"[acme-1] revokes {invitation}"

    async def toggle_renewal(self) -> str:
        """An admin turns a pack's auto-renew off or on: a held quote goes stale, the next reset keeps
        or drops the pack, and the renewal charges it or not."""
        admin = self.rng.choice(list(ADMINS))
        workspace = self.model.workspaces[ADMINS[admin]]
        credit_type: CreditType = self.rng.choice(list(CREDIT_TYPES))
        renew = self.rng.random() < 0.5
        response = await self.world.request(admin.split("-")[0], "PATCH", f"/v1/subscription/addons/{credit_type}",
                                            json={"auto_renew": renew})
        pack = workspace.packs.get(credit_type)
        if pack is None:
            self.expect(response.status_code == 404, f"auto-renew of a pack {workspace.name} lacks: {response.text}")
            return f"[{admin}] auto-renew {credit_type} {renew} → no pack"
        self.expect(response.status_code == 200, f"auto-renew {credit_type} {renew}: {response.text}")
        pack[1] = renew
        workspace.version += 1
        return f"[{admin}] auto-renew {credit_type} {'on' if renew else 'off'}"

    async def cancel_scheduled(self) -> str:
        admin = self.rng.choice(list(ADMINS))
        workspace = self.model.workspaces[ADMINS[admin]]
        response = await self.world.request(admin.split("-")[0], "DELETE", "/v1/subscription/scheduled_change")
        if workspace.scheduled is None:
            self.expect(response.status_code == 404, f"cancelling no scheduled change: {response.text}")
            return f"[{admin}] cancels the scheduled change → none"
        self.expect(response.status_code == 200, f"cancelling the scheduled change: {response.text}")
        workspace.scheduled = None
        workspace.version += 1
        return f"[{admin}] cancels the scheduled change"

    # ---- a member, support ------------------------------------------------------------------------

    async def consume(self) -> str:
        name, who = self.rng.choice([(ACME, "member"), (GLOBEX, "globex")])
        credit_type: CreditType = self.rng.choice(list(CREDIT_TYPES))
        balance = self.model.workspaces[name].balances[credit_type]
        quantity = self.rng.choice([1, 5, 25, 100, max(1, balance.remaining), balance.remaining + 1])
        response = await self.world.request(who, "POST", "/v1/credits/consume",
                                            json={"type": credit_type, "quantity": quantity})
        if quantity > balance.remaining:
            self.expect(response.status_code == 402, f"spending {quantity} of {balance.remaining}: {response.text}")
            return f"[{who}] spends {quantity} {credit_type} → refused, {balance.remaining} left"
        self.expect(response.status_code == 200, f"spending {quantity} of {balance.remaining}: {response.text}")
        balance.used += quantity
        return f"[{who}] spends {quantity} {credit_type}"

    def _transfer_ends(self) -> tuple[str, str]:
        return (ACME, GLOBEX) if self.rng.random() < 0.5 else (GLOBEX, ACME)

    async def transfer_credits(self) -> str:
        source, target = self._transfer_ends()
        credit_type: CreditType = self.rng.choice(list(CREDIT_TYPES))
        available = self.model.workspaces[source].balances[credit_type].remaining
        quantity = self.rng.choice([1, 10, 50, max(1, available // 2), available + 1])
        return await self._transfer(source, target, license=False, credits={credit_type: quantity})

    async def transfer_license(self) -> str:
        source, target = self._transfer_ends()
        return await self._transfer(source, target, license=True, credits={})

    async def _transfer(self, source: str, target: str, *, license: bool, credits: dict[CreditType, int]) -> str:
        # Credits may come from anyone's account; a license only with a user who may leave. Mostly
        # someone still there; now and then one who already left (a stale ticket).
        candidates = MOVERS[source] if license else self.model.workspaces[source].members
        present = [user for user in candidates if user in self.model.workspaces[source].members]
        mover = self.rng.choice(present if present and self.rng.random() < 0.9 else MOVERS[source])
        response = await self.world.request("support", "POST", "/v1/support/transfers", json={
            "from_email": mover, "to_email": RECEIVERS[target], "license": license, "credits": credits,
            "reason": "simulated job change"})
        what = f"[support] moves {'the license and ' if license else ''}{credits} of {mover} {source} → {target}"
        origin, destination = self.model.workspaces[source], self.model.workspaces[target]
        if mover not in origin.members:
            self.expect(response.status_code == 400, f"{what}: {mover} has left {source}: {response.text}")
            return f"{what} → refused, {mover} is gone"
        short = next((t for t, q in credits.items() if q > origin.balances[t].remaining), None)
        if short is not None:
            self.expect(response.status_code == 402, f"{what}: more than is left: {response.text}")
            return f"{what} → refused, not enough {short}"
        if license and destination.seats >= PLANS[destination.plan].max_seats:
            self.expect(response.status_code == 400, f"{what}: past the plan's seats: {response.text}")
            return f"{what} → refused, {target} is full"
        self.expect(response.status_code == 200, f"{what}: {response.status_code} {response.text}")
        for credit_type, quantity in credits.items():
            origin.balances[credit_type].transferred -= quantity
            destination.balances[credit_type].transferred += quantity
        if license:
            origin.members.remove(mover)
            origin.seats = max(1, origin.seats - 1)
            destination.seats += 1
            if origin.scheduled is not None:
                origin.scheduled.seats = max(1, origin.scheduled.seats - 1)
            if destination.scheduled is not None:
                destination.scheduled.seats = max(1, destination.scheduled.seats + 1)
            destination.raise_included()
            origin.version += 1
            destination.version += 1
        return what

    # ---- time, the processor, restarts ------------------------------------------------------------

    async def _advance(self, seconds: int) -> str:
        days, rest = divmod(seconds, 86_400)
        response = await self.world.request("acme", "POST", "/v1/test_helpers/advance_clock",
                                            json={"days": days, "seconds": rest})
        self.expect(response.status_code == 200, f"moving the clock: {response.text}")
        self.model.advance(seconds)
        self.expect(datetime.fromisoformat(response.json()["now"]) == self.model.now,
                    f"the clock says {response.json()['now']}, the model {self.model.now}")
        return f"the clock moves {timedelta(seconds=seconds)}"

    async def seconds_pass(self) -> str:
        return await self._advance(self.rng.randint(1, int(PAYMENT_DELAY.total_seconds()) * 2))

    async def minutes_pass(self) -> str:
        return await self._advance(self.rng.randint(1, 20) * 60)

    async def days_pass(self) -> str:
        return await self._advance(self.rng.choice([1, 3, 10, 20, 31]) * 86_400 + self.rng.randint(0, 86_399))

    async def to_the_brink(self) -> str:
        """To a few minutes before a workspace's next reset (a renewal, if its period ends there)."""
        workspace = self.model.workspaces[self.rng.choice([ACME, GLOBEX])]
        target = workspace.credit_end - timedelta(seconds=self.rng.randint(1, 10 * 60))
        if target <= self.model.now:
            return f"{workspace.name}'s next reset is minutes away already"
        return await self._advance(int((target - self.model.now).total_seconds()))

    async def processor_wakes(self) -> str:
        self.world.tick()
        return "the processor settles what fell due"

    async def restart(self) -> str:
        await self.world.restart()
        return f"the server restarts on its database (restart {self.world.restarts})"

    # ---- the invariants ---------------------------------------------------------------------------

    async def check(self) -> None:
        for name, admin in ((ACME, "acme"), (GLOBEX, "globex")):
            model = self.model.workspaces[name]
            await self._check_subscription(model, admin)
            await self._check_credits(model, admin)
            await self._check_money(model, admin)
            await self._check_checkouts(model, admin)
        await self._check_cards_and_details(self.model.workspaces[ACME])

    async def _check_subscription(self, model: WorkspaceModel, admin: str) -> None:
        answer = await self.world.json(admin, "/v1/subscription")
        where = model.name
        self.expect(answer["seats"] >= answer["members"] + answer["pending_invitations"],
                    f"{where}: {answer['seats']} seats for {answer['members']} members and "
                    f"{answer['pending_invitations']} invitations")
        scheduled = answer["scheduled_change"]
        told = (answer["plan"], answer["seats"], answer["members"], answer["pending_invitations"],
                scheduled and (scheduled["plan"], scheduled["seats"]), answer["current_period_end"])
        expected = (model.plan, model.seats, len(model.members), len(model.invitations),
                    model.scheduled and (model.scheduled.plan, model.scheduled.seats),
                    f"{model.period_end:%Y-%m-%dT%H:%M:%SZ}")
        self.expect(told == expected, f"{where}: (plan, seats = start + paid changes + transfers, members, "
                    f"invitations, scheduled, period end) is {told}, must be {expected}")

    async def _check_credits(self, model: WorkspaceModel, admin: str) -> None:
        for balance in (await self.world.json(admin, "/v1/credits"))["data"]:
            expected = model.balances[balance["type"]]
            told = (balance["included"], balance["addon"], balance["used"], balance["remaining"])
            must = (expected.included, expected.addon, expected.used, expected.remaining)
            self.expect(told == must, f"{model.name} {balance['type']} credits (included, add-ons, used, remaining) "
                        f"are {told}, must be {must} (transferred {expected.transferred})")
            self.expect(balance["remaining"] >= 0, f"{model.name}: negative credits")

    async def _new_paid_invoices(self, name: str, admin: str) -> list[dict[str, Any]]:
        ledger, new, after = self.ledgers[name], [], None
        while True:
            params: dict[str, Any] = {"status": "paid", "limit": 100}
            if after:
                params["starting_after"] = after
            page = await self.world.json(admin, "/v1/invoices", **params)
            fresh = [invoice for invoice in page["data"] if invoice["id"] not in ledger.seen]
            new += fresh
            if len(fresh) < len(page["data"]) or not page["has_more"]:
                break
            after = page["data"][-1]["id"]
        for invoice in sorted(new, key=lambda invoice: _sequence(invoice["number"])):
            self.expect(_sequence(invoice["number"]) == ledger.last_number + 1,
                        f"{name}: invoice {invoice['number']} follows number {ledger.last_number}: a gap")
            ledger.last_number += 1
            ledger.seen.add(invoice["id"])
            ledger.total += invoice["total"]
        return new

    async def _check_money(self, model: WorkspaceModel, admin: str) -> None:
        await self._new_paid_invoices(model.name, admin)
        ledger, (count_before, total_before) = self.ledgers[model.name], self.baseline[model.name]
        told = (len(ledger.seen) - count_before, ledger.total - total_before)
        must = (model.paid_count, model.paid_total)
        self.expect(told == must, f"{model.name}: paid invoices (count, sum) since the start are {told}; the "
                    f"checkouts applied and the renewals due make {must}")

    async def _check_checkouts(self, model: WorkspaceModel, admin: str) -> None:
        recent = (await self.world.json(admin, "/v1/checkouts", limit=5))["data"]
        for answer in recent:
            seen = self.by_id.get(answer["id"])
            if seen is None:
                continue  # an answer lost: found again by `find_lost`, or by the model's id once retried
            error = answer["error"]["code"] if answer["error"] else None
            self.expect((answer["status"], error) == (seen.status, seen.error),
                        f"{model.name}: {seen.id} is {answer['status']} ({error}), must be {seen.status} "
                        f"({seen.error})")
            deadline = seen.created + PAYMENT_DELAY + QUOTE_LIFETIME
            self.expect(answer["status"] not in OPEN or self.model.now < deadline,
                        f"{model.name}: {seen.id} still {answer['status']} past its payment delay and quote lifetime")
            if answer["status"] in ("succeeded", "failed") and answer["invoice_id"] not in self.invoices_checked:
                self.invoices_checked.add(answer["invoice_id"])  # final: checked once
                invoice = await self.world.json(admin, f"/v1/invoices/{answer['invoice_id']}")
                must = "paid" if answer["status"] == "succeeded" else "void"
                self.expect(invoice["status"] == must and invoice["total"] == seen.quote.total,
                            f"{model.name}: {seen.id} {answer['status']}, its invoice is {invoice['status']} "
                            f"of {invoice['total']}, must be {must} of {seen.quote.total}")

    async def _check_cards_and_details(self, model: WorkspaceModel) -> None:
        cards = (await self.world.json("acme", "/v1/payment_methods"))["data"]
        details = await self.world.json("acme", "/v1/billing_details")
        told = (next(c["last4"] for c in cards if c["is_default"]), sorted(c["last4"] for c in cards),
                details["company"])
        must = (model.default_card, sorted(model.cards), model.company)
        self.expect(told == must, f"Acme's (default card, cards, billing company) are {told}, must be {must}: "
                    "only a paid order saves its card and details")


def _sequence(number: str) -> int:
    """`ACME-2026-000013` → 13."""
    found = re.fullmatch(r"[A-Z]+-\d{4}-(\d{6})", number)
    assert found, number
    return int(found.group(1))


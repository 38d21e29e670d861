"""A keyed write is remembered by a fingerprint of its request; for a card, that request holds the
number and CVC. An unkeyed hash of it could be reversed by trying every number (the space of
valid card numbers with a known prefix is small), so nothing computable without the server's
secret may be stored."""

from __future__ import annotations

import hashlib
import json
import sqlite3

import httpx

from kaspr_tui.server.testing import LiveServer

CARD = {"number": "5555555555554444", "exp_month": 11, "exp_year": 2031, "cvc": "486", "name": "Alice Martin",
        "make_default": False}


def stored_text(live_server: LiveServer) -> str:
    with sqlite3.connect(live_server.settings.db_path) as db:
        tables = [row[0] for row in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
        return "\n".join(repr(row) for table in tables for row in db.execute(f'SELECT * FROM "{table}"'))


def test_a_saved_card_leaves_no_unkeyed_hash_of_its_number_or_its_request(
    live_server: LiveServer, admin: httpx.Client
) -> None:
    body = json.dumps(CARD).encode()
    response = admin.post("/v1/payment_methods", content=body, headers={
        "Idempotency-Key": "card-hash-test", "Content-Type": "application/json"})
    assert response.status_code == 200, response.text
    text = stored_text(live_server)
    assert "card-hash-test" in text or hashlib.sha256(b"card-hash-test").hexdigest() in text, "the key was kept"
    guesses = {
        "number": CARD["number"].encode(),
        "request": b"\n".join([b"POST", b"/v1/payment_methods", b"", body]),
        "body": body,
    }
    for what, value in guesses.items():
        assert hashlib.sha256(value).hexdigest() not in text, f"an unkeyed SHA-256 of the {what} is stored"

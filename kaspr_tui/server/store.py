"""The bundled server's state in SQLite: schema, connection and transactions.

One connection guarded by a lock: every request runs in one `BEGIN IMMEDIATE` transaction, so
a checkout applies all of its effects or none, and two requests never interleave their writes.
WAL keeps the file consistent across a crash. Card numbers and CVCs never reach this module.
"""

from __future__ import annotations

import hashlib
import os
import secrets
import sqlite3
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

SCHEMA_VERSION = "1"

SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS counters (prefix TEXT PRIMARY KEY, value INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS workspaces (
    seq INTEGER PRIMARY KEY,
    id TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    invoice_prefix TEXT NOT NULL UNIQUE,
    invoice_seq INTEGER NOT NULL DEFAULT 0,
    plan TEXT NOT NULL,
    interval TEXT NOT NULL,
    seats INTEGER NOT NULL CHECK (seats >= 1),
    period_start TEXT NOT NULL,
    period_end TEXT NOT NULL,
    billing_anchor TEXT NOT NULL,
    status TEXT NOT NULL DEFAULT 'active',
    version INTEGER NOT NULL DEFAULT 1,
    created TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS users (
    seq INTEGER PRIMARY KEY,
    id TEXT NOT NULL UNIQUE,
    email TEXT NOT NULL UNIQUE COLLATE NOCASE,
    name TEXT NOT NULL,
    is_support INTEGER NOT NULL DEFAULT 0,
    created TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS api_keys (
    key_hash TEXT PRIMARY KEY,
    user_id TEXT NOT NULL REFERENCES users(id),
    created TEXT NOT NULL
);
-- Active members (id = the user's id) and pending invitations (id = inv_…) in one list.
CREATE TABLE IF NOT EXISTS memberships (
    seq INTEGER PRIMARY KEY,
    id TEXT NOT NULL UNIQUE,
    workspace_id TEXT NOT NULL REFERENCES workspaces(id),
    user_id TEXT UNIQUE REFERENCES users(id),
    invited_email TEXT COLLATE NOCASE,
    role TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('active', 'invited')),
    created TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS payment_methods (
    seq INTEGER PRIMARY KEY,
    id TEXT NOT NULL UNIQUE,
    workspace_id TEXT NOT NULL REFERENCES workspaces(id),
    brand TEXT NOT NULL,
    last4 TEXT NOT NULL,
    exp_month INTEGER NOT NULL,
    exp_year INTEGER NOT NULL,
    name TEXT NOT NULL,
    fingerprint TEXT NOT NULL,
    outcome TEXT NOT NULL,
    is_default INTEGER NOT NULL DEFAULT 0,
    created TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS billing_details (
    workspace_id TEXT PRIMARY KEY REFERENCES workspaces(id),
    details TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS credit_balances (
    workspace_id TEXT NOT NULL REFERENCES workspaces(id),
    credit_type TEXT NOT NULL,
    period_start TEXT NOT NULL,
    period_end TEXT NOT NULL,
    included INTEGER NOT NULL,
    addon INTEGER NOT NULL,
    used INTEGER NOT NULL DEFAULT 0,
    transferred INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (workspace_id, credit_type, period_start)
);
CREATE TABLE IF NOT EXISTS recurring_addons (
    workspace_id TEXT NOT NULL REFERENCES workspaces(id),
    credit_type TEXT NOT NULL,
    quantity INTEGER NOT NULL,
    auto_renew INTEGER NOT NULL DEFAULT 1,
    PRIMARY KEY (workspace_id, credit_type)
);
CREATE TABLE IF NOT EXISTS scheduled_changes (
    workspace_id TEXT PRIMARY KEY REFERENCES workspaces(id),
    plan TEXT NOT NULL,
    interval TEXT NOT NULL,
    seats INTEGER NOT NULL,
    effective_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS quotes (
    seq INTEGER PRIMARY KEY,
    id TEXT NOT NULL UNIQUE,
    workspace_id TEXT NOT NULL REFERENCES workspaces(id),
    workspace_version INTEGER NOT NULL,
    body TEXT NOT NULL,
    change TEXT NOT NULL,
    expires_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS checkouts (
    seq INTEGER PRIMARY KEY,
    id TEXT NOT NULL UNIQUE,
    workspace_id TEXT NOT NULL REFERENCES workspaces(id),
    quote_id TEXT NOT NULL REFERENCES quotes(id),
    payment_method_id TEXT NOT NULL,
    invoice_id TEXT,
    status TEXT NOT NULL,
    outcome TEXT NOT NULL,
    processing_until REAL,
    -- processing_until is on the processor's time (Clock.instant), epoch seconds.
    -- payment_method_id: the card charged; for a card given inline, the id it is saved under if paid.
    -- pending_card, pending_billing_details (added columns): given inline, saved only if paid.
    error TEXT,
    actor TEXT,
    created TEXT NOT NULL,
    idempotency_key TEXT
);
CREATE INDEX IF NOT EXISTS checkouts_open ON checkouts (workspace_id, status);
CREATE TABLE IF NOT EXISTS invoices (
    seq INTEGER PRIMARY KEY,
    id TEXT NOT NULL UNIQUE,
    workspace_id TEXT NOT NULL REFERENCES workspaces(id),
    number TEXT UNIQUE,
    status TEXT NOT NULL CHECK (status IN ('open', 'paid', 'void')),
    created TEXT NOT NULL,
    period_start TEXT NOT NULL,
    period_end TEXT NOT NULL,
    lines TEXT NOT NULL,
    subtotal INTEGER NOT NULL,
    tax TEXT NOT NULL,
    total INTEGER NOT NULL,
    billing_details TEXT,
    payment_method TEXT,
    paid_at TEXT
);
CREATE INDEX IF NOT EXISTS invoices_by_workspace ON invoices (workspace_id, seq);
CREATE TABLE IF NOT EXISTS idempotency (
    key_hash TEXT NOT NULL,
    idempotency_key TEXT NOT NULL,
    request_hash TEXT NOT NULL,
    state TEXT NOT NULL CHECK (state IN ('running', 'done')),
    status INTEGER,
    headers TEXT,
    body BLOB,
    created REAL NOT NULL,
    owner TEXT,
    applied INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (key_hash, idempotency_key)
);
CREATE TABLE IF NOT EXISTS events (
    seq INTEGER PRIMARY KEY,
    id TEXT NOT NULL UNIQUE,
    workspace_id TEXT NOT NULL REFERENCES workspaces(id),
    type TEXT NOT NULL,
    created TEXT NOT NULL,
    actor TEXT,
    description TEXT NOT NULL,
    data TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS events_by_workspace ON events (workspace_id, seq);
CREATE TABLE IF NOT EXISTS support_tickets (
    seq INTEGER PRIMARY KEY,
    id TEXT NOT NULL UNIQUE,
    user_id TEXT NOT NULL REFERENCES users(id),
    workspace_id TEXT,
    kind TEXT NOT NULL,
    message TEXT NOT NULL,
    new_email TEXT,
    status TEXT NOT NULL,
    created TEXT NOT NULL
    -- closed_at, closed_by (added columns): when a support agent closed it, and their email.
);
CREATE INDEX IF NOT EXISTS support_tickets_by_workspace ON support_tickets (workspace_id, seq);
CREATE INDEX IF NOT EXISTS support_tickets_by_status ON support_tickets (status, seq);
CREATE TABLE IF NOT EXISTS transfers (
    seq INTEGER PRIMARY KEY,
    id TEXT NOT NULL UNIQUE,
    body TEXT NOT NULL,
    created TEXT NOT NULL
);
"""

ADDED_COLUMNS = (
    ("checkouts", "idempotency_key", "TEXT"),
    ("idempotency", "owner", "TEXT"),
    ("idempotency", "applied", "INTEGER NOT NULL DEFAULT 0"),
    ("checkouts", "pending_card", "TEXT"),
    ("checkouts", "pending_billing_details", "TEXT"),
    ("invoices", "payment_error", "TEXT"),
    ("support_tickets", "closed_at", "TEXT"),
    ("support_tickets", "closed_by", "TEXT"),
    ("memberships", "sent_at", "TEXT"),
)
"""Columns added since the first release, added to a database made before them."""

INDEXES_ON_ADDED_COLUMNS = """
CREATE UNIQUE INDEX IF NOT EXISTS checkouts_by_key ON checkouts (workspace_id, quote_id, idempotency_key);
"""


def hash_api_key(key: str) -> str:
    """API keys are stored as their SHA-256: a copy of the database gives no working key."""
    return hashlib.sha256(key.encode()).hexdigest()


def to_db_time(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat()


def from_db_time(text: str) -> datetime:
    return datetime.fromisoformat(text)


@dataclass
class Tx:
    """One transaction, and the instant it runs at: every effect of a request shares that time."""

    conn: sqlite3.Connection
    now: datetime

    def one(self, sql: str, params: tuple[Any, ...] = ()) -> sqlite3.Row | None:
        return self.conn.execute(sql, params).fetchone()

    def row(self, sql: str, params: tuple[Any, ...] = ()) -> sqlite3.Row:
        """The one row a query always answers (an aggregate; a row the schema says exists)."""
        row = self.one(sql, params)
        assert row is not None, sql
        return row

    def all(self, sql: str, params: tuple[Any, ...] = ()) -> list[sqlite3.Row]:
        return self.conn.execute(sql, params).fetchall()

    def run(self, sql: str, params: tuple[Any, ...] = ()) -> sqlite3.Cursor:
        return self.conn.execute(sql, params)

    def new_id(self, prefix: str) -> str:
        """`usr_000001`: deterministic, so the same seed gives byte-identical answers."""
        value = self.conn.execute(
            "INSERT INTO counters(prefix, value) VALUES (?, 1) "
            "ON CONFLICT(prefix) DO UPDATE SET value = value + 1 RETURNING value",
            (prefix,),
        ).fetchone()[0]
        return f"{prefix}_{value:06d}"

    def meta(self, key: str) -> str | None:
        row = self.one("SELECT value FROM meta WHERE key = ?", (key,))
        return row["value"] if row else None

    def set_meta(self, key: str, value: str) -> None:
        self.run(
            "INSERT INTO meta(key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
            (key, value),
        )


class Store:
    def __init__(self, path: Path, *, reset: bool = False) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        if reset:
            for suffix in ("", "-wal", "-shm", "-journal"):
                Path(f"{path}{suffix}").unlink(missing_ok=True)
        self.path = path
        # It holds the API keys: readable by its owner only, an earlier version's 0644 file too
        # (SQLite gives the -wal and -shm files the database's mode).
        os.close(os.open(path, os.O_CREAT | os.O_WRONLY, 0o600))
        os.chmod(path, 0o600)
        self._lock = threading.Lock()
        self._conn = sqlite3.connect(path, isolation_level=None, check_same_thread=False, timeout=30)
        self._conn.row_factory = sqlite3.Row
        self._conn.execute("PRAGMA journal_mode=WAL")
        self._conn.execute("PRAGMA synchronous=NORMAL")
        self._conn.execute("PRAGMA foreign_keys=ON")
        self._conn.executescript(SCHEMA)
        self._add_missing_columns()
        self._conn.executescript(INDEXES_ON_ADDED_COLUMNS)

    def _add_missing_columns(self) -> None:
        for table, column, declaration in ADDED_COLUMNS:
            present = {row["name"] for row in self._conn.execute(f"PRAGMA table_info({table})")}
            if column not in present:
                self._conn.execute(f"ALTER TABLE {table} ADD COLUMN {column} {declaration}")

    @contextmanager
    def transaction(self, clock: Callable[[], datetime]) -> Iterator[Tx]:
        """`BEGIN IMMEDIATE` … `COMMIT`, or a rollback of everything if the block raises.

        The time is read once the transaction holds the lock, so no transaction sees a clock
        older than one that committed before it.
        """
        with self._lock:
            self._conn.execute("BEGIN IMMEDIATE")
            try:
                yield Tx(self._conn, clock())
            except BaseException:
                self._conn.execute("ROLLBACK")
                raise
            self._conn.execute("COMMIT")

    def fingerprint_secret(self) -> bytes:
        """The per-database key card fingerprints are an HMAC with (created on first use)."""
        with self.transaction(lambda: datetime.now(UTC)) as tx:
            secret = tx.meta("fingerprint_secret")
            if secret is None:
                secret = secrets.token_hex(32)
                tx.set_meta("fingerprint_secret", secret)
        return bytes.fromhex(secret)

    def close(self) -> None:
        with self._lock:
            self._conn.close()

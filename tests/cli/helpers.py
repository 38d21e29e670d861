"""Running `kaspr-tui` as a subprocess, and reading the server's state back over HTTP."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx

COMMAND_TIMEOUT = 60
CARD_NUMBERS = ("4242424242424242", "4000000000000002", "4000002760003184", "4100000000000019")


def clean_env(tmp_path: Path) -> dict[str, str]:
    """This environment without KASPR_* settings, with the user's folders moved into tmp_path."""
    env = {key: value for key, value in os.environ.items() if not key.startswith("KASPR_")}
    env.pop("NO_COLOR", None)
    env.update(
        HOME=str(tmp_path / "home"),
        XDG_CONFIG_HOME=str(tmp_path / "xdg-config"),
        XDG_DATA_HOME=str(tmp_path / "xdg-data"),
        XDG_STATE_HOME=str(tmp_path / "xdg-state"),
        XDG_CACHE_HOME=str(tmp_path / "xdg-cache"),
        XDG_DOWNLOAD_DIR=str(tmp_path / "downloads"),
    )
    return env


@dataclass
class Result:
    code: int
    stdout: str
    stderr: str

    def json(self) -> Any:
        return json.loads(self.stdout)


@dataclass
class Kaspr:
    env: dict[str, str]

    def __call__(self, *args: str, input: str | None = None, **env: str) -> Result:
        done = subprocess.run(
            [sys.executable, "-m", "kaspr_tui", *args],
            input=input if input is not None else "",
            capture_output=True,
            text=True,
            env={**self.env, **env},
            timeout=COMMAND_TIMEOUT,
        )
        return Result(done.returncode, done.stdout, done.stderr)

    def popen(self, *args: str, **env: str) -> subprocess.Popen[str]:
        return subprocess.Popen(
            [sys.executable, "-m", "kaspr_tui", *args],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env={**self.env, **env},
            # A terminal's Ctrl-C reaches the command as SIGINT; a test runner started in the background
            # may ignore SIGINT, which its children would inherit, and Python then leaves it ignored.
            preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
        )


def paid_invoices(admin: httpx.Client) -> list[dict]:
    return [
        invoice
        for invoice in admin.get("/v1/invoices", params={"limit": 100}).json()["data"]
        if invoice["status"] == "paid"
    ]


def credits_of(admin: httpx.Client, credit_type: str) -> dict:
    return next(balance for balance in admin.get("/v1/credits").json()["data"] if balance["type"] == credit_type)


def use_card(admin: httpx.Client, number: str) -> dict:
    """Make `number` the workspace's default card (through the API, as the TUI's form does)."""
    answer = admin.post(
        "/v1/payment_methods",
        json={
            "number": number,
            "exp_month": 12,
            "exp_year": 2030,
            "cvc": "123",
            "name": "Alice Martin",
            "make_default": True,
        },
        headers={"Idempotency-Key": f"test-card-{number}"},
    )
    assert answer.status_code in (200, 201), answer.text
    return answer.json()

"""The exit codes of every command, and their help text: light, for `--help` to import."""

from __future__ import annotations

from enum import IntEnum


class Exit(IntEnum):
    """The exit codes: a contract with scripts (README, `kaspr-tui --help`)."""

    OK = 0
    ERROR = 1
    """Anything else: the server unreachable or failing, an unexpected answer."""
    USAGE = 2
    """A bad argument (refused here or by the server), a confirmation refused or impossible
    without a terminal, a write in read-only mode, the TUI without a terminal."""
    PAYMENT = 3
    """The card was declined, or the bank's 3-D Secure check was denied or not answered."""
    AUTHENTICATION = 4
    """The API key is missing or refused, or its role may not do this."""
    NOT_FOUND = 5
    CONFLICT = 6
    """A checkout already in progress, a price that went stale or expired, a seat or member conflict."""
    INTERRUPTED = 130


EXIT_CODES_HELP = """\
exit codes:
  0    done
  1    error (server unreachable or failing, unexpected answer)
  2    usage: bad argument, confirmation refused or impossible (no terminal, no --yes),
       a write in read-only mode, the TUI without a terminal
  3    payment declined, or 3-D Secure denied or not answered
  4    authentication: API key missing or refused, or not allowed for its role
  5    not found
  6    conflict: checkout in progress, stale or expired price, no free seat, already a member
  130  interrupted (Ctrl-C)"""

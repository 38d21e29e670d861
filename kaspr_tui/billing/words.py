"""Words shared by the server's messages, the TUI and the command line: pure, no I/O."""

from __future__ import annotations


def plural(count: int, word: str) -> str:
    """`1 seat`, `2 seats`, `1,000 seats`: English nouns of this app take an s."""
    return f"{count:,} {word}{'' if count == 1 else 's'}"

"""What every command shares: exit codes, where output goes, asking first, and the session.

Data goes to stdout and everything meant for the person (progress, questions, errors) to
stderr, so `kaspr-tui status --json | jq` and `... > file` get only data. `--json` prints the
API's objects through the wire models, so its shape is the models' (README, "JSON shapes").
Colour only on a terminal, never with NO_COLOR set or TERM=dumb.
"""

from __future__ import annotations

import asyncio
import json
import os
import shutil
import sys
import textwrap
from collections.abc import AsyncIterator, Callable, Coroutine, Iterable, Mapping, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from typing import IO, TYPE_CHECKING, Any

from kaspr_tui.commands.exit_codes import Exit
from kaspr_tui.config import Settings

if TYPE_CHECKING:
    import argparse

    from pydantic import ValidationError

    from kaspr_tui.api import ApiError, BillingClient


MAX_PROSE_WIDTH = 100
AUTH_ADVICE = "Run `kaspr-tui login` to store a valid key, or pass --token (or set KASPR_API_TOKEN)."

CONFLICT_CODES = frozenset({"quote_stale", "quote_expired"})
"""Refused with 400, but a conflict with what changed meanwhile, not a bad argument."""
USAGE_CODES = frozenset({"idempotency_key_reused", "read_only"})


class CommandError(Exception):
    """A command stops here: `str()` is said on stderr, `exit_code` ends the process."""

    def __init__(self, message: str, exit_code: Exit = Exit.ERROR) -> None:
        super().__init__(message)
        self.exit_code = exit_code


def exit_code_for(error: ApiError) -> Exit:
    """The exit code of a failed API call (see `Exit`)."""
    if error.is_card_error:
        return Exit.PAYMENT
    if error.is_authentication_error or error.is_permission_error:
        return Exit.AUTHENTICATION
    if error.code in USAGE_CODES:
        return Exit.USAGE
    if error.status == 409 or error.code in CONFLICT_CODES:
        return Exit.CONFLICT
    if error.status == 404:
        return Exit.NOT_FOUND
    if error.status == 400:
        return Exit.USAGE
    return Exit.ERROR


def error_words(error: ApiError) -> str:
    """The server's words: every field message at once (more than one rule can apply), with advice for a bad key."""
    messages = list(dict.fromkeys(field_error.message for field_error in error.errors)) or [error.message]
    if error.is_authentication_error:
        messages.append(AUTH_ADVICE)
    return "\n".join(messages)


def uses_color(stream: IO[str], environ: Mapping[str, str]) -> bool:
    """ANSI styles on a terminal only, never with NO_COLOR (https://no-color.org) or TERM=dumb."""
    return stream.isatty() and "NO_COLOR" not in environ and environ.get("TERM") != "dumb"


@dataclass
class Output:
    """Where a command writes. With `json_mode`, stdout holds only the JSON and human words go to stderr."""

    json_mode: bool = False
    stdout: IO[str] = field(default_factory=lambda: sys.stdout)
    stderr: IO[str] = field(default_factory=lambda: sys.stderr)
    environ: Mapping[str, str] = field(default_factory=lambda: os.environ)

    def say(self, text: str = "") -> None:
        """Human output: the command's result on stdout, or on stderr when stdout is for JSON."""
        stream = self.stderr if self.json_mode else self.stdout
        print(text, file=stream, flush=True)

    def note(self, text: str) -> None:
        """Progress and messages for the person, always on stderr."""
        print(text, file=self.stderr, flush=True)

    def paragraph(self, text: str, *, note: bool = False) -> None:
        """Prose where `say` puts it (or with `note` on stderr), wrapped on a terminal (at most 100
        columns); a pipe or a file gets it on one line, for grep."""
        stream = self.stderr if note or self.json_mode else self.stdout
        if stream.isatty():
            width = min(shutil.get_terminal_size().columns, MAX_PROSE_WIDTH)
            text = textwrap.fill(text, width=width, break_on_hyphens=False)
        print(text, file=stream, flush=True)

    def data(self, value: object) -> None:
        """The command's JSON on stdout."""
        json.dump(to_json(value), self.stdout, indent=2, ensure_ascii=False)
        self.stdout.write("\n")
        self.stdout.flush()

    def bold(self, text: str) -> str:
        stream = self.stderr if self.json_mode else self.stdout
        return f"\x1b[1m{text}\x1b[0m" if uses_color(stream, self.environ) else text


def to_json(value: object) -> Any:
    """Models as the wire has them (`model_dump(mode="json")`); lists and dicts of them alike."""
    if hasattr(value, "model_dump"):
        return value.model_dump(mode="json")
    if isinstance(value, Mapping):
        return {str(key): to_json(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [to_json(item) for item in value]
    return value


def table(headers: Sequence[str], rows: Iterable[Sequence[str]], *, right: Iterable[int] = ()) -> list[str]:
    """Columns padded to their widest cell, two spaces apart; columns in `right` flush right."""
    rows = [list(row) for row in rows]
    flush_right = set(right)
    widths = [max(len(cell) for cell in column) for column in zip(headers, *rows, strict=True)]

    def line(cells: Sequence[str]) -> str:
        padded = (
            cell.rjust(width) if index in flush_right else cell.ljust(width)
            for index, (cell, width) in enumerate(zip(cells, widths, strict=True))
        )
        return "  ".join(padded).rstrip()

    return [line(headers), *(line(row) for row in rows)]


def has_terminal() -> bool:
    """Whether a person can answer a question here: stdin is a terminal."""
    return sys.stdin.isatty()


def ask(question: str, out: Output) -> str | None:
    """The answer typed on the terminal, stripped; None at end of input."""
    out.stderr.write(question)
    out.stderr.flush()
    line = sys.stdin.readline()
    return line.strip() if line else None


def confirm(question: str, *, yes: bool, out: Output, refusal: str = "nothing was changed") -> None:
    """Go on only when `--yes` was given or the person answers y; else stop with exit code 2."""
    if yes:
        return
    if not has_terminal():
        raise CommandError(
            f"Not confirmed, so {refusal}: stdin is not a terminal to ask on. Add --yes to go ahead without asking.",
            Exit.USAGE,
        )
    answer = ask(f"{question} [y/N] ", out)
    if answer is None or answer.lower() not in ("y", "yes"):
        raise CommandError(f"Not confirmed, so {refusal}.", Exit.USAGE)


@dataclass
class Context:
    """What a command gets: the settings, its parsed arguments and its output."""

    settings: Settings
    args: argparse.Namespace
    out: Output

    @asynccontextmanager
    async def session(self) -> AsyncIterator[BillingClient]:
        """A client of the configured server, or of the bundled one, started now and stopped after."""
        from kaspr_tui.api import BillingClient

        server = None
        url = self.settings.api_url
        if url is None:
            from kaspr_tui.embedded import EmbeddedServer, EmbeddedServerError

            server = EmbeddedServer()
            try:
                url = await server.start()
            except EmbeddedServerError as error:
                raise CommandError(str(error)) from None
        try:
            async with BillingClient(url, self.settings.api_key, read_only=self.settings.read_only) as client:
                yield client
        finally:
            if server is not None:
                await server.stop()


Command = Callable[[Context], Coroutine[Any, Any, Exit]]


def argument_problems(error: ValidationError) -> str:
    """What a request model refused in the arguments, by field; never the value given (it may be a card)."""
    return "\n".join(
        f"{'.'.join(str(part) for part in problem['loc']) or 'value'}: {problem['msg']}."
        for problem in error.errors(include_input=False, include_url=False)
    )


def run_command(command: Command, context: Context) -> int:
    """Run one command to its exit code; an API failure is the server's words on stderr."""
    from pydantic import ValidationError

    from kaspr_tui.api import ApiError

    try:
        return int(asyncio.run(command(context)))
    except BrokenPipeError:
        # The reader went away (`| head`): nothing more to say to anyone; leave without a traceback.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return int(Exit.ERROR)
    except CommandError as error:
        context.out.note(f"kaspr-tui: {error}")
        return int(error.exit_code)
    except ApiError as error:
        context.out.note(f"kaspr-tui: {error_words(error)}")
        return int(exit_code_for(error))
    except ValidationError as error:  # a request model built from the arguments refused them
        context.out.note(f"kaspr-tui: {argument_problems(error)}")
        return int(Exit.USAGE)
    except KeyboardInterrupt:
        context.out.note("kaspr-tui: interrupted.")
        return int(Exit.INTERRUPTED)

"""The `kaspr-tui` command: arguments, settings, then the app; `login`; `mock-server`.

Textual, the API client and the server are imported only once a command needs them, so that
`--version` and `--help` answer at once.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime
import getpass
import io
import os
import sys
import traceback
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from kaspr_tui import __version__
from kaspr_tui.config import (
    CONFIG_ENV_VAR,
    ENV_VARS,
    ConfigError,
    Settings,
    check_api_url,
    default_config_path,
    default_log_dir,
    locate_config,
    resolve_settings,
    write_login,
)

if TYPE_CHECKING:
    from kaspr_tui.api.models import Me

# What `login` offers when nothing is configured: `kaspr-tui mock-server` on its default port.
LOGIN_DEFAULT_URL = "http://127.0.0.1:8787"
EXIT_USAGE = 2
EXIT_FAILED = 1
EXIT_INTERRUPTED = 130


def main(argv: Sequence[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    if args[:1] == ["mock-server"]:
        # The server parses its own flags (kaspr-tui mock-server --help lists them).
        from kaspr_tui.server.cli import main as mock_server_main

        return mock_server_main(args[1:])
    options = build_parser().parse_args(args)
    try:
        if options.command == "login":
            return login(options.config)
        settings = resolve_settings(
            cli={
                "api_url": options.api_url,
                "api_key": options.token,
                "config_path": options.config,
                "theme": options.theme,
                "insecure": options.insecure,
            }
        )
    except ConfigError as error:
        print(f"kaspr-tui: {error}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        print(file=sys.stderr)
        return EXIT_INTERRUPTED
    return run_app(settings)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="kaspr-tui",
        description=(
            "Manage a Kaspr subscription from the terminal.\n"
            "With no API URL configured, kaspr-tui starts its bundled billing server\n"
            "and signs in to the demo workspace."
        ),
        epilog=(
            "settings: command line, then environment "
            f"({', '.join(ENV_VARS.values())}),\nthen the config file "
            f"({CONFIG_ENV_VAR} or {default_config_path()})"
        ),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--api-url", metavar="URL", help="the billing API to use")
    parser.add_argument(
        "--token", metavar="KEY", help=f"API key (safer in {ENV_VARS['api_key']}: not shown by ps)"
    )
    parser.add_argument("--config", metavar="PATH", type=Path, help="config file to read")
    parser.add_argument("--theme", metavar="NAME", help="Textual theme, e.g. textual-light")
    parser.add_argument(
        "--insecure",
        action="store_true",
        default=None,
        help="allow a plain http:// API URL to another machine (sends the key unencrypted)",
    )
    parser.add_argument("--version", action="version", version=f"kaspr-tui {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    login_parser = commands.add_parser(
        "login", help="ask for an API URL and key, check them, save them to the config file"
    )
    # SUPPRESS keeps a --config given before `login` from being reset by this default.
    login_parser.add_argument(
        "--config", metavar="PATH", type=Path, default=argparse.SUPPRESS, help="config file to write"
    )
    commands.add_parser("mock-server", help="serve the bundled billing API (see its --help)")
    return parser


def login(config_option: Path | None) -> int:
    """Ask for a URL and key, check them with GET /v1/me, and only then save them."""
    config_path, _ = locate_config(config_option)
    try:
        configured_url = resolve_settings(cli={"config_path": config_path}).api_url
    except ConfigError:
        configured_url = None  # a broken setting is what login is often run to replace
    default_url = configured_url or LOGIN_DEFAULT_URL

    try:
        answer = input(f"API URL [{default_url}]: ").strip()
        api_url = check_api_url(answer or default_url)
        api_key = _ask_key()
    except EOFError:
        print("\nkaspr-tui login: no answer; nothing was written.", file=sys.stderr)
        return EXIT_FAILED
    if not api_key:
        print("kaspr-tui login: no API key given; nothing was written.", file=sys.stderr)
        return EXIT_FAILED

    from kaspr_tui.api import ApiError

    print(f"Checking the key with {api_url} …")
    try:
        me = asyncio.run(_fetch_me(api_url, api_key))
    except ApiError as error:
        print(f"kaspr-tui login: {error}\nNothing was written.", file=sys.stderr)
        return EXIT_FAILED

    write_login(config_path, api_url, api_key)
    where = f"{me.role} of {me.workspace.name}" if me.workspace else me.role
    print(f"Signed in as {me.user.email} ({where}).")
    print(f"Saved the URL and key to {config_path} (mode 0600: only you can read it).")
    overriding = [var for var in ENV_VARS.values() if os.environ.get(var)]
    if overriding:
        print(f"Note: {', '.join(overriding)} set in this shell take precedence over the file.")
    return 0


def _ask_key() -> str:
    # A terminal gets a prompt that does not echo; a pipe (scripts, tests) is read as a line.
    if sys.stdin.isatty():
        return getpass.getpass("API key (not shown): ").strip()
    line = sys.stdin.readline()
    if not line:
        raise EOFError
    return line.strip()


async def _fetch_me(api_url: str, api_key: str) -> Me:
    from kaspr_tui.api import BillingClient

    async with BillingClient(api_url, api_key) as client:
        return await client.me()


def run_app(settings: Settings) -> int:
    """Run the app; an unexpected error becomes one line here and a traceback in the log."""
    try:
        if settings.embedded:
            # The server boots while the app below is being imported; the app adopts it.
            from kaspr_tui.embedded import start_early

            start_early()
        from rich.console import Console

        from kaspr_tui.app import KasprApp

        app = KasprApp(settings)
        # Textual prints the traceback of an error inside the app (with its local variables)
        # to the terminal once the app has closed; keep it here instead.
        textual_report = io.StringIO()
        app.error_console = Console(file=textual_report, color_system=None, markup=False)
        app.run()
    except KeyboardInterrupt:
        return EXIT_INTERRUPTED
    except Exception as error:
        return _report_crash(error)
    # Textual keeps the error it stopped on only here (textual is pinned).
    error_inside = getattr(app, "_exception", None)
    if error_inside is not None:
        return _report_crash(error_inside)
    sys.stderr.write(textual_report.getvalue())  # anything else the app meant to say on exit
    return app.return_code or 0


def _report_crash(error: BaseException) -> int:
    """One line on the terminal; the traceback, without local variables, in the log."""
    log_path = default_log_dir() / "kaspr-tui.log"
    stamp = datetime.datetime.now().isoformat(timespec="seconds")
    try:
        log_path.parent.mkdir(parents=True, exist_ok=True)
        with open(log_path, "a", encoding="utf-8") as log:
            log.write(f"--- {stamp} kaspr-tui {__version__}\n")
            log.writelines(traceback.format_exception(error))
    except OSError:
        where = "The log could not be written."
    else:
        where = f"The details are in {log_path}"
    summary = (str(error).splitlines() or [""])[0]
    print(
        f"kaspr-tui stopped on an unexpected error: {type(error).__name__}: {summary}\n{where}",
        file=sys.stderr,
    )
    return EXIT_FAILED


if __name__ == "__main__":
    sys.exit(main())

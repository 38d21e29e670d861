"""The `kaspr-tui` command: arguments, settings, then the app or a command; `login`; `mock-server`.

Textual, the API client and the server are imported only once a command needs them, so that
`--version`, `--help` and `completion` answer at once, and `status --json` loads only httpx and
the wire models. The options every command shares may come before or after its name.
"""

from __future__ import annotations

import argparse
import importlib
import io
import os
import signal
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from kaspr_tui import __version__
from kaspr_tui.billing.catalog import CREDIT_TYPES, INTERVALS, PLAN_IDS
from kaspr_tui.commands.exit_codes import EXIT_CODES_HELP, Exit
from kaspr_tui.config import (
    CONFIG_ENV_VAR,
    ENV_VARS,
    PROFILE_ENV_VAR,
    ConfigError,
    Settings,
    check_api_url,
    check_profile_name,
    configure_logging,
    default_config_path,
    default_log_dir,
    locate_config,
    resolve_settings,
    theme_problem,
    write_login,
)

if TYPE_CHECKING:
    from kaspr_tui.api.models import Me

# What `login` offers when nothing is configured: `kaspr-tui mock-server` on its default port.
LOGIN_DEFAULT_URL = "http://127.0.0.1:8787"
MAX_IDEMPOTENCY_KEY = 200
EXIT_USAGE = Exit.USAGE
EXIT_FAILED = Exit.ERROR
EXIT_INTERRUPTED = Exit.INTERRUPTED


def main(argv: Sequence[str] | None = None) -> int:
    # httpx imports its own command line (click, rich, pygments: ~0.07 s) unless that import fails;
    # a None in sys.modules makes it fail, and kaspr-tui never runs httpx's command line.
    sys.modules.setdefault("httpx._main", None)  # type: ignore[arg-type]
    # httpcore imports trio when it is installed (~0.05 s, with attrs), for clients run under trio;
    # kaspr-tui runs on asyncio only, so the same None keeps it out.
    sys.modules.setdefault("trio", None)  # type: ignore[arg-type]
    # Pydantic's documented switch: without it, the first validator built reads the metadata of
    # every installed package looking for pydantic plugins (~0.08 s of CPU); kaspr-tui uses none.
    # The bundled server, a child process, inherits it.
    os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")
    args = list(sys.argv[1:] if argv is None else argv)
    if args[:1] == ["mock-server"]:
        # The server parses its own flags (kaspr-tui mock-server --help lists them).
        from kaspr_tui.server.cli import main as mock_server_main

        return mock_server_main(args[1:])
    parser = build_parser()
    options = parser.parse_args(args)
    if options.command == "completion":
        from kaspr_tui.commands.completion import script

        print(script(parser, options.shell), end="")
        return 0
    try:
        if options.command == "login":
            return login(_option(options, "config"), _option(options, "profile"))
        settings = resolve_settings(
            cli={
                "api_url": _option(options, "api_url"),
                "api_key": _option(options, "token"),
                "config_path": _option(options, "config"),
                "theme": _option(options, "theme"),
                "insecure": _option(options, "insecure"),
                "profile": _option(options, "profile"),
                "read_only": _option(options, "read_only"),
                "log_file": _option(options, "log_file"),
                "debug": _option(options, "debug"),
                "mouse": _option(options, "mouse"),
            }
        )
        configure_logging(settings, for_app=options.command is None)
    except ConfigError as error:
        print(f"kaspr-tui: {error}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        print(file=sys.stderr)
        return EXIT_INTERRUPTED
    if options.command is None:
        from textual.theme import BUILTIN_THEMES  # the app is about to import Textual anyway

        # A theme typed for this run stops it; one in a file is named in the app, which runs on (KasprApp).
        problem = theme_problem(settings.theme, BUILTIN_THEMES, settings.sources.get("theme", "default"))
        if problem is not None and settings.sources.get("theme") == "cli":
            print(f"kaspr-tui: {problem}", file=sys.stderr)
            return EXIT_USAGE
        if not app_has_terminal():
            print(NO_TERMINAL_HINT, file=sys.stderr)
            return EXIT_USAGE
        return run_app(settings)
    return run_command(options, settings)


NO_TERMINAL_HINT = (
    "kaspr-tui: the app needs a terminal (stdin and stdout); from a script use a command, "
    "e.g. `kaspr-tui status --json` (all of them: kaspr-tui --help)"
)


def app_has_terminal() -> bool:
    """The app reads keys from stdin and draws on stdout: both must be a terminal."""
    return sys.stdin.isatty() and sys.stdout.isatty()


def _option(options: argparse.Namespace, name: str) -> object:
    """An option's value, None when not given (options shared by every command are left out then)."""
    return getattr(options, name, None)


def run_command(options: argparse.Namespace, settings: Settings) -> int:
    """Refuse a write in read-only mode; else start the bundled server if it is needed, and run."""
    from kaspr_tui.commands.runtime import Context, Output
    from kaspr_tui.commands.runtime import run_command as run

    out = Output(json_mode=bool(getattr(options, "json", False)))
    if options.writes and settings.read_only:
        out.note(f"kaspr-tui: {settings.read_only_reason} `{options.command_name}` changes something.")
        return EXIT_USAGE
    if options.online and settings.embedded:
        # It boots while the command's modules (httpx, pydantic) are imported; the command adopts it.
        from kaspr_tui.embedded import start_early

        start_early()
    module_name, function_name = options.run.split(":")
    command = getattr(importlib.import_module(f"kaspr_tui.commands.{module_name}"), function_name)
    _interrupt_on_signals()
    try:
        return run(command, Context(settings, options, out))
    except Exception as error:  # a bug: one line here, the traceback in the log
        return _report_crash(error)


def _interrupt_on_signals() -> None:
    """Ctrl-C and `kill PID` raise KeyboardInterrupt where the command is, so it unwinds (the
    bundled server is stopped, a 3-D Secure question left open is denied) and exits 130.

    asyncio.run's own Ctrl-C handler only cancels the task, which cannot happen while the
    command waits for a line on the prompt; a handler of our own keeps it out. A signal the
    parent chose to ignore (nohup) stays ignored.
    """

    def interrupt(signum: int, frame: object) -> None:
        raise KeyboardInterrupt

    for number in (signal.SIGINT, signal.SIGTERM):
        if signal.getsignal(number) is not signal.SIG_IGN:
            signal.signal(number, interrupt)


def build_parser() -> argparse.ArgumentParser:
    shared = _shared_options()
    parser = argparse.ArgumentParser(
        prog="kaspr-tui",
        description=(
            "Manage a Kaspr subscription from the terminal: with no command, the app; with one, a\n"
            "scriptable command (data on stdout, messages on stderr, --json for the API's objects).\n"
            "With no API URL configured, kaspr-tui starts its bundled billing server\n"
            "and signs in to the demo workspace."
        ),
        epilog=(
            "settings: command line, then environment "
            f"({', '.join([*ENV_VARS.values(), PROFILE_ENV_VAR])}),\nthen the profile and the config file "
            f"({CONFIG_ENV_VAR} or {default_config_path()})\n\n{EXIT_CODES_HELP}"
        ),
        formatter_class=argparse.RawDescriptionHelpFormatter,
        parents=[shared],
    )
    parser.add_argument("--version", action="version", version=f"kaspr-tui {__version__}")
    commands = subcommands(parser, "command", required=False)

    def command(
        group: argparse._SubParsersAction[argparse.ArgumentParser],
        name: str,
        help: str,
        run: str | None = None,
        *,
        writes: bool = False,
        json: bool = False,
        yes: bool = False,
        idempotent: bool = False,
        online: bool = True,
    ) -> argparse.ArgumentParser:
        sub = group.add_parser(
            name,
            help=help,
            description=help[0].upper() + help[1:] + ".",
            parents=[shared],
            epilog=EXIT_CODES_HELP,
            formatter_class=argparse.RawDescriptionHelpFormatter,
        )
        full_name = f"{group._prog_prefix.removeprefix('kaspr-tui').strip()} {name}".strip()
        sub.set_defaults(run=run, writes=writes, online=online, command_name=f"kaspr-tui {full_name}")
        if json:
            sub.add_argument("--json", action="store_true", help="print the API's objects as JSON on stdout")
        if yes:
            sub.add_argument(
                "--yes", "-y", action="store_true", help="do it without asking (needed without a terminal)"
            )
        if idempotent:
            sub.add_argument(
                "--idempotency-key",
                metavar="KEY",
                type=_idempotency_key,
                help="send this Idempotency-Key: rerunning with the same key after a lost answer never charges twice",
            )
        return sub

    command(commands, "status", "plan, interval, seats, renewal, card and credits", "status:run", json=True)

    credits = command(commands, "credits", "credits left per type this period", "credits:show", json=True)
    credits_commands = subcommands(credits, "credits_command", required=False)
    buy = command(
        credits_commands, "buy", "buy add-on credits of one type, after showing the price", "credits:buy",
        writes=True, json=True, yes=True, idempotent=True,
    )
    buy.add_argument("type", metavar="TYPE", choices=CREDIT_TYPES, help=" | ".join(CREDIT_TYPES))
    buy.add_argument("quantity", metavar="QUANTITY", type=_positive_int, help="credits to add now")
    buy.add_argument(
        "--no-renew", action="store_true", help="this period only: turn the type's auto-renew off once paid"
    )

    licenses = command(commands, "licenses", "the workspace's licenses (seats)")
    licenses_commands = subcommands(licenses, "licenses_command")
    set_licenses = command(
        licenses_commands, "set", "change the total number of licenses, after showing the price", "licenses:set_total",
        writes=True, json=True, yes=True, idempotent=True,
    )
    set_licenses.add_argument("total", metavar="TOTAL", type=_positive_int, help="licenses the workspace should have")

    plan = command(commands, "plan", "the subscription's plan")
    plan_commands = subcommands(plan, "plan_command")
    change = command(
        plan_commands, "change", "change plan, interval or seats, after showing the price", "plan:change",
        writes=True, json=True, yes=True, idempotent=True,
    )
    change.add_argument("plan", metavar="PLAN", choices=PLAN_IDS, help=" | ".join(PLAN_IDS))
    change.add_argument("--interval", choices=INTERVALS, help="month | year (default: as today)")
    change.add_argument("--seats", type=_positive_int, metavar="N", help="licenses (default: as today)")

    quote = command(commands, "quote", "price a change without making it", "quote:run", json=True)
    quote.add_argument("--plan", choices=PLAN_IDS, help=" | ".join(PLAN_IDS))
    quote.add_argument("--interval", choices=INTERVALS, help="month | year")
    quote.add_argument("--seats", type=_positive_int, metavar="N")
    quote.add_argument(
        "--addon", type=_type_quantity, action="append", default=[], metavar="TYPE=QTY",
        help="credits to add now, e.g. phone=100 (repeat for more types)",
    )

    members = command(commands, "members", "members and invitations", "members:show", json=True)
    members_commands = subcommands(members, "members_command", required=False)
    command(members_commands, "list", "list members and pending invitations", "members:show", json=True)
    invite = command(
        members_commands, "invite", "invite someone into a free license", "members:invite", writes=True, json=True
    )
    invite.add_argument("email", metavar="EMAIL")
    invite.add_argument("--role", choices=("member", "admin"), default="member", help="member (default) | admin")
    remove = command(
        members_commands, "remove", "remove a member or revoke an invitation", "members:remove", writes=True, yes=True
    )
    remove.add_argument("email", metavar="EMAIL")
    role = command(
        members_commands, "role", "make a member (or a pending invitation) an admin or a member", "members:change_role",
        writes=True, json=True, yes=True,
    )
    role.add_argument("email", metavar="EMAIL")
    role.add_argument("role", metavar="ROLE", choices=("admin", "member"), help="admin | member")
    resend = command(
        members_commands, "resend", "send a pending invitation again (once a minute at most)", "members:resend",
        writes=True, json=True,
    )
    resend.add_argument("email", metavar="EMAIL")

    invoices = command(commands, "invoices", "invoices, newest first", "invoices:show", json=True)
    invoices_commands = subcommands(invoices, "invoices_command", required=False)
    list_invoices = command(invoices_commands, "list", "list invoices, newest first", "invoices:show", json=True)
    list_invoices.add_argument("--year", type=_year, metavar="YEAR", help="only those issued that year")
    list_invoices.add_argument(
        "--all", action="store_true", help="also failed payment attempts (void, never numbered, not bills)"
    )
    download = command(
        invoices_commands, "download", "save invoice PDFs (never over an existing file)", "invoices:download", json=True
    )
    which = download.add_mutually_exclusive_group(required=True)
    which.add_argument("id", metavar="ID", nargs="?", help="an invoice id (in_…) or number (ACME-2026-000001)")
    which.add_argument("--latest", action="store_true", help="the latest paid invoice")
    which.add_argument("--year", type=_year, metavar="YEAR", help="every paid invoice issued that year")
    download.add_argument(
        "--dir", type=Path, metavar="DIR", help="save here (default: the download folder, see `paths`)"
    )

    card = command(commands, "card", "the card payments are charged to")
    card_commands = subcommands(card, "card_command")
    update = command(
        card_commands, "update",
        "make a new card the default: number, expiry, CVC and name asked without echo, or read from stdin "
        "(one per line)",
        "card:update", writes=True, json=True,
    )
    update.add_argument("--name", metavar="NAME", help="name on the card (asked when not given)")

    cards = command(commands, "cards", "the cards on file, the default first", "card:show", json=True)
    cards_commands = subcommands(cards, "cards_command", required=False)
    command(cards_commands, "list", "list the cards on file, the default first", "card:show", json=True)
    make_default = command(
        cards_commands, "default", "make a saved card the default", "card:make_default", writes=True, json=True
    )
    make_default.add_argument("id", metavar="ID", help="the card's id (pm_…), from `kaspr-tui cards`")
    remove_card = command(
        cards_commands, "remove", "remove a saved card (not the default of a paid plan)", "card:remove",
        writes=True, yes=True,
    )
    remove_card.add_argument("id", metavar="ID", help="the card's id (pm_…), from `kaspr-tui cards`")
    command(
        commands, "billing-details", "who is billed, the VAT number, and the upcoming charges",
        "billing_details:show", json=True,
    )

    support = command(
        commands, "support", "ask support and list your requests, or (support keys) answer them, look up and transfer"
    )
    support_commands = subcommands(support, "support_command")
    request = command(support_commands, "request", "ask Kaspr support for a change to your account")
    request_kinds = request.add_subparsers(dest="request_kind", metavar="KIND", title="kinds", required=True)
    email_change = command(
        request_kinds, "email-change", "ask to change your account's email address", "support:request_email_change",
        writes=True, json=True,
    )
    email_change.add_argument("new_email", metavar="NEW_EMAIL")
    transfer_request = command(
        request_kinds, "transfer", "changing jobs: ask to move your license and credits to your new account",
        "support:request_transfer", writes=True, json=True,
    )
    transfer_request.add_argument("--to", required=True, metavar="EMAIL", help="your new account's email")
    delete_request = command(
        request_kinds, "delete-account", "ask support to delete your account (and its subscription)",
        "support:request_deletion", writes=True, json=True, yes=True,
    )
    for kind in (email_change, transfer_request, delete_request):
        kind.add_argument("--message", metavar="M", help="a note for support")
    support_requests = command(
        support_commands, "requests",
        "your requests to support, newest first (support keys: every workspace's)", "support:list_requests",
        json=True,
    )
    support_requests.add_argument("--open", action="store_true", help="only the requests not closed yet")
    close = command(
        support_commands, "close", "support keys: close a request once it is answered", "support:close_request",
        writes=True, json=True, yes=True,
    )
    close.add_argument("ticket", metavar="TICKET", help="the request's ticket (sr_…)")
    lookup = command(support_commands, "lookup", "support keys: find an account by email", "support:lookup", json=True)
    lookup.add_argument("email", metavar="EMAIL")
    transfer = command(
        support_commands, "transfer", "support keys: move a license and credits from an old account to a new one",
        "support:transfer", writes=True, json=True, yes=True, idempotent=True,
    )
    transfer.add_argument("--from", dest="from_email", required=True, metavar="EMAIL", help="the old account")
    transfer.add_argument("--to", dest="to_email", required=True, metavar="EMAIL", help="the new account")
    transfer.add_argument("--license", action="store_true", help="move their license (one paid seat)")
    transfer.add_argument(
        "--credits", type=_type_quantity, action="append", default=[], metavar="TYPE=QTY",
        help="credits to move, e.g. phone=150 (repeat for more types)",
    )
    transfer.add_argument("--reason", required=True, metavar="TEXT", help="why: both workspaces' activity shows it")

    command(commands, "paths", "the config file, data, log and download folders", "paths:run", json=True, online=False)
    completion = command(commands, "completion", "print a shell completion script", online=False)
    completion.add_argument("shell", choices=("bash", "zsh", "fish"), metavar="SHELL", help="bash | zsh | fish")

    login_parser = command(commands, "login", "ask for an API URL and key, check them, save them to the config file")
    login_parser.description = (
        "Ask for an API URL and key, check them, save them to the config file "
        "(with --profile, in its [profiles.NAME] table)."
    )
    command(commands, "mock-server", "serve the bundled billing API (see its --help)")
    return parser


def subcommands(
    parent: argparse.ArgumentParser, dest: str, *, required: bool = True
) -> argparse._SubParsersAction[argparse.ArgumentParser]:
    return parent.add_subparsers(dest=dest, metavar="COMMAND", title="commands", required=required)


def _shared_options() -> argparse.ArgumentParser:
    """The options every command takes, before or after its name; not given, they are left out."""
    shared = argparse.ArgumentParser(add_help=False, argument_default=argparse.SUPPRESS)
    group = shared.add_argument_group("settings")
    group.add_argument("--api-url", metavar="URL", help="the billing API to use")
    group.add_argument(
        "--token", metavar="KEY", help=f"API key (safer in {ENV_VARS['api_key']}: not shown by ps)"
    )
    group.add_argument("--config", metavar="PATH", type=Path, help="config file to read")
    group.add_argument(
        "--profile", "-p", metavar="NAME", help=f"use [profiles.NAME] of the config file ({PROFILE_ENV_VAR})"
    )
    group.add_argument("--theme", metavar="NAME", help="Textual theme, e.g. textual-light")
    group.add_argument(
        "--insecure",
        action="store_true",
        help="allow a plain http:// API URL to another machine (sends the key unencrypted)",
    )
    group.add_argument("--read-only", action="store_true", help="refuse every change (exit code 2)")
    group.add_argument(
        "--no-mouse",
        dest="mouse",
        action="store_false",
        default=None,
        help="leave the mouse to the terminal, so text selects and copies natively (config: mouse = false)",
    )
    group.add_argument("--debug", action="store_true", help="log each API request (to stderr, or to --log-file)")
    group.add_argument(
        "--log-file", metavar="PATH", type=Path, help=f"log to this file, rotated, mode 0600 ({ENV_VARS['log_file']})"
    )
    return shared


def _positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"{text!r}: give 1 or more")
    return value


def _idempotency_key(text: str) -> str:
    """1 to 200 printable characters without spaces: the server takes 255, and keys derived from it add a suffix."""
    if not 1 <= len(text) <= MAX_IDEMPOTENCY_KEY or not text.isprintable() or any(char.isspace() for char in text):
        raise argparse.ArgumentTypeError(f"give 1 to {MAX_IDEMPOTENCY_KEY} characters without spaces")
    return text


def _year(text: str) -> int:
    if not (text.isascii() and text.isdigit() and len(text) == 4):
        raise argparse.ArgumentTypeError(f"{text!r} is not a year like 2026")
    return int(text)


def _type_quantity(text: str) -> tuple[str, int]:
    """`phone=100` → ("phone", 100)."""
    credit_type, equals, quantity = text.partition("=")
    if credit_type not in CREDIT_TYPES or not equals:
        raise argparse.ArgumentTypeError(f"{text!r}: write TYPE=QUANTITY with TYPE one of {', '.join(CREDIT_TYPES)}")
    return credit_type, _positive_int(quantity)


def login(config_option: object, profile: object) -> int:
    """Ask for a URL and key, check them with GET /v1/me, and only then save them."""
    config_path, _ = locate_config(config_option)
    profile_name = None if profile is None else check_profile_name(str(profile))
    try:
        configured_url = resolve_settings(cli={"config_path": config_path, "profile": profile_name}).api_url
    except ConfigError:
        configured_url = None  # a broken setting is what login is often run to replace
    default_url = configured_url or LOGIN_DEFAULT_URL

    try:
        answer = input(f"API URL [{default_url}]: ").strip()
        # The offered default is already checked (configured, or the local mock server's).
        api_url = check_api_url(answer, source="prompt") if answer else default_url
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
        import asyncio

        me = asyncio.run(_fetch_me(api_url, api_key))
    except ApiError as error:
        print(f"kaspr-tui login: {error}\nNothing was written.", file=sys.stderr)
        return EXIT_FAILED

    write_login(config_path, api_url, api_key, profile_name)
    where = f"{me.role} of {me.workspace.name}" if me.workspace else me.role
    print(f"Signed in as {me.user.email} ({where}).")
    where_saved = config_path if profile_name is None else f"[profiles.{profile_name}] of {config_path}"
    print(f"Saved the URL and key to {where_saved} (mode 0600: only you can read it).")
    if profile_name is not None:
        print(f"Use it with: kaspr-tui --profile {profile_name}  (or {PROFILE_ENV_VAR}={profile_name})")
    overriding = [var for var in ENV_VARS.values() if os.environ.get(var)]
    if overriding:
        print(f"Note: {', '.join(overriding)} set in this shell take precedence over the file.")
    return 0


def _ask_key() -> str:
    # A terminal gets a prompt that does not echo; a pipe (scripts, tests) is read as a line.
    if sys.stdin.isatty():
        import getpass

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
        app.run(mouse=settings.mouse)
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
    import datetime
    import traceback

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

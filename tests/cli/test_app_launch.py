"""The `kaspr-tui` command starting the app: options, errors without tracebacks, and `login`."""

from __future__ import annotations

import asyncio
import os
import re
import select
import subprocess
import sys
import time
import tomllib
import types
from pathlib import Path

import httpx
import pytest

from kaspr_tui import __version__, cli
from kaspr_tui.embedded import EmbeddedServer


def run_cli(*args: str, input: str | None = None, env: dict[str, str] | None = None,
            ) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "kaspr_tui.cli", *args],
        input=input,
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
    )


@pytest.fixture
def clean_env(tmp_path):
    """The environment without KASPR_* settings, with the user's folders moved into tmp_path."""
    env = {key: value for key, value in os.environ.items() if not key.startswith("KASPR_")}
    env.update(
        XDG_CONFIG_HOME=str(tmp_path / "xdg-config"),
        XDG_DATA_HOME=str(tmp_path / "xdg-data"),
        XDG_STATE_HOME=str(tmp_path / "xdg-state"),
    )
    return env


def test_version_prints_the_package_version(clean_env):
    result = run_cli("--version", env=clean_env)
    assert result.returncode == 0
    assert result.stdout.strip() == f"kaspr-tui {__version__}"


def test_help_lists_the_options_and_commands(clean_env):
    result = run_cli("--help", env=clean_env)
    assert result.returncode == 0
    for word in ("--api-url", "--token", "--config", "--theme", "--insecure", "login",
                 "mock-server", "KASPR_API_URL"):
        assert word in result.stdout


def test_a_malformed_config_file_is_one_clear_message_and_exit_2(tmp_path, clean_env):
    config_path = tmp_path / "config.toml"
    config_path.write_text('theme = "nord"\napi_url = \n')
    result = run_cli("--config", str(config_path), env=clean_env)
    assert result.returncode == 2
    assert result.stderr == f"kaspr-tui: {config_path} line 2: Invalid value — fix or delete it\n"


def test_plain_http_to_another_machine_is_refused_with_exit_2(clean_env):
    result = run_cli("--api-url", "http://billing.example.com", env=clean_env)
    assert result.returncode == 2
    assert "--insecure" in result.stderr
    assert "Traceback" not in result.stderr


@pytest.fixture
def app_runs(monkeypatch):
    """Replace the app with a recorder of the settings it got; `run` does what the test says."""
    for key in [key for key in os.environ if key.startswith("KASPR_")]:
        monkeypatch.delenv(key)
    monkeypatch.setattr(cli, "app_has_terminal", lambda: True)  # pytest's stdin is not one
    class Started(list):
        clients: list

    started = Started()
    clients: list = []

    def install(run=lambda self, mouse=True: None):
        app_class = type("KasprApp", (), {
            "__init__": lambda self, settings, client=None: started.append(settings) or clients.append(client),
            "run": run,
            "return_code": 0,
        })
        monkeypatch.setitem(sys.modules, "kaspr_tui.app", types.SimpleNamespace(KasprApp=app_class))
        started.clients = clients
        return started

    return install


def test_options_reach_the_app_as_settings(app_runs, tmp_path):
    started = app_runs()
    exit_code = cli.main([
        "--api-url", "http://10.1.2.3:8787", "--insecure", "--token", "kt_x",
        "--theme", "nord", "--config", str(tmp_path / "config.toml"),
    ])
    assert exit_code == 0
    [settings] = started
    assert (settings.api_url, settings.api_key, settings.theme, settings.insecure) == (
        "http://10.1.2.3:8787", "kt_x", "nord", True)
    assert settings.config_path == tmp_path / "config.toml"
    assert {settings.sources[name] for name in ("api_url", "api_key", "theme", "insecure")} == {"cli"}


def test_the_app_in_read_only_mode_gets_the_setting_and_builds_its_own_refusing_client(app_runs, tmp_path):
    # The app hides its writes and builds its client with read_only (tests/tui/test_read_only.py).
    started = app_runs()
    config = str(tmp_path / "x.toml")
    assert cli.main(["--read-only", "--api-url", "http://127.0.0.1:9", "--config", config]) == 0
    assert started.clients == [None]
    assert started[0].read_only


def test_the_app_in_read_only_mode_starts_with_the_bundled_server_too(app_runs, tmp_path, monkeypatch):
    monkeypatch.setattr("kaspr_tui.embedded.start_early", lambda: None)
    started = app_runs()
    assert cli.main(["--read-only", "--config", str(tmp_path / "x.toml")]) == 0
    assert started[0].read_only and started[0].embedded


def test_no_mouse_reaches_the_app_run(app_runs, tmp_path):
    mice: list[bool] = []
    app_runs(run=lambda self, mouse=True: mice.append(mouse))
    assert cli.main(["--no-mouse", "--api-url", "http://127.0.0.1:9", "--config", str(tmp_path / "x.toml")]) == 0
    assert cli.main(["--api-url", "http://127.0.0.1:9", "--config", str(tmp_path / "x.toml")]) == 0
    assert mice == [False, True]


def server_processes_using(folder) -> set[int]:
    """Pids of bundled servers whose command line names a path inside `folder`."""
    pids = set()
    for entry in Path("/proc").iterdir():
        try:
            command = (entry / "cmdline").read_bytes().split(b"\0")
        except OSError:
            continue
        if b"kaspr_tui.server" in command and any(str(folder).encode() in part for part in command):
            pids.add(int(entry.name))
    return pids


@pytest.mark.skipif(not Path("/proc").is_dir(), reason="reads /proc")
def test_with_nothing_configured_the_server_boots_before_the_app_asks_for_it(
    app_runs, tmp_path, monkeypatch
):
    """The CLI starts the bundled server before importing the app, and the app adopts it."""
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))
    seen = {}

    def run(self, mouse=True):
        async def start_and_stop() -> int:
            server = EmbeddedServer()
            await server.start()
            pid = server.pid
            await server.stop()
            return pid

        seen["before"] = server_processes_using(tmp_path)
        seen["used"] = asyncio.run(start_and_stop())
        seen["after"] = server_processes_using(tmp_path)

    started = app_runs(run=run)
    assert cli.main(["--config", str(tmp_path / "x.toml")]) == 0
    [settings] = started
    assert settings.embedded
    assert seen["before"] == {seen["used"]}
    assert seen["after"] == set()


def test_an_error_inside_the_app_is_one_line_not_textuals_traceback(tmp_path, monkeypatch, capfd):
    from textual.app import App

    class ExplodingApp(App[None]):
        def __init__(self, settings, client=None) -> None:
            super().__init__()

        def on_mount(self) -> None:
            card_number = "4242424242424242"  # a local that Textual's traceback would show
            raise RuntimeError(f"mount failed for a card ending {card_number[-4:]}")

        def run(self, mouse: bool = True) -> None:
            super().run(headless=True)

    monkeypatch.setitem(sys.modules, "kaspr_tui.app", types.SimpleNamespace(KasprApp=ExplodingApp))
    monkeypatch.setattr(cli, "app_has_terminal", lambda: True)
    monkeypatch.setattr(cli, "default_log_dir", lambda: tmp_path / "logs")
    exit_code = cli.main(["--api-url", "http://127.0.0.1:9", "--config", str(tmp_path / "x.toml")])
    assert exit_code == 1
    _, err = capfd.readouterr()
    log_path = tmp_path / "logs" / "kaspr-tui.log"
    assert err == (
        "kaspr-tui stopped on an unexpected error: RuntimeError: mount failed for a card ending 4242\n"
        f"The details are in {log_path}\n"
    )
    log = log_path.read_text()
    assert "in on_mount" in log
    assert "4242424242424242" not in log


def test_an_app_crash_is_one_line_on_the_terminal_and_a_traceback_in_the_log(
    app_runs, tmp_path, monkeypatch, capsys
):
    def crash(self, mouse=True):
        raise RuntimeError("screen exploded\nwith a second line")

    app_runs(run=crash)
    monkeypatch.setattr(cli, "default_log_dir", lambda: tmp_path / "logs")
    exit_code = cli.main(["--api-url", "http://127.0.0.1:9", "--config", str(tmp_path / "x.toml")])
    assert exit_code == 1
    _, err = capsys.readouterr()
    log_path = tmp_path / "logs" / "kaspr-tui.log"
    assert err == (
        "kaspr-tui stopped on an unexpected error: RuntimeError: screen exploded\n"
        f"The details are in {log_path}\n"
    )
    log = log_path.read_text()
    assert "Traceback (most recent call last)" in log
    assert "with a second line" in log


def test_login_checks_the_key_and_saves_it_0600(live_server, tmp_path, clean_env):
    config_path = tmp_path / "conf" / "config.toml"
    result = run_cli("login", "--config", str(config_path),
                     input=f"{live_server.url}\nkt_demo_admin\n", env=clean_env)
    assert result.returncode == 0, result.stderr
    assert "Acme Corp" in result.stdout
    assert str(config_path) in result.stdout
    assert "0600" in result.stdout
    assert os.stat(config_path).st_mode & 0o777 == 0o600
    with open(config_path, "rb") as config_file:
        assert tomllib.load(config_file) == {"api_url": live_server.url, "api_key": "kt_demo_admin"}


def test_login_offers_the_configured_url_and_keeps_the_users_comments(live_server, tmp_path, clean_env):
    config_path = tmp_path / "config.toml"
    config_path.write_text(f'# my settings\ntheme = "nord"\napi_url = "{live_server.url}"\n')
    # An empty answer takes the URL shown in brackets, the one already configured.
    result = run_cli("login", "--config", str(config_path), input="\nkt_demo_member\n", env=clean_env)
    assert result.returncode == 0, result.stderr
    assert f"[{live_server.url}]" in result.stdout
    assert config_path.read_text() == (
        f'# my settings\ntheme = "nord"\napi_url = "{live_server.url}"\napi_key = "kt_demo_member"\n'
    )


def test_login_refuses_a_bad_key_with_the_servers_message_and_writes_nothing(
    live_server, tmp_path, clean_env
):
    server_says = httpx.get(
        f"{live_server.url}/v1/me", headers={"Authorization": "Bearer kt_wrong"}
    ).json()["error"]["message"]
    config_path = tmp_path / "config.toml"
    result = run_cli("login", "--config", str(config_path),
                     input=f"{live_server.url}\nkt_wrong\n", env=clean_env)
    assert result.returncode == 1
    assert server_says in result.stderr
    assert "Nothing was written" in result.stderr
    assert not config_path.exists()


def test_login_refuses_plain_http_to_another_machine_before_sending_the_key(tmp_path, clean_env):
    config_path = tmp_path / "config.toml"
    result = run_cli("login", "--config", str(config_path),
                     input="http://billing.example.com\nkt_demo_admin\n", env=clean_env)
    assert result.returncode == 2
    assert "unencrypted" in result.stderr
    assert not config_path.exists()


def test_an_unknown_theme_on_the_command_line_stops_the_app_with_the_themes_there_are(tmp_path, clean_env):
    result = run_cli("--theme", "nope", "--config", str(tmp_path / "config.toml"), env=clean_env)
    assert result.returncode == 2
    assert "'nope' (from --theme)" in result.stderr
    for theme in ("textual-dark", "textual-light", "nord"):
        assert theme in result.stderr


def test_a_command_does_not_look_at_the_theme(live_server, tmp_path, clean_env):
    result = run_cli("--theme", "nope", "--api-url", live_server.url, "--token", "kt_demo_admin",
                     "--config", str(tmp_path / "config.toml"), "credits", env=clean_env)
    assert result.returncode == 0, result.stderr
    assert "theme" not in result.stderr


@pytest.mark.parametrize(("typed", "problem"), [
    ("ftp://billing.example.com", "is not an http:// or https:// address"),
    ("http://billing.example.com", "is plain http:// to another machine"),
])
def test_login_names_the_url_typed_at_its_prompt_not_an_option(typed, problem, tmp_path, clean_env):
    result = run_cli("login", "--config", str(tmp_path / "config.toml"), input=f"{typed}\nkt_demo_admin\n",
                     env=clean_env)
    assert result.returncode == 2
    assert f"{typed!r} (typed at the login prompt) {problem}" in result.stderr
    assert "--api-url" not in result.stderr and "--insecure" not in result.stderr


@pytest.mark.skipif(not Path("/proc").is_dir(), reason="reads /proc and uses a pty")
def test_kaspr_tui_in_a_terminal_shows_the_demo_dashboard_and_quits_without_leftovers(
    tmp_path, clean_env
):
    """What `pip install . && kaspr-tui` does on a fresh machine, in a real (pseudo) terminal."""
    import fcntl  # POSIX-only modules, imported where the skip above has let us through
    import pty
    import struct
    import termios

    env = {**clean_env, "TERM": "xterm-256color"}
    pid, terminal = pty.fork()
    if pid == 0:
        try:
            fcntl.ioctl(0, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 80, 0, 0))
            os.execve(sys.executable, [sys.executable, "-m", "kaspr_tui.cli"], env)
        finally:
            os._exit(127)

    escapes = re.compile(rb"\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)|\x1b.")
    shown = bytearray()

    def dashboard_shown() -> bool:
        return b"Acme Corp" in escapes.sub(b"", bytes(shown))

    def read_until(done, within: float) -> bool:
        """Keep reading what the app draws (it blocks on a full terminal) until `done()`."""
        deadline = time.monotonic() + within
        while not done() and time.monotonic() < deadline:
            if select.select([terminal], [], [], 0.1)[0]:
                try:
                    shown.extend(os.read(terminal, 65536))
                except OSError:  # the app has closed the terminal
                    time.sleep(0.1)
        return done()

    exit_codes: list[int] = []

    def exited() -> bool:
        if not exit_codes:
            finished, status = os.waitpid(pid, os.WNOHANG)
            if finished:
                exit_codes.append(os.waitstatus_to_exitcode(status))
        return bool(exit_codes)

    try:
        assert read_until(dashboard_shown, within=60), "the dashboard never showed"
        # One bundled server, its data in the (temporary) user's folder.
        assert len(server_processes_using(tmp_path)) == 1
        os.write(terminal, b"q")
        assert read_until(exited, within=30), "the app did not quit"
        assert exit_codes == [0]
        deadline = time.monotonic() + 10
        while server_processes_using(tmp_path) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert server_processes_using(tmp_path) == set(), "the bundled server outlived the app"
        assert b"Traceback" not in shown
        assert (tmp_path / "xdg-data" / "kaspr-tui" / "billing.db").exists()
    finally:
        os.close(terminal)
        if not exit_codes:
            os.kill(pid, 9)
            os.waitpid(pid, 0)
        for leftover in server_processes_using(tmp_path):
            os.kill(leftover, 9)

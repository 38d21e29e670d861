"""`--help` documents the exit codes; `completion` scripts complete every command path."""

from __future__ import annotations

import shutil
import subprocess

import pytest

from kaspr_tui import cli
from kaspr_tui.commands.completion import command_words


def test_help_lists_every_command_and_the_exit_codes(kaspr):
    result = kaspr("--help")
    assert result.code == 0
    for word in (
        "status",
        "credits",
        "licenses",
        "plan",
        "quote",
        "members",
        "invoices",
        "card",
        "support",
        "paths",
        "completion",
        "login",
        "--profile",
        "--read-only",
        "--debug",
        "--log-file",
        "KASPR_PROFILE",
    ):
        assert word in result.stdout, word
    for code in (
        "0    done",
        "2    usage",
        "3    payment declined",
        "4    authentication",
        "5    not found",
        "6    conflict",
        "130  interrupted",
    ):
        assert code in result.stdout, code
    assert "exit codes:" in kaspr("credits", "buy", "--help").stdout


def test_completion_knows_every_command_path():
    paths, choices = command_words(cli.build_parser())
    assert {
        "credits buy",
        "licenses set",
        "plan change",
        "invoices download",
        "card update",
        "support request email-change",
        "support transfer",
        "completion",
    } <= set(paths)
    assert paths["credits buy"].positional_choices == ["phone", "direct_email", "export"]
    assert "--idempotency-key" in paths["credits buy"].options
    assert choices["--interval"] == ["month", "year"]


def complete_in_bash(script: str, words: list[str]) -> list[str]:
    program = (
        f"{script}\nCOMP_WORDS=({' '.join(repr(word) for word in words)}); COMP_CWORD={len(words) - 1}; "
        '_kaspr_tui; printf "%s\\n" "${COMPREPLY[@]}"'
    )
    return subprocess.run(["bash", "-c", program], capture_output=True, text=True, check=True).stdout.split()


@pytest.mark.skipif(shutil.which("bash") is None, reason="needs bash")
def test_the_bash_script_completes_commands_choices_and_options(kaspr):
    script = kaspr("completion", "bash").stdout
    assert complete_in_bash(script, ["kaspr-tui", "cre"]) == ["credits"]
    assert complete_in_bash(script, ["kaspr-tui", "credits", ""])[:1] == ["buy"]
    assert complete_in_bash(script, ["kaspr-tui", "credits", "buy", "dir"]) == ["direct_email"]
    assert complete_in_bash(script, ["kaspr-tui", "-p", "x", "plan", "change", "business", "--interval", ""]) == [
        "month",
        "year",
    ]
    assert "--no-renew" in complete_in_bash(script, ["kaspr-tui", "credits", "buy", "--"])


@pytest.mark.skipif(shutil.which("zsh") is None, reason="needs zsh")
def test_the_zsh_script_parses(kaspr):
    script = kaspr("completion", "zsh").stdout
    assert "bashcompinit" in script
    subprocess.run(["zsh", "-n", "-c", script], check=True)


@pytest.mark.skipif(shutil.which("fish") is None, reason="needs fish")
def test_the_fish_script_completes_commands_and_choices(kaspr, tmp_path):
    script = tmp_path / "kaspr-tui.fish"
    script.write_text(kaspr("completion", "fish").stdout)

    def complete(line: str) -> list[str]:
        program = f"source {script}; complete -C {line!r}"
        done = subprocess.run(["fish", "--no-config", "-c", program], capture_output=True, text=True, check=True)
        return [row.split("\t")[0] for row in done.stdout.splitlines()]

    assert complete("kaspr-tui cre") == ["credits"]
    assert complete("kaspr-tui credits buy ") == ["direct_email", "export", "phone"]
    assert complete("kaspr-tui plan change business --interval ") == ["month", "year"]


def test_completion_works_with_a_broken_config(kaspr, env, tmp_path):
    broken = tmp_path / "broken.toml"
    broken.write_text("api_url = \n")
    assert kaspr("completion", "bash", KASPR_CONFIG=str(broken)).code == 0


def test_paths_json(kaspr, env):
    result = kaspr("paths", "--json")
    assert result.code == 0
    data = result.json()
    assert data["config"] == f"{env['XDG_CONFIG_HOME']}/kaspr-tui/config.toml"
    assert data["database"] == f"{env['XDG_DATA_HOME']}/kaspr-tui/billing.db"
    assert data["downloads"] == env["XDG_DOWNLOAD_DIR"]
    assert set(data) == {"config", "data", "database", "logs", "log_file", "downloads"}

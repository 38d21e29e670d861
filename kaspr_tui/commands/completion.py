"""`kaspr-tui completion bash|zsh|fish`: a completion script, generated from the parser itself.

Each script knows every command path (`credits buy`, `support request email-change`, …), the
subcommands and options after each, the choices of each option and positional argument. It is
static: completing never starts kaspr-tui. zsh uses the bash function through `bashcompinit`.

    kaspr-tui completion bash > ~/.local/share/bash-completion/completions/kaspr-tui
    eval "$(kaspr-tui completion zsh)"                 # in ~/.zshrc, after compinit
    kaspr-tui completion fish > ~/.config/fish/completions/kaspr-tui.fish
"""

from __future__ import annotations

import argparse
import shlex
from dataclasses import dataclass, field

PROGRAM = "kaspr-tui"


@dataclass
class CommandWords:
    """What may follow one command path."""

    subcommands: list[str] = field(default_factory=list)
    options: list[str] = field(default_factory=list)
    positional_choices: list[str] = field(default_factory=list)


def command_words(parser: argparse.ArgumentParser) -> tuple[dict[str, CommandWords], dict[str, list[str]]]:
    """Every command path ("" for the top) → its words; and every option with choices → them."""
    paths: dict[str, CommandWords] = {}
    option_choices: dict[str, list[str]] = {}

    def walk(path: str, current: argparse.ArgumentParser) -> None:
        words = paths.setdefault(path, CommandWords())
        for action in current._actions:
            if isinstance(action, argparse._SubParsersAction):
                for name, sub in action.choices.items():
                    words.subcommands.append(name)
                    walk(f"{path} {name}".strip(), sub)
            elif action.option_strings:
                words.options.extend(option for option in action.option_strings if option.startswith("--"))
                if action.choices:
                    for option in action.option_strings:
                        option_choices[option] = [str(choice) for choice in action.choices]
            elif action.choices:
                words.positional_choices.extend(str(choice) for choice in action.choices)

    walk("", parser)
    return paths, option_choices


def script(parser: argparse.ArgumentParser, shell: str) -> str:
    paths, option_choices = command_words(parser)
    return {"bash": _bash, "zsh": _zsh, "fish": _fish}[shell](paths, option_choices)


def _bash(paths: dict[str, CommandWords], option_choices: dict[str, list[str]]) -> str:
    known = "|".join(shlex.quote(path) for path in paths if path)
    path_cases = "\n".join(
        f"        {shlex.quote(path)}) words={shlex.quote(' '.join(_all_words(words)))} ;;"
        for path, words in paths.items()
    )
    choice_cases = "\n".join(
        f'        {option}) COMPREPLY=($(compgen -W {shlex.quote(" ".join(choices))} -- "$cur")); return ;;'
        for option, choices in option_choices.items()
    )
    return f"""\
# {PROGRAM} completion for bash: kaspr-tui completion bash > ~/.local/share/bash-completion/completions/kaspr-tui
_kaspr_tui() {{
    local cur="${{COMP_WORDS[COMP_CWORD]}}" prev="${{COMP_WORDS[COMP_CWORD-1]}}" path="" candidate i words=""
    case "$prev" in
{choice_cases}
    esac
    for ((i = 1; i < COMP_CWORD; i++)); do
        candidate="${{path:+$path }}${{COMP_WORDS[i]}}"
        case "$candidate" in
            {known}) path="$candidate" ;;
        esac
    done
    case "$path" in
{path_cases}
    esac
    COMPREPLY=($(compgen -W "$words" -- "$cur"))
}}
complete -o default -F _kaspr_tui {PROGRAM}
"""


def _all_words(words: CommandWords) -> list[str]:
    return words.subcommands + words.positional_choices + words.options


def _zsh(paths: dict[str, CommandWords], option_choices: dict[str, list[str]]) -> str:
    return (
        f"# {PROGRAM} completion for zsh, through bash's: in ~/.zshrc, after compinit: "
        'eval "$(kaspr-tui completion zsh)"\n'
        "autoload -U +X bashcompinit && bashcompinit\n" + _bash(paths, option_choices)
    )


def _fish(paths: dict[str, CommandWords], option_choices: dict[str, list[str]]) -> str:
    known = " ".join(shlex.quote(path) for path in paths if path)
    lines = [
        f"# {PROGRAM} completion for fish: kaspr-tui completion fish > ~/.config/fish/completions/kaspr-tui.fish",
        "function __kaspr_tui_path",
        "    set -l path ''",
        "    for word in (commandline -opc)[2..-1]",
        '        set -l candidate (string trim -- "$path $word")',
        f"        if contains -- $candidate {known}",
        "            set path $candidate",
        "        end",
        "    end",
        '    test -n "$path"; and echo $path; or echo -',  # never empty: `test (…) = x` needs one word
        "end",
        f"complete -c {PROGRAM} -f",
    ]
    for path, words in paths.items():
        condition = f"test (__kaspr_tui_path) = {shlex.quote(path or '-')}"
        arguments = " ".join(words.subcommands + words.positional_choices)
        if arguments:
            lines.append(f"complete -c {PROGRAM} -n {shlex.quote(condition)} -a {shlex.quote(arguments)}")
        for option in words.options:
            choices = option_choices.get(option)
            takes = f" -x -a {shlex.quote(' '.join(choices))}" if choices else ""
            lines.append(f"complete -c {PROGRAM} -n {shlex.quote(condition)} -l {option.removeprefix('--')}{takes}")
    return "\n".join(lines) + "\n"

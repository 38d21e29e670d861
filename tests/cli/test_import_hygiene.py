"""The command line never loads Textual, and `status` loads no more than it needs."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

import kaspr_tui.commands

COMMAND_MODULES = sorted(
    f"kaspr_tui.commands.{path.stem}" for path in Path(kaspr_tui.commands.__file__).parent.glob("*.py")
)


def modules_after(code: str) -> set[str]:
    program = f"{code}\nimport json, sys\nprint(json.dumps(sorted(sys.modules)))"
    done = subprocess.run([sys.executable, "-c", program], capture_output=True, text=True, check=True)
    return set(json.loads(done.stdout.splitlines()[-1]))


@pytest.mark.parametrize("module", COMMAND_MODULES)
def test_no_command_module_imports_textual(module):
    loaded = modules_after(f"import kaspr_tui.cli, {module}")
    assert not {name for name in loaded if name.split(".")[0] == "textual"}


def test_status_json_loads_neither_textual_nor_the_server_nor_httpxs_command_line(tmp_path):
    code = (
        "import sys\n"
        "from kaspr_tui import cli\n"
        f"cli.main(['--api-url', 'http://127.0.0.1:9', '--config', {str(tmp_path / 'x.toml')!r}, 'status', '--json'])"
    )
    loaded = modules_after(code)
    for heavy in ("textual", "kaspr_tui.server", "fastapi", "uvicorn", "click", "pygments", "kaspr_tui.embedded"):
        assert not {name for name in loaded if name == heavy or name.startswith(f"{heavy}.")}, heavy


def test_status_reads_no_installed_packages_metadata(live_server, tmp_path):
    """Pydantic looks for plugins in every installed package's metadata the first time it builds a
    validator (~0.08 s of CPU with this machine's 145 packages): kaspr-tui loads none."""
    code = (
        "import importlib.metadata, os\n"
        "os.environ.pop('PYDANTIC_DISABLE_PLUGINS', None)\n"
        "scans = []\n"
        "real = importlib.metadata.distributions\n"
        "importlib.metadata.distributions = lambda **kw: scans.append(kw) or real(**kw)\n"
        "from kaspr_tui import cli\n"
        f"code = cli.main(['--api-url', {live_server.url!r}, '--token', 'kt_demo_admin', "
        f"'--config', {str(tmp_path / 'x.toml')!r}, 'status', '--json'])\n"
        "print('exit', code, 'scans', len(scans))"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.splitlines()[-1] == "exit 0 scans 0", done.stderr

"""What importing a layer loads, in a fresh interpreter: the layer rules of DESIGN.md as the Python
process sees them (pyproject's import-linter contracts check the same rules statically).

The wire, the account state and the downloads are shared with the command line, which must not
pay for Textual; the TUI must not load the bundled server, which runs in a process of its own.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest


def modules_loaded_by(statement: str) -> set[str]:
    """The top-level names and kaspr_tui modules in sys.modules after running `statement` alone."""
    probe = f"import json, sys\n{statement}\nprint(json.dumps(sorted(sys.modules)))"
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    return set(json.loads(done.stdout.splitlines()[-1]))


@pytest.mark.parametrize(
    "statement",
    [
        "import kaspr_tui.api",
        "from kaspr_tui.api import ApiError, BillingClient",
        "import kaspr_tui.api.models",
        "import kaspr_tui.state",
        "import kaspr_tui.downloads",
        "import kaspr_tui.billing.quotes, kaspr_tui.billing.words, kaspr_tui.billing.validation",
    ],
)
def test_the_shared_layers_load_no_textual(statement: str) -> None:
    loaded = modules_loaded_by(statement)
    assert not {name for name in loaded if name == "textual" or name.startswith("textual.")}


def test_the_app_loads_no_bundled_server() -> None:
    loaded = modules_loaded_by("import kaspr_tui.app")
    assert "textual" in loaded  # the probe does load the app
    assert not {name for name in loaded if name.startswith("kaspr_tui.server")}


def test_billing_loads_nothing_else_of_the_project() -> None:
    loaded = modules_loaded_by("import kaspr_tui.billing.quotes, kaspr_tui.billing.words, kaspr_tui.billing.tax")
    project = {name for name in loaded if name.startswith("kaspr_tui.")}
    assert project and all(name.startswith("kaspr_tui.billing") for name in project), sorted(project)


def test_the_bundled_server_loads_no_textual() -> None:
    loaded = modules_loaded_by("import kaspr_tui.server.app")
    assert "kaspr_tui.server.routes" in loaded
    assert not {name for name in loaded if name == "textual" or name.startswith("textual.")}


FIRST_FRAME_NEEDS_NONE_OF = (
    "httpx", "httpcore", "pydantic", "pydantic_core", "kaspr_tui.api.models", "kaspr_tui.server",
)
"""What the first frame does without (issue 16): the network, and the wire models, which cost as much
to load as Textual; the first frame shows the last known state from plain records."""


def test_the_first_frame_path_loads_no_http_client_and_no_wire_models(tmp_path: Path) -> None:
    """The command line's imports, the settings, the app, and the last known state read for the
    first frame: what `kaspr-tui` runs before the app paints."""
    loaded = modules_loaded_by(
        "import os, asyncio\n"
        f"os.environ['XDG_DATA_HOME'] = {str(tmp_path)!r}\n"
        "import kaspr_tui.cli\n"
        "from kaspr_tui.app import KasprApp\n"
        "from kaspr_tui.config import resolve_settings\n"
        "from kaspr_tui.state import peek_last_known\n"
        "settings = resolve_settings(env={})\n"
        "peek_last_known(settings)\n"
        "KasprApp(settings)\n"
    )
    assert "kaspr_tui.app" in loaded and "kaspr_tui.screens.dashboard" in loaded  # the probe ran
    offending = {name for name in loaded if name.startswith(FIRST_FRAME_NEEDS_NONE_OF)}
    assert not offending, sorted(offending)


def test_a_kept_state_is_read_for_the_first_frame_without_the_wire_models(tmp_path: Path) -> None:
    """With a state kept by an earlier run (written here the way the app writes it), reading it for
    the first frame loads neither pydantic nor httpx."""
    kept = {
        "format": 1, "profile": None, "api_url": "embedded",
        "state": {
            "me": {"user": {"id": "usr_1", "email": "ada@acme.example"}, "role": "admin",
                   "workspace": {"id": "ws_1", "name": "Acme Corp"}},
            "loaded_at": {"$datetime": "2026-12-02T09:14:00+00:00"},
        },
    }
    loaded = modules_loaded_by(
        "import os, json\n"
        f"os.environ['XDG_DATA_HOME'] = {str(tmp_path)!r}\n"
        "from kaspr_tui.config import resolve_settings\n"
        "from kaspr_tui.state import last_known_path, peek_last_known\n"
        "settings = resolve_settings(env={})\n"
        "path = last_known_path(settings)\n"
        "path.parent.mkdir(parents=True)\n"
        f"path.write_text(json.dumps({kept!r}))\n"
        "assert peek_last_known(settings).me.workspace.name == 'Acme Corp'\n"
    )
    offending = {name for name in loaded if name.startswith(FIRST_FRAME_NEEDS_NONE_OF)}
    assert not offending, sorted(offending)


def test_the_http_client_of_the_app_and_the_commands_loads_no_trio() -> None:
    """httpcore imports trio when it is installed (~0.05 s); kaspr-tui runs on asyncio only."""
    pytest.importorskip("trio")  # where it is not installed, there is nothing to keep out
    loaded = modules_loaded_by(
        "import contextlib, io, httpx, kaspr_tui.cli\n"
        "with contextlib.redirect_stdout(io.StringIO()):\n"
        "    kaspr_tui.cli.main(['completion', 'bash'])\n"
        "httpx.AsyncClient()\n"
    )
    assert "httpcore" in loaded  # the probe built a client
    # `trio` itself is listed, as the None that keeps it out; importing it would load its parts.
    assert not {name for name in loaded if name.startswith(("trio.", "attr."))}

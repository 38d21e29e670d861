"""What importing a layer loads, in a fresh interpreter: the layer rules of DESIGN.md as the Python
process sees them (pyproject's import-linter contracts check the same rules statically).

The wire, the account state and the downloads are shared with the command line, which must not
pay for Textual; the TUI must not load the bundled server, which runs in a process of its own.
"""

from __future__ import annotations

import json
import subprocess
import sys

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

"""Where invoice PDFs go (`download_dir`): command line > KASPR_DOWNLOAD_DIR > config file > the
user's Downloads folder (None here; the invoices screen resolves it)."""

from __future__ import annotations

from pathlib import Path

import pytest

from kaspr_tui.config import resolve_settings

LAYERS = ["cli", "env", "config", "default"]


@pytest.mark.parametrize("top", LAYERS)
def test_download_dir_comes_from_the_highest_layer_that_sets_it(tmp_path: Path, top: str) -> None:
    folders = {layer: tmp_path / f"from-{layer}" for layer in LAYERS[:3]}
    below = LAYERS[LAYERS.index(top):]  # the layer that should win, and every layer under it
    config_path = tmp_path / "config.toml"
    config_path.write_text(f'download_dir = "{folders["config"]}"\n' if "config" in below else "", encoding="utf-8")

    settings = resolve_settings(
        cli={"download_dir": str(folders["cli"])} if "cli" in below else {},
        env={"KASPR_DOWNLOAD_DIR": str(folders["env"])} if "env" in below else {},
        config_path=config_path,
    )

    assert settings.download_dir == folders.get(top)
    assert settings.sources["download_dir"] == top


def test_the_environment_variable_expands_the_home_directory(tmp_path: Path) -> None:
    settings = resolve_settings(env={"KASPR_DOWNLOAD_DIR": "~/invoices"}, config_path=tmp_path / "none.toml")
    assert settings.download_dir == Path.home() / "invoices"


def test_an_empty_environment_variable_leaves_the_config_files_folder(tmp_path: Path) -> None:
    config_path = tmp_path / "config.toml"
    config_path.write_text('download_dir = "/srv/invoices"\n', encoding="utf-8")
    settings = resolve_settings(env={"KASPR_DOWNLOAD_DIR": ""}, config_path=config_path)
    assert settings.download_dir == Path("/srv/invoices")

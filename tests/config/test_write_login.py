"""`write_login`: the user's file survives, the key is never readable by others."""

from __future__ import annotations

import os
import stat
import tomllib

import pytest

from kaspr_tui import config
from kaspr_tui.config import ConfigError, resolve_settings, write_login

pytestmark = pytest.mark.skipif(os.name != "posix", reason="POSIX file modes")


def mode_of(path) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


def test_a_new_file_is_created_0600_with_its_folders_and_is_read_back(tmp_path):
    config_path = tmp_path / "deep" / "er" / "config.toml"
    write_login(config_path, "http://127.0.0.1:8787", "kt_demo_admin")
    assert mode_of(config_path) == 0o600
    settings = resolve_settings(env={}, config_path=config_path)
    assert (settings.api_url, settings.api_key) == ("http://127.0.0.1:8787", "kt_demo_admin")
    assert settings.warnings == ()


def test_comments_order_and_other_settings_survive(tmp_path):
    config_path = tmp_path / "config.toml"
    config_path.write_text(
        "# kaspr-tui settings, edited by hand\n"
        'theme = "nord"  # the one I like\n'
        'api_url = "https://old.example.com"\n'
        "\n"
        "# where invoices go\n"
        'download_dir = "~/invoices"\n'
    )
    write_login(config_path, "https://billing.example.com", "kt_new")
    # The URL keeps its place and the key, new, is added after the last top-level setting.
    assert config_path.read_text() == (
        "# kaspr-tui settings, edited by hand\n"
        'theme = "nord"  # the one I like\n'
        'api_url = "https://billing.example.com"\n'
        "\n"
        "# where invoices go\n"
        'download_dir = "~/invoices"\n'
        'api_key = "kt_new"\n'
    )


def test_new_keys_stay_top_level_when_the_file_has_a_table(tmp_path):
    config_path = tmp_path / "config.toml"
    config_path.write_text('theme = "nord"\n\n[keymap]\nquit = "ctrl+q"\n')
    write_login(config_path, "https://billing.example.com", "kt_new")
    data = tomllib.loads(config_path.read_text())
    assert data["api_key"] == "kt_new"
    assert data["keymap"] == {"quit": "ctrl+q"}


def test_an_existing_world_readable_file_ends_0600(tmp_path):
    config_path = tmp_path / "config.toml"
    config_path.write_text('theme = "nord"\n')
    config_path.chmod(0o644)
    write_login(config_path, "https://billing.example.com", "kt_new")
    assert mode_of(config_path) == 0o600


def test_the_key_is_never_in_a_file_others_can_read(tmp_path, monkeypatch):
    """The replacement file is already 0600 when it takes the config file's name."""
    config_path = tmp_path / "config.toml"
    config_path.write_text('theme = "nord"\n')
    config_path.chmod(0o644)
    modes_at_replace = []
    real_replace = os.replace

    def replace_and_record(source, destination):
        modes_at_replace.append(mode_of(source))
        real_replace(source, destination)

    monkeypatch.setattr(config.os, "replace", replace_and_record)
    old_umask = os.umask(0)  # a permissive umask must not matter
    try:
        write_login(config_path, "https://billing.example.com", "kt_new")
    finally:
        os.umask(old_umask)
    assert modes_at_replace == [0o600]


def test_a_malformed_file_is_left_alone(tmp_path):
    config_path = tmp_path / "config.toml"
    original = 'theme = "nord"\napi_url = \n'
    config_path.write_text(original)
    with pytest.raises(ConfigError, match=r"line 2: .* fix or delete it"):
        write_login(config_path, "https://billing.example.com", "kt_new")
    assert config_path.read_text() == original
    assert [path.name for path in tmp_path.iterdir()] == ["config.toml"]


def test_a_symlinked_config_file_is_written_through_to_its_target(tmp_path):
    target = tmp_path / "dotfiles" / "kaspr.toml"
    target.parent.mkdir()
    target.write_text('theme = "nord"\n')
    link = tmp_path / "config.toml"
    link.symlink_to(target)
    write_login(link, "https://billing.example.com", "kt_new")
    assert link.is_symlink()
    assert tomllib.loads(target.read_text())["api_key"] == "kt_new"

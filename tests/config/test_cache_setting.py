"""`cache`: keep the last known account state (on unless the config file or a profile says false)."""

from __future__ import annotations

from pathlib import Path

import pytest

from kaspr_tui.config import ConfigError, resolve_settings


def test_the_cache_is_on_unless_configured_off(tmp_path: Path) -> None:
    assert resolve_settings(env={}, config_path=tmp_path / "missing.toml").cache


def test_cache_false_in_the_config_file_turns_it_off(tmp_path: Path) -> None:
    config_path = tmp_path / "config.toml"
    config_path.write_text("cache = false\n")
    assert not resolve_settings(env={}, config_path=config_path).cache


def test_a_profile_may_turn_it_off_for_itself(tmp_path: Path) -> None:
    config_path = tmp_path / "config.toml"
    config_path.write_text('[profiles.shared]\napi_url = "https://billing.example.com"\ncache = false\n')
    assert not resolve_settings(cli={"profile": "shared"}, env={}, config_path=config_path).cache
    assert resolve_settings(env={}, config_path=config_path).cache


def test_a_cache_value_that_is_not_true_or_false_is_refused(tmp_path: Path) -> None:
    config_path = tmp_path / "config.toml"
    config_path.write_text('cache = "no"\n')
    with pytest.raises(ConfigError, match="cache must be true or false"):
        resolve_settings(env={}, config_path=config_path)

"""Profiles (`[profiles.NAME]`), read-only and the log file setting."""

from __future__ import annotations

import os
import tomllib
from pathlib import Path

import pytest

from kaspr_tui.config import DEMO_ADMIN_KEY, ConfigError, resolve_settings, write_login

CONFIG = """\
# top level: production
api_url = "https://billing.example.com"
api_key = "kt_production"
theme = "nord"

[profiles.staging]
api_url = "https://staging.example.com"
api_key = "kt_staging"

[profiles.support]
api_url = "https://billing.example.com"
api_key = "kt_support"
read_only = true
download_dir = "~/support-invoices"

[profiles.demo]
theme = "dracula"
"""


@pytest.fixture
def config_path(tmp_path: Path) -> Path:
    path = tmp_path / "config.toml"
    path.write_text(CONFIG)
    path.chmod(0o600)
    return path


def test_without_a_profile_the_top_level_is_used(config_path):
    settings = resolve_settings(env={}, config_path=config_path)
    assert (settings.profile, settings.api_url, settings.api_key) == (
        None,
        "https://billing.example.com",
        "kt_production",
    )
    assert not settings.read_only
    assert settings.read_only_reason is None


def test_a_profile_from_the_command_line_overrides_the_top_level(config_path):
    settings = resolve_settings(cli={"profile": "staging"}, env={}, config_path=config_path)
    assert (settings.profile, settings.api_url, settings.api_key) == (
        "staging",
        "https://staging.example.com",
        "kt_staging",
    )
    assert settings.sources["api_url"] == "profile"
    # What the profile leaves out (the theme) still comes from the top level.
    assert settings.theme == "nord"
    assert settings.sources["theme"] == "config"


def test_kaspr_profile_chooses_the_profile_and_the_command_line_wins_over_it(config_path):
    from_env = resolve_settings(env={"KASPR_PROFILE": "staging"}, config_path=config_path)
    assert from_env.profile == "staging"
    both = resolve_settings(cli={"profile": "support"}, env={"KASPR_PROFILE": "staging"}, config_path=config_path)
    assert both.profile == "support"


def test_a_profile_never_uses_the_top_levels_url_or_key(config_path):
    """[profiles.demo] names no server: it gets the embedded demo, not production's key."""
    settings = resolve_settings(cli={"profile": "demo"}, env={}, config_path=config_path)
    assert settings.embedded
    assert settings.api_key == DEMO_ADMIN_KEY
    assert settings.theme == "dracula"


def test_a_profile_that_is_not_in_the_file_is_an_error_naming_the_ones_that_are(config_path):
    with pytest.raises(ConfigError) as raised:
        resolve_settings(cli={"profile": "stagign"}, env={}, config_path=config_path)
    message = str(raised.value)
    assert "'stagign'" in message
    assert "demo, staging, support" in message
    assert "kaspr-tui login --profile stagign" in message


def test_profile_default_is_the_top_level(config_path):
    settings = resolve_settings(cli={"profile": "default"}, env={}, config_path=config_path)
    assert settings.profile is None
    assert settings.api_key == "kt_production"


def test_read_only_from_a_profile_says_which_profile_and_file(config_path):
    settings = resolve_settings(cli={"profile": "support"}, env={}, config_path=config_path)
    assert settings.read_only
    assert settings.read_only_reason == (
        f"Read-only: profile 'support' sets read_only = true in {config_path}, so nothing can be changed."
    )
    assert settings.download_dir == Path.home() / "support-invoices"


def test_read_only_from_the_command_line(config_path):
    settings = resolve_settings(cli={"read_only": True}, env={}, config_path=config_path)
    assert settings.read_only
    assert "--read-only" in (settings.read_only_reason or "")


def test_a_wrongly_typed_profile_value_names_the_profile_key(tmp_path):
    path = tmp_path / "config.toml"
    path.write_text('[profiles.x]\nread_only = "yes"\n')
    with pytest.raises(ConfigError, match=r"profiles\.x\.read_only must be true or false"):
        resolve_settings(cli={"profile": "x"}, env={}, config_path=path)


def test_an_unknown_key_in_a_profile_is_a_warning(tmp_path):
    path = tmp_path / "config.toml"
    path.write_text('[profiles.x]\napi_urll = "https://a.example"\n')
    settings = resolve_settings(cli={"profile": "x"}, env={}, config_path=path)
    assert settings.warnings == (f"{path}: unknown setting profiles.x.'api_urll' ignored",)


def test_a_key_in_a_profile_of_a_file_others_can_read_is_warned_about(tmp_path):
    path = tmp_path / "config.toml"
    path.write_text('[profiles.x]\napi_key = "kt_x"\n')
    path.chmod(0o644)
    settings = resolve_settings(env={}, config_path=path)
    assert any("chmod 600" in warning for warning in settings.warnings)


def test_log_file_from_the_environment_expands_the_home_directory(tmp_path):
    settings = resolve_settings(env={"KASPR_LOG_FILE": "~/kaspr.log"}, config_path=tmp_path / "none.toml")
    assert settings.log_file == Path.home() / "kaspr.log"
    assert settings.sources["log_file"] == "env"


def test_login_into_a_profile_keeps_comments_and_the_other_tables(config_path):
    write_login(config_path, "https://new.example.com", "kt_new", profile="staging")
    text = config_path.read_text()
    assert text.startswith("# top level: production\n")
    data = tomllib.loads(text)
    assert data["api_key"] == "kt_production"
    assert data["profiles"]["staging"] == {"api_url": "https://new.example.com", "api_key": "kt_new"}
    assert data["profiles"]["support"]["read_only"] is True
    assert os.stat(config_path).st_mode & 0o777 == 0o600


def test_login_into_a_new_profile_adds_its_table(tmp_path):
    path = tmp_path / "config.toml"
    path.write_text('# mine\ntheme = "nord"\n')
    write_login(path, "https://eu.example.com", "kt_eu", profile="eu")
    assert path.read_text().startswith('# mine\ntheme = "nord"\n')
    settings = resolve_settings(cli={"profile": "eu"}, env={}, config_path=path)
    assert (settings.api_url, settings.api_key, settings.theme) == ("https://eu.example.com", "kt_eu", "nord")


@pytest.mark.parametrize("name", ["", "a b", "x.y", "é"])
def test_a_profile_name_that_is_not_a_plain_word_is_refused_by_login(tmp_path, name):
    with pytest.raises(ConfigError, match="letters, digits"):
        write_login(tmp_path / "config.toml", "https://a.example.com", "kt_a", profile=name)
    assert not (tmp_path / "config.toml").exists()

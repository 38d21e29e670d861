"""Settings precedence (command line > environment > config file > default) and validation."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from kaspr_tui.config import DEMO_ADMIN_KEY, ConfigError, resolve_settings


def write_config(path: Path, text: str, mode: int = 0o600) -> Path:
    path.write_text(text, encoding="utf-8")
    path.chmod(mode)
    return path


def toml_value(value: object) -> str:
    return ("true" if value else "false") if isinstance(value, bool) else f'"{value}"'


# value name → (environment variable or None, the value each layer sets; a layer it lacks is absent)
LAYERS = {
    "api_url": ("KASPR_API_URL", {"cli": "http://127.0.0.1:1001", "env": "http://127.0.0.1:1002",
                                  "config": "http://127.0.0.1:1003", "default": None}),
    "api_key": ("KASPR_API_TOKEN", {"cli": "key-from-cli", "env": "key-from-env",
                                    "config": "key-from-config", "default": DEMO_ADMIN_KEY}),
    "theme": ("KASPR_THEME", {"cli": "nord", "env": "gruvbox", "config": "dracula",
                              "default": "textual-dark"}),
    "insecure": (None, {"cli": True, "config": True, "default": False}),
}
ORDER = ["cli", "env", "config", "default"]
CASES = [
    pytest.param(name, top, id=f"{name}-{top}")
    for name, (_, values) in LAYERS.items()
    for top in values
]


@pytest.mark.parametrize(("name", "top"), CASES)
def test_each_value_comes_from_the_highest_layer_that_sets_it(tmp_path, name, top):
    env_var, values = LAYERS[name]
    # Set the value on `top` and on every layer below it; only `top` may win.
    present = {layer for layer in ORDER[ORDER.index(top):] if layer in values}
    config_path = write_config(
        tmp_path / "config.toml",
        f"{name} = {toml_value(values['config'])}\n" if "config" in present else "",
    )
    settings = resolve_settings(
        cli={name: values["cli"]} if "cli" in present else {},
        env={env_var: values["env"]} if "env" in present else {},
        config_path=config_path,
    )
    assert getattr(settings, name) == values[top]
    assert settings.sources[name] == top


def test_download_dir_from_the_config_file_expands_the_home_directory(tmp_path):
    config_path = write_config(tmp_path / "config.toml", 'download_dir = "~/invoices"\n')
    settings = resolve_settings(env={}, config_path=config_path)
    assert settings.download_dir == Path.home() / "invoices"
    assert settings.sources["download_dir"] == "config"
    assert resolve_settings(env={}, config_path=tmp_path / "none.toml").download_dir is None


def test_nothing_configured_means_the_embedded_server_with_the_demo_admin_key(tmp_path):
    settings = resolve_settings(env={}, config_path=tmp_path / "missing.toml")
    assert settings.embedded
    assert settings.api_url is None
    assert settings.api_key == DEMO_ADMIN_KEY
    assert settings.theme == "textual-dark"
    assert settings.warnings == ()


def test_a_remote_url_without_a_key_does_not_get_the_demo_key(tmp_path):
    settings = resolve_settings(
        env={"KASPR_API_URL": "https://billing.example.com/"}, config_path=tmp_path / "missing.toml"
    )
    assert not settings.embedded
    assert settings.api_url == "https://billing.example.com"
    assert settings.api_key is None


def test_a_key_given_without_a_url_is_used_with_the_embedded_server(tmp_path):
    settings = resolve_settings(
        env={"KASPR_API_TOKEN": "kt_demo_member"}, config_path=tmp_path / "missing.toml"
    )
    assert settings.embedded
    assert settings.api_key == "kt_demo_member"


def test_an_empty_environment_variable_counts_as_unset(tmp_path):
    config_path = write_config(tmp_path / "config.toml", 'theme = "dracula"\n')
    settings = resolve_settings(env={"KASPR_THEME": "", "KASPR_API_URL": ""}, config_path=config_path)
    assert settings.theme == "dracula"
    assert settings.embedded


def test_the_api_key_never_appears_in_the_settings_repr(tmp_path):
    settings = resolve_settings(cli={"api_key": "kt_secret_value"}, env={}, config_path=tmp_path / "x")
    assert "kt_secret_value" not in repr(settings)


class TestConfigFileLocation:
    def test_kaspr_config_names_the_file_to_read(self, tmp_path):
        default_file = write_config(tmp_path / "default.toml", 'theme = "from-default-file"\n')
        chosen = write_config(tmp_path / "chosen.toml", 'theme = "from-kaspr-config"\n')
        settings = resolve_settings(env={"KASPR_CONFIG": str(chosen)}, config_path=default_file)
        assert settings.theme == "from-kaspr-config"
        assert settings.config_path == chosen
        assert settings.sources["config_path"] == "env"

    def test_the_config_option_beats_kaspr_config(self, tmp_path):
        from_env = write_config(tmp_path / "env.toml", 'theme = "from-env-file"\n')
        from_cli = write_config(tmp_path / "cli.toml", 'theme = "from-cli-file"\n')
        settings = resolve_settings(
            cli={"config_path": from_cli}, env={"KASPR_CONFIG": str(from_env)}
        )
        assert settings.theme == "from-cli-file"
        assert settings.sources["config_path"] == "cli"

    def test_a_missing_file_is_an_empty_one(self, tmp_path):
        settings = resolve_settings(env={}, config_path=tmp_path / "nowhere" / "config.toml")
        assert settings.embedded
        assert settings.sources["theme"] == "default"


class TestMalformedConfigFile:
    def test_a_toml_syntax_error_names_the_file_and_line(self, tmp_path):
        config_path = write_config(
            tmp_path / "config.toml", '# mine\ntheme = "nord"\napi_url = \n'
        )
        with pytest.raises(ConfigError) as raised:
            resolve_settings(env={}, config_path=config_path)
        message = str(raised.value)
        assert message.startswith(f"{config_path} line 3: ")
        assert message.endswith("fix or delete it")

    def test_an_error_at_the_end_of_the_file_still_names_the_file(self, tmp_path):
        config_path = write_config(tmp_path / "config.toml", 'api_key = "unterminated\n')
        with pytest.raises(ConfigError, match="fix or delete it") as raised:
            resolve_settings(env={}, config_path=config_path)
        assert str(config_path) in str(raised.value)

    def test_a_value_of_the_wrong_type_is_named(self, tmp_path):
        config_path = write_config(tmp_path / "config.toml", 'insecure = "yes"\n')
        with pytest.raises(ConfigError, match=r"insecure must be true or false, not 'yes'"):
            resolve_settings(env={}, config_path=config_path)

    def test_a_file_that_is_not_utf8_is_refused_clearly(self, tmp_path):
        config_path = tmp_path / "config.toml"
        config_path.write_bytes(b'theme = "\xff"\n')
        with pytest.raises(ConfigError, match="not UTF-8"):
            resolve_settings(env={}, config_path=config_path)

    def test_an_unknown_key_is_a_warning_not_an_error(self, tmp_path):
        config_path = write_config(tmp_path / "config.toml", 'api_token = "typo"\ntheme = "nord"\n')
        settings = resolve_settings(env={}, config_path=config_path)
        assert settings.theme == "nord"
        assert any("unknown setting 'api_token'" in warning for warning in settings.warnings)


class TestPlainHttp:
    @pytest.mark.parametrize("layer", ["cli", "env", "config"])
    def test_plain_http_to_another_machine_is_refused_from_every_layer(self, tmp_path, layer):
        url = "http://billing.example.com"
        config_path = write_config(
            tmp_path / "config.toml", f'api_url = "{url}"\n' if layer == "config" else ""
        )
        with pytest.raises(ConfigError, match="unencrypted") as raised:
            resolve_settings(
                cli={"api_url": url} if layer == "cli" else {},
                env={"KASPR_API_URL": url} if layer == "env" else {},
                config_path=config_path,
            )
        assert url in str(raised.value)

    @pytest.mark.parametrize(
        "config_text", ["", "insecure = true\n"], ids=["--insecure", "insecure-in-config"]
    )
    def test_insecure_allows_it(self, tmp_path, config_text):
        config_path = write_config(tmp_path / "config.toml", config_text)
        cli = {"api_url": "http://10.0.0.5:8787", "insecure": True if not config_text else None}
        settings = resolve_settings(cli=cli, env={}, config_path=config_path)
        assert settings.api_url == "http://10.0.0.5:8787"
        assert settings.insecure

    @pytest.mark.parametrize(
        "url", ["http://127.0.0.1:8787", "http://localhost:8787", "http://[::1]:8787",
                "http://127.1.2.3", "https://billing.example.com"]
    )
    def test_loopback_http_and_any_https_are_allowed(self, tmp_path, url):
        settings = resolve_settings(cli={"api_url": url}, env={}, config_path=tmp_path / "x")
        assert settings.api_url == url

    @pytest.mark.parametrize("url", ["billing.example.com", "ftp://billing.example.com", "http://"])
    def test_something_that_is_not_an_http_url_is_refused(self, tmp_path, url):
        with pytest.raises(ConfigError, match="not an http:// or https:// address"):
            resolve_settings(cli={"api_url": url}, env={}, config_path=tmp_path / "x")


@pytest.mark.skipif(os.name != "posix", reason="POSIX file modes")
class TestKeyFilePermissions:
    def test_a_key_in_a_file_others_can_read_gives_a_warning(self, tmp_path):
        config_path = write_config(tmp_path / "config.toml", 'api_key = "kt_x"\n', mode=0o644)
        settings = resolve_settings(env={}, config_path=config_path)
        assert settings.warnings == (
            f"{config_path} holds an API key and other users can read or change it; "
            f"run: chmod 600 {config_path}",
        )

    def test_a_private_file_gives_no_warning(self, tmp_path):
        config_path = write_config(tmp_path / "config.toml", 'api_key = "kt_x"\n', mode=0o600)
        assert resolve_settings(env={}, config_path=config_path).warnings == ()

    def test_a_readable_file_without_a_key_gives_no_warning(self, tmp_path):
        config_path = write_config(tmp_path / "config.toml", 'theme = "nord"\n', mode=0o644)
        assert resolve_settings(env={}, config_path=config_path).warnings == ()

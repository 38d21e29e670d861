"""configure_logging: the log file is 0600 from its first byte and after every rotation."""

from __future__ import annotations

import logging
import os

import pytest

from kaspr_tui import config
from kaspr_tui.config import ConfigError, configure_logging, resolve_settings


@pytest.fixture
def app_logger():
    logger = logging.getLogger("kaspr_tui")
    handlers, level = list(logger.handlers), logger.level
    yield logger
    for handler in logger.handlers[len(handlers) :]:
        handler.close()
    logger.handlers[:] = handlers
    logger.setLevel(level)


def test_the_log_file_and_its_rotations_are_0600(tmp_path, monkeypatch, app_logger):
    monkeypatch.setattr(config, "LOG_MAX_BYTES", 200)
    old_umask = os.umask(0o022)  # what would make a plain handler's files 0644
    try:
        path = tmp_path / "logs" / "kaspr.log"
        configure_logging(
            resolve_settings(cli={"log_file": path}, env={}, config_path=tmp_path / "c.toml"), for_app=False
        )
        request_log = logging.getLogger("kaspr_tui.api.client")
        for number in range(30):
            request_log.info("GET /v1/subscription 200 %d ms req_%06d", number, number)
    finally:
        os.umask(old_umask)
    files = sorted(path.parent.iterdir())
    assert [file.name for file in files] == ["kaspr.log", "kaspr.log.1", "kaspr.log.2", "kaspr.log.3"]
    assert {os.stat(file).st_mode & 0o777 for file in files} == {0o600}
    assert "req_000029" in path.read_text()


def test_an_existing_log_file_open_to_others_is_made_0600(tmp_path, app_logger):
    path = tmp_path / "kaspr.log"
    path.write_text("old\n")
    path.chmod(0o644)
    configure_logging(resolve_settings(cli={"log_file": path}, env={}, config_path=tmp_path / "c.toml"), for_app=False)
    assert os.stat(path).st_mode & 0o777 == 0o600


def test_without_a_log_file_or_debug_nothing_is_logged(tmp_path, app_logger):
    before = list(app_logger.handlers)
    configure_logging(resolve_settings(env={}, config_path=tmp_path / "c.toml"), for_app=False)
    assert app_logger.handlers == before


def test_a_log_file_that_cannot_be_written_is_a_config_error(tmp_path, app_logger):
    blocked = tmp_path / "file"
    blocked.write_text("")
    settings = resolve_settings(cli={"log_file": blocked / "kaspr.log"}, env={}, config_path=tmp_path / "c.toml")
    with pytest.raises(ConfigError, match="cannot write it"):
        configure_logging(settings, for_app=False)

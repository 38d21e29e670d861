"""The folder invoices are saved in; the server fixtures are the shared ones in tests/conftest.py."""

from __future__ import annotations

from pathlib import Path

import pytest


@pytest.fixture
def downloads(tmp_path: Path) -> Path:
    """The folder the app is told to save PDFs in (created by the app when it saves)."""
    return tmp_path / "downloads"

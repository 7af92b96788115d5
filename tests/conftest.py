"""Session settings for the test suite, and the fixtures many test modules share."""

import os
import tempfile
from pathlib import Path

import pytest

# Builds in the tests make no PDFs (a cold Chromium print or two each, for every build) unless a
# test asks for them: tests/test_whole_report.py checks the PDFs on its own build.
os.environ.setdefault("LSCP_PDF", "0")
# The build's cache of module imports goes to a folder of this run, not the user's cache.
os.environ.setdefault("LSCP_CACHE_DIR", tempfile.mkdtemp(prefix="lscp-test-cache-"))


@pytest.fixture
def registry(monkeypatch: pytest.MonkeyPatch) -> dict:
    """An empty measure registry in place of the pack's, so a test declares exactly the
    measures it checks (``@measure`` and the figure register both read it)."""
    import helpers.report.figure_register as fr
    from helpers.indicators import base

    measures: dict = {}
    monkeypatch.setattr(base, "MEASURES", measures)
    monkeypatch.setattr(fr, "MEASURES", measures)
    return measures


@pytest.fixture
def key_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Where the pseudonym key of this test lives (the importers create it on first use),
    so no test reads or writes the partnership's own key."""
    from helpers.importers.common import KEY_ENV

    path = tmp_path / "keys" / "pseudonym.key"
    monkeypatch.setenv(KEY_ENV, str(path))
    return path

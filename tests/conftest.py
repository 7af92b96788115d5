"""Session settings for the test suite, and the fixtures many test modules share."""

import os

import pytest

# Builds in the tests make no PDFs (two Chromium print runs each, for every build) unless a
# test asks for them: tests/test_whole_report.py checks the PDFs on its own build.
os.environ.setdefault("LSCP_PDF", "0")


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

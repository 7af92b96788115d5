"""Checks every built chapter page must pass, shared by the chapter tests."""

from __future__ import annotations

import re

#: A chart: inline SVG labelled for screen readers with a title of at least 20 characters.
_CHART = re.compile(r'<svg\b[^>]*role="img"[^>]*>\s*<title[^>]*>[^<]{20,}</title>')
_DATA_TABLE = "<details><summary>Chart data (table)</summary>"


def charts_are_described(page: str) -> int:
    """Assert every chart is labelled and followed by its data table; return how many."""
    charts = _CHART.findall(page)
    # An SVG hidden from assistive technology (a diagram given as a list too) is no chart.
    shown = page.count("<svg") - len(re.findall(r'<svg\b[^>]*aria-hidden="true"', page))
    assert len(charts) == shown, "a chart without a descriptive title"
    assert page.count(_DATA_TABLE) == len(charts), "a chart without its data as a table"
    return len(charts)


def text_of(page: str) -> str:
    """The page's text without tags (years are wrapped in no-wrap spans)."""
    return re.sub(r"<[^>]+>", "", page)

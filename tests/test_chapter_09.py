"""End to end: chapter 9 from the demo data (the build is shared with chapter 8's tests)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

import test_chapter_08 as ch08
from test_chapter_08 import PAGES, check_no_small_count, check_page, check_targets, register

built_08_09 = ch08.built_08_09  # the build shared with chapter 8's tests (a pytest fixture)


@pytest.mark.e2e
def test_every_demo_target_of_chapter_9_matches(built_08_09: Path) -> None:
    assert check_targets(built_08_09, "9") == 11


@pytest.mark.e2e
def test_small_counts_of_chapter_9_are_suppressed(built_08_09: Path) -> None:
    figures = register(built_08_09)
    for indicator in ("new_lcsprs", "cdop_notifications_non_resident"):
        row = figures[figures["indicator"] == indicator].iloc[0]
        assert (row["display"], row["suppressed"], row["value"]) == ("<5", "True", "")
    check_no_small_count(built_08_09, "9")


@pytest.mark.e2e
def test_cdop_panel_words_one_in_n_from_the_data(built_08_09: Path) -> None:
    page = (built_08_09 / "2024-25" / PAGES["9"]).read_text(encoding="utf-8")
    panel = re.search(r"<section[^>]*lscp-panel.*?</section>", page, re.S)
    assert panel and panel.group(0).count("1 in 3") == 2
    assert "1 Apr 2019 - 31 Mar 2024" in panel.group(0)
    figures = register(built_08_09)
    share = figures[figures["indicator"] == "deaths_first_27_days_share"].iloc[0]
    assert share["value"] == "0.333" and share["period"] == "1 Apr 2019 - 31 Mar 2024"


@pytest.mark.e2e
def test_chapter_9_pages_build_for_the_first_year(built_08_09: Path) -> None:
    check_page(built_08_09, "9")
    figures = register(built_08_09, "2020-21")
    assert not figures[figures["chapter"] == "9"].empty

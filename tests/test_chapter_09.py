"""End to end: chapter 9 from the demo data (the build is shared with chapter 8's tests)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

import test_chapter_08 as ch08
from helpers.data.schema_partners import SIN_HARM_TYPES
from page_checks import text_of
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


@pytest.mark.e2e
def test_notifications_by_harm_type_over_five_years(built_08_09: Path) -> None:
    figures = register(built_08_09)
    harm = figures[figures["indicator"].str.startswith("notifications_by_harm.")]
    assert set(harm["period"]) == {"2020-21", "2021-22", "2022-23", "2023-24", "2024-25"}
    assert {i.split(".", 1)[1] for i in harm["indicator"]} == set(SIN_HARM_TYPES)
    shown = harm[harm["suppressed"] == "False"]
    assert not shown["value"].astype(int).between(1, 4).any()
    page = (built_08_09 / "2024-25" / PAGES["9"]).read_text(encoding="utf-8")
    assert "Grouped bar chart of serious incident notifications in each category" in page


@pytest.mark.e2e
def test_learning_table_one_row_per_review_only_when_the_count_can_be_published(
        built_08_09: Path) -> None:
    page = text_of((built_08_09 / "2024-25" / PAGES["9"]).read_text(encoding="utf-8"))
    assert "What each review found, 2024-25" in page
    assert "Demo text, written for the synthetic data" in page
    listed = register(built_08_09).set_index("indicator").loc["reviews_learning_listed"]
    assert (listed["value"], listed["suppressed"]) == ("5", "False")
    first = text_of((built_08_09 / "2020-21" / PAGES["9"]).read_text(encoding="utf-8"))
    assert "What each review found" not in first  # 3 reviews: a table would give the count
    assert "too few to set out one by one" in first

"""End to end: build chapter 7 from the demo data and check it against the published report."""

from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path

import pandas as pd
import pytest

from chapter_builds import YEARS, build_chapters, facts, register, rounded_like
from helpers.config import RAW_DIR
from page_checks import charts_are_described, text_of

PAGE = "07_assurance.html"
CHILD_ID = re.compile(r"\b(?:CH|CT|RF|AS)-\d")
# Counts of actions in the action-plan trackers are not counts of people.
NOT_PEOPLE = ("csa_action", "sidar_", "residential_action")


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_chapters(tmp_path_factory.mktemp("build"), ("07",))


@pytest.mark.e2e
def test_every_demo_target_of_chapter_7_matches_the_published_value(built: Path) -> None:
    figures = register(built)
    targets = [f for f in facts("7") if f["demo_target"] == "yes"]
    assert len(targets) >= 47
    for fact in targets:
        rows = figures[figures["ref"] == fact["id"]]
        assert len(rows) == 1, f"{fact['id']} {fact['indicator']} not in the register"
        value, suppressed = rows["value"].iloc[0], rows["suppressed"].iloc[0] == "True"
        if fact["unit"] in ("rank", "category") and not fact["value"].lstrip("-").isdigit():
            assert value == fact["value"], fact["id"]
        elif suppressed:  # a count too small to publish is said in words, never shown
            assert int(fact["value"]) < 5 and rows["display"].iloc[0] == "<5", fact["id"]
        else:
            assert rounded_like(value, fact["value"]) == Decimal(fact["value"]), fact["id"]


@pytest.mark.e2e
def test_comparators_the_report_states_are_in_the_register(built: Path) -> None:
    figures = register(built).set_index(["indicator", "period"])
    # 339 children on a plan at the 2020-21 peak; 13.5% with 3+ placements in 2023-24
    assert figures.loc[("cpp_total", "2020-21"), "value"] == "339"
    assert rounded_like(figures.loc[("cla_3plus_placements_12m_pct", "2023-24"), "value"],
                        "13.5") == Decimal("13.5")
    for area, published in (("Inner London", "18.7"), ("England", "25")):
        value = figures.loc[(f"cpp_rate_per_10k_neglect.{area}", "2024-25"), "value"]
        assert rounded_like(value, published) == Decimal(published)


@pytest.mark.e2e
def test_register_shows_no_small_count(built: Path) -> None:
    for year in YEARS:
        figures = register(built, year)
        counts = figures[(figures["unit"] == "count") & (figures["suppressed"] == "False")]
        people = counts[~counts["indicator"].str.startswith(NOT_PEOPLE)]
        assert not people["value"].astype(int).between(1, 4).any()
        hidden = figures[figures["suppressed"] == "True"]
        assert (hidden["value"] == "").all()


@pytest.mark.e2e
def test_page_has_the_charts_and_no_child_id(built: Path) -> None:
    known_ids = set(pd.read_csv(RAW_DIR / "2024-25" / "children.csv")["child_id"])
    for year in YEARS:
        page = (built / year / PAGE).read_text(encoding="utf-8")
        assert not CHILD_ID.search(page)
        assert not any(child in page for child in list(known_ids)[:500])
        assert not re.search(r"<(script|link|img)[^>]+(src|href)=\"https?:", page)
        assert "<img" not in page  # charts are inline SVG, each with its data table
        assert charts_are_described(page) >= 15
        text = text_of(page)
        for title in ("Funnel of horizontal bars", "Heatmap of each ethnic group"):
            assert title in text
        assert "Child sexual abuse action plan: actions by status" in text
    page = (built / "2024-25" / PAGE).read_text(encoding="utf-8")
    assert "Wilson" in page and "Inner London" in page
    # the report's second 7.13 is numbered 7.14 and the rest move on by one
    headings = re.findall(r"<h2[^>]*>\s*(7\.\d+)", page)
    assert headings == [f"7.{n}" for n in range(1, 19)]


@pytest.mark.e2e
def test_first_year_builds_without_a_previous_year(built: Path) -> None:
    figures = register(built, "2020-21")
    years = [p for p in figures["period"] if re.fullmatch(r"\d{4}-\d{2}", p)
             and int(p[2:4]) + 1 == int(p[5:])]  # single years, not spans like 2019-21
    assert set(years) == {"2020-21"}
    assert "cpp_repeat_plans_pct" not in set(figures["indicator"])
    assert "cpp_largest_category_previous" not in set(figures["indicator"])
    # a date label names the year's own 31 March, so no 2024-25 reference is attached to it
    row = figures[figures["indicator"] == "cin_visit_up_to_date_pct"]
    assert "as at end of March 2021" in set(row["period"]) and (row["ref"] == "").all()


def section_text(page: str, heading: str, following: str) -> str:
    """The text of one section of a page: from its heading to the next one."""
    text = text_of(page)
    start = text.index(heading)
    return text[start:text.index(following, start)]


@pytest.mark.e2e
def test_schools_mentoring_and_ehcp_figures_come_from_the_returns(built: Path) -> None:
    figures = register(built).set_index("ref")
    for ref in ("F150", "F151", "F152", "F153", "F165", "F166"):
        assert ref in figures.index, ref
    assert figures.loc["F153", "value"] == "16" and figures.loc["F165", "value"] == "479"
    assert figures.loc["F151", "period"] == "2024-25 academic year"
    # F166 holds the count; the page gives the round number below it, as the report does
    assert int(figures.loc["F166", "value"]) > 1100
    page = (built / "2024-25" / PAGE).read_text(encoding="utf-8")
    schools = section_text(page, "7.10 Safeguarding in schools", "7.11 ")
    assert "about 60 school representatives" in schools and "in 16 schools" in schools
    assert "more than 1,100 through workshops" in text_of(page)
    ehcp = register(built)
    ehcp = ehcp[ehcp["indicator"] == "ehcps_issued_within_20_weeks_pct"].iloc[0]
    assert ehcp["period"] == "2024 calendar year" and ehcp["display"] == "97%"


@pytest.mark.e2e
def test_a_small_count_is_said_to_be_too_small_and_a_larger_one_is_stated(built: Path) -> None:
    fgm = register(built).set_index("ref").loc["F179"]
    assert (fgm["section"], fgm["display"], fgm["suppressed"], fgm["value"]) == (
        "7.15", "<5", "True", "")
    now = (built / "2024-25" / PAGE).read_text(encoding="utf-8")
    first = (built / "2020-21" / PAGE).read_text(encoding="utf-8")
    assert "too small to publish" in section_text(now, "7.16 Female", "7.17 ")
    earlier = section_text(first, "7.16 Female", "7.17 ")
    assert "too small" not in earlier and "assessments identified female genital" in earlier
    # private fostering the other way round: 5 in 2024-25, 4 in 2020-21
    assert "too small" not in section_text(now, "7.17 Private", "7.18 ")
    assert "too small to publish" in section_text(first, "7.17 Private", "7.18 ")

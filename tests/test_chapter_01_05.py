"""End to end: build chapters 1 to 5 from the demo data and check them against the report."""

from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path

import pytest

from chapter_builds import YEARS, build_chapters, facts, register, rounded_like
from helpers.config import NOTEBOOKS_DIR
from helpers.indicators.base import MEASURES
from helpers.indicators.partnership import GOVERNANCE_COUNTS
from page_checks import charts_are_described

CHAPTERS = {"01": "01_foreword", "02": "02_partnership", "03": "03_scrutiny",
            "04": "04_borough", "05": "05_priorities"}
BUILT = {n: slug for n, slug in CHAPTERS.items() if (NOTEBOOKS_DIR / f"{slug}.ipynb").exists()}
#: The report's words for a share, as the pack words the same value.
WORDED = {"0.2": "one fifth", "0.4": "2 in 5", "0.25": "1 in 4"}


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_chapters(tmp_path_factory.mktemp("build"), BUILT)


@pytest.mark.e2e
def test_every_demo_target_of_chapters_1_to_5_matches_the_published_value(built: Path) -> None:
    figures = register(built)
    chapters = {str(int(n)) for n in BUILT}
    targets = [f for f in facts(*chapters) if f["demo_target"] == "yes"]
    assert targets
    for fact in targets:
        rows = figures[figures["ref"] == fact["id"]]
        assert len(rows) == 1, f"{fact['id']} {fact['indicator']} not in the register"
        value, display = rows["value"].iloc[0], rows["display"].iloc[0]
        try:
            published = float(fact["value"])
        except ValueError:
            assert value == fact["value"], fact["id"]  # a rating or a comparison word
            continue
        assert rounded_like(float(value), fact["value"]) == Decimal(fact["value"]), fact["id"]
        if fact["unit"] == "ratio":
            assert display == WORDED[fact["value"]], fact["id"]
        elif fact["unit"] == "percent":
            assert display.rstrip("%").replace(",", "") == f"{published:g}" or float(
                display.rstrip("%")) == pytest.approx(published, abs=0.5), fact["id"]


@pytest.mark.e2e
def test_first_year_builds_and_states_its_own_figures(built: Path) -> None:
    first = register(built, "2020-21")
    latest = register(built, "2024-25")
    assert set(first["chapter"]) == {str(int(n)) for n in BUILT}
    assert not first.empty
    both = first.merge(latest, on=["chapter", "section", "indicator"], suffixes=("_21", "_25"))
    assert (both["value_21"] != both["value_25"]).any()  # the 2020-21 return, not 2024-25's


@pytest.mark.e2e
def test_register_shows_no_small_count_of_people(built: Path) -> None:
    not_people = {name for name, m in MEASURES.items() if not m.people}
    assert set(GOVERNANCE_COUNTS) <= not_people  # organisations
    for year in YEARS:
        figures = register(built, year)
        counts = figures[(figures["unit"] == "count") & (figures["suppressed"] == "False")
                         & ~figures["indicator"].isin(not_people)]
        assert not counts["value"].astype(int).between(1, 4).any()


@pytest.mark.e2e
@pytest.mark.skipif("03" not in BUILT, reason="chapter 3 not built yet")
def test_the_scrutineers_figures_are_stated_with_their_refs(built: Path) -> None:
    figures = register(built).set_index("ref")
    shown = {ref: figures.loc[ref, "display"] for ref in ("F036", "F037", "F038", "F039", "F040")}
    # F037 counts rapid reviews, each about a child: four is shown as <5 (docs/assumptions.md)
    assert shown == {"F036": "6", "F037": "<5", "F038": "3", "F039": "6", "F040": "6"}
    page = (built / "2024-25" / "03_scrutiny.html").read_text(encoding="utf-8")
    assert "The full partnership met 6 times in" in page
    first = register(built, "2020-21").set_index("indicator")
    assert first.loc["full_partnership_meetings", "display"] == "5"  # that year's return


def _priority_tables(page: str) -> list[str]:
    return re.findall(r'<table class="data-table"><caption>[^<]*impact and challenges.*?</table>',
                      page, re.DOTALL)


@pytest.mark.e2e
@pytest.mark.skipif("05" not in BUILT, reason="chapter 5 not built yet")
def test_each_priority_has_its_impact_and_challenges_table_for_the_year(built: Path) -> None:
    for year, after in (("2024-25", "2025-26"), ("2020-21", "2021-22")):
        page = (built / year / "05_priorities.html").read_text(encoding="utf-8")
        tables = _priority_tables(page)
        assert [t.split("<tbody>")[1].count("<tr>") for t in tables] == [3, 2, 2]
        for table in tables:
            assert f"Impact and progress in <span class=\"yr\">{year}</span>" in table
            assert f"Challenges for <span class=\"yr\">{after}</span>" in table
        why = page.index("of social work assessments recorded mental health")
        assert page.index("5.2 Mental health") < why < page.index("5.3 Re-engaging")
    assert register(built).set_index("ref").loc["F069", "display"] == "48%"


@pytest.mark.e2e
def test_pages_have_no_child_id_fetch_nothing_and_describe_every_chart(built: Path) -> None:
    for year in YEARS:
        for slug in BUILT.values():
            page = (built / year / f"{slug}.html").read_text(encoding="utf-8")
            assert not re.search(r"\b(?:CH|CT|RF|AS)-\d", page)
            assert not re.search(r"<(script|link|img)[^>]+(src|href)=\"https?:", page)
            assert "Synthetic demo data" in page
            charts_are_described(page)


@pytest.mark.e2e
@pytest.mark.skipif("04" not in BUILT, reason="chapter 4 not built yet")
def test_borough_tiles_carry_period_source_and_comparators(built: Path) -> None:
    page = (built / "2024-25" / "04_borough.html").read_text(encoding="utf-8")
    tiles = re.findall(r'<li class="lscp-tile".*?</li>', page)
    assert len(tiles) >= 15
    assert all("Period: " in t and "Source: " in t for t in tiles)
    assert "2023/24 academic year" in page  # absence is a school year, not the report year
    figures = register(built)
    areas = figures[figures["indicator"].str.endswith(("_national", "_london"))]
    assert {"pupils_fsm_eligible_pct_london", "population_disabled_pct_national"} <= set(
        areas["indicator"])

"""End to end: build chapter 6 from the demo data and check it against the published report."""

from __future__ import annotations

import csv
import re
from decimal import Decimal
from pathlib import Path

import pandas as pd
import pytest

from chapter_builds import YEARS, build_chapters, facts, register, rounded_like
from helpers.config import RAW_DIR, REPO_ROOT

SHARED_FACTS = REPO_ROOT.parent / "shared" / "spec" / "published_figures.csv"
# The report's names for the ranked categories, against the labels the pack prints.
RANK_NAMES = {
    "Police": "Police", "Local Authority services": "Local Authority services",
    "Health": "Health", "Schools": "Schools",
    "DV parent/carers": "Domestic abuse: parent/carer subject",
    "parental mental health": "Mental health: parent/carer",
    "DV child subject": "Domestic abuse: child subject",
    "child mental health": "Mental health: child",
}
CHILD_ID = re.compile(r"\b(?:CH|CT|RF|AS)-\d")


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_chapters(tmp_path_factory.mktemp("build"), ("06",))


def rank_labels(text: str) -> list[str]:
    """'1 Police (25%); 2 Health (20%)' -> ['Police', 'Health']."""
    return [re.sub(r"^\d+\s+|\s*\(.*\)$", "", part.strip()) for part in text.split(";")]


@pytest.mark.e2e
def test_every_demo_target_of_chapter_6_matches_the_published_value(built: Path) -> None:
    figures = register(built)
    targets = [f for f in facts("6") if f["demo_target"] == "yes"]
    assert len(targets) >= 15
    for fact in targets:
        rows = figures[figures["ref"] == fact["id"]]
        assert len(rows) == 1, f"{fact['id']} {fact['indicator']} not in the register"
        value = rows["value"].iloc[0]
        if fact["unit"] in ("rank", "category") and not fact["value"].lstrip("-").isdigit():
            expected = [RANK_NAMES.get(n, n) for n in rank_labels(fact["value"])]
            assert rank_labels(value) == expected, fact["id"]
        else:
            assert rounded_like(float(value), fact["value"]) == Decimal(fact["value"]), fact["id"]


@pytest.mark.e2e
def test_previous_year_comparator_is_in_the_register(built: Path) -> None:
    figures = register(built)
    [fact] = [f for f in facts("6") if f["id"] == "F076"]
    row = figures[(figures["indicator"] == fact["indicator"]) & (figures["period"] == "2023-24")]
    assert rounded_like(float(row["value"].iloc[0]), fact["comparator_value"]) == Decimal(
        fact["comparator_value"])


@pytest.mark.e2e
def test_register_shows_no_small_count(built: Path) -> None:
    for year in YEARS:
        figures = register(built, year)
        counts = figures[(figures["unit"] == "count") & (figures["suppressed"] == "False")]
        values = counts["value"].astype(int)
        assert not values.between(1, 4).any()
        hidden = figures[figures["suppressed"] == "True"]
        assert (hidden["value"] == "").all()


@pytest.mark.e2e
def test_html_has_no_child_id_and_fetches_nothing(built: Path) -> None:
    known_ids = set(pd.read_csv(RAW_DIR / "2024-25" / "children.csv")["child_id"])
    for year in YEARS:
        page = (built / year / "06_front_door.html").read_text(encoding="utf-8")
        assert not CHILD_ID.search(page)
        assert not any(child in page for child in list(known_ids)[:500])
        assert not re.search(r"<(script|link|img)[^>]+(src|href)=\"https?:", page)
        assert "Synthetic demo data" in page
        # Charts are inline SVG images, each labelled by its alt text (a <title>).
        images = re.findall(r'<svg\b[^>]*role="img"[^>]*>\s*<title[^>]*>[^<]{20,}</title>', page)
        assert images and len(images) == page.count("<svg")
        tables = page.count("<details><summary>Chart data (table)</summary>")
        assert tables == len(images)  # every chart has its data table
        index = (built / year / "index.html").read_text(encoding="utf-8")
        assert 'href="06_front_door.html"' in index
        assert "Synthetic demo data" in index
        assert 'href="data-dictionary.html"' in index
        dictionary = (built / year / "data-dictionary.html").read_text(encoding="utf-8")
        assert "<table" in dictionary and "contacts.csv" in dictionary


@pytest.mark.e2e
def test_demo_build_reports_its_calibration(built: Path) -> None:
    rows = pd.read_csv(built / "2024-25" / "calibration.csv", dtype=str, keep_default_na=False)
    assert set(rows["status"]) <= {"match", "source inconsistent"}
    assert 'href="calibration.csv"' in (built / "2024-25" / "index.html").read_text()


@pytest.mark.e2e
def test_first_year_builds_without_a_previous_year(built: Path) -> None:
    figures = register(built, "2020-21")
    assert (figures["period"] == "2020-21").all()
    assert "contacts_change_pct" not in set(figures["indicator"])


@pytest.mark.skipif(not SHARED_FACTS.exists(), reason="reference spec not present")
def test_facts_copy_matches_the_reference_spec() -> None:
    with SHARED_FACTS.open(encoding="utf-8", newline="") as fh:
        source = {r["id"]: r for r in csv.DictReader(fh)}
    for fact in facts("6") + facts("7"):
        original = source[fact["id"]]
        for key in ("indicator", "period", "unit", "demo_target", "section"):
            assert fact[key] == original[key]
        assert fact["value"] in ("", original["value"])

"""Chapter 2 end to end, and its Diagram section type and governance rules.

One build serves the first year (no history) and the reference year: the lead-partner count
matches the published figure with its ref, and the governance table is drawn as an SVG tree
and given as a nested list naming every body.
"""

from __future__ import annotations

import csv
import re
from pathlib import Path

import pandas as pd
import pytest

from chapter_builds import YEARS, build_chapters
from helpers.chapters.sections import diagram_list, tree_order
from helpers.config import RAW_DIR
from helpers.data import schema_partners as sp
from page_checks import text_of


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_chapters(tmp_path_factory.mktemp("build"), ("02",))


def test_lead_partner_count_matches_the_published_figure_with_its_ref(built: Path):
    with (built / "2024-25" / "figures.csv").open(encoding="utf-8") as f:
        rows = [r for r in csv.DictReader(f) if r["indicator"] == "lead_safeguarding_partners_count"]
    governance = pd.read_csv(RAW_DIR / "2024-25" / "governance.csv")
    assert [r["ref"] for r in rows] == ["F004"]
    assert int(rows[0]["value"]) == int((governance["kind"] == "lead_partner").sum())
    assert rows[0]["suppressed"] == "False"


@pytest.mark.parametrize("year", YEARS)
def test_every_body_is_drawn_and_listed(built: Path, year: str):
    page = (built / year / "02_partnership.html").read_text(encoding="utf-8")
    governance = pd.read_csv(RAW_DIR / year / "governance.csv")
    svg = re.search(r"<svg.*?</svg>", page, re.S).group(0)
    assert svg.count("<rect") == len(governance)
    listed = re.search(r'class="lscp-diagram-list".*?</div>', page, re.S).group(0)
    for body in governance["body"]:
        assert body.replace("'", "&#x27;") in listed or body in text_of(listed)
    text = text_of(page)
    assert "Work together" in text and "held to account" in text


def test_tree_order_nests_children_under_their_parent_and_survives_a_loop():
    frame = pd.DataFrame({"body": ["Top", "A", "B", "A1", "X", "Y"],
                          "reports_to": ["", "Top", "Top", "A", "Y", "X"]})
    order = tree_order(frame, "body", "reports_to")
    assert [(frame["body"][r], d) for r, d, _ in order] == [("Top", 0), ("A", 1), ("A1", 2),
                                                            ("B", 1)]
    listed = diagram_list(frame, order, lambda row: row["body"])
    assert listed == "<ul><li>Top<ul><li>A<ul><li>A1</li></ul></li><li>B</li></ul></li></ul>"


def test_governance_rules_reject_two_tops_and_a_loop():
    good = pd.read_csv(RAW_DIR / "2024-25" / "governance.csv", keep_default_na=False)
    assert sp.governance_checks({"governance": good}) == []
    two_tops = good.copy()
    two_tops.loc[1, "reports_to"] = ""
    assert [p.rule for p in sp.governance_checks({"governance": two_tops})] == ["GOV-101"]
    loop = good.copy()
    loop.loc[1, "reports_to"] = good.loc[1, "body"]
    assert "GOV-102" in {p.rule for p in sp.governance_checks({"governance": loop})}

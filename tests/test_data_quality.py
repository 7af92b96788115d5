"""The data-quality page: each issue is found in the demo data, and disappears when its
cause is removed from the data (so the page is computed, never a fixed list)."""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
import pytest

from helpers.chapters import ch07_assurance as ch07
from helpers.chapters.declarations import renumbered_sections
from helpers.config import RAW_DIR, available_years
from helpers.data.loading import ReportData
from helpers.data.processing import process_year
from helpers.report import data_quality as dq
from helpers.report.html_export import allowed_scripts, house_css
from helpers.report.safety import executable_markup

YEAR = "2024-25"


@pytest.fixture(scope="module")
def data(tmp_path_factory: pytest.TempPathFactory) -> ReportData:
    """The demo year processed into a temporary folder (the tests never depend on, or
    skip for want of, data/processed/). Trends read the years before, so all are held."""
    processed = tmp_path_factory.mktemp("processed")
    for year in available_years(RAW_DIR):
        process_year(year, RAW_DIR, processed)
    return ReportData(YEAR, processed)


def figures(*rows: tuple[str, str, str, str]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=["section", "indicator", "period", "display"])


def test_stated_shares_that_the_income_rows_contradict_are_listed_until_restated(data):
    finance = data.current("finance")
    issues = dq.share_issues(finance)
    assert {i.kind for i in issues} == {"Source inconsistency"}
    assert any("Local authority" in i.text and "66%" in i.text for i in issues)
    assert all(i.file == "finance.csv" for i in issues)
    stated = finance["measure"] == "income_share_stated_pct"
    assert dq.share_issues(finance[~stated]) == []


def test_a_figure_quoted_for_an_old_period_is_stale_until_its_period_is_recent():
    old = figures(("9", "cdop_deaths", "2022-23", "12"), ("6", "contacts_total", "2024-25", "9"),
                  ("6", "contacts_total", "2020-21", "8"))
    issues = dq.stale_period_issues(old, YEAR)
    assert [i.rows for i in issues] == [("row 2",)]
    assert "2022-23" in issues[0].text
    recent = old.assign(period=["2023-24", "2024-25", "2020-21"])
    assert dq.stale_period_issues(recent, YEAR) == []


def test_a_repeated_membership_row_is_named_until_the_copy_is_removed(data):
    members = data.current("membership")
    issues = dq.repeat_issues(members)
    assert len(issues) == 1 and len(issues[0].rows) == 2
    assert dq.repeat_issues(members.drop_duplicates(["member_group", "agency",
                                                     "job_title"])) == []


def test_a_section_number_printed_twice_is_listed_while_the_chapter_declares_it(
        data, monkeypatch):
    def listed() -> list[dq.Issue]:
        issues, _ = dq.find_issues(YEAR, data.data_dir, None)
        return [i for i in issues if i.kind == "Duplicated section numbers"]

    (issue,) = listed()
    assert "7.13" in issue.text and "7.14" in issue.text
    assert "with disabilities in residential settings" in issue.text  # the chapter's heading
    assert "ch07_assurance.RENUMBERED_SECTIONS" in issue.file
    monkeypatch.delattr(ch07, "RENUMBERED_SECTIONS")
    assert listed() == []


def test_a_renumbering_of_a_section_the_chapter_lacks_is_refused(monkeypatch):
    monkeypatch.setattr(ch07, "RENUMBERED_SECTIONS", (("7.13", "7.99"),))
    with pytest.raises(ValueError, match=r"section 7\.99"):
        renumbered_sections()


def test_budget_lines_that_do_not_add_up_are_reported_until_they_do(data):
    finance = data.current("finance")
    assert dq.reconcile_issues(finance) == []
    staffing = (finance["measure"] == "expenditure") & (finance["breakdown"] == "Staffing")
    broken = finance.copy()
    broken.loc[staffing, "value"] += 100
    kinds = [i.text for i in dq.reconcile_issues(broken)]
    assert any(t.startswith("the expenditure lines add up") for t in kinds)
    assert not any("differ" in t for t in kinds)
    total = (broken["measure"] == "expenditure") & broken["breakdown"].map(dq._blank)
    broken.loc[total, "value"] += 100
    texts = [i.text for i in dq.reconcile_issues(broken)]
    assert len(texts) == 1 and "differ" in texts[0]


def test_a_paragraph_pasted_into_two_blocks_is_found_until_one_copy_is_reworded(data):
    narrative = data.current("narrative")
    issues = dq.repeated_text_issues(narrative)
    assert len(issues) == 1
    assert issues[0].rows == ("block impact (chapter 6)", "block early_help (chapter 6)")
    early = narrative["block"] == "early_help"
    reworded = narrative.copy()
    reworded.loc[early, "markdown"] = "Family hubs took more requests directly from parents."
    assert dq.repeated_text_issues(reworded) == []


def test_one_figure_shown_with_two_values_is_listed_until_they_agree():
    two = figures(("6.1", "contacts_total", YEAR, "9,001"), ("6.3", "contacts_total", YEAR, "9,000"))
    issues = dq.two_value_issues(two)
    assert len(issues) == 1 and issues[0].rows == ("row 2", "row 3")
    assert dq.two_value_issues(two.assign(display="9,000")) == []


def test_the_page_lists_every_issue_with_its_file_and_rows(tmp_path: Path, data):
    (tmp_path / "figures.csv").write_text(
        "chapter,section,indicator,period,display\n9,9,cdop_deaths,2021-22,12\n",
        encoding="utf-8")
    path = dq.write_page(tmp_path, YEAR, data.data_dir)
    page = path.read_text(encoding="utf-8")
    for kind in ("Source inconsistency", "Stale periods", "Duplicated entries",
                 "Duplicated section numbers", "Text repeated word for word"):
        assert kind in page
    assert "membership.csv" in page and "narrative/06.md" in page
    assert "Checks that could not run" not in page


def test_the_page_is_a_house_page_whose_table_scrolls_in_its_box():
    evil = dq.Issue("Duplicated entries", "<script>alert(1)</script> listed twice",
                    "membership.csv", ("row 3", "row 4"))
    page = dq.render_page(YEAR, [evil], meta={"synthetic": True}, partnership_name="P & Q")
    assert house_css() in page and "size: A4" in page  # the house sheet, A4 print included
    assert "<title>Data quality – P &amp; Q annual report 2024-25</title>" in page
    assert '<header class="masthead">' in page and 'href="index.html"' in page
    assert '<div class="lscp-banner" role="note">' in page
    assert re.search(r'<div class="table-box" role="region" aria-label="[^"]+" '
                     r'tabindex="0">\s*<table', page)
    assert "&lt;script&gt;" in page and executable_markup(page, allowed_scripts()) == []
    plain = dq.render_page(YEAR, [], meta={"synthetic": False}, partnership_name="P")
    assert 'class="lscp-banner"' not in plain and "No issues found." in plain

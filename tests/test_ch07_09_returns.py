"""The returns added for chapter 7 (schools, mentoring, EHC plans) and chapter 9 (harm types,
the review learning table): their measures on hand-built returns, and the two section types
that word a figure by whether disclosure control hid it."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

from helpers.chapters.sections import (
    Context,
    ReturnBreakdown,
    Stated,
    StatedFigures,
    TextTable,
)
from helpers.data.loading import ReportData
from helpers.data.narrative import DEMO_MARK
from helpers.indicators import education_and_send
from helpers.indicators.base import MEASURES
from helpers.indicators.reviews_and_child_deaths import review_learning
from helpers.report.figure_register import FigureRegister
from helpers.report.tables import Table


def ret(*rows: tuple) -> pd.DataFrame:
    """A processed return: (figure_period, measure, breakdown, value) rows."""
    frame = pd.DataFrame(rows, columns=["figure_period", "measure", "breakdown", "value"])
    frame["breakdown"] = frame["breakdown"].replace("", None)
    return frame


def learning(reviews: int) -> pd.DataFrame:
    return pd.DataFrame({
        "review": list(range(reviews, 0, -1)), "review_type": ["rapid_review"] * reviews,
        "incident": [f"incident {n}" for n in range(reviews, 0, -1)],
        "local_strengths": ["s"] * reviews, "local_learning": ["l"] * reviews,
        "national_context": ["n"] * reviews, "demo": ["yes"] * reviews})


SCHOOLS = ret(("2024-25", "dsl_forum_attendance", "2024-05", 57.0),
              ("2024-25", "dsl_forum_attendance", "2024-11", 62.0),
              ("2024-25 academic year", "schools_assessed", "", 60.0),
              ("2024-25 academic year", "schools_assessed_effective", "", 59.0),
              ("2024-25 academic year", "schools_inspected", "", 4.0),
              ("2024-25 academic year", "schools_inspected_good_or_outstanding", "", 3.0),
              ("2024-25", "safeguarding_reviews", "", 3.0),
              ("2024-25", "section11_audit_schools_asked", "", 60.0),
              ("2024-25", "section11_audit_schools_returned", "", 57.0))


def year(root: Path, label: str, fgm: int, ehcps: tuple[float, float], reviews: int,
         harm: dict[str, float]) -> None:
    folder = root / label
    folder.mkdir(parents=True)
    tables = {
        "school_safeguarding": SCHOOLS,
        "education_inclusion": ret((label, "inspiring_inclusion_mentored", "", 479.0),
                                   (label, "inspiring_inclusion_engaged", "", 1137.0)),
        "send": ret(("2024 calendar year", "ehcps_issued", "", ehcps[0]),
                    ("2024 calendar year", "ehcps_issued_within_20_weeks", "", ehcps[1])),
        "serious_incidents": ret((label, "serious_incident_notifications", "",
                                  sum(harm.values())),
                                 *[(label, "notifications_by_harm", k, v) for k, v in harm.items()]),
        "review_learning": learning(reviews),
        "assessments": pd.DataFrame({"assessment_id": [f"{label}-{n}" for n in range(fgm)]}),
        "assessment_factors": pd.DataFrame({"assessment_id": [f"{label}-{n}" for n in range(fgm)],
                                            "code": "22A"}),
    }
    for name, frame in tables.items():
        frame.to_parquet(folder / f"{name}.parquet")
    (folder / "dataset.json").write_text(json.dumps(
        {"synthetic": True, "extract_date": "2025-05-15", "source": "test"}))


@pytest.fixture
def data(tmp_path: Path) -> ReportData:
    year(tmp_path, "2023-24", fgm=7, ehcps=(8.0, 8.0), reviews=6,
         harm={"Neglect": 3.0, "Physical abuse": 0.0, "Sexual abuse": 6.0})
    year(tmp_path, "2024-25", fgm=3, ehcps=(236.0, 229.0), reviews=3,
         harm={"Neglect": 2.0, "Physical abuse": 3.0, "Sexual abuse": 0.0})
    return ReportData("2024-25", tmp_path)


def ctx(data: ReportData, chapter: int = 9) -> Context:
    return Context(chapter, data, FigureRegister(chapter, data.year, refs={}, data=data))


def compute(indicator: str, d: ReportData):
    return MEASURES[indicator].compute(d)


# --------------------------------------------------------------------------- measures
def test_school_figures_are_computed_from_the_returns_counts(data: ReportData) -> None:
    assert compute("dsl_forum_typical_attendance", data) == 60  # 59.5 rounds half up
    assert compute("schools_safeguarding_effective_pct", data) == pytest.approx(59 / 60 * 100)
    assert compute("inspected_schools_good_or_outstanding_pct", data) == 75
    assert compute("section11_audit_returned_pct", data) == 95
    assert compute("camden_learning_safeguarding_reviews_schools", data) == 3


def test_counts_of_schools_are_not_suppressed_but_a_share_of_few_plans_is(data: ReportData) -> None:
    reg = FigureRegister(7, "2023-24", refs={}, data=data.for_year("2023-24"))
    assert reg.measure("7.10", "camden_learning_safeguarding_reviews_schools") == "3"
    assert reg.measure("7.13", "ehcps_issued_within_20_weeks_pct") == "x"  # 8 of 8 plans
    now = FigureRegister(7, "2024-25", refs={}, data=data)
    assert now.measure("7.13", "ehcps_issued_within_20_weeks_pct") == "97%"


@pytest.mark.parametrize(("count", "bound"), [(1137, 1100), (1100, 1000), (1101, 1100),
                                              (760, 750), (158, 150), (37, 36), (1, 0)])
def test_a_count_is_more_than_its_two_figure_floor(count: int, bound: int) -> None:
    assert education_and_send.two_figure_floor(count) == bound
    assert bound < count


def test_mentoring_states_the_count_and_its_round_bound(data: ReportData) -> None:
    assert compute("inspiring_inclusion_pupils_mentored", data) == 479
    assert compute("inspiring_inclusion_engaged_workshops_more_than", data) == 1137
    assert compute("inspiring_inclusion_engaged_bound", data) == 1100


def test_typical_attendance_needs_a_meeting() -> None:
    with pytest.raises(LookupError):
        education_and_send.typical_attendance(ret(("2024-25", "safeguarding_reviews", "", 3.0)))


def test_review_learning_rows_keep_the_partnerships_order(data: ReportData) -> None:
    rows = review_learning(data)
    assert rows["review"].tolist() == [1, 2, 3]
    assert set(rows["review_type"]) == {"Rapid review"}
    assert compute("reviews_learning_listed", data) == 3


# --------------------------------------------------------------------------- section types
FGM = StatedFigures("7.15", (
    Stated("fgm_assessment_risk_factor_cases", "SHOWN {value} in {year}.",
           withheld="WITHHELD ({value}) in {year}."),))


def test_the_words_follow_the_registers_suppression(data: ReportData) -> None:
    hidden = ctx(data, 7)
    assert FGM.render(hidden) == ["WITHHELD (<5) in 2024-25."]
    assert hidden.reg.figures[-1].suppressed and hidden.reg.figures[-1].value is None
    shown = ctx(data.for_year("2023-24"), 7)
    assert FGM.render(shown) == ["SHOWN 7 in 2023-24."]


def test_sections_say_so_when_the_year_has_no_rows(tmp_path: Path) -> None:
    year(tmp_path, "2024-25", fgm=0, ehcps=(1.0, 1.0), reviews=0, harm={"Neglect": 1.0})
    empty = ctx(ReportData("2024-25", tmp_path), 7)
    section = StatedFigures("9.1", (Stated("reviews_learning_listed", "a", withheld="b"),),
                            lead="Lead.")
    assert section.render(empty) == ["**Lead.** Not available from the data held for 2024-25."]
    assert TABLE.render(empty) == ["**Learning.** Not available from the data held for 2024-25."]


TABLE = TextTable("9.1", review_learning, "What each review found",
                  (("Review", "review_type"), ("Incident", "incident")),
                  "reviews_learning_listed", "The table lists {value} reviews.",
                  "Too few reviews to list ({value}).", lead="Learning.")


def test_a_table_of_few_reviews_is_withheld(data: ReportData) -> None:
    assert TABLE.render(ctx(data)) == ["**Learning.** Too few reviews to list (<5)."]


def test_a_table_of_enough_reviews_is_shown_and_marked_as_demo(data: ReportData) -> None:
    mark, text, table = TABLE.render(ctx(data.for_year("2023-24")))
    assert mark == f"*{DEMO_MARK}.*"
    assert text == "**Learning.** The table lists 6 reviews."
    assert isinstance(table, Table)
    assert table.data["Incident"].tolist() == [f"incident {n}" for n in range(1, 7)]


def test_harm_types_chart_ranks_only_published_non_empty_types(data: ReportData) -> None:
    section = ReturnBreakdown("9.1", "serious_incidents", "notifications_by_harm",
                              "Notifications", "notifications",
                              total_code="serious_incident_notifications", values="count",
                              over_time=True)
    text, _chart = section.render(ctx(data))
    assert text == "In 2024-25, every group of notifications was too small to show."
    text, _chart = section.render(ctx(data.for_year("2023-24")))
    assert text == "The largest groups of notifications in 2023-24 were Sexual abuse (6)."


def test_a_partnership_without_a_schools_return_gets_words_not_figures(data: ReportData) -> None:
    from helpers.chapters.ch07_assurance import CHAPTER
    from helpers.chapters.sections import StatedFigures
    from helpers.data import schemas

    assert schemas.table("school_safeguarding").optional
    folder = data.data_dir / "2024-25"
    SCHOOLS.iloc[:0].to_parquet(folder / "school_safeguarding.parquet")  # read as empty
    [section] = [s for s in CHAPTER.sections
                 if isinstance(s, StatedFigures) and s.section == "7.10"]
    assert section.render(ctx(ReportData("2024-25", data.data_dir), 7)) == [
        "**Assurance from schools.** Not available from the data held for 2024-25."]

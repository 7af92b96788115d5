"""Social care indicators on small hand-built frames, with hand-computed expectations."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from helpers.data.loading import ReportData
from helpers.indicators import (
    SOCIAL_CARE_FAMILIES,
    care_leavers,
    child_protection,
    children_in_need,
    disproportionality,
    exploitation,
    looked_after,
    missing,
    periods,
)
from helpers.indicators.base import MEASURES

SOCIAL_CARE_MODULES = {family.__name__ for family in SOCIAL_CARE_FAMILIES}
Y = "2024-25"
T = pd.Timestamp
NA = pd.NaT


def frame(rows: list[dict], period: str = Y, dates: tuple[str, ...] = ()) -> pd.DataFrame:
    """A processed-looking table: the given rows, typed dates, and the report year."""
    out = pd.DataFrame(rows).assign(period=period)
    for column in dates:
        out[column] = pd.to_datetime(out[column])
    return out


def test_age_counts_from_the_first_of_the_birth_month() -> None:
    ages = periods.age_in_years(pd.Series(["2011-03", "2011-04", "2020-01"]), T("2025-03-31"))
    assert ages.tolist() == [14, 13, 5]
    on = pd.Series(pd.to_datetime(["2024-03-01", "2024-02-29"]))
    assert periods.age_in_years(pd.Series(["2011-03", "2011-03"]), on).tolist() == [13, 12]


# --- children in need and child protection -----------------------------------------------------


def test_cin_initial_visits_within_10_working_days() -> None:
    cin = frame([
        {"start_date": "2024-05-01", "initial_visit_date": "2024-05-15", "end_date": None},  # 9
        {"start_date": "2024-05-01", "initial_visit_date": "2024-05-16", "end_date": None},  # 10
        {"start_date": "2024-05-01", "initial_visit_date": "2024-05-17", "end_date": None},  # 11
        {"start_date": "2024-05-01", "initial_visit_date": None, "end_date": None},  # no visit
        {"start_date": "2024-03-01", "initial_visit_date": "2024-03-04", "end_date": None},  # old
    ], dates=("start_date", "initial_visit_date", "end_date"))
    out = children_in_need.cin_initial_visit_timeliness(cin)
    assert out[["denominator", "count"]].values.tolist() == [[3, 2]]
    assert out["pct"].iloc[0] == pytest.approx(200 / 3)


def test_cin_visits_up_to_date_at_31_march() -> None:
    cin = frame([
        {"start_date": "2024-06-01", "latest_visit_date": "2025-03-10", "frequency": 28,
         "end_date": None},                                                  # 21 days: fine
        {"start_date": "2024-06-01", "latest_visit_date": "2025-02-20", "frequency": 28,
         "end_date": None},                                                  # 39 days: overdue
        {"start_date": "2025-03-20", "latest_visit_date": None, "frequency": 28,
         "end_date": None},                                                  # new, not yet due
        {"start_date": "2024-06-01", "latest_visit_date": "2024-09-01", "frequency": 28,
         "end_date": "2024-10-01"},                                          # closed: left out
    ], dates=("start_date", "latest_visit_date", "end_date")).rename(
        columns={"frequency": "visit_frequency_days"})
    out = children_in_need.cin_visits_up_to_date(cin)
    assert out[["denominator", "count"]].values.tolist() == [[3, 2]]


def test_referrals_with_a_section_47() -> None:
    referrals = frame([{"referral_id": f"RF-{i}"} for i in range(4)])
    s47 = frame([{"referral_id": "RF-1"}, {"referral_id": "RF-1"}, {"referral_id": "RF-3"},
                 {"referral_id": "RF-OLD"}])
    out = child_protection.referrals_with_s47(referrals, s47)
    assert out[["denominator", "count", "pct"]].values.tolist() == [[4, 2, 50.0]]


def _plans() -> pd.DataFrame:
    rows = [
        {"child_id": "A", "start_date": "2023-06-01", "end_date": None, "initial_category": "NEG"},
        {"child_id": "B", "start_date": "2024-05-01", "end_date": None, "initial_category": "EMO"},
        {"child_id": "C", "start_date": "2024-06-01", "end_date": "2025-01-01",
         "initial_category": "EMO"},
        {"child_id": "D", "start_date": "2024-07-01", "end_date": None, "initial_category": "NEG"},
        {"child_id": "E", "start_date": "2024-08-01", "end_date": None, "initial_category": "EMO"},
        {"child_id": "F", "start_date": "2024-09-01", "end_date": None, "initial_category": "SAB"},
    ]
    return frame(rows, dates=("start_date", "end_date"))


def test_children_on_a_plan_at_31_march() -> None:
    assert child_protection.cp_plans_open_at_year_end(_plans())["count"].tolist() == [5]


def test_plan_starts_by_category_rank_and_rate() -> None:
    starts = child_protection.cp_plan_starts(_plans())
    assert starts[["category", "count", "rank"]].values.tolist() == [
        ["EMO", 3, 1], ["NEG", 1, 2], ["SAB", 1, 2]]
    assert starts["label"].tolist()[0] == "emotional abuse"
    population = frame([{"population": 20_000}, {"population": 20_000}])
    rates = child_protection.cp_plan_start_rates(_plans(), population).set_index("category")
    assert rates.loc["NEG", "rate_per_10k"] == pytest.approx(0.25)     # 1 per 40,000
    assert rates.loc["ALL", "count"] == 5


# --- children looked after ---------------------------------------------------------------------


def _episodes() -> pd.DataFrame:
    rows = [
        # A: in care all year, two moves and a legal change -> 3 placements
        ("A", "2023-01-01", "2024-06-01", "S", "C1", 5.0, "N"),
        ("A", "2024-06-01", "2024-09-01", "L", "C2", 5.0, "N"),
        ("A", "2024-09-01", "2024-12-01", "P", "C2", 25.0, "N"),
        ("A", "2024-12-01", None, "P", "C2", 12.0, "N"),
        # B: started this year aged 15, one move -> 2 placements
        ("B", "2024-05-01", "2024-10-01", "S", "V2", 30.0, "Y"),
        ("B", "2024-10-01", None, "T", "V2", 2.0, "Y"),
        # C: started and left this year
        ("C", "2024-07-01", "2024-11-01", "S", "V2", 3.0, "N"),
        # D: short breaks only, not counted at 31 March
        ("D", "2024-04-10", None, "S", "V3", 1.0, "N"),
    ]
    columns = ["child_id", "start_date", "end_date", "rne", "legal_status",
               "placement_distance_miles", "uasc"]
    return frame([dict(zip(columns, r, strict=True)) for r in rows],
                 dates=("start_date", "end_date"))


def _children() -> pd.DataFrame:
    return frame([{"child_id": "A", "birth_month": "2021-02", "sex": "2", "ethnicity": "BAFR"},
                  {"child_id": "B", "birth_month": "2009-01", "sex": "1", "ethnicity": "WBRI"},
                  {"child_id": "C", "birth_month": "2012-08", "sex": "1", "ethnicity": "MWBC"},
                  {"child_id": "D", "birth_month": "2014-01", "sex": "2", "ethnicity": "REFU"}])


def test_looked_after_at_31_march_leaves_out_short_breaks_and_leavers() -> None:
    at_end = looked_after.cla_at_year_end(_episodes())
    assert sorted(at_end["child_id"]) == ["A", "B"]


def test_starters_with_their_age_on_the_day() -> None:
    starters = looked_after.cla_starters(_episodes(), _children())
    assert starters[["child_id", "age", "age_band"]].values.tolist() == [
        ["B", 15, "13-15"], ["C", 11, "10-12"], ["D", 10, "10-12"]]
    by_age = looked_after.cla_starters_by_age(_episodes(), _children()).set_index("age_band")
    assert by_age.loc["10-12", "count"] == 2 and by_age.loc["16-17", "count"] == 0


def test_placements_count_moves_not_legal_changes() -> None:
    placements = looked_after.placements_in_year(_episodes()).set_index("child_id")["placements"]
    assert placements.to_dict() == {"A": 3, "B": 2, "C": 1, "D": 1}
    stability = looked_after.placement_stability(_episodes())
    assert stability[["denominator", "count", "pct"]].values.tolist() == [[2, 1, 50.0]]


def test_distance_and_uasc_of_children_in_care_at_31_march() -> None:
    assert looked_after.placement_distance(_episodes())[["denominator", "count"]].values.tolist() == [[2, 2]]
    assert looked_after.uasc_share(_episodes())["pct"].tolist() == [50.0]


def test_review_participation_uses_the_latest_review_and_leaves_out_pn0() -> None:
    reviews = frame([
        {"child_id": "A", "review_date": "2024-05-01", "participation": "PN0"},
        {"child_id": "B", "review_date": "2024-05-01", "participation": "PN7"},
        {"child_id": "B", "review_date": "2024-11-01", "participation": "PN1"},
        {"child_id": "C", "review_date": "2024-08-01", "participation": "PN4"},
        {"child_id": "E", "review_date": "2024-08-01", "participation": "PN6"},
    ], dates=("review_date",))
    out = looked_after.review_participation(reviews)
    assert out[["denominator", "count"]].values.tolist() == [[3, 2]]


def test_visits_in_time() -> None:
    visits = frame([
        {"due_date": "2024-05-01", "visit_date": "2024-04-28"},
        {"due_date": "2024-05-01", "visit_date": "2024-05-01"},
        {"due_date": "2024-05-01", "visit_date": "2024-05-02"},
        {"due_date": "2025-03-30", "visit_date": None},
    ], dates=("due_date", "visit_date"))
    assert looked_after.visits_in_time(visits)[["denominator", "count"]].values.tolist() == [[4, 2]]


def test_health_checks_of_the_12_month_cohort() -> None:
    health = frame([
        {"child_id": "A", "health_assessment_date": "2024-10-01", "dental_check_date": "2024-06-01",
         "development_check_date": "2024-12-01"},
        {"child_id": "B", "health_assessment_date": "2024-10-01", "dental_check_date": "2024-03-01",
         "development_check_date": None},
        {"child_id": "C", "health_assessment_date": "2025-01-01", "dental_check_date": "2025-02-01",
         "development_check_date": None},
    ], dates=("health_assessment_date", "dental_check_date", "development_check_date"))
    out = looked_after.health_checks(health, _children()).iloc[0]
    assert (out["denominator"], out["count"]) == (3, 2)           # B's dental check is stale
    assert (out["denominator_under5"], out["count_under5"]) == (1, 1)   # only A is under 5


def test_care_leavers_aged_18_plus_with_a_worker() -> None:
    leavers = frame([{"child_id": "B", "pa_allocated": "Y"}, {"child_id": "X", "pa_allocated": "Y"},
                     {"child_id": "Z", "pa_allocated": "N"}])
    children = frame([{"child_id": "B", "birth_month": "2009-01"},
                      {"child_id": "X", "birth_month": "2006-03"},
                      {"child_id": "Z", "birth_month": "2002-11"}])
    out = care_leavers.care_leavers_allocated(leavers, children)
    assert out[["denominator", "count"]].values.tolist() == [[2, 1]]   # B is 16


# --- missing and exploitation ------------------------------------------------------------------


def test_missing_summary() -> None:
    episodes = frame([
        {"child_id": "A", "duration_hours": 5.0, "rhc": "HELD"},
        {"child_id": "A", "duration_hours": 24.0, "rhc": "DECL"},
        {"child_id": "A", "duration_hours": 30.0, "rhc": "HELD"},
        {"child_id": "B", "duration_hours": 48.0, "rhc": "NOTH"},
        {"child_id": "C", "duration_hours": 2.0, "rhc": "NA"},
    ])
    out = missing.missing_summary(episodes).iloc[0]
    assert (out["children"], out["episodes"], out["short"]) == (3, 5, 3)
    assert out["short_pct"] == 60.0
    assert out["rhc_children_pct"] == pytest.approx(100 / 3)
    assert out["rhc_episodes_pct"] == 50.0                           # 2 of 4 applicable


def _exploitation() -> tuple[pd.DataFrame, pd.DataFrame]:
    assessments = frame([
        {"assessment_id": "E1", "child_id": "A", "tool": "CSE", "initial_score": 60,
         "review_date": "2024-09-01", "review_score": 40},
        {"assessment_id": "E2", "child_id": "B", "tool": "CCE", "initial_score": 50,
         "review_date": "2024-09-01", "review_score": 55},
        {"assessment_id": "E3", "child_id": "C", "tool": "CCE", "initial_score": 50,
         "review_date": None, "review_score": None},
        {"assessment_id": "E4", "child_id": "D", "tool": "CCE", "initial_score": 70,
         "review_date": "2024-10-01", "review_score": 30},
    ], dates=("review_date",))
    types = frame([{"assessment_id": "E1", "code": "ONL"}, {"assessment_id": "E2", "code": "YV"},
                   {"assessment_id": "E2", "code": "DRG"}, {"assessment_id": "E3", "code": "YV"},
                   {"assessment_id": "E4", "code": "THF"}])
    return assessments, types


def test_exploitation_children_by_sex() -> None:
    assessments, _ = _exploitation()
    out = exploitation.exploitation_by_sex(assessments, _children())
    cce = out[out["tool"] == "CCE"].set_index("sex")
    assert cce["count"].to_dict() == {"1": 2, "2": 1}
    assert cce.loc["1", "pct"] == pytest.approx(200 / 3)


def test_exploitation_types_are_shares_of_children_and_may_overlap() -> None:
    out = exploitation.exploitation_type_shares(*_exploitation())
    cce = out[out["tool"] == "CCE"]
    assert cce[["type", "count"]].values.tolist() == [["YV", 2], ["DRG", 1], ["THF", 1]]
    assert cce["pct"].sum() == pytest.approx(400 / 3)              # more than 100%
    assert cce["label"].iloc[0] == "youth violence"


def test_risk_reduced_at_review() -> None:
    out = exploitation.risk_reduced(_exploitation()[0]).set_index("tool")
    assert out.loc["CSE", "pct"] == 100.0
    assert (out.loc["CCE", "denominator"], out.loc["CCE", "count"]) == (2, 1)


# --- disproportionality ------------------------------------------------------------------------


def test_disproportionality_matrix_shares_and_ratios() -> None:
    referrals = frame([{"child_id": c} for c in ("A", "B", "C", "D", "A")])
    assessments = frame([{"child_id": c} for c in ("A", "B")])
    s47 = frame([{"child_id": "A", "start_date": "2024-05-01", "icpc_date": "2024-05-20"},
                 {"child_id": "B", "start_date": "2024-02-01", "icpc_date": None}],
                dates=("start_date", "icpc_date"))
    plans = frame([{"child_id": "A", "start_date": "2024-05-20", "end_date": None}],
                  dates=("start_date", "end_date"))
    members = disproportionality.stage_members(referrals, assessments, s47, plans, _episodes())
    counts = members.groupby("stage")["child_id"].nunique().to_dict()
    assert counts == {"referral": 4, "assessment": 2, "s47": 1, "icpc": 1, "cp_plan": 1, "cla": 2}
    population = frame([{"ethnic_group": "White", "population": 60},
                        {"ethnic_group": "Black", "population": 10},
                        {"ethnic_group": "Mixed", "population": 30}])
    matrix = disproportionality.disproportionality(members, _children(), population)
    referral = matrix[matrix["stage"] == "referral"].set_index("ethnic_group")
    assert referral["pct"].to_dict() == {"Black": 25.0, "Mixed": 25.0, "Not known": 25.0,
                                         "White": 25.0}
    assert referral.loc["Black", "ratio"] == pytest.approx(2.5)
    assert referral.loc["White", "ratio"] == pytest.approx(25 / 60)
    assert matrix["stage"].iloc[0] == "population"


# --- measures on a tiny processed folder --------------------------------------------------------


def _write(folder: Path, name: str, table: pd.DataFrame) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    table.drop(columns="period").to_parquet(folder / f"{name}.parquet", index=False)


def test_neglect_rate_measure_and_its_benchmark_comparator(tmp_path: Path) -> None:
    folder = tmp_path / Y
    plans = _plans()
    plans["initial_category"] = ["NEG", "NEG", "NEG", "EMO", "EMO", "EMO"]
    _write(folder, "cp_plans", plans)
    _write(folder, "population", frame([{"population": 40_000}]))
    _write(folder, "benchmarks", frame([
        {"area": "England", "indicator": "cpp_rate_per_10k_neglect", "figure_period": Y,
         "value": 25.0},
        {"area": "Inner London", "indicator": "cpp_rate_per_10k_neglect", "figure_period": Y,
         "value": 18.7},
        {"area": "England", "indicator": "cpp_rate_per_10k_neglect", "figure_period": "2023-24",
         "value": 26.0}]))
    data = ReportData(Y, tmp_path)
    neglect = MEASURES["cpp_rate_per_10k_neglect"]
    assert neglect.compute(data) == pytest.approx(0.5)              # 2 starts / 40,000
    assert neglect.comparator is not None
    assert neglect.comparator(data) == "18.7 | 25"
    assert MEASURES["cpp_total"].compute(data) == 5
    assert MEASURES["cpp_category_rank_order"].compute(data) == "1 emotional abuse; 2 neglect"


def test_every_social_care_demo_target_has_a_measure() -> None:
    import csv

    from helpers.report.figure_register import FACTS_FILE

    with FACTS_FILE.open(encoding="utf-8") as fh:
        rows = [r for r in csv.DictReader(fh) if r["demo_target"] == "yes"]
    scope = {"7.1", "7.3", "7.4", "7.5", "8.3"}
    wanted = {r["indicator"] for r in rows if r["section"] in scope}
    wanted |= {"cpp_rate_per_10k_neglect"}
    wanted |= {r["indicator"] for r in rows if r["section"] == "8.1"
               and r["indicator"].startswith(("cse_", "cce_"))}
    absent = sorted(w for w in wanted if w not in MEASURES)
    assert absent == []
    assert all(MEASURES[w].compute.__module__ in SOCIAL_CARE_MODULES for w in wanted)

"""Social care tables: every table rejects a bad row precisely, and the cross-table rules
catch what they claim to catch (plans start at their ICPC, episodes never overlap, ...)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from helpers.config import Year
from helpers.data import schema_social_care as sc
from helpers.data import schemas
from helpers.data.validation import Problem, RawDataError, read_raw_table

YEAR = Year.parse("2024-25")

# One valid row per table; each test below breaks one cell.
VALID: dict[str, dict[str, str]] = {
    "cin_episodes": {"episode_id": "CIN-1", "child_id": "CH-000001", "referral_id": "RF-1",
                     "start_date": "2024-05-01", "initial_visit_date": "2024-05-03",
                     "latest_visit_date": "2025-03-20", "visit_frequency_days": "28",
                     "end_date": ""},
    "section47": {"s47_id": "S47-1", "child_id": "CH-000001", "referral_id": "RF-1",
                  "referral_date": "2024-05-01", "start_date": "2024-05-02", "outcome": "ICPC",
                  "icpc_date": "2024-05-20"},
    "cp_plans": {"plan_id": "CPP-1", "child_id": "CH-000001", "s47_id": "S47-1",
                 "start_date": "2024-05-20", "end_date": "", "initial_category": "EMO",
                 "latest_category": "EMO"},
    "cla_episodes": {"episode_id": "EP-1", "child_id": "CH-000002", "start_date": "2023-01-10",
                     "end_date": "", "rne": "S", "legal_status": "C2", "placement_type": "U6",
                     "placement_distance_miles": "4.5", "uasc": "N", "reason_ceased": ""},
    "cla_reviews": {"review_id": "RV-1", "child_id": "CH-000002", "review_date": "2024-06-01",
                    "participation": "PN1"},
    "cla_visits": {"visit_id": "VS-1", "child_id": "CH-000002", "due_date": "2024-06-01",
                   "visit_date": "2024-05-30"},
    "cla_health": {"child_id": "CH-000002", "health_assessment_date": "2024-10-01",
                   "dental_check_date": "2024-11-01", "development_check_date": ""},
    "care_leavers": {"child_id": "CH-000003", "pa_allocated": "Y", "in_touch": "YES",
                     "activity": "F4", "accommodation": "U", "accommodation_suitable": "Y"},
    "missing_episodes": {"episode_id": "MS-1", "child_id": "CH-000002",
                         "start_date": "2024-07-01", "duration_hours": "6.5",
                         "looked_after": "Y", "rhc": "HELD"},
    "exploitation_assessments": {"assessment_id": "EX-1", "child_id": "CH-000004",
                                 "tool": "CCE", "assessment_date": "2024-06-01",
                                 "initial_score": "60", "review_date": "2024-09-01",
                                 "review_score": "40", "exploitation_types": "YV;DRG"},
}

# (table, column, bad value, words the expectation must contain)
BAD_CELLS = [
    ("cin_episodes", "visit_frequency_days", "0", "at least 1"),
    ("cin_episodes", "initial_visit_date", "3rd May", "YYYY-MM-DD"),
    ("section47", "outcome", "STRATEGY", "section 47 outcomes"),
    ("section47", "start_date", "2025-04-02", "2025-03-31"),
    ("cp_plans", "initial_category", "DOM", "CIN census category of abuse"),
    ("cla_episodes", "rne", "X", "SSDA903 reason for new episode"),
    ("cla_episodes", "placement_type", "F1", "SSDA903 placement type"),
    ("cla_episodes", "placement_distance_miles", "-2", "at least 0"),
    ("cla_reviews", "review_date", "2024-03-31", "2024-04-01 to 2025-03-31"),
    ("cla_reviews", "participation", "PN9", "SSDA903 review participation"),
    ("cla_visits", "due_date", "2025-04-01", "2024-04-01 to 2025-03-31"),
    ("cla_health", "dental_check_date", "2025-05-01", "2025-03-31"),
    ("care_leavers", "in_touch", "MAYBE", "SSDA903 OC3 in touch"),
    ("care_leavers", "pa_allocated", "yes", "Y/N"),
    ("missing_episodes", "duration_hours", "-1", "at least 0"),
    ("missing_episodes", "rhc", "DONE", "return home conversation outcomes"),
    ("exploitation_assessments", "initial_score", "150", "at most 100"),
    ("exploitation_assessments", "exploitation_types", "YV;ARSON", "exploitation types"),
    ("exploitation_assessments", "tool", "HSB", "exploitation risk tools"),
]


def _csv(tmp_path: Path, table: str, rows: list[dict[str, str]]) -> Path:
    path = tmp_path / f"{table}.csv"
    columns = schemas.table(table).column_names
    lines = [",".join(columns)] + [",".join(row.get(c, "") for c in columns) for row in rows]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _read(tmp_path: Path, table: str, rows: list[dict[str, str]]) -> pd.DataFrame:
    return read_raw_table(_csv(tmp_path, table, rows), schemas.table(table), YEAR)


def test_every_social_care_table_is_registered_and_has_a_valid_example() -> None:
    names = {t.name for t in sc.TABLES}
    assert names == set(VALID)
    assert names <= set(schemas.TABLES)
    assert sc.cross_checks in sc.CROSS_CHECKS


@pytest.mark.parametrize("table", list(VALID))
def test_valid_row_is_read_and_typed(tmp_path: Path, table: str) -> None:
    frame = _read(tmp_path, table, [VALID[table]])
    assert len(frame) == 1
    for column in schemas.table(table).columns:
        if column.kind == "date":
            assert str(frame[column.name].dtype).startswith("datetime64")


@pytest.mark.parametrize(("table", "column", "value", "words"), BAD_CELLS,
                         ids=[f"{t}-{c}" for t, c, _, _ in BAD_CELLS])
def test_bad_cell_is_rejected_with_file_row_and_column(tmp_path: Path, table: str, column: str,
                                                        value: str, words: str) -> None:
    second = {**VALID[table], column: value}
    if "id" in next(iter(second)):  # keep ids unique so only the bad cell is reported
        first_key = next(iter(second))
        second[first_key] = second[first_key] + "-b"
    if table in ("cla_health", "care_leavers"):
        second["child_id"] = "CH-000099"
    with pytest.raises(RawDataError) as info:
        _read(tmp_path, table, [VALID[table], second])
    found = [p for p in info.value.problems if p.column == column]
    assert found, info.value.problems
    problem = found[0]
    assert (problem.file, problem.row) == (f"{table}.csv", 3)
    assert words in problem.expected
    assert value.split(";")[-1] in (problem.value or "")


def test_duplicate_child_in_the_health_cohort_is_rejected(tmp_path: Path) -> None:
    with pytest.raises(RawDataError) as info:
        _read(tmp_path, "cla_health", [VALID["cla_health"], VALID["cla_health"]])
    assert any(p.column == "child_id" and "appear once" in p.expected
               for p in info.value.problems)


# --- cross-table rules -----------------------------------------------------------------------


def _frames(tmp_path: Path, **rows: list[dict[str, str]]) -> dict[str, pd.DataFrame]:
    """Typed frames of the valid example, with any table's rows replaced."""
    frames = {}
    for table in VALID:
        given = rows.get(table, [VALID[table]])
        frame = _read(tmp_path, table, given or [VALID[table]])
        frames[table] = frame if given else frame.iloc[0:0]   # [] = an empty table
    frames["referrals"] = pd.DataFrame({
        "referral_id": ["RF-1"], "child_id": ["CH-000001"],
        "referral_date": [pd.Timestamp("2024-05-01")]})
    frames["children"] = pd.DataFrame({
        "child_id": ["CH-000001", "CH-000002", "CH-000003", "CH-000004"],
        "birth_month": ["2015-01", "2012-06", "2005-02", "2009-09"]})
    return frames


def _problems(tmp_path: Path, **rows: list[dict[str, str]]) -> list[Problem]:
    return sc.cross_checks(_frames(tmp_path, **rows))


def _where(problems: list[Problem]) -> list[tuple[str, int | None, str | None]]:
    return [(p.file, p.row, p.column) for p in problems]


def test_the_valid_example_passes_every_cross_check(tmp_path: Path) -> None:
    assert _problems(tmp_path) == []


def test_a_plan_starts_on_its_icpc_date(tmp_path: Path) -> None:
    plan = {**VALID["cp_plans"], "start_date": "2024-05-27"}
    problems = _problems(tmp_path, cp_plans=[plan])
    assert _where(problems) == [("cp_plans.csv", 2, "start_date")]
    assert "ICPC" in problems[0].expected and problems[0].value == "2024-05-27"


def test_a_plan_is_for_the_child_of_its_enquiry(tmp_path: Path) -> None:
    plan = {**VALID["cp_plans"], "child_id": "CH-000004"}
    assert _where(_problems(tmp_path, cp_plans=[plan])) == [("cp_plans.csv", 2, "child_id")]


def test_a_plan_must_name_an_enquiry_in_the_file(tmp_path: Path) -> None:
    from helpers.data.validation import check_references

    frames = _frames(tmp_path, cp_plans=[{**VALID["cp_plans"], "s47_id": "S47-404"}])
    problems = check_references({"cp_plans": frames["cp_plans"],
                                 "section47": frames["section47"]}, schemas.TABLES)
    assert _where(problems) == [("cp_plans.csv", 2, "s47_id")]


def test_a_childs_plans_do_not_overlap(tmp_path: Path) -> None:
    first = {**VALID["cp_plans"], "end_date": "2024-12-01"}
    second = {**VALID["cp_plans"], "plan_id": "CPP-2", "start_date": "2024-11-01"}
    s47b = {**VALID["section47"], "s47_id": "S47-2", "referral_id": "RF-9",
            "start_date": "2024-10-20", "icpc_date": "2024-11-01"}
    problems = _problems(tmp_path, cp_plans=[first, {**second, "s47_id": "S47-2"}],
                         section47=[VALID["section47"], s47b])
    assert _where(problems) == [("cp_plans.csv", 3, "start_date")]
    assert "cannot overlap" in problems[0].expected


def test_an_enquiry_follows_its_referral_and_the_icpc_follows_the_enquiry(tmp_path: Path) -> None:
    early = {**VALID["section47"], "start_date": "2024-04-20", "icpc_date": "2024-04-10"}
    problems = _problems(tmp_path, section47=[early],
                         cp_plans=[{**VALID["cp_plans"], "start_date": "2024-04-10"}])
    assert ("section47.csv", 2, "start_date") in _where(problems)   # before its referral
    assert ("section47.csv", 2, "icpc_date") in _where(problems)    # ICPC before the S47


def test_an_enquiry_matches_its_referral_in_this_years_file(tmp_path: Path) -> None:
    other = {**VALID["section47"], "child_id": "CH-000004", "outcome": "NFA", "icpc_date": ""}
    problems = _problems(tmp_path, section47=[other], cp_plans=[])
    assert _where(problems) == [("section47.csv", 2, "child_id")]
    moved = {**VALID["section47"], "referral_date": "2024-04-30"}
    assert _where(_problems(tmp_path, section47=[moved])) == [("section47.csv", 2,
                                                                "referral_date")]


def test_the_icpc_outcome_and_date_go_together(tmp_path: Path) -> None:
    no_date = {**VALID["section47"], "icpc_date": ""}
    assert ("section47.csv", 2, "icpc_date") in _where(
        _problems(tmp_path, section47=[no_date], cp_plans=[]))
    no_outcome = {**VALID["section47"], "outcome": "CIN"}
    assert _where(_problems(tmp_path, section47=[no_outcome])) == [("section47.csv", 2,
                                                                     "outcome")]


def test_cin_visits_fall_inside_the_episode(tmp_path: Path) -> None:
    before = {**VALID["cin_episodes"], "initial_visit_date": "2024-04-28"}
    assert _where(_problems(tmp_path, cin_episodes=[before])) == [
        ("cin_episodes.csv", 2, "initial_visit_date")]
    after = {**VALID["cin_episodes"], "end_date": "2025-01-31"}
    assert _where(_problems(tmp_path, cin_episodes=[after])) == [
        ("cin_episodes.csv", 2, "latest_visit_date")]
    wrong_child = {**VALID["cin_episodes"], "child_id": "CH-000003"}
    assert _where(_problems(tmp_path, cin_episodes=[wrong_child])) == [
        ("cin_episodes.csv", 2, "child_id")]


def test_a_childs_care_episodes_never_overlap(tmp_path: Path) -> None:
    first = {**VALID["cla_episodes"], "end_date": "2024-06-01", "reason_ceased": "X1"}
    touching = {**VALID["cla_episodes"], "episode_id": "EP-2", "start_date": "2024-06-01",
                "rne": "P"}
    assert _problems(tmp_path, cla_episodes=[first, touching]) == []
    overlapping = {**touching, "start_date": "2024-05-20"}
    problems = _problems(tmp_path, cla_episodes=[first, overlapping])
    assert ("cla_episodes.csv", 3, "start_date") in _where(problems)
    open_first = {**VALID["cla_episodes"]}
    later = {**touching, "start_date": "2024-09-01"}
    assert ("cla_episodes.csv", 3, "start_date") in _where(
        _problems(tmp_path, cla_episodes=[open_first, later]))


def test_an_ended_episode_has_a_reason_and_an_open_one_none(tmp_path: Path) -> None:
    no_reason = {**VALID["cla_episodes"], "end_date": "2025-03-01"}
    problems = _problems(tmp_path, cla_episodes=[no_reason], cla_health=[], cla_reviews=[],
                         cla_visits=[], missing_episodes=[])
    assert _where(problems) == [("cla_episodes.csv", 2, "reason_ceased")]


def test_reviews_and_visits_happen_while_the_child_is_looked_after(tmp_path: Path) -> None:
    review = {**VALID["cla_reviews"], "child_id": "CH-000004"}
    visit = {**VALID["cla_visits"], "due_date": "2024-04-02", "child_id": "CH-000001"}
    problems = _problems(tmp_path, cla_reviews=[review], cla_visits=[visit])
    assert _where(problems) == [("cla_reviews.csv", 2, "review_date"),
                                ("cla_visits.csv", 2, "due_date")]


def test_the_health_cohort_was_looked_after_all_year(tmp_path: Path) -> None:
    recent = {**VALID["cla_episodes"], "start_date": "2024-06-01"}
    problems = _problems(tmp_path, cla_episodes=[recent], cla_reviews=[], cla_visits=[],
                         missing_episodes=[])
    assert _where(problems) == [("cla_health.csv", 2, "child_id")]
    # a chain of episodes joined end to start counts as one period of care
    first = {**VALID["cla_episodes"], "end_date": "2024-06-01", "reason_ceased": "X1"}
    second = {**VALID["cla_episodes"], "episode_id": "EP-2", "start_date": "2024-06-01",
              "rne": "P"}
    assert _problems(tmp_path, cla_episodes=[first, second]) == []
    # no child looked after at the year end at all: a finding, not a crash
    assert ("cla_health.csv", 2, "child_id") in _where(
        _problems(tmp_path, cla_episodes=[first], cla_reviews=[], cla_visits=[],
                  missing_episodes=[]))


def test_missing_from_care_needs_a_care_episode(tmp_path: Path) -> None:
    from_home = {**VALID["missing_episodes"], "child_id": "CH-000004"}
    problems = _problems(tmp_path, missing_episodes=[from_home])
    assert _where(problems) == [("missing_episodes.csv", 2, "looked_after")]
    assert _problems(tmp_path, missing_episodes=[{**from_home, "looked_after": "N"}]) == []


def test_exploitation_types_belong_to_the_tool_and_reviews_are_complete(tmp_path: Path) -> None:
    wrong = {**VALID["exploitation_assessments"], "exploitation_types": "YV;ONL"}
    problems = _problems(tmp_path, exploitation_assessments=[wrong])
    assert _where(problems) == [("exploitation_assessments.csv", 2, "exploitation_types")]
    assert problems[0].value == "ONL"
    half = {**VALID["exploitation_assessments"], "review_score": ""}
    assert _where(_problems(tmp_path, exploitation_assessments=[half])) == [
        ("exploitation_assessments.csv", 2, "review_score")]
    early = {**VALID["exploitation_assessments"], "review_date": "2024-05-01"}
    assert _where(_problems(tmp_path, exploitation_assessments=[early])) == [
        ("exploitation_assessments.csv", 2, "review_date")]


def test_care_leavers_are_18_or_over(tmp_path: Path) -> None:
    young = {**VALID["care_leavers"], "child_id": "CH-000004"}
    problems = _problems(tmp_path, care_leavers=[young])
    assert _where(problems) == [("care_leavers.csv", 2, "child_id")]
    assert "18 or over" in problems[0].expected


def test_year_end_is_read_from_the_referrals() -> None:
    frames = {"referrals": pd.DataFrame({"referral_date": pd.to_datetime(["2025-02-01",
                                                                          "2024-04-01"])})}
    assert sc.year_end(frames) == pd.Timestamp("2025-03-31")
    assert sc.year_end({}) is None


def test_benchmark_indicators_reach_the_benchmarks_table() -> None:
    codes = schemas.BENCHMARKS.column("indicator").codes
    assert codes is not None
    assert {"cpp_rate_per_10k_neglect", "cpp_rate_per_10k"} <= set(codes)

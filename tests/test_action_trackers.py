"""The action-tracker return added for chapter 7: its schema rejects bad rows, and the
measures count actions, areas and the share on track from it."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from helpers.config import Year
from helpers.data import rules, schemas
from helpers.data.validation import RawDataError, read_raw_table
from helpers.indicators import action_plans as ap
from helpers.indicators.base import MEASURES

YEAR = Year.parse("2024-25")
HEADER = "plan,area,action,status,review_date\n"


def _read(tmp_path: Path, text: str) -> pd.DataFrame:
    path = tmp_path / "action_trackers.csv"
    path.write_text(HEADER + text, encoding="utf-8")
    return read_raw_table(path, schemas.table("action_trackers"), YEAR)


def test_a_valid_tracker_is_read(tmp_path: Path) -> None:
    frame = _read(tmp_path, "csa,Prevent,Awareness sessions,Green,2025-02-15\n"
                            "sidar,Recommendation 1,Share learning,Complete,\n")
    assert list(frame["status"]) == ["Green", "Complete"]


def test_an_unknown_status_is_rejected_with_row_and_column(tmp_path: Path) -> None:
    with pytest.raises(RawDataError) as caught:
        _read(tmp_path, "csa,Prevent,Awareness sessions,Blue,2025-02-15\n")
    [problem] = caught.value.problems
    assert (problem.file, problem.row, problem.column, problem.value) == (
        "action_trackers.csv", 2, "status", "Blue")


def test_an_unknown_plan_is_rejected(tmp_path: Path) -> None:
    with pytest.raises(RawDataError) as caught:
        _read(tmp_path, "budget,Prevent,Awareness sessions,Green,2025-02-15\n")
    assert [p.column for p in caught.value.problems] == ["plan"]


def test_an_action_listed_twice_under_its_area_is_rejected_by_the_key_rule(tmp_path: Path) -> None:
    with pytest.raises(RawDataError) as caught:
        _read(tmp_path, "csa,Prevent,Awareness sessions,Green,2025-02-15\n"
                        "csa,Identify,Awareness sessions,Red,2025-02-15\n"
                        "csa,Prevent,Awareness sessions,Amber,2025-03-15\n")
    [problem] = caught.value.problems
    assert (problem.rule, problem.row) == (rules.KEY_ONCE, 4)
    assert "rows 2 and 4" in problem.expected


def test_every_problem_names_a_registered_rule(tmp_path: Path) -> None:
    with pytest.raises(RawDataError) as caught:
        _read(tmp_path, "budget,Prevent,Awareness sessions,Blue,2025-02-15\n")
    assert {p.column for p in caught.value.problems} == {"plan", "status"}
    assert all(p.rule in rules.RULES for p in caught.value.problems)


class _Data:
    year = "2024-25"

    def __init__(self, rows: pd.DataFrame) -> None:
        self.rows = rows

    def current(self, name: str) -> pd.DataFrame:
        assert name == "action_trackers"
        return self.rows


def _tracker() -> _Data:
    return _Data(pd.DataFrame({
        "period": "2024-25", "plan": ["csa", "csa", "csa", "sidar"],
        "area": ["Prevent", "Prevent", "Identify", "Recommendation 1"],
        "action": ["a", "b", "c", "d"], "status": ["Green", "Red", "Complete", "Amber"],
        "review_date": pd.NaT}))


def test_measures_count_actions_and_areas_and_the_share_on_track() -> None:
    data = _tracker()
    assert MEASURES["csa_actions_total"].compute(data) == 3
    assert MEASURES["csa_action_plan_pillars"].compute(data) == 2
    assert MEASURES["csa_actions_on_track_pct"].compute(data) == pytest.approx(200 / 3)
    assert MEASURES["sidar_recommendations_count"].compute(data) == 1
    assert MEASURES["sidar_actions_on_track_pct"].compute(data) == 0


def test_a_plan_with_no_actions_is_not_available_and_its_tracker_is_empty() -> None:
    data = _tracker()
    with pytest.raises(LookupError):
        MEASURES["residential_actions_total"].compute(data)
    assert ap.plan_actions_for("residential")(data).empty

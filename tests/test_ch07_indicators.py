"""Indicators added for chapter 7, on small hand-built tables with hand-computed answers."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from helpers.indicators import care_leavers as cl
from helpers.indicators import child_protection as cp
from helpers.indicators import disproportionality as dp

Y = "2024-25"


def test_wilson_interval_matches_hand_computed_values() -> None:
    # p = 0.5, n = 10: centre 0.5, half-width 1.96*sqrt(0.025 + 0.009604)/1.38416
    low, high = dp.wilson_interval(5, 10)
    assert low == pytest.approx(0.23659, abs=1e-5) and high == pytest.approx(0.76341, abs=1e-5)
    # none of 10: the interval starts at 0 (never below) and reaches 0.2775
    low, high = dp.wilson_interval(0, 10)
    assert low == 0.0 and high == pytest.approx(0.27754, abs=1e-5)
    # all of 10: the mirror image, capped at 1
    low, high = dp.wilson_interval(10, 10)
    assert high == 1.0 and low == pytest.approx(1 - 0.27754, abs=1e-5)
    assert all(math.isnan(v) for v in dp.wilson_interval(0, 0))


def test_disproportionality_ratio_and_its_interval() -> None:
    # 28 of 100 children at a stage against a 9% population share
    ratio, low, high = dp.disproportionality_ratio(28, 100, 9.0)
    assert ratio == pytest.approx(28 / 100 / 0.09)
    assert low == pytest.approx(0.201396 / 0.09, rel=1e-5)
    assert high == pytest.approx(0.374882 / 0.09, rel=1e-5)
    # in line with the population: ratio 1, interval around it
    ratio, low, high = dp.disproportionality_ratio(50, 100, 50.0)
    assert ratio == 1.0 and low < 1 < high
    assert all(math.isnan(v) for v in dp.disproportionality_ratio(3, 0, 9.0))
    assert all(math.isnan(v) for v in dp.disproportionality_ratio(3, 10, 0.0))


def _journey_tables() -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    referrals = pd.DataFrame({"period": Y, "referral_id": [f"R{i}" for i in range(10)],
                              "child_id": [f"C{i}" for i in range(10)]})
    section47 = pd.DataFrame({
        "period": Y, "s47_id": ["S1", "S2", "S3", "S4", "S9"],
        "referral_id": ["R0", "R1", "R2", "R3", "OLD"],  # S9 follows an earlier referral
        "icpc_date": pd.to_datetime(["2024-06-01", "2024-07-01", None, None, "2024-05-01"]),
    })
    plans = pd.DataFrame({"period": Y, "s47_id": ["S1", "S9", None]})
    return referrals, section47, plans


def test_cp_journey_follows_one_cohort_and_converts_from_the_stage_before() -> None:
    journey = cp.cp_journey(*_journey_tables()).set_index("stage")
    assert journey["count"].to_dict() == {"referral": 10, "s47": 4, "icpc": 2, "cp_plan": 1}
    assert math.isnan(journey.loc["referral", "pct"])
    assert journey.loc["s47", "pct"] == pytest.approx(40.0)
    assert journey.loc["icpc", "pct"] == pytest.approx(50.0)
    assert journey.loc["cp_plan", "pct"] == pytest.approx(50.0)


def _plans() -> pd.DataFrame:
    rows = [  # period, plan, child, start, end
        ("2023-24", "P1", "A", "2021-05-01", "2023-06-01"),  # ended last year, lasted 2y+
        ("2024-25", "P2", "A", "2024-06-01", None),          # A's second plan: a repeat
        ("2024-25", "P3", "B", "2024-07-01", "2025-01-10"),  # first plan, ended short
        ("2024-25", "P4", "C", "2022-04-01", "2024-09-01"),  # ended this year after 2y+
        ("2024-25", "P5", "D", "2024-08-01", None),          # first plan
    ]
    out = pd.DataFrame(rows, columns=["period", "plan_id", "child_id", "start_date", "end_date"])
    out["start_date"] = pd.to_datetime(out["start_date"])
    out["end_date"] = pd.to_datetime(out["end_date"])
    return out


def test_repeat_plans_look_back_across_the_years_held() -> None:
    out = cp.repeat_plans(_plans())
    row = out[out["period"] == Y].iloc[0]
    assert (row["denominator"], row["count"]) == (3, 1)  # P2, P3, P5 start; P2 repeats
    assert row["pct"] == pytest.approx(100 / 3)


def test_long_plans_are_plans_ending_in_the_year_after_two_years_or_more() -> None:
    out = cp.long_plans_ceasing(_plans())
    row = out[out["period"] == Y].iloc[0]
    assert (row["denominator"], row["count"]) == (2, 1)  # P3 short, P4 long


def test_care_leaver_outcomes_by_age_group() -> None:
    leavers = pd.DataFrame({
        "period": Y, "child_id": ["A", "B", "C", "D"],
        "in_touch": ["YES", "YES", "NO", "YES"], "activity": ["F1", "G5", "0", "P4"],
        "accommodation_suitable": ["Y", "N", "Y", "Y"]})
    children = pd.DataFrame({"period": Y, "child_id": ["A", "B", "C", "D"],
                             "birth_month": pd.to_datetime(
                                 ["2006-09-01", "2006-10-01", "2004-01-01", "2009-01-01"])})
    out = cl.care_leaver_outcomes(leavers, children).set_index(["outcome", "age_group"])
    # D is 16 at 31 March 2025 and left out; A and B are 18, C is 21
    assert out.loc[("in_touch", "18"), "denominator"] == 2
    assert out.loc[("eet", "18"), "count"] == 1
    assert out.loc[("in_touch", "19-21"), "pct"] == 0
    assert out.loc[("suitable", "19-21"), "pct"] == 100

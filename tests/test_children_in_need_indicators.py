"""Referrals per 10,000 and assessment timeliness on hand-made tables, worked out by hand
(working days checked on a calendar, England bank holidays)."""

from __future__ import annotations

import pandas as pd
import pytest

from helpers.indicators import children_in_need as cin


def test_referrals_per_10k_divide_by_the_years_0_to_17_population() -> None:
    referrals = pd.DataFrame({"period": ["2024-25"] * 3 + ["2023-24"], "referral_id": list("abcd")})
    population = pd.DataFrame({"period": ["2024-25", "2024-25", "2023-24"],
                               "population": [10_000, 20_000, 40_000]})
    out = cin.referral_rates(referrals, population).set_index("period")
    assert out.loc["2024-25", "rate_per_10k"] == pytest.approx(3 / 30_000 * 10_000)   # 1.0
    assert out.loc["2023-24", "rate_per_10k"] == pytest.approx(0.25)


def test_the_dfe_camden_check_figure() -> None:
    # DfE README: 2,086 referrals over 35,276 children = 591.3 per 10,000
    referrals = pd.DataFrame({"period": ["2024-25"] * 2086, "referral_id": range(2086)})
    population = pd.DataFrame({"period": ["2024-25"], "population": [35_276]})
    assert round(cin.referral_rates(referrals, population)["rate_per_10k"].iloc[0], 1) == 591.3


def _assessments(rows: list[tuple[str, str, str]]) -> pd.DataFrame:
    out = pd.DataFrame(rows, columns=["referral_id", "start_date", "authorised_date"])
    out["period"] = "2024-25"
    out["assessment_id"] = [f"A{i}" for i in range(len(out))]
    for column in ("start_date", "authorised_date"):
        out[column] = pd.to_datetime(out[column])
    return out


def test_assessments_within_45_working_days_of_the_referral() -> None:
    referrals = pd.DataFrame({
        "referral_id": ["R1", "R2", "R3"], "period": ["2023-24", "2024-25", "2024-25"],
        "referral_date": pd.to_datetime(["2024-02-20", "2024-04-02", "2024-04-02"])})
    assessments = _assessments([
        # referral in last year's file: 20 Feb -> 24 Apr 2024 is 44 working days
        # (Good Friday 29 March and Easter Monday 1 April are not working days)
        ("R1", "2024-02-21", "2024-04-24"),
        # 2 April -> 6 June 2024: 20 in April, 21 in May (6 and 27 May are bank holidays),
        # 4 in June = 45 working days: in time
        ("R2", "2024-04-03", "2024-06-06"),
        # one working day more (46): late
        ("R3", "2024-04-03", "2024-06-07"),
        # referral not held: counted from the assessment's own start, 1 working day
        ("R9", "2024-07-01", "2024-07-02"),
    ])
    out = cin.assessment_timeliness(assessments, referrals).iloc[0]
    assert (out["denominator"], out["count"]) == (4, 3)
    assert out["pct"] == pytest.approx(75.0)


def test_assessments_authorised_outside_the_year_are_not_counted() -> None:
    referrals = pd.DataFrame({"referral_id": ["R1"], "period": ["2024-25"],
                              "referral_date": pd.to_datetime(["2024-04-02"])})
    assessments = _assessments([("R1", "2024-04-03", "2025-04-01")])
    assert cin.assessment_timeliness(assessments, referrals).empty

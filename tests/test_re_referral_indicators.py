"""The re-referral flag from the referral history held (every year's referrals stacked),
on hand-made histories with the answers worked out on a calendar."""

from __future__ import annotations

import pandas as pd

from helpers.indicators.front_door import re_referral_flags, re_referrals


def referrals(rows: list[tuple[str, str, str, str | None]]) -> pd.DataFrame:
    """(period, child, referral date, extract's previous referral date) per referral."""
    out = pd.DataFrame(rows, columns=["period", "child_id", "referral_date",
                                      "previous_referral_date"])
    out["referral_id"] = [f"R{i}" for i in range(len(out))]
    for column in ("referral_date", "previous_referral_date"):
        out[column] = pd.to_datetime(out[column])
    return out


def test_a_referral_11_months_after_one_in_last_years_file_is_a_re_referral() -> None:
    history = referrals([("2023-24", "A", "2023-06-10", None),
                         ("2024-25", "A", "2024-05-10", None)])   # extract field left blank
    assert re_referral_flags(history).tolist() == [False, True]


def test_exactly_12_months_later_is_not_a_re_referral() -> None:
    history = referrals([("2023-24", "A", "2023-06-10", None),
                         ("2024-25", "A", "2024-06-10", None),
                         ("2024-25", "B", "2024-06-10", None)])
    assert re_referral_flags(history).tolist() == [False, False, False]


def test_the_extract_field_is_used_only_before_the_data_held() -> None:
    history = referrals([
        # before 1 April 2023 (the first day held): the field is the only evidence
        ("2023-24", "A", "2023-05-01", "2022-09-01"),
        # inside the years held but no such referral there: the history wins
        ("2024-25", "B", "2024-08-01", "2024-02-01"),
        # history shows a referral 2 months earlier although the field says 2 years
        ("2023-24", "C", "2023-07-01", None),
        ("2023-24", "C", "2023-09-01", "2021-09-01"),
    ])
    assert re_referral_flags(history).tolist() == [True, False, False, True]


def test_the_flag_keeps_the_input_order_and_the_rate_counts_per_year() -> None:
    history = referrals([("2024-25", "A", "2025-01-05", None),
                         ("2023-24", "A", "2024-03-20", None),
                         ("2024-25", "B", "2024-12-01", None)])
    assert re_referral_flags(history).tolist() == [True, False, False]
    rates = re_referrals(history).set_index("period")
    assert rates.loc["2024-25", "re_referrals"] == 1
    assert rates.loc["2024-25", "rate"] == 50.0
    assert rates.loc["2023-24", "re_referrals"] == 0


def test_two_referrals_on_one_day_do_not_re_refer_each_other() -> None:
    history = referrals([("2024-25", "A", "2024-05-01", None),
                         ("2024-25", "A", "2024-05-01", None),
                         ("2024-25", "A", "2024-07-01", None)])
    assert re_referral_flags(history).tolist() == [False, False, True]

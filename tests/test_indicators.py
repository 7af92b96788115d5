"""Indicators: counts, shares, source groups, re-referrals, factors and comparisons.

Every expected value here is worked out by hand from the small frames built in each test.
"""

from __future__ import annotations

import pandas as pd
import pytest

from helpers.data import code_lists as codes
from helpers.indicators import (
    DEFINITIONS,
    assessment_factors,
    benchmark_series,
    compare,
    contact_factors,
    contact_outcomes,
    counts_by_period,
    factor_prevalence,
    is_re_referral,
    re_referrals,
    referral_sources,
)


def _referrals(rows: list[tuple], period: str = "2024-25") -> pd.DataFrame:
    """Referrals from (referral_id, referral_date, previous_referral_date or None[, child_id]);
    without a child id each referral is a different child's."""
    return pd.DataFrame({
        "referral_id": [r[0] for r in rows],
        "child_id": [r[3] if len(r) > 3 else r[0] for r in rows],
        "referral_date": pd.to_datetime([r[1] for r in rows]),
        "previous_referral_date": pd.to_datetime([r[2] for r in rows]),
        "period": period,
    })


# --- counts_by_period ----------------------------------------------------------------------


def test_counts_by_period_counts_and_sorts_oldest_first():
    frame = pd.DataFrame({"period": ["2024-25", "2022-23", "2024-25", "2023-24", "2024-25",
                                     "2022-23"]})
    out = counts_by_period(frame)
    assert list(out.columns) == ["period", "count"]
    assert out["period"].tolist() == ["2022-23", "2023-24", "2024-25"]
    assert out["count"].tolist() == [2, 1, 3]
    assert list(out.index) == [0, 1, 2]


def test_counts_by_period_uses_the_given_name():
    frame = pd.DataFrame({"period": ["2023-24", "2023-24"], "contact_id": ["a", "b"]})
    out = counts_by_period(frame, name="contacts")
    assert list(out.columns) == ["period", "contacts"]
    assert out["contacts"].tolist() == [2]


# --- contact_outcomes ----------------------------------------------------------------------


@pytest.fixture
def contacts() -> pd.DataFrame:
    # 2023-24: 4 contacts -> IAG 3 (75%), REF 1 (25%)
    # 2024-25: 8 contacts -> REF 4 (50%), EH 3 (37.5%), NFA 1 (12.5%)
    rows = ([("2023-24", "IAG")] * 3 + [("2023-24", "REF")]
            + [("2024-25", "EH")] * 3 + [("2024-25", "REF")] * 4 + [("2024-25", "NFA")])
    return pd.DataFrame(rows, columns=["period", "outcome"])


def test_contact_outcomes_counts_shares_and_order(contacts):
    out = contact_outcomes(contacts)
    assert out[["period", "outcome", "count"]].values.tolist() == [
        ["2023-24", "IAG", 3],
        ["2023-24", "REF", 1],
        ["2024-25", "REF", 4],
        ["2024-25", "EH", 3],
        ["2024-25", "NFA", 1],
    ]
    assert out["pct"].tolist() == pytest.approx([75.0, 25.0, 50.0, 37.5, 12.5])


def test_contact_outcome_shares_sum_to_100_in_each_period(contacts):
    out = contact_outcomes(contacts)
    totals = out.groupby("period")["pct"].sum()
    assert totals.to_dict() == pytest.approx({"2023-24": 100.0, "2024-25": 100.0})


def test_contact_outcomes_labels_come_from_the_code_list(contacts):
    out = contact_outcomes(contacts)
    labels = dict(zip(out["outcome"], out["label"], strict=False))
    assert labels == {
        "IAG": "Information, advice and guidance",
        "REF": "Referral to children's social care",
        "EH": "Early help",
        "NFA": "No further action",
    }
    assert labels["REF"] == codes.CONTACT_OUTCOME["REF"]


# --- referral_sources ----------------------------------------------------------------------


def test_referral_source_codes_roll_up_into_groups():
    assert codes.REFERRAL_SOURCE_GROUP["3A"] == "Health"
    assert codes.REFERRAL_SOURCE_GROUP["3E"] == "Health"
    assert codes.REFERRAL_SOURCE_GROUP["5D"] == "Local Authority services"
    # every census source code has a group
    assert set(codes.REFERRAL_SOURCE_GROUP) == set(codes.REFERRAL_SOURCE)


def test_referral_sources_groups_codes_with_shares_and_min_ranks():
    # 2024-25: 8 referrals. Police 3 (6, 6, 6); Health 2 (3A, 3E); LA services 2 (5D, 5B);
    # Schools 1 (2A). Ranks with method "min": 1, 2, 2, 4.
    # 2023-24: 4 referrals. Health 2 (3B, 3F), Individual 1 (1C), Police 1 (6): ranks 1, 2, 2.
    frame = pd.DataFrame({
        "period": ["2024-25"] * 8 + ["2023-24"] * 4,
        "source": ["6", "3A", "5D", "6", "3E", "2A", "5B", "6",
                   "3B", "1C", "3F", "6"],
    })
    out = referral_sources(frame)
    assert list(out.columns) == ["period", "source_group", "count", "pct", "rank"]
    latest = out[out["period"] == "2024-25"].set_index("source_group")
    assert latest["count"].to_dict() == {"Police": 3, "Health": 2,
                                         "Local Authority services": 2, "Schools": 1}
    assert latest["pct"].to_dict() == pytest.approx({"Police": 37.5, "Health": 25.0,
                                                     "Local Authority services": 25.0,
                                                     "Schools": 12.5})
    assert latest["rank"].to_dict() == {"Police": 1, "Health": 2,
                                        "Local Authority services": 2, "Schools": 4}
    earlier = out[out["period"] == "2023-24"].set_index("source_group")
    assert earlier["count"].to_dict() == {"Health": 2, "Individual": 1, "Police": 1}
    assert earlier["pct"].to_dict() == pytest.approx({"Health": 50.0, "Individual": 25.0,
                                                      "Police": 25.0})
    assert earlier["rank"].to_dict() == {"Health": 1, "Individual": 2, "Police": 2}
    # sorted by period then rank; ranks are whole numbers
    assert out["period"].tolist() == ["2023-24"] * 3 + ["2024-25"] * 4
    assert out["rank"].tolist() == [1, 2, 2, 1, 2, 2, 4]
    assert pd.api.types.is_integer_dtype(out["rank"])


def test_referral_source_shares_sum_to_100():
    frame = pd.DataFrame({"period": "2024-25", "source": ["6", "6", "3C", "4", "8", "9", "7"]})
    out = referral_sources(frame)
    assert out["pct"].sum() == pytest.approx(100.0)
    assert out.loc[out["source_group"] == "Police", "pct"].item() == pytest.approx(200 / 7)


# --- re-referrals --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("referral_date", "previous", "expected"),
    [
        ("2024-06-15", "2023-06-15", False),  # exactly 12 months: outside the window
        ("2024-06-15", "2023-06-16", True),   # 12 months less a day
        ("2024-06-15", "2023-07-15", True),   # 11 months
        ("2024-06-15", "2024-06-14", True),   # the day before
        ("2024-06-15", "2023-06-14", False),  # 12 months and a day
        ("2024-06-15", "2021-01-01", False),  # long ago
        ("2024-06-15", None, False),          # no previous referral
        ("2024-02-29", "2023-03-01", True),   # leap day: within 12 months
        ("2024-02-29", "2023-02-28", False),  # leap day: 12 months before is 28 Feb
    ],
)
def test_is_re_referral(referral_date, previous, expected):
    frame = _referrals([("R1", referral_date, previous)])
    assert is_re_referral(frame).tolist() == [expected]


def test_is_re_referral_is_elementwise_and_keeps_the_index():
    frame = _referrals([
        ("R1", "2024-06-15", "2023-06-15"),
        ("R2", "2024-06-15", "2023-07-15"),
        ("R3", "2024-06-15", None),
    ]).set_axis([10, 20, 30])
    out = is_re_referral(frame)
    assert out.index.tolist() == [10, 20, 30]
    assert out.tolist() == [False, True, False]


def test_re_referrals_counts_and_rate_per_period():
    # Histories span the two files; the extract's field is left blank where the history
    # answers, and is used only before the first day held (1 April 2023).
    later = _referrals([
        ("A1", "2024-05-01", None, "q"),          # 11 months after B3: re-referral
        ("A2", "2024-05-01", None, "r"),          # exactly 12 months after B4: not
        ("A3", "2024-09-10", None, "s"),          # first referral: not
        ("A4", "2025-01-20", None, "s"),          # 4 months after A3: re-referral
        ("A5", "2025-03-31", "2022-03-31", "t"),  # 3 years (before the data held): not
    ], period="2024-25")
    earlier = _referrals([
        ("B1", "2023-04-02", None, "p"),
        ("B2", "2023-08-01", None, "p"),          # 4 months after B1: re-referral
        ("B3", "2023-06-01", None, "q"),
        ("B4", "2023-05-01", None, "r"),
    ], period="2023-24")
    out = re_referrals(pd.concat([later, earlier], ignore_index=True))
    assert list(out.columns) == ["period", "referrals", "re_referrals", "rate"]
    assert out["period"].tolist() == ["2023-24", "2024-25"]
    assert out["referrals"].tolist() == [4, 5]
    assert out["re_referrals"].tolist() == [1, 2]
    assert out["rate"].tolist() == pytest.approx([25.0, 40.0])


def test_re_referral_rate_is_zero_when_there_are_none():
    frame = _referrals([("A1", "2024-05-01", None), ("A2", "2024-06-01", "2020-01-01")])
    out = re_referrals(frame)
    assert out["re_referrals"].tolist() == [0]
    assert out["rate"].tolist() == [0.0]


# --- factors -------------------------------------------------------------------------------


@pytest.fixture
def assessments() -> pd.DataFrame:
    return pd.DataFrame({
        "assessment_id": ["A1", "A2", "A3", "A4", "B1", "B2"],
        "period": ["2024-25"] * 4 + ["2023-24"] * 2,
    })


@pytest.fixture
def factors() -> pd.DataFrame:
    # A1 records 3B twice and 4B; A2 3B; A3 only 21; A4 nothing at all.
    # B1 16A; B2 3B. X9 is not an assessment in either period and must be ignored.
    return pd.DataFrame({
        "assessment_id": ["A1", "A1", "A1", "A2", "A3", "B1", "B2", "X9"],
        "factor": ["3B", "3B", "4B", "3B", "21", "16A", "3B", "3B"],
    })


def test_assessment_factors_counts_each_record_once_and_keeps_the_denominator(
        assessments, factors):
    out = assessment_factors(assessments, factors)
    assert list(out.columns) == ["period", "factor", "count", "denominator", "pct", "label"]
    rows = {(r.period, r.factor): r for r in out.itertuples(index=False)}
    assert set(rows) == {("2024-25", "3B"), ("2024-25", "4B"),
                         ("2023-24", "16A"), ("2023-24", "3B")}
    # 3B: A1 (twice, counted once) and A2 of the 4 assessments -> 50%
    assert rows["2024-25", "3B"].count == 2
    assert rows["2024-25", "3B"].denominator == 4
    assert rows["2024-25", "3B"].pct == pytest.approx(50.0)
    assert rows["2024-25", "4B"].count == 1
    assert rows["2024-25", "4B"].pct == pytest.approx(25.0)
    assert rows["2023-24", "16A"].count == 1
    assert rows["2023-24", "16A"].denominator == 2
    assert rows["2023-24", "16A"].pct == pytest.approx(50.0)
    assert rows["2023-24", "3B"].pct == pytest.approx(50.0)


def test_assessment_factors_leave_out_code_21(assessments, factors):
    out = assessment_factors(assessments, factors)
    assert "21" not in set(out["factor"])
    # ...but A3 (only 21) and A4 (no factors) still count in the 2024-25 denominator
    assert set(out.loc[out["period"] == "2024-25", "denominator"]) == {4}
    assert list(out.index) == list(range(len(out)))


def test_assessment_factors_sorted_by_period_then_count(assessments, factors):
    out = assessment_factors(assessments, factors)
    assert out["period"].tolist() == ["2023-24", "2023-24", "2024-25", "2024-25"]
    latest = out[out["period"] == "2024-25"]
    assert latest["factor"].tolist() == ["3B", "4B"]
    assert latest["count"].tolist() == [2, 1]


def test_assessment_factor_labels(assessments, factors):
    out = assessment_factors(assessments, factors)
    labels = dict(zip(out["factor"], out["label"], strict=False))
    assert labels == {"3B": "Domestic abuse: parent/carer subject",
                      "4B": "Mental health: parent/carer",
                      "16A": "Neglect"}


def test_factor_prevalence_itself_keeps_code_21(assessments, factors):
    out = factor_prevalence(assessments, factors, "assessment_id")
    row = out[(out["period"] == "2024-25") & (out["factor"] == "21")]
    assert row["count"].tolist() == [1]
    assert row["pct"].tolist() == pytest.approx([25.0])
    assert row["label"].tolist() == ["No factors identified"]


def test_factor_prevalence_with_own_labels(assessments, factors):
    out = factor_prevalence(assessments, factors, "assessment_id",
                            labels={"3B": "DA", "4B": "MH"})
    labels = dict(zip(out["factor"], out["label"], strict=False))
    assert labels["3B"] == "DA"
    assert labels["4B"] == "MH"
    assert pd.isna(labels["16A"])  # not in the given labels


def test_contact_factors_share_of_all_contacts():
    contacts = pd.DataFrame({"contact_id": ["C1", "C2", "C3", "C4", "C5"],
                             "period": "2024-25"})
    presenting = pd.DataFrame({"contact_id": ["C1", "C1", "C2", "C2"],
                               "factor": ["3B", "4B", "3B", "3B"]})
    out = contact_factors(contacts, presenting).set_index("factor")
    assert out["count"].to_dict() == {"3B": 2, "4B": 1}
    assert out["denominator"].to_dict() == {"3B": 5, "4B": 5}
    assert out["pct"].to_dict() == pytest.approx({"3B": 40.0, "4B": 20.0})


# --- benchmarks and comparison -------------------------------------------------------------


def test_benchmark_series_selects_one_indicator_sorted_by_area_then_period():
    benchmarks = pd.DataFrame({
        "area": ["Inner London", "England", "England", "Inner London", "England"],
        "indicator": ["re_referral_rate", "re_referral_rate", "re_referral_rate",
                      "re_referral_rate", "cin_rate"],
        "period": ["2024-25", "2024-25", "2023-24", "2023-24", "2024-25"],
        "value": [18.8, 22.6, 22.4, 18.6, 330.0],
    })
    out = benchmark_series(benchmarks, "re_referral_rate")
    assert list(out.columns) == ["period", "area", "value"]
    assert out.values.tolist() == [
        ["2023-24", "England", 22.4],
        ["2024-25", "England", 22.6],
        ["2023-24", "Inner London", 18.6],
        ["2024-25", "Inner London", 18.8],
    ]
    assert list(out.index) == [0, 1, 2, 3]


def test_benchmark_series_unknown_indicator_is_empty():
    benchmarks = pd.DataFrame({"area": ["England"], "indicator": ["x"], "period": ["2024-25"],
                               "value": [1.0]})
    assert benchmark_series(benchmarks, "re_referral_rate").empty


@pytest.mark.parametrize(
    ("value", "comparator", "expected"),
    [
        (18.0, 18.0, "in line"),
        (18.0, 19.0, "in line"),   # exactly 1.0 below: still in line
        (19.0, 18.0, "in line"),   # exactly 1.0 above: still in line
        (18.4, 19.4, "in line"),
        (22.6, 21.6, "in line"),
        (18.0, 19.01, "below"),
        (20.01, 19.0, "above"),
        (18.8, 22.6, "below"),
        (25.0, 22.6, "above"),
    ],
)
def test_compare_with_default_tolerance(value, comparator, expected):
    assert compare(value, comparator) == expected


def test_compare_tolerance_is_a_parameter():
    assert compare(18.0, 20.0, tolerance=2.0) == "in line"
    assert compare(18.0, 20.5, tolerance=2.0) == "below"
    assert compare(18.0, 18.5, tolerance=0.0) == "below"
    assert compare(18.5, 18.0, tolerance=0.0) == "above"
    assert compare(18.5, 18.5, tolerance=0.0) == "in line"


@pytest.mark.parametrize(("value", "comparator"), [(1.2, 2.2), (31.2, 32.2), (16.6, 15.6)])
def test_compare_exactly_one_point_apart_despite_float_error(value, comparator):
    assert compare(value, comparator) == "in line"


def test_every_indicator_function_has_a_definition():
    for name in ("contacts_total", "contact_outcomes", "referrals_total", "referral_sources",
                 "re_referral_rate", "assessment_factors", "contact_factors"):
        assert name in DEFINITIONS
        assert DEFINITIONS[name].name
        assert DEFINITIONS[name].basis

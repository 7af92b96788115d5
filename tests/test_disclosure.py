"""Disclosure control: small counts, small denominators, and secondary suppression."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from helpers.report.disclosure import (
    apply_suppression,
    format_count,
    format_percent,
    is_suppressed_count,
    round_half_up,
    suppress_series,
    suppression_mask,
)
from helpers.report.wording import change_direction, describe_change


def lone_hidden_lines(mask: pd.DataFrame, total_row=None, total_column=None) -> list[str]:
    """Lines (with a total) that have exactly one hidden cell: each one is a leak."""
    leaks = []
    if total_column is not None:
        leaks += [f"row {r}" for r in mask.index if mask.loc[r].sum() == 1]
    if total_row is not None:
        leaks += [f"column {c}" for c in mask.columns if mask[c].sum() == 1]
    return leaks


@pytest.mark.parametrize("value", [1, 2, 3, 4, 1.0, np.int64(4)])
def test_small_counts_are_suppressed(value):
    assert is_suppressed_count(value)
    assert format_count(value) == "<5"


@pytest.mark.parametrize("value", [0, 5, 6, 100, None, math.nan, pd.NA])
def test_zero_threshold_and_missing_are_not_suppressed(value):
    assert not is_suppressed_count(value)


@pytest.mark.parametrize(
    ("value", "text"),
    [(0, "0"), (5, "5"), (8583, "8,583"), (8583.0, "8,583"), (1_234_567, "1,234,567"),
     (None, ".."), (math.nan, ".."), (pd.NA, "..")],
)
def test_format_count(value, text):
    assert format_count(value) == text


def test_threshold_is_configurable():
    assert format_count(9, threshold=10) == "<10"
    assert format_count(10, threshold=10) == "10"
    assert not is_suppressed_count(4, threshold=3)


def test_round_half_up_not_bankers():
    assert round(22.5) == 22  # what the report must not do
    assert round_half_up(22.5, 0) == 23
    assert round_half_up(23.45, 1) == 23.5
    assert round_half_up(2.675, 2) == 2.68  # binary float would give 2.67
    assert round_half_up(-22.5, 0) == -23
    assert math.isnan(round_half_up(math.nan, 1))


@pytest.mark.parametrize(
    ("args", "text"),
    [((23.456,), "23%"), ((22.5,), "23%"), ((23.456, None, 1), "23.5%"), ((43.0,), "43%"),
     ((math.nan,), ".."), ((None,), ".."), ((-0.4,), "0%"), ((-0.6,), "-1%")],
)
def test_format_percent(args, text):
    assert format_percent(*args) == text


def test_percent_hidden_below_min_denominator():
    assert format_percent(33.3, denominator=9) == "x"
    assert format_percent(30.0, denominator=10) == "30%"
    assert format_percent(30.0, denominator=10, min_denominator=20) == "x"
    assert format_percent(30.0, denominator=math.nan) == ".."


def test_percent_hidden_when_its_numerator_is_small():
    assert format_percent(20.0, denominator=15, numerator=3) == "x"
    assert format_percent(20.0, denominator=25, numerator=5) == "20%"


def test_row_with_total_hides_a_second_cell():
    table = pd.DataFrame({"A": [3], "B": [10], "C": [20], "Total": [33]})
    mask = suppression_mask(table, ["A", "B", "C"], total_column="Total")
    assert mask.loc[0].to_dict() == {"A": True, "B": True, "C": False, "Total": False}


def test_column_with_total_row_hides_smallest_other_nonzero():
    table = pd.DataFrame({"Children": [2, 0, 7, 30, 39]}, index=["a", "b", "c", "d", "Total"])
    mask = suppression_mask(table, ["Children"], total_row="Total")
    assert mask["Children"].to_dict() == {
        "a": True, "b": False, "c": True, "d": False, "Total": False
    }


def test_two_small_cells_need_no_secondary():
    table = pd.DataFrame({"A": [3], "B": [2], "C": [20], "Total": [25]})
    mask = suppression_mask(table, ["A", "B", "C"], total_column="Total")
    assert mask.loc[0].tolist() == [True, True, False, False]


def test_no_total_means_primary_only():
    table = pd.DataFrame({"A": [3, 10], "B": [10, 20]})
    mask = suppression_mask(table, ["A", "B"])
    assert mask.to_numpy().tolist() == [[True, False], [False, False]]


def test_secondary_suppression_iterates_until_stable():
    table = pd.DataFrame(
        {"A": [3, 30, 8, 41], "B": [10, 6, 50, 66], "C": [20, 40, 60, 120],
         "Total": [33, 76, 118, 227]},
        index=["r1", "r2", "r3", "Total"],
    )
    mask = suppression_mask(table, ["A", "B", "C"], total_row="Total", total_column="Total")
    # r1: 3 is small, so 10 hides; column A then needs 8, column B needs 6; that leaves
    # rows r2 and r3 with one hidden cell each, so a second pass hides 30 and 50.
    expected = pd.DataFrame(
        {"A": [True, True, True, False], "B": [True, True, True, False],
         "C": [False] * 4, "Total": [False] * 4},
        index=table.index,
    )
    pd.testing.assert_frame_equal(mask, expected)
    assert lone_hidden_lines(mask, "Total", "Total") == []


def test_hidden_column_total_is_protected_in_total_row():
    # The total row [3, 10, 20 | 33] is itself a line: hiding 3 forces 10.
    table = pd.DataFrame(
        {"A": [1, 2, 3], "B": [5, 5, 10], "C": [10, 10, 20], "Total": [16, 17, 33]},
        index=["x", "y", "Total"],
    )
    mask = suppression_mask(table, ["A", "B", "C"], total_row="Total", total_column="Total")
    assert mask.loc["Total", "A"] and mask.loc["Total", "B"]
    assert lone_hidden_lines(mask, "Total", "Total") == []


def test_random_tables_never_leave_a_lone_hidden_cell():
    rng = np.random.default_rng(7)
    for _ in range(200):
        body = rng.choice([0, 1, 2, 3, 4, 5, 8, 12, 30], size=(4, 3))
        table = pd.DataFrame(body, columns=["A", "B", "C"])
        table["Total"] = table.sum(axis=1)
        table.loc["Total"] = table.sum()
        mask = suppression_mask(table, ["A", "B", "C"], total_row="Total", total_column="Total")
        assert (mask.to_numpy() >= ((table > 0) & (table < 5)).to_numpy()).all()
        assert lone_hidden_lines(mask, "Total", "Total") == [], table


def test_mask_shape_and_missing_values():
    table = pd.DataFrame({"label": ["a", "b"], "n": [np.nan, 3], "m": ["?", 9]})
    mask = suppression_mask(table, ["n", "m"])
    assert list(mask.columns) == ["n", "m"]
    assert mask.to_numpy().tolist() == [[False, False], [True, False]]


def test_total_row_must_exist_once():
    table = pd.DataFrame({"n": [3, 3]}, index=["Total", "Total"])
    with pytest.raises(ValueError, match="exactly once"):
        suppression_mask(table, ["n"], total_row="Total")


def test_series_with_total_elsewhere():
    counts = pd.Series({"Police": 300, "Schools": 12, "Faith": 3, "Other": 0, "Health": 150})
    hidden = suppress_series(counts)
    assert hidden.to_dict() == {
        "Police": False, "Schools": True, "Faith": True, "Other": False, "Health": False
    }
    assert not suppress_series(counts, has_total=False)["Schools"]


def test_series_whose_total_is_small_needs_nothing_more():
    counts = pd.Series([3, 0, 0])
    assert suppress_series(counts).tolist() == [True, False, False]


def test_apply_suppression_symbols():
    table = pd.DataFrame(
        {"Area": ["a", "b", "Total"], "A": [3, 10, 13], "B": [12, 20, 32], "Total": [15, 30, 45]}
    ).set_index("Area", drop=False)
    mask = suppression_mask(table, ["A", "B"], total_row="Total", total_column="Total")
    shown = apply_suppression(table, mask)
    assert shown.loc["a"].tolist() == ["a", "<5", "x", "15"]
    assert shown.loc["b"].tolist() == ["b", "x", "x", "30"]  # 2x2 block: all four go
    assert shown.loc["Total"].tolist() == ["Total", "13", "32", "45"]


def test_apply_suppression_formats_unhidden_counts_and_missing():
    table = pd.DataFrame({"n": [8583, 0, np.nan], "note": ["ok", None, "z"]})
    shown = apply_suppression(table, suppression_mask(table, ["n"]))
    assert shown["n"].tolist() == ["8,583", "0", ".."]
    assert shown["note"].tolist() == ["ok", "..", "z"]


@pytest.mark.parametrize(("value", "decimals", "text"), [
    (0.3, 0, "<1%"), (0.49, 0, "<1%"), (0.5, 0, "1%"), (0.0, 0, "0%"), (0.04, 1, "<0.1%"),
    (0.05, 1, "0.1%"), (-0.2, 0, "0%"), (99.6, 0, "100%"),
])
def test_tiny_share_is_less_than_one_percent_not_zero(value, decimals, text):
    # "0%" would tell readers that no child was in the group; "<1%" says there were few.
    assert format_percent(value, decimals=decimals) == text


@pytest.mark.parametrize(("value", "unit", "decimals", "text"), [
    (-1, "percentage points", 0, "down 1 percentage point"),
    (-1.04, "percentage points", 1, "down 1.0 percentage point"),
    (2.5, "percentage points", 1, "up 2.5 percentage points"),
    (5.2, "percent", 0, "up 5%"),
    (-12.45, "%", 1, "down 12.5%"),
    (0.4, "percent", 0, "no change"),
    (-0.04, "percentage points", 1, "no change"),
    (1234, "count", 0, "up 1,234"),
    (-3.44, "per 10,000 children", 1, "down 3.4 per 10,000 children"),
    (None, "percent", 0, ".."),
    (float("nan"), "percent", 0, ".."),
])
def test_describe_change_in_words(value, unit, decimals, text):
    assert describe_change(value, unit, decimals) == text


def test_change_direction_follows_the_printed_value():
    assert change_direction(0.6) == "up" and change_direction(-0.6) == "down"
    assert change_direction(0.4) == "no change" and change_direction(0.04, 1) == "no change"


def test_a_series_protects_its_small_count_from_a_reader_who_knows_the_rule():
    # One 5 and the 4 hidden would publish the other 5 and the 0: the hidden pair adds to
    # 9, and the hidden 5 (the smallest other cell) can be neither above the shown 5 nor
    # below the threshold, so the 4 would be given back. Both 5s hide.
    hidden = suppress_series(pd.Series([5, 5, 0, 4]))
    assert hidden.tolist() == [True, True, False, True]
    # With a larger other cell the pair's range is wide enough: only one more cell hides.
    assert suppress_series(pd.Series([5, 30, 0, 4])).tolist() == [True, False, False, True]

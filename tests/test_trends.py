"""Trends: year-on-year change, picking single values, and describing a series."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from helpers.indicators.trends import direction, latest, value_at, year_on_year

# --- year_on_year --------------------------------------------------------------------------


def test_year_on_year_without_groups():
    # given out of order: the function sorts by period first
    frame = pd.DataFrame({"period": ["2023-24", "2021-22", "2022-23", "2024-25"],
                          "count": [150, 100, 120, 90]})
    out = year_on_year(frame, "count")
    assert out["period"].tolist() == ["2021-22", "2022-23", "2023-24", "2024-25"]
    assert out["count"].tolist() == [100, 120, 150, 90]
    assert math.isnan(out.loc[0, "change"])
    assert math.isnan(out.loc[0, "change_pct"])
    assert out["change"].tolist()[1:] == [20, 30, -60]
    # 20/100, 30/120, -60/150
    assert out["change_pct"].tolist()[1:] == pytest.approx([20.0, 25.0, -40.0])
    assert list(out.index) == [0, 1, 2, 3]


def test_year_on_year_does_not_change_the_input():
    frame = pd.DataFrame({"period": ["2024-25", "2023-24"], "count": [10, 8]})
    before = frame.copy()
    year_on_year(frame, "count")
    pd.testing.assert_frame_equal(frame, before)


def test_year_on_year_by_group_restarts_each_series():
    frame = pd.DataFrame({
        "area": ["England", "Camden", "England", "Camden", "Camden", "England"],
        "period": ["2023-24", "2023-24", "2022-23", "2022-23", "2024-25", "2024-25"],
        "value": [22.4, 19.4, 22.4, 20.1, 18.4, 22.6],
    })
    out = year_on_year(frame, "value", by=["area"])
    assert out[["area", "period"]].values.tolist() == [
        ["Camden", "2022-23"], ["Camden", "2023-24"], ["Camden", "2024-25"],
        ["England", "2022-23"], ["England", "2023-24"], ["England", "2024-25"],
    ]
    change = out["change"].tolist()
    # the first period of each area has no change (not England minus Camden)
    assert math.isnan(change[0])
    assert math.isnan(change[3])
    assert change[1] == pytest.approx(-0.7)
    assert change[2] == pytest.approx(-1.0)
    assert change[4] == pytest.approx(0.0)
    assert change[5] == pytest.approx(0.2)
    pct = out["change_pct"].tolist()
    assert math.isnan(pct[0])
    assert math.isnan(pct[3])
    assert pct[1] == pytest.approx(-0.7 / 20.1 * 100)
    assert pct[2] == pytest.approx(-1.0 / 19.4 * 100)
    assert pct[5] == pytest.approx(0.2 / 22.4 * 100)


def test_year_on_year_by_two_columns():
    frame = pd.DataFrame({
        "area": ["A", "A", "A", "A"],
        "group": ["x", "y", "x", "y"],
        "period": ["2023-24", "2023-24", "2024-25", "2024-25"],
        "count": [10, 40, 15, 30],
    })
    out = year_on_year(frame, "count", by=["area", "group"])
    assert out[["group", "period"]].values.tolist() == [
        ["x", "2023-24"], ["x", "2024-25"], ["y", "2023-24"], ["y", "2024-25"]]
    assert np.isnan(out["change"].tolist()[0])
    assert np.isnan(out["change"].tolist()[2])
    assert out["change"].tolist()[1] == 5
    assert out["change"].tolist()[3] == -10
    assert out["change_pct"].tolist()[1] == pytest.approx(50.0)
    assert out["change_pct"].tolist()[3] == pytest.approx(-25.0)


def test_year_on_year_single_period_has_no_change():
    out = year_on_year(pd.DataFrame({"period": ["2024-25"], "count": [5]}), "count")
    assert len(out) == 1
    assert math.isnan(out.loc[0, "change"])
    assert math.isnan(out.loc[0, "change_pct"])


# --- latest and value_at -------------------------------------------------------------------


@pytest.fixture
def long_frame() -> pd.DataFrame:
    return pd.DataFrame({
        "period": ["2023-24", "2024-25", "2024-25", "2024-25"],
        "area": ["Camden", "Camden", "England", "England"],
        "kind": ["rate", "rate", "rate", "count"],
        "value": [19.4, 18.4, 22.6, 1000],
    })


def test_latest_keeps_one_period(long_frame):
    out = latest(long_frame, "2024-25")
    assert out["area"].tolist() == ["Camden", "England", "England"]
    assert list(out.index) == [0, 1, 2]
    assert latest(long_frame, "2019-20").empty


def test_value_at_single_row(long_frame):
    assert value_at(long_frame, "2023-24", "value") == pytest.approx(19.4)
    assert value_at(long_frame, "2024-25", "value", area="Camden") == pytest.approx(18.4)
    got = value_at(long_frame, "2024-25", "value", area="England", kind="count")
    assert got == 1000.0
    assert isinstance(got, float)


def test_value_at_raises_when_no_row_matches(long_frame):
    with pytest.raises(LookupError, match="found 0"):
        value_at(long_frame, "2019-20", "value")
    with pytest.raises(LookupError, match="found 0"):
        value_at(long_frame, "2023-24", "value", area="England")


def test_value_at_raises_when_two_rows_match(long_frame):
    with pytest.raises(LookupError, match="found 2"):
        value_at(long_frame, "2024-25", "value", area="England")
    with pytest.raises(LookupError, match="found 3"):
        value_at(long_frame, "2024-25", "value")


# --- direction -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("values", "expected"),
    [
        ([1, 2, 3, 4, 5], "increasing"),
        ([7021, 7388, 7795, 8174, 8583], "increasing"),
        ([21.4, 20.8, 20.1, 19.4, 18.4], "decreasing"),
        ([5, 5, 5], "flat"),
        ([1, 2, 1, 2], "mixed"),
        ([1, 2, 3, 2, 5], "mixed"),      # one dip makes it mixed
        ([5, 4, 4, 3], "mixed"),         # a flat step breaks 'decreasing'
        ([3, 3, 4], "mixed"),            # ... and 'increasing'
        ([42], "single year"),
        ([], "single year"),
        ([2, 3], "increasing"),
        ([3, 2], "decreasing"),
    ],
)
def test_direction(values, expected):
    assert direction(pd.Series(values, dtype=float)) == expected


def test_direction_accepts_a_list():
    assert direction([10, 20, 30]) == "increasing"

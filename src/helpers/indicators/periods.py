"""Reporting periods and ages, shared by the record-level indicator families.

Each year's extract holds the records live during that year (see
``helpers.data.schema_social_care``), and the families work on tables stacked over years,
each row carrying its report year in ``period``. So every selection is made against the
row's own year: "started in the year" (``in_year``), "open at 31 March" (``open_at`` with
``year_end``), "aged 13 or over on the day they started" (``age_in_years``).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import pandas as pd

from helpers.config import Year


def age_in_years(birth_month: pd.Series, on: pd.Series | pd.Timestamp) -> pd.Series:
    """Completed years of age on ``on`` from a month of birth ("YYYY-MM").

    Only the month of birth is held, so the birthday is taken as the first of that month:
    a child is counted as having their birthday at the start of their birth month.
    """
    born = pd.to_datetime(pd.Series(birth_month), format="%Y-%m")
    if isinstance(on, pd.Timestamp):
        when = pd.Series(on, index=born.index)
    else:  # matched position by position, whatever the two indexes are
        when = pd.Series(pd.to_datetime(pd.Series(on)).to_numpy(), index=born.index)
    return when.dt.year - born.dt.year - (when.dt.month < born.dt.month).astype(int)


def year_start(period: pd.Series) -> pd.Series:
    """1 April of each row's reporting year."""
    return _per_period(period, lambda year: year.first_day)


def year_end(period: pd.Series) -> pd.Series:
    """31 March of each row's reporting year."""
    return _per_period(period, lambda year: year.last_day)


def _per_period(period: pd.Series, day: Callable[[Year], date]) -> pd.Series:
    """``day`` of each row's year, worked out once per distinct period: a stacked table
    has up to a row per record of five years but only those five report years."""
    days = {p: pd.Timestamp(day(Year.parse(p))) for p in pd.unique(period)}
    return pd.to_datetime(period.map(days))


def in_year(dates: pd.Series, period: pd.Series) -> pd.Series:
    """True where the date falls inside the row's reporting year."""
    return (dates >= year_start(period)) & (dates <= year_end(period))


def open_at(start: pd.Series, end: pd.Series, on: pd.Series) -> pd.Series:
    """True where a record (start, end) is open on ``on``: started, and not yet ended."""
    return (start <= on) & (end.isna() | (end > on))


AGE_BANDS: tuple[tuple[str, int, int], ...] = (
    ("under 1", 0, 0), ("1-4", 1, 4), ("5-9", 5, 9), ("10-12", 10, 12), ("13-15", 13, 15),
    ("16-17", 16, 17))


def age_band(age: pd.Series) -> pd.Series:
    """DfE-style age bands for children looked after (13-15 and 16-17 make '13 and over')."""
    out = pd.Series(pd.NA, index=age.index, dtype="object")
    for label, low, high in AGE_BANDS:
        out[(age >= low) & (age <= high)] = label
    return out


def child_ages(frame: pd.DataFrame, children: pd.DataFrame, on: pd.Series) -> pd.Series:
    """Age in years of each row's child on ``on``, from that year's children table."""
    births = frame[["period", "child_id"]].merge(
        children[["period", "child_id", "birth_month"]], on=["period", "child_id"], how="left")
    return age_in_years(births["birth_month"], on).set_axis(frame.index)


def child_attribute(frame: pd.DataFrame, children: pd.DataFrame, column: str) -> pd.Series:
    merged = frame[["period", "child_id"]].merge(
        children[["period", "child_id", column]], on=["period", "child_id"], how="left")
    return merged[column].set_axis(frame.index)

"""Five-year series and year-on-year change, for charts and for the words around them."""

from __future__ import annotations

import pandas as pd


def year_on_year(frame: pd.DataFrame, value: str, by: list[str] | None = None) -> pd.DataFrame:
    """Add ``change`` (difference) and ``change_pct`` (relative change, %) on the previous period.

    ``by`` names grouping columns (for example an area or category), so several series in
    one long frame each get their own change. The first period of each series has none.
    """
    by = by or []
    ordered = frame.sort_values([*by, "period"]).copy()
    previous = ordered.groupby(by)[value].shift() if by else ordered[value].shift()
    ordered["change"] = ordered[value] - previous
    ordered["change_pct"] = ordered["change"] / previous * 100
    return ordered.reset_index(drop=True)


def latest(frame: pd.DataFrame, period: str) -> pd.DataFrame:
    """Rows for one period."""
    return frame[frame["period"] == period].reset_index(drop=True)


def value_at(frame: pd.DataFrame, period: str, column: str, **where: object) -> float:
    """The single value of ``column`` for ``period`` (and any other column filters)."""
    rows = frame[frame["period"] == period]
    for key, wanted in where.items():
        rows = rows[rows[key] == wanted]
    if len(rows) != 1:
        raise LookupError(f"expected one row for {period} {where}, found {len(rows)}")
    return float(rows[column].iloc[0])


def direction(values: pd.Series) -> str:
    """Describe a series: 'increasing' or 'decreasing' if every step goes that way, else 'mixed'.

    Analysts use "increasing trend" only when each year is above the last, so a single dip
    makes the series 'mixed' rather than being smoothed away.
    """
    steps = pd.Series(values).diff().dropna()
    if steps.empty:
        return "single year"
    if (steps > 0).all():
        return "increasing"
    if (steps < 0).all():
        return "decreasing"
    if (steps == 0).all():
        return "flat"
    return "mixed"

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


_REQUIRED = object()


def value_at(frame: pd.DataFrame, period: str, column: str, default: object = _REQUIRED,
             **where: object) -> float:
    """The single value of ``column`` for ``period`` (and any other column filters).

    With ``default``, a missing row gives that value (a category with no records in the
    year counts as 0 in a share); without it, a missing row is an error. Two matching rows
    are always an error: the frame was not the tidy one-row-per-key table expected.
    """
    rows = frame[frame["period"] == period]
    for key, wanted in where.items():
        rows = rows[rows[key] == wanted]
    if rows.empty and default is not _REQUIRED:
        return float(default)  # type: ignore[arg-type]
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

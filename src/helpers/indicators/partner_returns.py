"""Reading partner returns, and registering their figures: shared by the partner families.

Partner returns (``helpers.data.schema_partners``) are long tables: ``period`` (the report year
folder, added on loading), ``figure_period`` (the partner's own period), ``measure``,
``breakdown`` and ``value``. The functions below read them the same way everywhere:

- a measure's *total* is its blank-breakdown row, or the sum of its category rows when the
  partner sent only the categories;
- a *part* is one category row; comparator areas (England, London) are never parts;
- a percentage is computed from the counts a partner sends (part / total), never typed in,
  unless the partner only publishes the percentage (Census shares, national rates).

Every partner measure is registered with ``by_year=False``: it reads the rows of the report
year's own folder, whatever period they cover (an academic year, a calendar year, a
five-year window), and a "previous year" figure is the same measure read from the previous
report year's folder. Each family module (area profile, education, early help, community
safety, reviews, inspections, the partnership itself) lists its figures in the tables
``register_tables`` reads, so a figure's definition and its data-dictionary entry are made
by one call.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd

from helpers.data import schema_partners as sp
from helpers.data.loading import ReportData
from helpers.indicators.base import Compute, Definition, measure, per_year
from helpers.indicators.trends import direction

# indicator: (table, measure, breakdown, name)
Figures = Mapping[str, tuple[str, str, str, str]]
# indicator: (table, (numerator measure, breakdown), (denominator measure, breakdown), name)
Shares = Mapping[str, tuple[str, tuple[str, str], tuple[str, str], str]]


# --------------------------------------------------------------------------- reading returns
def _is_blank(value: Any) -> bool:
    """A blank breakdown (missing or empty): the measure's total row."""
    return value is None or value is pd.NA or value != value or str(value) == ""


def measure_rows(frame: pd.DataFrame, code: str) -> pd.DataFrame:
    """Rows of one measure, with a blank breakdown as ''.

    Asked for hundreds of times a report year, on tables of a few dozen rows: the few rows
    of the measure are picked first and only their breakdowns are tidied.
    """
    picked = (frame["measure"] == code).to_numpy(dtype=bool, na_value=False)
    rows = frame[picked].reset_index(drop=True)
    shown = ["" if _is_blank(v) else str(v) for v in rows["breakdown"]]
    return rows.assign(breakdown=np.array(shown, dtype=object))


@per_year
def return_rows(d: ReportData, table: str, code: str) -> pd.DataFrame:
    """:func:`measure_rows` of the report year's ``table``, picked once per report year.

    A partner figure's value, its comparator's, its own period and its comparator areas
    all read the same few rows, and a chapter asks for each several times: picking them
    from the return again each time was ~0.4 s of a report year.
    """
    return measure_rows(d.current(table), code)


def returned_figure(d: ReportData, table: str, code: str, breakdown: str = "") -> float:
    """:func:`figure` of the report year's ``table``, from its rows picked once."""
    return figure_of(return_rows(d, table, code), code, breakdown)


def parts(frame: pd.DataFrame, code: str) -> pd.Series:
    """Category rows of a measure as breakdown -> value (no total, no comparator area)."""
    return parts_of(measure_rows(frame, code), code)


def total(frame: pd.DataFrame, code: str) -> float:
    """The measure's headline figure: its blank-breakdown row, else the sum of its parts."""
    return total_of(measure_rows(frame, code), code)


def figure(frame: pd.DataFrame, code: str, breakdown: str = "") -> float:
    """One figure of a return: the total (breakdown '') or one category or comparator area."""
    return figure_of(measure_rows(frame, code), code, breakdown)


def text_figure(frame: pd.DataFrame, code: str, breakdown: str = "") -> str:
    """A text value (a rating) of a return."""
    return text_of(measure_rows(frame, code), code, breakdown)


# The same, from the rows of the one measure ``code`` (:func:`measure_rows`, :func:`return_rows`).
def parts_of(rows: pd.DataFrame, code: str) -> pd.Series:
    rows = rows[(rows["breakdown"] != "") & ~rows["breakdown"].isin(sp.AREAS)]
    return pd.Series(rows["value"].to_numpy(), index=rows["breakdown"].to_numpy(), name=code)


def total_of(rows: pd.DataFrame, code: str) -> float:
    headline = rows[rows["breakdown"] == ""]
    if len(headline):
        return float(headline["value"].iloc[0])
    found = parts_of(rows, code)
    if found.empty:
        raise LookupError(f"no rows for measure {code!r}")
    return float(found.astype(float).sum())


def figure_of(rows: pd.DataFrame, code: str, breakdown: str = "") -> float:
    if breakdown == "":
        return total_of(rows, code)
    rows = rows[rows["breakdown"] == breakdown]
    if rows.empty:
        raise LookupError(f"no row for measure {code!r} with breakdown {breakdown!r}")
    return float(rows["value"].iloc[0])


def text_of(rows: pd.DataFrame, code: str, breakdown: str = "") -> str:
    rows = rows[rows["breakdown"] == breakdown]
    if rows.empty:
        raise LookupError(f"no row for measure {code!r} with breakdown {breakdown!r}")
    return str(rows["value"].iloc[0])


def percent(numerator: float, denominator: float) -> float:
    """numerator as a percentage of denominator (0-100, unrounded)."""
    if denominator == 0:
        raise ZeroDivisionError("percentage of an empty denominator")
    return numerator / denominator * 100


def breakdown_shares(frame: pd.DataFrame, code: str, total_code: str | None = None) -> pd.DataFrame:
    """Each category's value and share (%) of its total, per report year, largest first.

    Works on a table stacked over report years (``period``), so one call feeds a chart of
    several years. The denominator is the total of ``total_code`` (default: the measure
    itself), so a split that is not exhaustive (vulnerabilities) is still a share of all.
    """
    rows = []
    for period, year_rows in frame.groupby("period", sort=True):
        found = parts(year_rows, code)
        base = total(year_rows, total_code or code)
        for name, value in found.items():
            rows.append({"period": period, "breakdown": name, "value": float(value),
                         "pct": percent(float(value), base)})
    out = pd.DataFrame(rows, columns=["period", "breakdown", "value", "pct"])
    return out.sort_values(["period", "value"], ascending=[True, False], ignore_index=True)


def ranked(frame: pd.DataFrame, code: str, n: int | None = None) -> list[str]:
    """Categories of a measure, largest first (ties keep the return's order)."""
    found = parts(frame, code).astype(float)
    order = found.sort_values(ascending=False, kind="stable")
    return list(order.index[:n] if n else order.index)


def one_in_n(share: float) -> float:
    """A share as the report words it, '1 in N', returned as 1/N (1 in 3 -> 0.333...).

    N is the nearest whole number to 1/share, so 150 of 449 deaths (33.4%) and 26.5% of
    pupils read "1 in 3" and "1 in 4" as the report prints them.
    """
    if share <= 0:
        raise ValueError("a '1 in N' share needs a positive share")
    return 1 / round(1 / share)


def relative_change_pct(current: float, previous: float) -> float:
    """Change from ``previous`` to ``current`` as a percentage of ``previous``."""
    return percent(current - previous, previous)


def position(value: float, comparators: Sequence[float], smaller: str, larger: str,
             neither: str = "mixed") -> str:
    """'smaller' if below every comparator, 'larger' if above every one, else ``neither``."""
    if all(value < c for c in comparators):
        return smaller
    if all(value > c for c in comparators):
        return larger
    return neither


def trend_word(values: Sequence[float]) -> str:
    """'increasing' / 'decreasing' when every step goes one way, else 'fluctuating'.

    The same rule as ``trends.direction``, in the words partner returns are described with.
    """
    if len(values) < 2:
        raise ValueError("a trend needs at least two years")
    shape = direction(pd.Series(values, dtype=float))
    return shape if shape in ("increasing", "decreasing") else "fluctuating"


def folder(table: pd.DataFrame, year: str, name: str) -> pd.DataFrame:
    """One report year's rows of a stacked return; a clear error if that year has none."""
    rows = table[table["period"] == year]
    if rows.empty:
        raise LookupError(f"no {name} return for {year} to compare with")
    return rows


# --------------------------------------------------------------------------- registration
def meaning(table: str, code: str, breakdown: str = "") -> str:
    """What a return's measure (and category) means, from its schema."""
    text = sp.RETURNS[table][code].meaning
    return f"{text}: {breakdown}" if breakdown else text


def basis(table: str) -> str:
    """The data dictionary's basis for a figure read from a partner return."""
    return f"Partner return {table}.csv ({sp.DESCRIPTIONS[table]})"


#: How some partner figures are shown where their name's default does not fit: the report
#: prints these shares to one decimal place, and a share worded "one fifth" is a ratio.
SHOWN_AS: dict[str, dict[str, object]] = {
    # scores and "1 in N" shares are not counts of people: rates to their printed places
    "tier3_satisfaction_score_exit": {"unit": "rate", "decimals": 1},
    "tier3_satisfaction_score_start": {"unit": "rate", "decimals": 1},
    "deaths_first_27_days_share": {"unit": "rate", "decimals": 3},
    "deaths_in_20pct_most_deprived_share": {"unit": "rate", "decimals": 3},
    "fwd_referrals_change_pct": {"decimals": 1},
    "children_share_of_population": {"unit": "ratio"},
    "non_binary_or_different_to_assigned_sex_pct": {"decimals": 1},
    "ks4_sustained_education_destination_pct": {"decimals": 1},
    # ---- added for chapter 07: absence is printed to one decimal place, as DfE publishes it
    "persistent_absence_primary_pct": {"decimals": 1},
    "persistent_absence_secondary_pct": {"decimals": 1},
    "persistent_absence_primary_england_pct": {"decimals": 1},
    "persistent_absence_secondary_england_pct": {"decimals": 1},
}
#: indicator -> (table, measure code, breakdown) it is read from, filled as figures register.
SOURCE_ROWS: dict[str, tuple[str, str, str]] = {}
#: Figures a partner publishes as such, which may carry comparator areas beside them.
PUBLISHED_AS_SUCH: set[str] = set()
#: Derived figures, with the row their period and source come from.
DERIVED_ROWS: dict[str, tuple[str, str, str]] = {
    "children_total": ("borough_profile", "population_total", ""),
    "children_share_of_population": ("borough_profile", "population_total", ""),
    "children_in_poverty_ahc_share": ("borough_profile", "children_in_poverty_ahc_pct", ""),
    "secondary_pupils_missing_over_10pct_sessions_share": (
        "education_inclusion", "persistent_absence_secondary_pct", ""),
    "early_years_good_or_outstanding_pct": ("provider_ratings", "early_years_settings", ""),
    "early_years_settings_good_or_outstanding_pct": ("provider_ratings", "early_years_settings",
                                                     ""),
    "mainstream_schools_good_or_outstanding_pct": ("provider_ratings", "mainstream_schools", ""),
    "schools_good_or_outstanding_pct": ("provider_ratings", "mainstream_schools", ""),
    "disadvantage_attainment_gap_vs_london_england": ("education_outcomes",
                                                      "disadvantage_gap_ks4", ""),
    "attainment_vs_national": ("education_outcomes", "attainment8_score", ""),
}


#: Returns whose counts are of things (pounds, posts, page views), never suppressed.
NOT_PEOPLE_RETURNS = ("finance", "website")


def register(definitions: dict[str, Definition], indicator: str, compute: Compute, name: str,
             numerator: str, denominator: str = "-", basis: str = "",
             comparator: Compute | None = None, **shown: Any) -> None:
    """Define ``indicator`` once: its data-dictionary entry (in the family's ``definitions``)
    and its registered function; ``shown`` (``unit``, ``decimals``, ``people``) and
    ``SHOWN_AS`` say how the register states it."""
    compute.__doc__ = name
    definitions[indicator] = Definition(name, numerator, denominator, basis)
    measure(indicator, comparator=comparator, by_year=False,
            **{**shown, **SHOWN_AS.get(indicator, {})})(compute)  # type: ignore[arg-type]


def rows_period(frame: pd.DataFrame, code: str, breakdown: str | None = None) -> str:
    """The partner's own period of a measure's rows in one report year's folder ('2023-24',
    '2024 (calendar year)', '1 Apr 2019 - 31 Mar 2024'): what the page says the figure covers.

    Raw returns (no ``figure_period`` column) carry their own period in ``period``.
    """
    return period_of_rows(measure_rows(frame, code), code, breakdown)


def returned_period(d: ReportData, table: str, code: str, breakdown: str | None = None) -> str:
    """:func:`rows_period` of the report year's ``table``, from its rows picked once."""
    return period_of_rows(return_rows(d, table, code), code, breakdown)


def period_of_rows(rows: pd.DataFrame, code: str, breakdown: str | None = None) -> str:
    if breakdown is not None:
        rows = rows[rows["breakdown"] == breakdown]
    column = "figure_period" if "figure_period" in rows.columns else "period"
    periods = list(dict.fromkeys(rows[column].astype(str)))
    if not periods:
        raise LookupError(f"no rows for measure {code!r}")
    return periods[0] if len(periods) == 1 else f"{periods[0]} to {periods[-1]}"


def source_row(indicator: str) -> tuple[str, str, str] | None:
    """(table, measure code, breakdown) a partner indicator is read from, or None."""
    return SOURCE_ROWS.get(indicator) or DERIVED_ROWS.get(indicator)


def figure_period(d: ReportData, indicator: str) -> str | None:
    """The partner's own period for a figure ('April 2025', '2023/24 academic year'), or
    None for a figure of the report year itself (record-level data, unknown indicator)."""
    row = source_row(indicator)
    if row is None:
        return None
    table, code, breakdown = row
    try:
        rows = return_rows(d, table, code)
    except (FileNotFoundError, KeyError):
        return None
    if breakdown:
        rows = rows[rows["breakdown"] == breakdown]
    if rows.empty or "figure_period" not in rows.columns:
        return None
    return str(rows["figure_period"].iloc[0])


def figure_source(indicator: str) -> str | None:
    """The return a partner figure comes from, in words, or None."""
    row = source_row(indicator)
    return None if row is None else f"{row[0]}.csv: {sp.DESCRIPTIONS[row[0]]}"


def area_values(d: ReportData, indicator: str) -> dict[str, float]:
    """Comparator areas' values (London, England...) a return carries beside a figure it
    publishes as such, in the order of ``schema_partners.AREAS``; empty when none."""
    if indicator not in PUBLISHED_AS_SUCH:
        return {}
    table, code, _breakdown = SOURCE_ROWS[indicator]
    try:
        rows = return_rows(d, table, code)
    except (FileNotFoundError, KeyError):
        return {}
    found = dict(zip(rows["breakdown"], rows["value"].astype(float), strict=True))
    return {area: found[area] for area in sp.AREAS if area in found}


def _whole(value: float) -> int | float:
    return int(value) if float(value).is_integer() else value


def count_of(table: str, code: str, breakdown: str = "") -> Compute:
    """A count a partner sends, as an int when it is whole."""
    return lambda d: _whole(returned_figure(d, table, code, breakdown))


def stated(table: str, code: str, breakdown: str = "") -> Compute:
    """A figure a partner publishes as such (a Census share, a national rate)."""
    return lambda d: returned_figure(d, table, code, breakdown)


def share_of(table: str, numerator: tuple[str, str], denominator: tuple[str, str]) -> Compute:
    """A percentage computed from two counts of one return."""
    return lambda d: percent(returned_figure(d, table, *numerator),
                             returned_figure(d, table, *denominator))


def rating(table: str, code: str, breakdown: str = "") -> Compute:
    """A text value (an inspection grade) of a return."""
    return lambda d: text_of(return_rows(d, table, code), code, breakdown)


def register_tables(definitions: dict[str, Definition], counts: Figures | None = None,
                    stated_figures: Figures | None = None, shares: Shares | None = None,
                    ratings: Figures | None = None,
                    comparators: Mapping[str, tuple[str, str, str]] | None = None) -> None:
    """Register a family's figures read straight from its returns.

    ``comparators``: indicator -> (table, measure, breakdown) of the figure the report
    compares it with, where that is not the same measure in another year (a national value,
    a starting score).
    """
    comparators = comparators or {}

    def against(indicator: str) -> Compute | None:
        found = comparators.get(indicator)
        return stated(*found) if found else None

    for figures in (counts, stated_figures, ratings):
        for indicator, (table, code, breakdown, _name) in (figures or {}).items():
            SOURCE_ROWS[indicator] = (table, code, breakdown)
    for indicator, (table, (code, breakdown), _den, _name) in (shares or {}).items():
        SOURCE_ROWS[indicator] = (table, code, breakdown)
    PUBLISHED_AS_SUCH.update(stated_figures or {})
    for indicator, (table, code, breakdown, name) in (counts or {}).items():
        register(definitions, indicator, count_of(table, code, breakdown), name,
                 meaning(table, code, breakdown), basis=basis(table),
                 comparator=against(indicator), people=table not in NOT_PEOPLE_RETURNS)
    for indicator, (table, code, breakdown, name) in (stated_figures or {}).items():
        register(definitions, indicator, stated(table, code, breakdown), name,
                 meaning(table, code, breakdown), basis=basis(table) + " as published",
                 comparator=against(indicator))
    for indicator, (table, num, den, name) in (shares or {}).items():
        register(definitions, indicator, share_of(table, num, den), name, meaning(table, *num),
                 meaning(table, *den), basis=basis(table), comparator=against(indicator))
    for indicator, (table, code, breakdown, name) in (ratings or {}).items():
        register(definitions, indicator, rating(table, code, breakdown), name,
                 f"latest grade: {meaning(table, code, breakdown)}", basis=basis(table),
                 comparator=against(indicator))

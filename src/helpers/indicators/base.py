"""The registry of figures the report states: indicator name -> function computing it.

Each published figure has an indicator name (``contacts_total``,
``cla_placed_within_20_miles_pct``). Indicator families register a function per name with
``@measure(...)``; the function takes a ``ReportData`` and returns the value for that
report year. The calibration report and the chapters use the same functions, so a figure
has one definition in one place. ``comparator`` computes the figure the report compares
with, where that is not simply the same measure in another year.

Every family also documents its indicators with a ``Definition`` (what is counted, over
what, on what basis) for the data dictionary, and shares the small helpers here for
percentages of flagged rows and for picking one figure out of a tidy frame.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Hashable
from dataclasses import dataclass
from typing import TypeAlias, TypeVar

import pandas as pd

from helpers.data.loading import ReportData
from helpers.indicators.trends import value_at

T = TypeVar("T")

Value: TypeAlias = float | int | str
Compute: TypeAlias = Callable[[ReportData], Value]


#: How a measure's value is shown and protected. ``percent`` is a share of people (its
#: ``denominator`` measure says of whom); ``rate`` is per 10,000 or a published percentage
#: with no count behind it; ``change_pct``/``change_points`` compare with the previous year;
#: ``ratio`` is a share on a 0-1 scale the report words as "1 in 4" or "one fifth".
UNITS = ("count", "percent", "rate", "change_pct", "change_points", "category", "rank",
         "ratio")


@dataclass(frozen=True)
class Definition:
    """What an indicator counts, over what, and where the definition comes from."""

    name: str
    numerator: str
    denominator: str
    basis: str


@dataclass(frozen=True)
class Measure:
    """One published figure's definition and what the register needs to state it.

    ``people`` is False for counts that are not about people (courses, page views, board
    members): disclosure control protects people, so those are never suppressed.
    """

    indicator: str
    compute: Compute
    description: str
    comparator: Compute | None = None
    by_year: bool = True
    unit: str = "count"
    denominator: str | None = None
    decimals: int = 0
    people: bool = True


def infer_unit(indicator: str) -> str:
    """The unit an indicator's name implies, by the naming convention the registry uses.

    Names end in ``_pct`` (a share), ``_change_pct`` (relative change), ``_change`` (change
    in points of a rate), ``_rate...``/``_per_10k`` (a rate), ``_rank_order``/``_rank``
    (a ranking), ``_share`` (a 0-1 share worded "1 in 4"), or name a count. Measures
    whose name does not follow the convention pass
    ``unit=`` explicitly.
    """
    name = indicator
    if name.endswith("_change_pct"):
        return "change_pct"
    if name.endswith("_change"):
        return "change_points"
    if name.endswith("_rank_order"):
        return "category"
    if name.endswith("_rank"):
        return "rank"
    if name.endswith("_share"):
        return "ratio"
    if name.endswith("_pct"):
        return "percent"
    if "per_10k" in name or "_rate" in name:
        return "rate"
    return "count"


MEASURES: dict[str, Measure] = {}


def measure(indicator: str, comparator: Compute | None = None, by_year: bool = True, *,
            unit: str | None = None, denominator: str | None = None, decimals: int | None = None,
            people: bool = True) -> Callable[[Compute], Compute]:
    """Register the decorated function as the definition of ``indicator``.

    ``by_year``: the function computes the figure for ``data.year`` from record-level data,
    so a figure the report quotes for another year (2022-23 in the 2024-25 report) is
    computed from that year's data. Set it False for figures read from a partner return,
    whose rows carry their own period (``figure_period``) inside the report year's folder.

    ``unit`` (default: implied by the name, see :func:`infer_unit`), ``denominator`` (the
    measure counting whom a percentage is of, so the register can hide a percentage of a
    small number) and ``decimals`` (as the report shows it) tell the figure register how to
    state the value.

    Registering the same indicator twice is an error: two definitions of one figure is
    exactly the drift this registry exists to prevent.
    """
    shown_unit = unit or infer_unit(indicator)
    if shown_unit not in UNITS:
        raise ValueError(f"measure {indicator!r}: unknown unit {shown_unit!r}")
    places = decimals if decimals is not None else 0

    def register(func: Compute) -> Compute:
        if indicator in MEASURES:
            raise ValueError(f"measure {indicator!r} is defined twice")
        doc = (func.__doc__ or "").strip().splitlines()
        MEASURES[indicator] = Measure(indicator, func, doc[0] if doc else "", comparator, by_year,
                                      shown_unit, denominator, places, people)
        return func

    return register


def rank_order(names: list[str], values: list[float] | None = None, unit: str = "%") -> str:
    """'1 Police (25%); 2 Health (20%)', the form the report uses for rankings."""
    parts = []
    for i, name in enumerate(names, start=1):
        shown = f" ({values[i - 1]:.0f}{unit})" if values is not None else ""
        parts.append(f"{i} {name}{shown}")
    return "; ".join(parts)


def value(indicator: str, data: ReportData) -> Value:
    """Compute a registered measure (importing the indicator families first)."""
    import helpers.indicators  # noqa: F401 - fills the registry

    return MEASURES[indicator].compute(data)


class NotAvailable(LookupError):
    """Raised by a measure whose figure cannot be computed from the data held for a year
    (a first year with no previous one, a return with no rows): the chapter says so in
    words instead of showing a number."""


# --- helpers shared by the families ---------------------------------------------------------


def pct(numerator: pd.Series, denominator: pd.Series) -> pd.Series:
    """numerator / denominator as a percentage; NaN (not an error) where the denominator is 0,
    so a year with no records has no rate rather than a fake 0%."""
    return numerator / denominator.where(denominator > 0) * 100


def rate(frame: pd.DataFrame, flag: str, by: list[str] | None = None,
         count: str = "count", key: str = "pct") -> pd.DataFrame:
    """Per group: rows (``denominator``), rows where ``flag`` is true, and that share (%)."""
    by = by or ["period"]
    out = (frame.groupby(by)[flag].agg(["size", "sum"]).reset_index()
           .rename(columns={"size": "denominator", "sum": count}))
    out[count] = out[count].astype(int)
    out[key] = pct(out[count], out["denominator"])
    return out.sort_values(by, ignore_index=True)


def pick(frame: pd.DataFrame, year: str, column: str = "pct", **where: str) -> float:
    """A figure from a tidy indicator frame; NaN where the year has no such row."""
    return value_at(frame, year, column, default=float("nan"), **where)


def per_year(fn: Callable[..., T]) -> Callable[..., T]:
    """Compute ``fn(d, *args)`` once per report year of the data ``d`` (and per ``args``).

    For the intermediate tables several measures read (a child protection journey, the
    factors recorded at assessment, placement counts): each measure asks, one computes.
    The result is kept by ``d`` (:meth:`helpers.data.loading.ReportData.remember`), so it
    lives as long as the data it came from; ``args`` must be hashable.
    """
    @functools.wraps(fn)
    def once(d: ReportData, *args: Hashable) -> T:
        remember = getattr(d, "remember", None)  # a ReportData; test doubles may not
        if remember is None:
            return fn(d, *args)
        return remember((fn.__module__, fn.__qualname__, args), lambda: fn(d, *args))

    return once


def current_tables(d: ReportData, *names: str) -> list[pd.DataFrame]:
    """The report year's rows of several tables, in the order named."""
    return [d.current(name) for name in names]


def year_total(frame_fn: Callable[[ReportData], pd.DataFrame], doc: str,
               column: str = "denominator") -> Callable[[ReportData], int]:
    """A measure of the report year's ``column`` of an indicator frame: the denominator of a
    percentage measure, registered so the figure register can hide a share of few children."""
    def total(d: ReportData) -> int:
        return int(pick(frame_fn(d), d.year, column))

    total.__doc__ = doc
    return total

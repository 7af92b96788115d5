"""The registry of figures the report states: indicator name -> function computing it.

Each published figure has an indicator name (``contacts_total``,
``cla_placed_within_20_miles_pct``). Indicator families register a function per name with
``@measure(...)``; the function takes a ``ReportData`` and returns the value for that
report year. The calibration report and the chapters use the same functions, so a figure
has one definition in one place. ``comparator`` computes the figure the report compares
with, where that is not simply the same measure in another year.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeAlias

from helpers.data.loading import ReportData

Value: TypeAlias = float | int | str
Compute: TypeAlias = Callable[[ReportData], Value]


@dataclass(frozen=True)
class Measure:
    indicator: str
    compute: Compute
    description: str
    comparator: Compute | None = None
    by_year: bool = True


MEASURES: dict[str, Measure] = {}


def measure(indicator: str, comparator: Compute | None = None,
            by_year: bool = True) -> Callable[[Compute], Compute]:
    """Register the decorated function as the definition of ``indicator``.

    ``by_year``: the function computes the figure for ``data.year`` from record-level data,
    so a figure the report quotes for another year (2022-23 in the 2024-25 report) is
    computed from that year's data. Set it False for figures read from a partner return,
    whose rows carry their own period (``figure_period``) inside the report year's folder.

    Registering the same indicator twice is an error: two definitions of one figure is
    exactly the drift this registry exists to prevent.
    """

    def register(func: Compute) -> Compute:
        if indicator in MEASURES:
            raise ValueError(f"measure {indicator!r} is defined twice")
        doc = (func.__doc__ or "").strip().splitlines()
        MEASURES[indicator] = Measure(indicator, func, doc[0] if doc else "", comparator, by_year)
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

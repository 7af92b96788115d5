"""The child population (ONS mid-year estimate, ``population`` table): totals, ethnic group
shares and rates per 10,000, the denominators of every rate and of disproportionality.

The population table in a report year's folder is the estimate DfE divides by for that
year: the mid-year inside the reporting year (mid-2024 for 2024-25, "the previous
mid-year" as DfE words it from 31 March 2025).
"""

from __future__ import annotations

import pandas as pd

from helpers.indicators.base import pct


def population_totals(population: pd.DataFrame) -> pd.DataFrame:
    """Children aged 0-17 per period (the denominator of every rate per 10,000)."""
    return population.groupby("period")["population"].sum().rename("population").reset_index()


def population_shares(population: pd.DataFrame) -> pd.DataFrame:
    """Each major ethnic group's share (%) of the child population, per period."""
    out = population.groupby(["period", "ethnic_group"])["population"].sum().reset_index()
    out["pct"] = pct(out["population"], out.groupby("period")["population"].transform("sum"))
    return out


def per_10k(counts: pd.DataFrame, population: pd.DataFrame, column: str = "count") -> pd.DataFrame:
    """Add ``rate_per_10k`` = count per 10,000 children aged 0-17 of the same period."""
    out = counts.merge(population_totals(population), on="period", how="left")
    out["rate_per_10k"] = out[column] / out["population"] * 10_000
    return out

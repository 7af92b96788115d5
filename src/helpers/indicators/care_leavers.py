"""Indicators: care leavers (SSDA903 OC3 cohort and their allocated workers)."""

from __future__ import annotations

from collections.abc import Callable

import pandas as pd

from helpers.data.loading import ReportData
from helpers.indicators.base import Definition, NotAvailable, current_tables, measure, per_year, pick, rate
from helpers.indicators.periods import (
    child_ages,
    year_end,
)

DEFINITIONS: dict[str, Definition] = {
    "care_leavers_18plus_allocated": Definition(
        "Care leavers aged 18+ allocated", "care leavers aged 18 or over at 31 March with an "
        "allocated worker or personal adviser", "-", "Local count (SSDA903 OC3 cohort)."),
}


def care_leavers_allocated(leavers: pd.DataFrame, children: pd.DataFrame) -> pd.DataFrame:
    """Care leavers aged 18+ at 31 March per year, and how many have an allocated worker."""
    adults = leavers[child_ages(leavers, children, year_end(leavers["period"])) >= 18]
    return rate(adults.assign(allocated=adults["pa_allocated"] == "Y"), "allocated")


# --- measures --------------------------------------------------------------------------------


@measure("care_leavers_18plus_allocated")
def care_leavers_18plus_allocated(d: ReportData) -> int:
    """Care leavers aged 18+ with an allocated worker at 31 March."""
    return int(pick(care_leavers_allocated(*current_tables(d, "care_leavers", "children")),
                     d.year, "count"))


# ---- added for chapter 07
# Care leavers' outcomes (in touch, in education, employment or training, in suitable
# accommodation) by age group, as DfE counts them from the SSDA903 OC3 return.

CARE_LEAVER_AGES: tuple[tuple[str, int, int], ...] = (("18", 18, 18), ("19-21", 19, 21),
                                                      ("22 and over", 22, 120))
EET_ACTIVITIES = frozenset({"F1", "P1", "F2", "P2", "F4", "P4", "F5", "P5"})


def care_leaver_outcomes(leavers: pd.DataFrame, children: pd.DataFrame) -> pd.DataFrame:
    """Care leavers aged 18+ at 31 March by age group: share in touch, in education,
    employment or training, and in suitable accommodation (SSDA903 OC3 definitions).

    Columns: ``period``, ``age_group``, ``outcome`` (in_touch, eet, suitable), ``count``,
    ``denominator``, ``pct``. Every leaver in the group is in the denominator, as in DfE's
    figures (not in touch counts as not known to be in EET or suitable accommodation).
    """
    ages = child_ages(leavers, children, year_end(leavers["period"]))
    adults = leavers.assign(age=ages)[ages >= 18].copy()
    adults["age_group"] = pd.NA
    for label, low, high in CARE_LEAVER_AGES:
        adults.loc[adults["age"].between(low, high), "age_group"] = label
    flags = {"in_touch": adults["in_touch"] == "YES",
             "eet": adults["activity"].isin(EET_ACTIVITIES),
             "suitable": adults["accommodation_suitable"] == "Y"}
    parts = [rate(adults.assign(flag=flag), "flag", by=["period", "age_group"]).assign(outcome=name)
             for name, flag in flags.items()]
    return pd.concat(parts, ignore_index=True)[
        ["period", "age_group", "outcome", "count", "denominator", "pct"]]


@per_year
def _leaver_outcomes(d: ReportData) -> pd.DataFrame:
    return care_leaver_outcomes(*current_tables(d, "care_leavers", "children"))


@measure("care_leavers_18plus_total")
def care_leavers_18plus_total(d: ReportData) -> int:
    """Care leavers aged 18 and over at 31 March (allocated or not)."""
    outcomes = _leaver_outcomes(d)
    rows = outcomes[(outcomes["period"] == d.year) & (outcomes["outcome"] == "in_touch")]
    return int(rows["denominator"].sum())


_OUTCOME_DOCS = {"in_touch": "Care leavers aged 18+ in touch with the service (%).",
                 "eet": "Care leavers aged 18+ in education, employment or training (%).",
                 "suitable": "Care leavers aged 18+ in suitable accommodation (%)."}


def _leaver_share(outcome: str) -> Callable[[ReportData], float]:
    def share(d: ReportData) -> float:
        rows = _leaver_outcomes(d)
        rows = rows[(rows["period"] == d.year) & (rows["outcome"] == outcome)]
        if rows.empty or rows["denominator"].sum() == 0:
            raise NotAvailable("no care leavers aged 18 and over this year")
        return float(rows["count"].sum() / rows["denominator"].sum() * 100)

    share.__doc__ = _OUTCOME_DOCS[outcome]
    return share


for _outcome in _OUTCOME_DOCS:
    measure(f"care_leavers_{_outcome}_pct", denominator="care_leavers_18plus_total")(
        _leaver_share(_outcome))

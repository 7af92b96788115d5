"""Indicators: care leavers (SSDA903 OC3 cohort and their allocated workers)."""

from __future__ import annotations

import pandas as pd

from helpers.data.loading import ReportData
from helpers.indicators.base import Definition, current_tables, measure, pick, rate
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

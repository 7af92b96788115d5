"""Indicators: children in need (CIN census episodes, visits and their timeliness).

Like every social care family, functions take tables stacked over report years (``period``
on each row, see ``helpers.indicators.periods``) and select by date against the row's own
year; the ``@measure`` functions at the end pick the report year's figure.
"""

from __future__ import annotations

import pandas as pd

from helpers.calendar import working_days_between
from helpers.data.loading import ReportData
from helpers.indicators.base import Definition, measure, pick, rate
from helpers.indicators.periods import (
    in_year,
    open_at,
    year_end,
)

DEFINITIONS: dict[str, Definition] = {
    "cin_initial_visits_within_10_working_days_pct": Definition(
        "CIN initial visits within 10 working days",
        "CIN episodes starting in the year whose first visit was within 10 working days of "
        "the referral", "CIN episodes starting in the year with a first visit recorded",
        "Local timeliness measure; working days exclude weekends and England and Wales bank "
        "holidays."),
    "cin_visit_up_to_date_pct": Definition(
        "CIN visits up to date at 31 March",
        "CIN episodes open at 31 March whose latest visit (or, before any visit, the start) "
        "is within the plan's visit frequency of 31 March", "CIN episodes open at 31 March",
        "Local performance measure."),
}


def cin_initial_visit_timeliness(cin: pd.DataFrame, limit: int = 10) -> pd.DataFrame:
    """CIN episodes starting in each year with a first visit, and the share within ``limit``
    working days of the referral."""
    started = cin[in_year(cin["start_date"], cin["period"]) & cin["initial_visit_date"].notna()]
    started = started.assign(
        working_days=working_days_between(started["start_date"], started["initial_visit_date"]))
    started["in_time"] = started["working_days"] <= limit
    return rate(started, "in_time")


def cin_visits_up_to_date(cin: pd.DataFrame) -> pd.DataFrame:
    """CIN episodes open at 31 March and the share whose visits are not overdue.

    A visit is overdue when more than ``visit_frequency_days`` have passed since the latest
    visit (or since the episode began, for a new episode not yet visited).
    """
    end = year_end(cin["period"])
    open_now = cin[open_at(cin["start_date"], cin["end_date"], end)]
    end = year_end(open_now["period"])
    since = open_now["latest_visit_date"].fillna(open_now["start_date"])
    allowed = pd.to_timedelta(open_now["visit_frequency_days"].astype(float), unit="D")
    return rate(open_now.assign(up_to_date=since >= end - allowed), "up_to_date")


# --- measures --------------------------------------------------------------------------------


@measure("cin_initial_visits_within_10_working_days_pct")
def cin_initial_visits_pct(d: ReportData) -> float:
    """CIN initial visits within 10 working days of referral (%)."""
    return pick(cin_initial_visit_timeliness(d.current("cin_episodes")), d.year)


@measure("cin_visit_up_to_date_pct")
def cin_visit_up_to_date_pct(d: ReportData) -> float:
    """CIN episodes open at 31 March with visits up to date (%)."""
    return pick(cin_visits_up_to_date(d.current("cin_episodes")), d.year)

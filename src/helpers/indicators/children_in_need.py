"""Indicators: children in need (CIN census): referrals per 10,000, assessment timeliness,
CIN episodes and their visits.

Like every social care family, functions take tables stacked over report years (``period``
on each row, see ``helpers.indicators.periods``) and select by date against the row's own
year; the ``@measure`` functions at the end pick the report year's figure.
"""

from __future__ import annotations

import pandas as pd

from helpers.calendar import working_days_between
from helpers.data.loading import ReportData
from helpers.indicators.base import Definition, measure, per_year, pick, rate, year_total
from helpers.indicators.front_door import counts_by_period
from helpers.indicators.periods import (
    in_year,
    open_at,
    year_end,
)
from helpers.indicators.population import per_10k

ASSESSMENT_LIMIT_WORKING_DAYS = 45
"""Working Together's maximum for a children's social care assessment, from referral."""

DEFINITIONS: dict[str, Definition] = {
    "referrals_per_10k": Definition(
        "Referrals per 10,000 children",
        "referrals accepted in the year", "children aged 0-17 in the population table of the "
        "year's folder (the ONS mid-year estimate inside the reporting year, mid-2024 for "
        "2024-25: DfE's 'previous mid-year') / 10,000",
        "DfE children in need statistics (table C1, referrals rate per 10,000)."),
    "assessments_within_45_working_days_pct": Definition(
        "Assessments completed within 45 working days",
        "assessments authorised in the year whose authorisation date is at most 45 working "
        "days after the referral they followed (after the assessment start date where that "
        "referral is not in the data held)",
        "assessments authorised in the year",
        "DfE children in need statistics (assessment timeliness); working days exclude "
        "weekends and England and Wales bank holidays."),
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


def referral_rates(referrals: pd.DataFrame, population: pd.DataFrame) -> pd.DataFrame:
    """Referrals per period and per 10,000 children aged 0-17 (``rate_per_10k``).

    Each period's referrals are divided by the population table of the same period, which
    is the mid-year estimate DfE divides by for that reporting year.
    """
    return per_10k(counts_by_period(referrals), population)


def assessment_timeliness(assessments: pd.DataFrame, referrals: pd.DataFrame,
                          limit: int = ASSESSMENT_LIMIT_WORKING_DAYS) -> pd.DataFrame:
    """Assessments authorised in each year and the share authorised within ``limit`` working
    days of their referral.

    An assessment authorised in April may follow a referral held in the previous year's
    file, so ``referrals`` should be stacked over every year held. Where the referral is not
    held (older than the data, or not linked), the assessment's own start date is the
    starting point, so the assessment still counts rather than silently dropping out.
    """
    dates = referrals.drop_duplicates("referral_id").set_index("referral_id")["referral_date"]
    authorised = assessments[in_year(assessments["authorised_date"], assessments["period"])]
    began = authorised["referral_id"].map(dates).fillna(authorised["start_date"])
    days = working_days_between(began, authorised["authorised_date"])
    return rate(authorised.assign(in_time=(days <= limit).fillna(False).astype(bool)),
                "in_time")


# --- measures --------------------------------------------------------------------------------


@per_year
def _visits_up_to_date(d: ReportData) -> pd.DataFrame:
    """Visits of episodes open at 31 March: a share and its base."""
    return cin_visits_up_to_date(d.current("cin_episodes"))


@measure("cin_initial_visits_within_10_working_days_pct", denominator="cin_started_with_visit_total")
def cin_initial_visits_pct(d: ReportData) -> float:
    """CIN initial visits within 10 working days of referral (%)."""
    return pick(cin_initial_visit_timeliness(d.current("cin_episodes")), d.year)


@measure("cin_visit_up_to_date_pct", denominator="cin_open_31_march_total")
def cin_visit_up_to_date_pct(d: ReportData) -> float:
    """CIN episodes open at 31 March with visits up to date (%)."""
    return pick(_visits_up_to_date(d), d.year)


@measure("referrals_per_10k")
def referrals_per_10k(d: ReportData) -> float:
    """Referrals in the year per 10,000 children aged 0-17."""
    return pick(referral_rates(d.current("referrals"), d.current("population")), d.year,
                "rate_per_10k")


@measure("assessments_within_45_working_days_pct")
def assessments_within_45_working_days_pct(d: ReportData) -> float:
    """Assessments authorised in the year within 45 working days of the referral (%)."""
    return pick(assessment_timeliness(d.current("assessments"), d.table("referrals")), d.year)


# ---- added for chapter 07
# Denominators of the visit percentages, so the register can hide a share of few children.
measure("cin_started_with_visit_total")(year_total(
    lambda d: cin_initial_visit_timeliness(d.current("cin_episodes")),
    "CIN episodes starting in the year with a first visit recorded."))
measure("cin_open_31_march_total")(year_total(
    lambda d: _visits_up_to_date(d),
    "CIN episodes open at 31 March."))

"""Indicators: children looked after (SSDA903 episodes, reviews, visits and health).

Children looked after "at 31 March" are those with an episode open that day, short breaks
left out (``cla_at_year_end``); the disproportionality family reuses that selection.
"""

from __future__ import annotations

import pandas as pd

from helpers.data.loading import ReportData
from helpers.data.schema_social_care import (
    CONTRIBUTED_PARTICIPATION,
    NEW_PLACEMENT_RNE,
    SHORT_BREAK_LS,
)
from helpers.indicators.base import (
    Definition,
    current_tables,
    measure,
    pct,
    per_year,
    pick,
    rate,
    year_total,
)
from helpers.indicators.periods import (
    AGE_BANDS,
    age_band,
    child_ages,
    in_year,
    open_at,
    year_end,
)

DEFINITIONS: dict[str, Definition] = {
    "cla_starters": Definition(
        "Children starting to be looked after", "children with an episode starting in the year "
        "with reason for new episode S", "-", "SSDA903; DfE children looked after statistics."),
    "cla_starters_aged_13_plus_pct": Definition(
        "Children starting to be looked after aged 13 or over",
        "starters aged 13 or over on the day they started", "starters in the year",
        "SSDA903; age from month of birth (counted from the first of the month)."),
    "cla_contributed_to_reviews_pct": Definition(
        "Looked-after children who contributed to their review",
        "children whose latest review in the year has participation PN1, PN2, PN3, PN5 or PN6",
        "children with a review in the year, leaving out PN0 (under 4)",
        "SSDA903 review participation codes."),
    "cla_statutory_visits_in_timescale_pct": Definition(
        "Statutory visits to looked-after children in timescale",
        "visits due in the year made on or before their due date", "visits due in the year",
        "Local performance measure (Care Planning Regulations visits)."),
    "cla_3plus_placements_12m_pct": Definition(
        "Placement stability: 3 or more placements in the year",
        "children looked after at 31 March with 3 or more placements during the year",
        "children looked after at 31 March",
        "DfE children looked after statistics; a change of legal status alone (RNE L) is "
        "not a new placement."),
    "cla_placed_within_20_miles_pct": Definition(
        "Placed within 20 miles of home",
        "children looked after at 31 March placed 20 miles or less from home",
        "children looked after at 31 March with a placement distance recorded",
        "DfE children looked after statistics (distance between home and placement)."),
    "uasc_share_of_cla_pct": Definition(
        "Unaccompanied asylum-seeking children among children looked after",
        "children looked after at 31 March who are (or were) UASC",
        "children looked after at 31 March", "SSDA903 UASC information."),
    "cla_health_and_dental_check_pct": Definition(
        "Health assessment and dental check up to date",
        "children in the 12-month cohort with both a health assessment and a dental check in "
        "the 12 months to 31 March",
        "children looked after continuously for at least 12 months at 31 March",
        "SSDA903 OC2 outcomes."),
    "cla_under5_development_check_pct": Definition(
        "Development checks of looked-after children under 5",
        "children under 5 in the 12-month cohort with a development check in the 12 months to "
        "31 March", "children under 5 at 31 March in the 12-month cohort", "SSDA903 OC2 outcomes."),
}


def cla_at_year_end(episodes: pd.DataFrame) -> pd.DataFrame:
    """The episode open at 31 March of each year for each child looked after then.

    Short-break legal statuses (V3, V4) are left out, as in DfE's count.
    """
    end = year_end(episodes["period"])
    open_now = episodes[open_at(episodes["start_date"], episodes["end_date"], end)
                        & ~episodes["legal_status"].isin(SHORT_BREAK_LS)]
    return (open_now.sort_values(["period", "child_id", "start_date"])
            .drop_duplicates(["period", "child_id"], keep="last").reset_index(drop=True))


def cla_starters(episodes: pd.DataFrame, children: pd.DataFrame) -> pd.DataFrame:
    """One row per child starting to be looked after in each year (first start in the year),
    with age on the start date and age band."""
    started = episodes[(episodes["rne"] == "S") & in_year(episodes["start_date"], episodes["period"])]
    started = (started.sort_values(["period", "child_id", "start_date"])
               .drop_duplicates(["period", "child_id"]).reset_index(drop=True))
    started["age"] = child_ages(started, children, started["start_date"])
    started["age_band"] = age_band(started["age"])
    return started[["period", "child_id", "start_date", "age", "age_band"]]


def cla_starters_by_age(episodes: pd.DataFrame, children: pd.DataFrame) -> pd.DataFrame:
    """Starters per year and age band, with each band's share of the year's starters."""
    starters = cla_starters(episodes, children)
    bands = [b[0] for b in AGE_BANDS]
    out = (starters.groupby(["period", "age_band"]).size().rename("count")
           .reindex(pd.MultiIndex.from_product([sorted(starters["period"].unique()), bands],
                                               names=["period", "age_band"]), fill_value=0)
           .reset_index())
    out["pct"] = pct(out["count"], out.groupby("period")["count"].transform("sum"))
    return out


def placements_in_year(episodes: pd.DataFrame) -> pd.DataFrame:
    """Number of placements each child had during each year.

    The placement the child was in on 1 April (or started in) counts once; every later
    episode in the year that began a new placement (RNE other than L) counts again.
    """
    ordered = episodes.sort_values(["period", "child_id", "start_date"]).reset_index(drop=True)
    first = ordered.groupby(["period", "child_id"]).cumcount() == 0
    later_move = (in_year(ordered["start_date"], ordered["period"])
                  & ordered["rne"].isin(NEW_PLACEMENT_RNE))
    counted = ordered.assign(placement=first | later_move)
    return (counted.groupby(["period", "child_id"])["placement"].sum().astype(int)
            .rename("placements").reset_index())


def placement_stability(episodes: pd.DataFrame, threshold: int = 3) -> pd.DataFrame:
    """Children looked after at 31 March and the share with ``threshold``+ placements."""
    at_end = cla_at_year_end(episodes)[["period", "child_id"]]
    counted = at_end.merge(placements_in_year(episodes), on=["period", "child_id"], how="left")
    return rate(counted.assign(unstable=counted["placements"] >= threshold), "unstable")


def placement_distance(episodes: pd.DataFrame, miles: float = 20) -> pd.DataFrame:
    """Children looked after at 31 March with a distance recorded; share within ``miles``."""
    at_end = cla_at_year_end(episodes)
    known = at_end[at_end["placement_distance_miles"].notna()]
    return rate(known.assign(near=known["placement_distance_miles"] <= miles), "near")


def uasc_share(episodes: pd.DataFrame) -> pd.DataFrame:
    """Children looked after at 31 March and the share who are (or were) UASC."""
    at_end = cla_at_year_end(episodes)
    return rate(at_end.assign(uasc=at_end["uasc"] == "Y"), "uasc")


def review_participation(reviews: pd.DataFrame) -> pd.DataFrame:
    """Children reviewed in the year (4 and over) and the share who contributed at their
    latest review."""
    latest = (reviews.sort_values(["period", "child_id", "review_date"])
              .drop_duplicates(["period", "child_id"], keep="last"))
    latest = latest[latest["participation"] != "PN0"]
    return rate(latest.assign(contributed=latest["participation"].isin(CONTRIBUTED_PARTICIPATION)),
                 "contributed")


def visits_in_time(visits: pd.DataFrame) -> pd.DataFrame:
    """Statutory visits due in each year and the share made by their due date."""
    due = visits[in_year(visits["due_date"], visits["period"])]
    on_time = due["visit_date"].notna() & (due["visit_date"] <= due["due_date"])
    return rate(due.assign(in_time=on_time), "in_time")


def _recent(dates: pd.Series, end: pd.Series) -> pd.Series:
    return dates.notna() & (dates > end - pd.DateOffset(years=1)) & (dates <= end)


def health_checks(health: pd.DataFrame, children: pd.DataFrame) -> pd.DataFrame:
    """The 12-month cohort's checks: per year, the share with both a health assessment and a
    dental check in the 12 months to 31 March, and the under-5s' development checks."""
    end = year_end(health["period"])
    flagged = health.assign(
        age=child_ages(health, children, end),
        both=_recent(health["health_assessment_date"], end)
        & _recent(health["dental_check_date"], end),
        development=_recent(health["development_check_date"], end))
    both = rate(flagged, "both")[["period", "denominator", "count", "pct"]]
    under5 = rate(flagged[flagged["age"] < 5], "development")
    return both.merge(under5, on="period", how="left", suffixes=("", "_under5"))


# --- measures --------------------------------------------------------------------------------


@per_year
def _starters(d: ReportData) -> pd.DataFrame:
    """The year's starters with their age: read by the count and the age share."""
    return cla_starters(*current_tables(d, "cla_episodes", "children"))


@per_year
def _placement_stability(d: ReportData) -> pd.DataFrame:
    """Placements in the year of children looked after at 31 March: a share and its base."""
    return placement_stability(d.current("cla_episodes"))


@measure("cla_starters")
def cla_starters_count(d: ReportData) -> int:
    """Children who started to be looked after in the year."""
    return len(_starters(d))


@measure("cla_starters_aged_13_plus_pct", denominator="cla_starters")
def cla_starters_aged_13_plus_pct(d: ReportData) -> float:
    """Starters aged 13 or over on the day they started (%)."""
    starters = _starters(d)
    return float((starters["age"] >= 13).mean() * 100)


@measure("cla_contributed_to_reviews_pct", denominator="cla_reviewed_total")
def cla_contributed_to_reviews_pct(d: ReportData) -> float:
    """Looked-after children (4+) who contributed to their latest review in the year (%)."""
    return pick(review_participation(d.current("cla_reviews")), d.year)


@measure("cla_statutory_visits_in_timescale_pct", denominator="cla_visits_due_total")
def cla_statutory_visits_in_timescale_pct(d: ReportData) -> float:
    """Statutory visits due in the year made by their due date (%)."""
    return pick(visits_in_time(d.current("cla_visits")), d.year)


@measure("cla_3plus_placements_12m_pct", denominator="cla_31_march_total", decimals=1)
def cla_3plus_placements_12m_pct(d: ReportData) -> float:
    """Children looked after at 31 March with 3 or more placements in the year (%)."""
    return pick(_placement_stability(d), d.year)


@measure("cla_placed_within_20_miles_pct", denominator="cla_distance_known_total")
def cla_placed_within_20_miles_pct(d: ReportData) -> float:
    """Children looked after at 31 March placed 20 miles or less from home (%)."""
    return pick(placement_distance(d.current("cla_episodes")), d.year)


@measure("uasc_share_of_cla_pct", denominator="cla_31_march_total")
def uasc_share_of_cla_pct(d: ReportData) -> float:
    """Children looked after at 31 March who are or were UASC (%)."""
    return pick(uasc_share(d.current("cla_episodes")), d.year)


@measure("cla_health_and_dental_check_pct", denominator="cla_health_cohort_total")
def cla_health_and_dental_check_pct(d: ReportData) -> float:
    """12-month cohort with a health assessment and a dental check in the year (%)."""
    return pick(health_checks(*current_tables(d, "cla_health", "children")), d.year)


@measure("cla_under5_development_check_pct", denominator="cla_under5_cohort_total")
def cla_under5_development_check_pct(d: ReportData) -> float:
    """Under-5s in the 12-month cohort with a development check in the year (%)."""
    return pick(health_checks(*current_tables(d, "cla_health", "children")), d.year, "pct_under5")


# ---- added for chapter 07
# Denominators of the percentages above, so the register can hide a share of few children.
measure("cla_reviewed_total")(year_total(
    lambda d: review_participation(d.current("cla_reviews")),
    "Looked-after children aged 4+ reviewed in the year."))
measure("cla_visits_due_total", people=False)(year_total(
    lambda d: visits_in_time(d.current("cla_visits")), "Statutory visits due in the year."))
measure("cla_31_march_total")(year_total(
    lambda d: _placement_stability(d),
    "Children looked after at 31 March."))
measure("cla_distance_known_total")(year_total(
    lambda d: placement_distance(d.current("cla_episodes")),
    "Children looked after at 31 March with a placement distance recorded."))
measure("cla_health_cohort_total")(year_total(
    lambda d: health_checks(*current_tables(d, "cla_health", "children")),
    "Children in the 12-month looked-after cohort."))
measure("cla_under5_cohort_total")(year_total(
    lambda d: health_checks(*current_tables(d, "cla_health", "children")),
    "Children under 5 in the 12-month looked-after cohort.", "denominator_under5"))

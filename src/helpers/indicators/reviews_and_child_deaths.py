"""Partner figures: serious incident notifications, rapid reviews and practice reviews, and
the child death overview panel (CDOP), whose figures cover a five-year window."""

from __future__ import annotations

import pandas as pd

from helpers.data.loading import ReportData
from helpers.data.schema_partners import REVIEW_TYPES
from helpers.indicators.base import Compute, Definition
from helpers.indicators.partner_returns import (
    Figures,
    Shares,
    basis,
    figure,
    meaning,
    one_in_n,
    register,
    register_tables,
)

DEFINITIONS: dict[str, Definition] = {}


COUNTS: Figures = {
    "serious_incident_notifications": ("serious_incidents", "serious_incident_notifications",
                                       "", "Serious incident notifications"),
    "sins_children_under_two": ("serious_incidents", "serious_incident_notifications",
                                "Under 2", "Serious incident notifications: children under 2"),
    "rapid_reviews": ("serious_incidents", "rapid_reviews", "", "Rapid reviews"),
    "london_rapid_reviews": ("serious_incidents", "london_rapid_reviews", "",
                             "Rapid reviews in the London analysis"),
    "london_lscps_count": ("serious_incidents", "london_partnerships", "",
                           "London partnerships in the rapid reviews analysis"),
    "new_lcsprs": ("serious_incidents", "lcsprs_started", "", "New local child safeguarding "
                   "practice reviews"),
    "ncl_cdop_child_deaths_notified": ("child_deaths", "deaths_notified", "",
                                       "Child deaths notified over the panel's window"),
    "ncl_cdop_notifications": ("child_deaths", "panel_notifications", "",
                               "Child death notifications to the panel in the year"),
    "cdop_notifications_camden_children": ("child_deaths", "local_child_notifications", "",
                                           "Child death notifications: local children"),
    "cdop_notifications_non_resident": ("child_deaths", "non_resident_notifications", "",
                                        "Child death notifications: children resident "
                                        "elsewhere"),
    "jar_meetings_camden": ("child_deaths", "jar_meetings", "", "Joint agency response "
                            "meetings"),
}


SHARES: Shares = {
    "reviews_with_modifiable_factors_pct": ("child_deaths", ("reviews_with_modifiable_factors",
                                                             ""), ("reviews_completed", ""),
                                            "Child death reviews with modifiable factors (%)"),
}


register_tables(DEFINITIONS, counts=COUNTS, shares=SHARES)


def _one_in_n_deaths(code: str, breakdown: str) -> Compute:
    def compute(d: ReportData) -> float:
        deaths = d.current("child_deaths")
        return one_in_n(figure(deaths, code, breakdown) / figure(deaths, "deaths_notified"))

    return compute


register(DEFINITIONS, "deaths_first_27_days_share", _one_in_n_deaths("deaths_by_age", "0-27 days"),
          "Child deaths in the first 27 days of life, as '1 in N'",
          meaning("child_deaths", "deaths_by_age", "0-27 days"),
          meaning("child_deaths", "deaths_notified"),
          basis("child_deaths") + "; worded as the nearest '1 in N'")


register(DEFINITIONS, "deaths_in_20pct_most_deprived_share",
          _one_in_n_deaths("deaths_by_deprivation", "Most deprived 20%"),
          "Child deaths in the 20% most deprived areas, as '1 in N'",
          meaning("child_deaths", "deaths_by_deprivation", "Most deprived 20%"),
          meaning("child_deaths", "deaths_notified"),
          basis("child_deaths") + "; worded as the nearest '1 in N'")


# ---- added for chapter 07
# Notifications about young people aged 18 and over (care leavers). The return breaks
# notifications down by age, not cause; the report's two notifications about young adults
# were both suicides, so the age band stands in for them.
register_tables(DEFINITIONS, counts={
    "sins_young_adult_suicides": ("serious_incidents", "serious_incident_notifications",
                                  "18 and over", "Serious incident notifications about "
                                  "young people aged 18 and over (care leavers)")})


# ---- added for chapter 09: the learning table (one row per review)
def review_learning(d: ReportData) -> pd.DataFrame:
    """The year's review learning rows in the partnership's order, with the review type in
    words: what the chapter's table shows and ``reviews_learning_listed`` counts."""
    rows = d.current("review_learning").sort_values("review", kind="stable")
    return rows.assign(review_type=rows["review_type"].map(REVIEW_TYPES)).reset_index(drop=True)


def reviews_learning_listed(d: ReportData) -> int:
    reviews = review_learning(d)
    if reviews.empty:
        raise LookupError("no review learning rows this year")
    return len(reviews)


register(DEFINITIONS, "reviews_learning_listed", reviews_learning_listed,
         "Reviews whose learning the review learning table sets out",
         "rows of review_learning.csv (one per rapid review or practice review)",
         basis="Partner return review_learning.csv (the partnership business unit)")

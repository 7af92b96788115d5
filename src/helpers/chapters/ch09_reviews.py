"""Chapter 9, Learning from local safeguarding reviews: serious incidents, rapid reviews and
practice reviews, and the child death overview panel (CDOP).

Declarations only. Every figure is a partner return's (the partner-return families),
stated with the period its return covers: the report year for notifications, the regional
analysis's year for London, the panel's five-year window for child deaths. Counts of 1 to 4
(a single practice review, a handful of notifications) are shown as "<5". The learning
table (one row per review, ``review_learning.csv``) is shown only in a year whose number of
reviews can itself be published.
"""

from __future__ import annotations

from helpers.chapters.sections import (
    Chapter,
    Heading,
    Key,
    KeyFigures,
    Narrative,
    Panel,
    PanelTile,
    Prose,
    ReturnBreakdown,
    Stated,
    StatedFigures,
    TextTable,
)
from helpers.data.schema_partners import CDOP_AGE, CDOP_DEPRIVATION, SIN_HARM_TYPES
from helpers.indicators.reviews_and_child_deaths import review_learning

SI = "serious_incidents"
CDOP = "child_deaths"
WINDOW = (CDOP, "deaths_notified")

CHAPTER = Chapter(9, (
    KeyFigures((Key("9.1", "serious_incident_notifications"),
                Key("9.1", "rapid_reviews"),
                Key("9.1", "new_lcsprs"),
                Key("9.2", "ncl_cdop_notifications"))),
    Prose("When a child dies or is seriously harmed and abuse or neglect is known or "
          "suspected, the partnership tells the national panel and looks quickly at what "
          "happened (a rapid review); some cases go on to a full local practice review. "
          "Every child death is also reviewed by the child death overview panel. This chapter "
          "sets out how many cases there were and what the partnership learned."),
    Heading("9.1", "Learning from rapid reviews and local practice reviews"),
    StatedFigures("9.1", (
        Stated("serious_incident_notifications", "In {period} the partnership sent {value} "
               "serious incident notifications to the national panel",
               source=(SI, "serious_incident_notifications"),
               compare=" ({before} in {before_period})"),
        Stated("rapid_reviews", "which led to {value} rapid reviews", source=(SI, "rapid_reviews")),
        Stated("new_lcsprs", "and {value} new local child safeguarding practice reviews",
               source=(SI, "lcsprs_started")),
        Stated("london_rapid_reviews", "Across London, the regional analysis for {period} "
               "covered {value} rapid reviews", source=(SI, "london_rapid_reviews")),
        Stated("london_lscps_count", "from {value} partnerships", source=(SI, "london_partnerships")),
    ), lead="Notifications and reviews.", run_on=True),
    ReturnBreakdown("9.1", SI, "notifications_by_harm", "Serious incident notifications",
                    "serious incident notifications", total_code="serious_incident_notifications",
                    values="count", over_time=True, lead="Notifications over five years, by "
                    "type of harm.", order=SIN_HARM_TYPES,
                    note="Each notification is counted once, under its main type of harm; "
                         "with so few cases a year, most types are shown as <5.",
                    ylabel="Notifications"),
    ReturnBreakdown("9.1", SI, "london_rapid_reviews", "London rapid reviews",
                    "London rapid reviews", against_previous=True, top=4,
                    lead="Types of harm across London.", xlabel="Main type of harm",
                    ylabel="Share of London rapid reviews"),
    TextTable("9.1", review_learning, "What each review found",
              (("Review", "review_type"), ("Serious incident", "incident"),
               ("Local strengths in practice", "local_strengths"),
               ("Local learning", "local_learning"),
               ("National context", "national_context")),
              "reviews_learning_listed",
              "The table sets out what each of the year's {value} reviews found, without "
              "detail that could identify a child.",
              "The year's reviews were too few to set out one by one without risking that a "
              "child is identified (shown as {value}).",
              lead="Learning from each review."),
    Narrative("rapid_review_learning"),
    Heading("9.2", "Learning from the child death overview panel (CDOP)"),
    Panel("9.2", (
        PanelTile("ncl_cdop_child_deaths_notified", "child deaths notified to the panel"),
        PanelTile("deaths_first_27_days_share", "of those deaths were in the first 27 days of life",
             one_in=True),
        PanelTile("deaths_in_20pct_most_deprived_share", "were of children living in the 20% most "
             "deprived areas of England", one_in=True),
        PanelTile("reviews_with_modifiable_factors_pct", "of completed reviews found one or more "
             "modifiable factors"),
    ), "The panel's five-year findings", lead="Five years of child deaths.", source=WINDOW),
    ReturnBreakdown("9.2", CDOP, "deaths_by_age", "Child deaths by age", "child deaths",
                    total_code="deaths_notified", order=CDOP_AGE, top=2,
                    lead="Age at death.", xlabel="Age at death", ylabel="Share of deaths"),
    ReturnBreakdown("9.2", CDOP, "deaths_by_deprivation", "Child deaths by deprivation",
                    "child deaths", total_code="deaths_notified", order=CDOP_DEPRIVATION,
                    top=2, lead="Deprivation.", xlabel="Deprivation of the home area",
                    ylabel="Share of deaths"),
    ReturnBreakdown("9.2", CDOP, "reviews_by_category", "Completed reviews by category",
                    "completed reviews", total_code="reviews_completed", top=3,
                    lead="Category of death.", xlabel="Category", ylabel="Share of reviews"),
    StatedFigures("9.2", (
        Stated("ncl_cdop_notifications", "In {period} the panel was notified of {value} child "
               "deaths", source=(CDOP, "panel_notifications")),
        Stated("cdop_notifications_camden_children", "{value} of them were of local children",
               source=(CDOP, "local_child_notifications")),
        Stated("cdop_notifications_non_resident", "and {value} of children who lived elsewhere",
               source=(CDOP, "non_resident_notifications")),
        Stated("jar_meetings_camden", "There were {value} joint agency response meetings "
               "locally", source=(CDOP, "jar_meetings")),
    ), lead="The year's notifications.", run_on=True),
    Narrative("cdop_learning"),
))

"""Chapter 3, scrutiny and governance: what inspectors found and how the partnership tests itself.

Declarations only. Every grade and share is a ``@measure`` of the partner-return families of
``helpers.indicators``
read from the inspection and provider ratings returns, each shown with its inspection date,
and from the independent scrutineer's return (meetings, reports received, areas scrutinised).
"""

from __future__ import annotations

from helpers.chapters.sections import (
    Chapter,
    Key,
    KeyFigures,
    Narrative,
    Prose,
    RatingsTable,
    Stated,
    StatedFigures,
    Tile,
    Tiles,
)
from helpers.indicators.inspections import TRUST_MEASURES

SECTION = "3"

ILACS = (
    ("Leadership's effect on social work", "ofsted_ilacs_impact_of_leaders"),
    ("Children needing help or protection", "ofsted_ilacs_help_and_protection"),
    ("Children in the council's care", "ofsted_ilacs_children_in_care"),
    ("Young people leaving care", "ofsted_ilacs_care_leavers"),
    ("Overall effectiveness", "ofsted_ilacs_overall_effectiveness"),
)
SERVICES = (
    ("Youth justice service (HM Inspectorate of Probation)", "hmip_yjs_overall_rating"),
    ("Adult social care (Care Quality Commission)", "cqc_adult_social_care_overall_rating"),
)

CHAPTER = Chapter(3, (
    KeyFigures((Key(SECTION, "ofsted_ilacs_overall_effectiveness"),
                Key(SECTION, "hmip_yjs_overall_rating"),
                Key(SECTION, "cqc_adult_social_care_overall_rating"),
                Key(SECTION, "early_years_good_or_outstanding_pct"),
                Key(SECTION, "mainstream_schools_good_or_outstanding_pct"))),
    Prose("Inspectorates judge each partner's services on their own schedule, so each grade "
          "below carries the date of the inspection it comes from."),
    Narrative("scrutiny_questions"),
    RatingsTable(SECTION, ILACS, caption="Ofsted inspection of local authority children's "
                 "services (ILACS): judgements", subject="Children's services (Ofsted ILACS)",
                 lead="Children's social care."),
    RatingsTable(SECTION, SERVICES, caption="Other inspected council services",
                 subject="Other council services", lead="Youth justice and adult care."),
    RatingsTable(SECTION, tuple((trust, indicator) for indicator, trust
                                in TRUST_MEASURES.items()),
                 caption="Care Quality Commission overall rating of the NHS trusts",
                 subject="NHS trusts serving the borough (CQC overall rating)",
                 lead="Health."),
    Tiles(SECTION, (
        Tile("early_years_good_or_outstanding_pct", "of early years providers are graded "
             "Good or Outstanding by Ofsted"),
        Tile("mainstream_schools_good_or_outstanding_pct", "of mainstream schools are graded "
             "Good or Outstanding by Ofsted"),
    ), title="Schools and early years", lead="Schools and early years."),
    Narrative("young_advisors", "independent_scrutiny"),
    StatedFigures(SECTION, (
        Stated("full_partnership_meetings", "The full partnership met {value} times in {year}."),
        Stated("scrutineer_full_cscp_meetings_attended",
               "The independent scrutineer attended {value} of the full partnership meetings."),
        Stated("delegated_safeguarding_leads_count",
               "The scrutineer worked with the {value} delegated safeguarding leads."),
        Stated("scrutineer_rapid_review_reports_received",
               "The scrutineer received {value} rapid review reports on serious incidents."),
        Stated("scrutiny_areas_count",
               "The arrangements were tested against {value} agreed areas of scrutiny."),
    ), lead="The scrutineer's year."),
))

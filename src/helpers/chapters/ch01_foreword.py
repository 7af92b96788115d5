"""Chapter 1, the foreword: the lead safeguarding partners' words, values and signatures.

Declarations only. The foreword text and values are the partnership's narrative; the
inspection grades it cites are ``@measure``s of the inspection ratings return, each with its
date; the signatories are the lead partners' seats in the membership table.
"""

from __future__ import annotations

from helpers.chapters.sections import (
    Chapter,
    Key,
    KeyFigures,
    Narrative,
    RatingsTable,
    Signatories,
)

SECTION = "1"

CHAPTER = Chapter(1, (
    KeyFigures((Key(SECTION, "ofsted_childrens_services_rating"),
                Key(SECTION, "hmip_youth_justice_rating"),
                Key(SECTION, "cqc_adult_social_care_rating"))),
    Narrative("foreword"),
    Narrative("values"),
    RatingsTable(SECTION, (
        ("Children's services (Ofsted)", "ofsted_childrens_services_rating"),
        ("Youth justice service (HM Inspectorate of Probation)", "hmip_youth_justice_rating"),
        ("Adult social care (Care Quality Commission)", "cqc_adult_social_care_rating"),
    ), caption="The latest inspection grades the foreword refers to",
        subject="Latest inspections", lead="Inspections."),
    Signatories("lead"),
))

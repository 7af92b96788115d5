"""Aggregate returns from partners, in the long shape of
``helpers.data.schema_blocks.aggregate_table``, and other fixed tables (inspections, membership).

Each partner return is one table (one CSV a partner or the business unit fills in each
year) with its own list of measure codes. Every measure code also carries what the
validation needs to know about its values (``Item``): the unit (a whole count, a
percentage, pounds, a rating, ...), the categories its ``breakdown`` may take, and whether
its breakdown rows must add up to a total. That lets ``cross_checks`` catch the mistakes a
hand-filled spreadsheet invites (a count typed as 12.5, a percentage of 150, a breakdown
that no longer adds up to its total, the same row pasted twice) before a figure reaches the
report.

Conventions for every return:
- ``breakdown`` blank is the partnership's own headline figure (the total);
- ``breakdown`` "England", "London" or "Inner London" is a comparator published alongside;
- any other ``breakdown`` names a category of the measure (a month, a source, a religion).

Membership is a short list, not a count, so it is a small record table.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Literal

import pandas as pd

from helpers.config import Year
from helpers.data.identifiers import find_personal_detail
from helpers.data.rules import rule
from helpers.data.schema_blocks import Column, Kind, Table, aggregate_table
from helpers.data.validation import Problem, spreadsheet_row

Unit = Literal["count", "percent", "change_pct", "gbp", "rate", "score", "number", "rating"]

AREAS = ("England", "London", "Inner London")
"""Comparator areas a return may carry beside its own (blank-breakdown) figure."""

RATINGS = ("Outstanding", "Good", "Requires improvement", "Inadequate", "Not yet assessed")
"""Inspectorate grades (Ofsted, HMIP, CQC), plus the state before a first inspection."""

SHARE_TOLERANCE = 0.6
"""Published percentages are rounded, so a whole split into shares may add up to 100 +- this."""


@dataclass(frozen=True)
class Item:
    """What one measure code of a return means and what its values must look like.

    ``breakdowns``: the categories allowed in ``breakdown`` ("" for the total row);
    None accepts any text (months, trust names, pages). ``sums_to``: the measure whose
    total row (blank breakdown, same period) the category rows must add up to. ``whole``:
    the category rows are percentages of one whole and add up to 100.
    """

    meaning: str
    unit: Unit = "count"
    breakdowns: tuple[str, ...] | None = ("",)
    sums_to: str | None = None
    whole: bool = False


LOCAL_AND_AREAS = ("", *AREAS)
RATING_GRADES = ("Outstanding", "Good", "Requires improvement", "Inadequate")

# --------------------------------------------------------------------------- inspections
INSPECTION_RATINGS_ITEMS: dict[str, Item] = {
    "ofsted_ilacs": Item(
        "Ofsted inspection of local authority children's services (ILACS): judgement by area",
        "rating", ("Impact of leaders", "Help and protection", "Children in care",
                   "Care leavers", "Overall effectiveness")),
    "hmip_youth_justice": Item("HM Inspectorate of Probation: youth justice service overall "
                               "rating", "rating"),
    "cqc_adult_social_care": Item("CQC assessment of the local authority's adult social care: "
                                  "overall rating", "rating"),
    "cqc_trust": Item("CQC overall rating of each NHS trust serving the area (breakdown: the "
                      "trust)", "rating", None),
    "cqc_trust_service": Item("CQC rating of a service within a trust (breakdown: 'trust: "
                              "service')", "rating", None),
}

PROVIDER_RATINGS_ITEMS: dict[str, Item] = {
    "early_years_settings": Item("early years settings by their latest Ofsted grade",
                                 "count", RATING_GRADES),
    "mainstream_schools": Item("mainstream state-funded schools by their latest Ofsted overall "
                               "grade (before September 2024) or equivalent", "count",
                               RATING_GRADES),
}

# --------------------------------------------------------------------------- borough profile
RELIGIONS = ("No religion", "Christian", "Muslim", "Jewish", "Hindu", "Not stated", "Other")

BOROUGH_PROFILE_ITEMS: dict[str, Item] = {
    "population_total": Item("residents of all ages (ONS estimate)"),
    "children_in_poverty_ahc_pct": Item("children living in relative poverty after housing "
                                        "costs (%)", "percent", LOCAL_AND_AREAS),
    "pupils_fsm_eligible_pct": Item("pupils eligible for free school meals (%)", "percent",
                                    LOCAL_AND_AREAS),
    "population_disabled_pct": Item("residents disabled under the Equality Act (Census, %)",
                                    "percent", LOCAL_AND_AREAS),
    "religion_pct": Item("residents by religion (Census, %)", "percent", RELIGIONS,
                         whole=True),
    "sex_pct": Item("residents by sex (Census, %)", "percent", ("Male", "Female"), whole=True),
    "gender_identity_differs_pct": Item("residents aged 16+ whose gender identity differs "
                                        "from sex registered at birth, or non-binary (%)",
                                        "percent"),
    "non_heterosexual_pct": Item("residents aged 16+ identifying as gay, lesbian, bisexual or "
                                 "another minority orientation (%)", "percent"),
    "cypds_supported": Item("disabled children and young people aged 0-25 supported by the "
                            "children and young people's disability service"),
}

EDUCATION_OUTCOMES_ITEMS: dict[str, Item] = {
    "good_level_of_development_pct": Item("children reaching a good level of development at "
                                          "the end of reception (%)", "percent",
                                          LOCAL_AND_AREAS),
    "ks2_expected_standard_pct": Item("pupils meeting the expected standard in reading, "
                                      "writing and maths at key stage 2 (%)", "percent",
                                      LOCAL_AND_AREAS),
    "attainment8_score": Item("average Attainment 8 score at key stage 4", "score",
                              LOCAL_AND_AREAS),
    "disadvantage_gap_eyfs": Item("gap in good level of development between disadvantaged "
                                  "children and others (percentage points)", "number",
                                  LOCAL_AND_AREAS),
    "disadvantage_gap_ks2": Item("DfE disadvantage gap index at key stage 2", "number",
                                 LOCAL_AND_AREAS),
    "disadvantage_gap_ks4": Item("DfE disadvantage gap index at key stage 4", "number",
                                 LOCAL_AND_AREAS),
    "ks4_sustained_education_pct": Item("key stage 4 leavers in a sustained education, "
                                        "employment or training destination that is "
                                        "education (%)", "percent", LOCAL_AND_AREAS),
}

# --------------------------------------------------------------------------- education
EDUCATION_INCLUSION_ITEMS: dict[str, Item] = {
    "persistent_absence_primary_pct": Item("primary pupils missing 10% or more of sessions "
                                           "(%)", "percent", LOCAL_AND_AREAS),
    "persistent_absence_secondary_pct": Item("secondary pupils missing 10% or more of sessions "
                                             "(%)", "percent", LOCAL_AND_AREAS),
    "permanent_exclusions_primary": Item("permanent exclusions from primary schools"),
    "permanent_exclusions_secondary": Item("permanent exclusions from secondary schools"),
    "suspension_rate_primary": Item("suspensions (fixed-term exclusions) per 100 primary "
                                    "pupils", "rate", LOCAL_AND_AREAS),
    "suspension_rate_secondary": Item("suspensions (fixed-term exclusions) per 100 secondary "
                                      "pupils", "rate", LOCAL_AND_AREAS),
    "ehe_register": Item("children on the voluntary elective home education register at the "
                         "end of the academic year"),
    "cme_identified": Item("children missing education identified in the academic year"),
    "cme_closed_within_6_weeks": Item("children missing education cases closed within six "
                                      "weeks of identification"),
    "inspiring_inclusion_mentored": Item("pupils mentored by the Inspiring Inclusion programme "
                                         "in the year"),
    "inspiring_inclusion_engaged": Item("pupils the Inspiring Inclusion programme reached "
                                        "through workshops and careers events in the year"),
}

SEND_NEEDS = ("Autistic spectrum disorder", "Speech, language and communication needs",
              "Social, emotional and mental health", "Moderate learning difficulty",
              "Specific learning difficulty", "Severe learning difficulty",
              "Profound and multiple learning difficulty", "Physical disability",
              "Hearing impairment", "Visual impairment", "Multi-sensory impairment",
              "Other difficulty or disability")
SEND_ETHNICITY = ("White British", "White other", "Mixed", "Asian", "Black", "Other",
                  "Not known")

SEND_ITEMS: dict[str, Item] = {
    "send_cyp": Item("children and young people with special educational needs or "
                     "disabilities resident in the area"),
    "send_primary_need": Item("children and young people with SEND by primary need", "count",
                              SEND_NEEDS, sums_to="send_cyp"),
    "send_ethnicity": Item("children and young people with SEND by ethnic group", "count",
                           SEND_ETHNICITY, sums_to="send_cyp"),
    "send_placement": Item("children and young people with SEND by educational placement",
                           "count", None, sums_to="send_cyp"),
    "sen_pupils_state_funded": Item("pupils with SEN in the area's state-funded schools, "
                                    "wherever they live"),
    "ehcps_issued": Item("new education, health and care plans issued in the calendar year "
                         "(SEN2)"),
    "ehcps_issued_within_20_weeks": Item("of those, plans issued within the statutory 20 "
                                         "weeks of the request for assessment (exceptions "
                                         "excluded)"),
}

SCHOOL_SAFEGUARDING_ITEMS: dict[str, Item] = {
    "dsl_forum_attendance": Item("school representatives at each meeting of the designated "
                                 "safeguarding leads' forum (breakdown: the meeting's month, "
                                 "YYYY-MM)", "count", None),
    "schools_assessed": Item("schools whose safeguarding arrangements were assessed in the "
                             "academic year (section 11 school audit, reviews, inspections)"),
    "schools_assessed_effective": Item("of those, schools whose arrangements were assessed "
                                       "as effective"),
    "schools_inspected": Item("schools inspected by Ofsted in the academic year"),
    "schools_inspected_good_or_outstanding": Item("of those, schools judged Good or "
                                                  "Outstanding"),
    "safeguarding_reviews": Item("schools where the school improvement service carried out a "
                                 "safeguarding review in the year"),
    "section11_audit_schools_asked": Item("schools asked to complete the latest round of the "
                                          "section 11 school safeguarding audit"),
    "section11_audit_schools_returned": Item("of those, schools that returned the audit"),
}

# --------------------------------------------------------------------------- safeguarding
DOMESTIC_ABUSE_ITEMS: dict[str, Item] = {
    "marac_cases": Item("cases discussed at the multi-agency risk assessment conference"),
    "marac_cases_with_child": Item("MARAC cases with a child in the household"),
    "operation_encompass_schools": Item("schools taking part in Operation Encompass"),
    "schools": Item("schools in the area (denominator for Operation Encompass take-up)"),
    "operation_encompass_notifications": Item("Operation Encompass notifications to schools "
                                              "about local families"),
}

FGC_ITEMS: dict[str, Item] = {
    "fgc_referrals": Item("referrals to the family group conference service (breakdown: "
                          "referrer)", "count", None, sums_to="fgc_referrals"),
}

ASYLUM_SUPPORT_ITEMS: dict[str, Item] = {
    "families_supported": Item("asylum-seeking families in Home Office accommodation "
                               "supported"),
    "hotels": Item("mixed-occupancy hotels housing asylum-seeking families"),
    "children": Item("children in the families supported"),
    "children_in_school_or_nursery": Item("of those children, those in school or nursery"),
}

SIN_HARM_TYPES = ("Physical abuse", "Neglect", "Sexual abuse", "Emotional abuse",
                  "Exploitation or extra-familial harm", "Suicide or self-harm",
                  "Unexpected death of an infant")
"""Main type of harm a serious incident notification records (one per notification)."""

SERIOUS_INCIDENTS_ITEMS: dict[str, Item] = {
    "serious_incident_notifications": Item(
        "serious incident notifications to the national panel (breakdown: age of the child "
        "or young person)", "count", ("", "Under 2", "2 to 17", "18 and over"),
        sums_to="serious_incident_notifications"),
    "notifications_by_harm": Item("serious incident notifications by the main type of harm",
                                  "count", SIN_HARM_TYPES,
                                  sums_to="serious_incident_notifications"),
    "rapid_reviews": Item("rapid reviews completed"),
    "lcsprs_started": Item("local child safeguarding practice reviews commissioned"),
    "london_rapid_reviews": Item("rapid reviews across London in the regional analysis "
                                 "(total, or by main type of harm)", "count", None,
                                 sums_to="london_rapid_reviews"),
    "london_partnerships": Item("London safeguarding partnerships whose rapid reviews the "
                                "regional analysis covers"),
}

CDOP_AGE = ("0-27 days", "28-364 days", "1-4 years", "5-9 years", "10-14 years", "15-17 years")
CDOP_DEPRIVATION = ("Most deprived 20%", "Quintile 2", "Quintile 3", "Quintile 4",
                    "Least deprived 20%", "Not known")

CHILD_DEATHS_ITEMS: dict[str, Item] = {
    "deaths_notified": Item("child deaths notified to the panel over the review window"),
    "deaths_by_age": Item("child deaths by age at death", "count", CDOP_AGE,
                          sums_to="deaths_notified"),
    "deaths_by_deprivation": Item("child deaths by deprivation quintile of home address (IMD)",
                                  "count", CDOP_DEPRIVATION, sums_to="deaths_notified"),
    "deaths_by_sex": Item("child deaths by sex", "count", ("Male", "Female", "Not known"),
                          sums_to="deaths_notified"),
    "deaths_by_ethnicity": Item("child deaths by ethnic group", "count", None,
                                sums_to="deaths_notified"),
    "reviews_completed": Item("child death reviews completed over the review window"),
    "reviews_by_category": Item("completed reviews by category of death", "count", None,
                                sums_to="reviews_completed"),
    "reviews_with_modifiable_factors": Item("completed reviews identifying one or more "
                                            "modifiable factors"),
    "panel_notifications": Item("child deaths notified to the panel in the year (all its "
                                "areas)"),
    "local_child_notifications": Item("notifications about children resident in the area"),
    "non_resident_notifications": Item("notifications about children normally resident "
                                       "elsewhere who died in the area"),
    "jar_meetings": Item("joint agency response meetings held in the area"),
}

NRM_TYPES = ("Criminal exploitation", "Forced labour", "Sexual exploitation",
             "Domestic servitude", "Other or not known")
NRM_ITEMS: dict[str, Item] = {
    "nrm_referrals": Item("children referred to the National Referral Mechanism"),
    "nrm_by_sex": Item("NRM referrals by sex", "count", ("Male", "Female", "Not known"),
                       sums_to="nrm_referrals"),
    "nrm_by_type": Item("NRM referrals by main type of exploitation", "count", NRM_TYPES,
                        sums_to="nrm_referrals"),
}

KNIFE_CRIME_ITEMS: dict[str, Item] = {
    "knife_crime_victims_10_24": Item("victims aged 10-24 of knife crime with injury, "
                                      "excluding domestic abuse (MOPAC); breakdown: month "
                                      "YYYY-MM", "count", None),
}

YOUTH_EARLY_HELP_ITEMS: dict[str, Item] = {
    "referrals": Item("referrals to youth early help"),
    "referrals_by_source": Item("referrals by who made them", "count", None,
                                sums_to="referrals"),
    "referrals_by_outcome": Item("referrals by outcome", "count", None, sums_to="referrals"),
    "specialist_uptake": Item("referrals taking up a specialist service (breakdown: "
                              "service)", "count", None),
    "vulnerabilities": Item("referrals with a vulnerability noted (breakdown: vulnerability; "
                            "a referral may have several)", "count", None),
    "returning_cases": Item("children returning to youth early help after a closed "
                            "episode"),
}

ENGAGE_ITEMS: dict[str, Item] = {
    "initial_contacts": Item("initial contacts made in police custody"),
    "children": Item("individual children contacted"),
    "local_children": Item("of those, children resident in the area"),
    "local_children_by_status": Item("local children by education status at first contact",
                                     "count", ("In education", "NEET", "Other or not known"),
                                     sums_to="local_children"),
    "local_not_open_to_services": Item("local children not open to any service at first "
                                       "contact"),
    "reoffended_12m": Item("children in the cohort who reoffended within 12 months"),
}

SUBSTANCE_MISUSE_ITEMS: dict[str, Item] = {
    "referrals": Item("new referrals to the young people's substance misuse service"),
    "referrals_by_source": Item("new referrals by referrer", "count", None,
                                sums_to="referrals"),
    "referrals_change_pct": Item("change in new referrals on the previous year as the service "
                                 "states it (%)", "change_pct"),
    "re_presentations": Item("young people re-presenting within the year after treatment"),
    "workshop_attendees": Item("young people and parents attending awareness workshops"),
    "workshop_satisfied": Item("workshop attendees who said they were satisfied"),
    "tier3_young_people": Item("young people in specialist (tier 3) treatment"),
    "tier3_substance": Item("tier 3 young people using each substance (several may apply)",
                            "count", None),
    "tier3_exits": Item("young people leaving tier 3 treatment in the year"),
    "tier3_reduced_use": Item("of those leaving, young people who reduced their use"),
    "reduced_use_national_pct": Item("young people leaving treatment having reduced their use, "
                                     "England (NDTMS, %)", "percent"),
    "tier3_satisfaction": Item("young people's average satisfaction score (0-10)", "score",
                               ("treatment start", "treatment exit")),
}

# --------------------------------------------------------------------------- the partnership
WEBSITE_ITEMS: dict[str, Item] = {
    "page_views": Item("page views (total, or by month YYYY-MM)", "count", None,
                       sums_to="page_views"),
    "visits": Item("visits (sessions; total, or by month YYYY-MM)", "count", None,
                   sums_to="visits"),
    "unique_visitors": Item("unique visitors over the period"),
    "page_views_by_page": Item("page views by page", "count", None, sums_to="page_views"),
    "visitors_by_country": Item("unique visitors by country", "count", None,
                                sums_to="unique_visitors"),
}

INCOME_SOURCES = ("Local authority", "Integrated care board", "Police", "Probation", "Grants",
                  "Other")
EXPENDITURE_LINES = ("Staffing", "Professional fees", "Multi-agency training", "Other")

FINANCE_ITEMS: dict[str, Item] = {
    "expenditure": Item("partnership expenditure in pounds (total, or by budget line)", "gbp",
                        ("", *EXPENDITURE_LINES), sums_to="expenditure"),
    "income": Item("partnership income and contributions in pounds (total, or by "
                   "contributor)", "gbp", ("", *INCOME_SOURCES), sums_to="income"),
    "staffing_fte": Item("business unit posts, full-time equivalent (breakdown: post)",
                         "number", None),
    "young_advisors": Item("young advisors employed on casual hours"),
    "income_share_stated_pct": Item("each contributor's share of income as the partnership's "
                                    "papers state it (breakdown: contributor), checked against "
                                    "the income rows on the data-quality page", "percent",
                                    INCOME_SOURCES),
}


def documented(item: Item) -> str:
    """An item's meaning with the rules ``cross_checks`` applies, for the data dictionary."""
    rules = [f"unit: {item.unit}"]
    if item.breakdowns is not None and item.breakdowns != ("",):
        shown = ["blank (total)" if b == "" else b for b in item.breakdowns]
        rules.append(f"breakdown: {', '.join(shown)}")
    elif item.breakdowns == ("",):
        rules.append("breakdown: blank")
    if item.sums_to:
        rules.append(f"categories add up to the {item.sums_to} total")
    if item.whole:
        rules.append("categories add up to 100")
    return f"{item.meaning} [{'; '.join(rules)}]"


def partner_return(name: str, description: str, items: Mapping[str, Item],
                   value_kind: Kind = "float", minimum: float | None = 0,
                   optional: bool = False) -> Table:
    """A partner return: ``aggregate_table`` with the documented measures of ``items``."""
    return aggregate_table(name, description, {code: documented(item) for code, item in items.items()},
                           value_kind=value_kind, minimum=minimum, optional=optional)


RETURNS: dict[str, dict[str, Item]] = {
    "inspection_ratings": INSPECTION_RATINGS_ITEMS,
    "provider_ratings": PROVIDER_RATINGS_ITEMS,
    "borough_profile": BOROUGH_PROFILE_ITEMS,
    "education_outcomes": EDUCATION_OUTCOMES_ITEMS,
    "education_inclusion": EDUCATION_INCLUSION_ITEMS,
    "send": SEND_ITEMS,
    "school_safeguarding": SCHOOL_SAFEGUARDING_ITEMS,
    "domestic_abuse": DOMESTIC_ABUSE_ITEMS,
    "family_group_conferences": FGC_ITEMS,
    "asylum_support": ASYLUM_SUPPORT_ITEMS,
    "serious_incidents": SERIOUS_INCIDENTS_ITEMS,
    "child_deaths": CHILD_DEATHS_ITEMS,
    "nrm": NRM_ITEMS,
    "knife_crime": KNIFE_CRIME_ITEMS,
    "youth_early_help": YOUTH_EARLY_HELP_ITEMS,
    "engage": ENGAGE_ITEMS,
    "substance_misuse": SUBSTANCE_MISUSE_ITEMS,
    "website": WEBSITE_ITEMS,
    "finance": FINANCE_ITEMS,
}
"""Every partner return of this domain: table name -> its measure codes."""

DESCRIPTIONS: dict[str, str] = {
    "inspection_ratings": "Latest inspectorate ratings of the partners (Ofsted ILACS, HMIP, "
                          "CQC); value is the grade.",
    "provider_ratings": "Early years settings and schools counted by their latest Ofsted "
                        "grade.",
    "borough_profile": "The area's population and its make-up (ONS, Census, DWP, school "
                       "census) for the borough profile.",
    "education_outcomes": "Attainment, development and destinations, with London and England "
                          "comparators (DfE).",
    "education_inclusion": "Attendance, exclusions, elective home education and children "
                           "missing education (education service return).",
    "send": "Children and young people with special educational needs or disabilities "
            "(SEN2 and school census).",
    "school_safeguarding": "Safeguarding in schools: the designated safeguarding leads' "
                           "forum, assessments, inspections, safeguarding reviews and the "
                           "section 11 school audit (school improvement service).",
    "domestic_abuse": "MARAC and Operation Encompass activity (community safety and police).",
    "family_group_conferences": "Referrals to the family group conference service.",
    "asylum_support": "Support to asylum-seeking families in Home Office accommodation.",
    "serious_incidents": "Serious incident notifications, rapid reviews and practice reviews "
                         "(partnership business unit).",
    "child_deaths": "Child death overview panel: the multi-year findings and the year's "
                    "notifications.",
    "nrm": "National Referral Mechanism referrals of children (devolved decision panel).",
    "knife_crime": "Monthly victims aged 10-24 of knife crime with injury (MOPAC dashboard), "
                   "one calendar year per period, from the first year of the series.",
    "youth_early_help": "Youth early help referrals, outcomes and vulnerabilities (yearly "
                        "cohort).",
    "engage": "ENGAGE youth diversion in police custody.",
    "substance_misuse": "Young people's substance misuse service (referrals, workshops, "
                        "specialist treatment).",
    "website": "Partnership website analytics.",
    "finance": "Partnership budget: expenditure and income (pounds) and business unit posts.",
}

# Returns a partnership may not have: not every area runs a youth early help service that
# reports outcomes, or has a school improvement service that sends safeguarding figures.
# Absent or empty, such a return reads as an empty table.
OPTIONAL_RETURNS = frozenset({"youth_early_help", "school_safeguarding"})

PARTNER_RETURNS: tuple[Table, ...] = tuple(
    partner_return(name, DESCRIPTIONS[name], items,
                   value_kind="text" if name == "inspection_ratings" else "float",
                   minimum=None if name == "substance_misuse" else 0,
                   optional=name in OPTIONAL_RETURNS)
    for name, items in RETURNS.items()
)

MEMBER_GROUPS: dict[str, str] = {
    "lead": "Lead safeguarding partner representatives",
    "delegated": "Delegated safeguarding partners and designates",
    "la_departments": "Local authority departments",
    "health": "Health NHS trusts and services",
    "schools": "Schools",
    "probation": "National Probation Service",
    "independent": "Independent scrutiny",
}

MEMBERSHIP = Table(
    name="membership",
    level="record",
    description="Members of the partnership in the year, one row per seat as the membership "
                "table lists it (job titles only, never a person's name).",
    columns=(
        Column("member_group", "code", "the membership group the seat sits in",
               codes=MEMBER_GROUPS, code_list="membership groups"),
        Column("agency", "text", "the agency the member represents"),
        Column("job_title", "text", "the member's role (no personal names)"),
        Column("people", "int", "people holding the seat (for example 2 young advisors)",
               minimum=1),
    ),
)

TABLES: tuple[Table, ...] = (*PARTNER_RETURNS, MEMBERSHIP)

# Indicators this domain adds to the comparator (benchmarks) table: code -> meaning.
# Partner comparators (England, London) travel inside each return as breakdown rows.
BENCHMARK_INDICATORS: dict[str, str] = {}

_BY_NAME: dict[str, Table] = {t.name: t for t in PARTNER_RETURNS}


# --------------------------------------------------------------------------- cross-checks
def _is_blank(value: object) -> bool:
    return value is None or (isinstance(value, float) and pd.isna(value)) or value == ""


def _breakdowns(frame: pd.DataFrame) -> pd.Series:
    """The breakdown column with blanks (None/NaN) as ''."""
    return frame["breakdown"].map(lambda v: "" if _is_blank(v) else str(v))


_RETURNS = ("every partner return",)
BREAKDOWN_KNOWN = rule("PRT-101", "a breakdown is one of its measure's categories", _RETURNS)
VALUE_FITS_UNIT = rule("PRT-102", "a value fits its measure's unit (a count is whole, a "
                       "percentage is 0 to 100, a rating is a rating)", _RETURNS)
PARTS_ADD_UP = rule("PRT-103", "category rows add up to the total they break down", _RETURNS)
SHARES_WHOLE = rule("PRT-104", "the percentages of a split of one whole add up to about 100",
                    _RETURNS)


def unknown_breakdowns(frame: pd.DataFrame, table: Table, items: Mapping[str, Item]) -> list[Problem]:
    """Breakdowns outside a measure's category list (a misspelt category would go missing)."""
    problems = []
    for idx, (code, breakdown) in zip(frame.index, zip(frame["measure"], _breakdowns(frame),
                                                       strict=True), strict=True):
        allowed = items[code].breakdowns
        if allowed is not None and breakdown not in allowed:
            shown = ", ".join(repr(a) if a == "" else a for a in allowed)
            problems.append(Problem(table.filename, f"a breakdown of {code} from: {shown} "
                                    "('' is blank, the total)", spreadsheet_row(idx),
                                    "breakdown", breakdown, rule=BREAKDOWN_KNOWN))
    return problems


def _value_problem(item: Item, value: object) -> str | None:
    """What is wrong with one value for its unit, or None."""
    if item.unit == "rating":
        return None if value in RATINGS else f"a rating from: {', '.join(RATINGS)}"
    number = float(value)  # type: ignore[arg-type]
    if item.unit == "change_pct":
        return None
    if number < 0:
        return "a value of at least 0"
    if item.unit == "count" and number != int(number):
        return "a whole number (this measure is a count)"
    if item.unit == "percent" and number > 100:
        return "a percentage from 0 to 100"
    return None


def bad_values(frame: pd.DataFrame, table: Table, items: Mapping[str, Item]) -> list[Problem]:
    """Values that do not fit their measure's unit (a fractional count, a 120% share)."""
    problems = []
    for idx, code, value in zip(frame.index, frame["measure"], frame["value"], strict=True):
        if _is_blank(value):
            continue
        expected = _value_problem(items[code], value)
        if expected:
            shown = value if isinstance(value, str) else f"{float(value):g}"
            problems.append(Problem(table.filename, f"{expected} for {code}",
                                    spreadsheet_row(idx), "value", shown, rule=VALUE_FITS_UNIT))
    return problems


def totals_disagree(frame: pd.DataFrame, table: Table, items: Mapping[str, Item]) -> list[Problem]:
    """Category rows that do not add up to the total they break down (same period)."""
    problems = []
    keyed = frame.assign(breakdown=_breakdowns(frame))
    totals = (keyed[keyed["breakdown"] == ""].groupby(["period", "measure"], sort=False)["value"]
              .first())
    for code, item in items.items():
        if item.sums_to is None:
            continue
        parts = keyed[(keyed["measure"] == code) & (keyed["breakdown"] != "")]
        for period, rows in parts.groupby("period", sort=False):
            if (period, item.sums_to) not in totals.index:
                continue
            total = float(totals.loc[(period, item.sums_to)])
            found = float(rows["value"].sum())
            if abs(found - total) > 1e-6:
                problems.append(Problem(
                    table.filename, f"the {code} rows for {period} to add up to the "
                    f"{item.sums_to} total ({total:g})", spreadsheet_row(rows.index[0]),
                    "value", f"{found:g} in all", rule=PARTS_ADD_UP))
    return problems


def shares_not_whole(frame: pd.DataFrame, table: Table, items: Mapping[str, Item]) -> list[Problem]:
    """A split of one whole (religion, sex) whose percentages do not add up to about 100."""
    problems = []
    keyed = frame.assign(breakdown=_breakdowns(frame))
    for code, item in items.items():
        if not item.whole:
            continue
        parts = keyed[(keyed["measure"] == code) & (keyed["breakdown"] != "")]
        for period, rows in parts.groupby("period", sort=False):
            found = float(rows["value"].sum())
            if abs(found - 100) > SHARE_TOLERANCE:
                problems.append(Problem(
                    table.filename, f"the {code} percentages for {period} to add up to 100",
                    spreadsheet_row(rows.index[0]), "value", f"{found:g} in all",
                    rule=SHARES_WHOLE))
    return problems


def check_return(frame: pd.DataFrame, table: Table, items: Mapping[str, Item]) -> list[Problem]:
    """Every rule between the rows of one partner return.

    A repeated period, measure and breakdown is rejected when the file is read (rule
    KEY-201, ``validation.key_problems``), naming both rows.
    """
    return (unknown_breakdowns(frame, table, items)
            + bad_values(frame, table, items) + totals_disagree(frame, table, items)
            + shares_not_whole(frame, table, items))


def cross_checks(frames: Mapping[str, pd.DataFrame]) -> list[Problem]:
    """Rules between the rows of each partner return (see ``check_return``)."""
    problems: list[Problem] = []
    for name, items in RETURNS.items():
        if name in frames:
            problems.extend(check_return(frames[name], _BY_NAME[name], items))
    return problems


CROSS_CHECKS: tuple[Callable[[Mapping[str, pd.DataFrame]], list[Problem]], ...] = (cross_checks,)


# ---- added for chapter 07
ACTION_PLANS: dict[str, str] = {
    "csa": "child sexual abuse action plan (areas: the five pillars)",
    "sidar": "domestic abuse review (SIDAR) recommendations (areas: recommendations)",
    "residential": "children with disabilities in residential settings: multi-agency action "
                   "plan (areas: the plan's areas of work)",
}
ACTION_STATUS: dict[str, str] = {
    "Red": "off track", "Amber": "started, with delay or risk", "Green": "on track",
    "Complete": "done",
}

# Aggregate, not record-level: a row is an action of a plan, never a person. Its key says
# each action is listed once under its area (a repeat is rejected, KEY-201).
ACTION_TRACKERS = Table(
    name="action_trackers",
    level="aggregate",
    description="The partnership's RAG-rated action plans at the year end: one row per "
                "action, with the area (pillar, recommendation) it sits under.",
    key=("plan", "area", "action"),
    columns=(
        Column("plan", "code", "which action plan the action belongs to", codes=ACTION_PLANS,
               code_list="action plans"),
        Column("area", "text", "the pillar, recommendation or area of work"),
        Column("action", "text", "the action, in the plan's words"),
        Column("status", "code", "RAG status at the year end", codes=ACTION_STATUS,
               code_list="RAG statuses"),
        Column("review_date", "date", "when the action was last reviewed", required=False),
    ),
)

TABLES = (*TABLES, ACTION_TRACKERS)
# ---- added for chapter 02
GOVERNANCE_KINDS: dict[str, str] = {
    "lead_partner": "Lead safeguarding partner",
    "delegated_partner": "Delegated safeguarding partner",
    "partnership_meeting": "Partnership meeting",
    "subgroup": "Subgroup",
    "scrutineer": "Independent scrutineer",
    "young_advisors": "Young advisors",
    "lay_member": "Lay member",
}
"""The kinds of body in a partnership's governance structure (chapter 2's diagram)."""

GOVERNANCE = Table(
    name="governance",
    level="aggregate",
    description="The partnership's governance structure for the year: one row per body "
                "(lead partners, the partnership meeting, subgroups, scrutiny), with the "
                "body it reports to. Drawn as the structure diagram of chapter 2.",
    key=("body",),
    optional=True,
    columns=(
        Column("body", "text", "the body's name as the arrangements document gives it"),
        Column("kind", "code", "what sort of body it is", codes=GOVERNANCE_KINDS,
               code_list="governance kinds"),
        Column("reports_to", "text", "the body it reports to (blank for the top of the "
               "structure)", required=False, references=("governance", "body")),
        Column("role", "text", "what the body does, in a few words"),
    ),
)

_GOVERNANCE_TABLES = ("governance.csv",)
GOVERNANCE_ONE_TOP = rule("GOV-101", "exactly one body of the governance structure reports "
                          "to nobody (the top of the diagram)", _GOVERNANCE_TABLES)
GOVERNANCE_NO_LOOP = rule("GOV-102", "following reports_to from any body reaches the top "
                          "without coming back to itself", _GOVERNANCE_TABLES)


def governance_problems(frame: pd.DataFrame) -> list[Problem]:
    """A structure that cannot be drawn as one tree: several tops (or none), or a loop."""
    parents = {str(b): ("" if _is_blank(p) else str(p))
               for b, p in zip(frame["body"], frame["reports_to"], strict=True)}
    rows = {str(b): idx for idx, b in zip(frame.index, frame["body"], strict=True)}
    problems = []
    tops = [b for b, p in parents.items() if p == ""]
    if len(tops) != 1 and len(frame):
        first = rows[tops[1]] if len(tops) > 1 else frame.index[0]
        problems.append(Problem(GOVERNANCE.filename, "one body with a blank reports_to",
                                spreadsheet_row(first), "reports_to",
                                f"{len(tops)} bodies report to nobody",
                                rule=GOVERNANCE_ONE_TOP))
    for body in parents:
        seen, current = {body}, parents[body]
        while current and current in parents:
            if current in seen:
                problems.append(Problem(GOVERNANCE.filename, "a chain that reaches the top",
                                        spreadsheet_row(rows[body]), "reports_to",
                                        parents[body], rule=GOVERNANCE_NO_LOOP))
                break
            seen.add(current)
            current = parents[current]
    return problems


def governance_checks(frames: Mapping[str, pd.DataFrame]) -> list[Problem]:
    """The governance table's rules between rows (see ``governance_problems``)."""
    return governance_problems(frames["governance"]) if "governance" in frames else []


TABLES = (*TABLES, GOVERNANCE)
CROSS_CHECKS = (*CROSS_CHECKS, governance_checks)
# ---- added for chapter 09: what each rapid review or practice review found
REVIEW_TYPES: dict[str, str] = {
    "rapid_review": "Rapid review",
    "lcspr": "Local child safeguarding practice review",
}
DEMO_FLAGS: dict[str, str] = {
    "yes": "placeholder words written for the synthetic demo data",
    "no": "the partnership's own words",
}

# One row per review, in the partnership's words. Aggregate, not record-level: a row is a
# review's learning, never a child's record, and must say nothing that identifies the
# child (REV-101 to REV-104 below; record and child ids are refused as in every text column).
REVIEW_LEARNING = Table(
    name="review_learning",
    level="aggregate",
    description="The learning from the year's rapid reviews and local child safeguarding "
                "practice reviews, one row per review: the incident in general terms, local "
                "strengths in practice, local learning and the national context. No names, "
                "ages, dates or addresses.",
    key=("review",),
    optional=True,
    columns=(
        Column("review", "int", "the review's number in the year's list (1, 2, ...)",
               minimum=1),
        Column("review_type", "code", "the kind of review", codes=REVIEW_TYPES,
               code_list="review types"),
        Column("incident", "text", "the serious incident in general terms ('an infant with "
               "an unexplained injury'), with nothing that identifies the child"),
        Column("local_strengths", "text", "what local practice did well"),
        Column("local_learning", "text", "what local practice needs to learn"),
        Column("national_context", "text", "the national findings or recommendations the "
               "learning relates to"),
        Column("demo", "code", "whether the words are the demo's placeholders (blank: no)",
               required=False, codes=DEMO_FLAGS, code_list="demo flags"),
    ),
)

_REVIEW_TABLES = ("review_learning.csv",)
REVIEW_TEXT_COLUMNS = ("incident", "local_strengths", "local_learning", "national_context")
NO_PERSONAL_DETAIL = {
    "date": rule("REV-101", "a review's text gives no date (a date of birth or of the "
                 "incident identifies the child)", _REVIEW_TABLES),
    "age": rule("REV-102", "a review's text gives no age ('aged 14', '18-year-old'); "
                "say 'an infant', 'a teenager', 'a young adult'", _REVIEW_TABLES),
    "address": rule("REV-103", "a review's text gives no postcode or street address",
                    _REVIEW_TABLES),
    "name": rule("REV-104", "a review's text names nobody: no title before a name ('Mrs "
                 "A'), no case pseudonym ('Baby J', 'Child AB')", _REVIEW_TABLES),
}


def review_learning_problems(frame: pd.DataFrame) -> list[Problem]:
    """Text in the review learning table shaped like a date, age, address or name."""
    problems = []
    for column in REVIEW_TEXT_COLUMNS:
        for idx, text in frame[column].dropna().items():
            found = find_personal_detail(str(text))
            if found:
                kind, shown = found
                problems.append(Problem(REVIEW_LEARNING.filename, f"text without a {kind} "
                                        "(nothing that identifies the child)",
                                        spreadsheet_row(idx), column, shown,
                                        rule=NO_PERSONAL_DETAIL[kind]))
    return problems


def review_learning_checks(frames: Mapping[str, pd.DataFrame]) -> list[Problem]:
    """The review learning table's rules (see ``review_learning_problems``)."""
    frame = frames.get("review_learning")
    return review_learning_problems(frame) if frame is not None else []


TABLES = (*TABLES, REVIEW_LEARNING)
CROSS_CHECKS = (*CROSS_CHECKS, review_learning_checks)
# ---- added for chapters 03 and 05
# The independent scrutineer's figures (chapter 3) and the priorities' progress table
# (chapter 5). Kept together so the blocks other chapters append stay separate.
SCRUTINY_ITEMS: dict[str, Item] = {
    "partnership_meetings": Item("full partnership meetings held in the period"),
    "scrutineer_meetings_attended": Item("full partnership meetings the independent "
                                         "scrutineer attended"),
    "rapid_review_reports_received": Item("rapid review reports on serious incidents the "
                                          "scrutineer received"),
    "delegated_safeguarding_leads": Item("delegated safeguarding leads the scrutineer works "
                                         "with"),
    "scrutiny_areas": Item("areas of scrutiny agreed for the safeguarding arrangements"),
}
DESCRIPTIONS["scrutiny"] = ("The independent scrutineer's own counts for the year (meetings, "
                            "reports received, areas scrutinised).")
RETURNS["scrutiny"] = SCRUTINY_ITEMS
SCRUTINY = partner_return("scrutiny", DESCRIPTIONS["scrutiny"], SCRUTINY_ITEMS, optional=True)
_BY_NAME["scrutiny"] = SCRUTINY
PARTNER_RETURNS = (*PARTNER_RETURNS, SCRUTINY)

_SCRUTINY_TABLES = ("scrutiny.csv",)
SCRUTINEER_ATTENDED = rule("SCR-101", "the scrutineer attends no more full partnership "
                           "meetings than were held in the period", _SCRUTINY_TABLES)


def scrutiny_problems(frame: pd.DataFrame) -> list[Problem]:
    """More meetings attended than held in a period (one of the two figures is wrong)."""
    keyed = frame.assign(breakdown=_breakdowns(frame))
    totals = keyed[keyed["breakdown"] == ""]
    problems = []
    for period, rows in totals.groupby("period", sort=False):
        values = dict(zip(rows["measure"], rows["value"], strict=True))
        held, attended = values.get("partnership_meetings"), values.get(
            "scrutineer_meetings_attended")
        if held is not None and attended is not None and float(attended) > float(held):
            row = rows.index[list(rows["measure"]).index("scrutineer_meetings_attended")]
            problems.append(Problem(SCRUTINY.filename, f"at most the {held:g} meetings held in "
                                    f"{period}", spreadsheet_row(row), "value",
                                    f"{float(attended):g}", rule=SCRUTINEER_ATTENDED))
    return problems


def scrutiny_checks(frames: Mapping[str, pd.DataFrame]) -> list[Problem]:
    """The scrutiny return's rule between its rows (see ``scrutiny_problems``)."""
    return scrutiny_problems(frames["scrutiny"]) if "scrutiny" in frames else []


PRIORITY_SIDES: dict[str, str] = {
    "progress": "an example of impact and progress in the report year",
    "challenge": "a challenge to overcome in the year after",
}
"""The two columns of the priorities table, in the order the table shows them."""
PRIORITY_PROGRESS = Table(
    name="priority_progress",
    level="aggregate",
    description="The partnership's priorities table: for each priority (numbered as the "
                "report's sections 5.1, 5.2, ...), rows of examples of impact and progress "
                "in the report year beside the challenges for the next year, one line per "
                "item. Text, no figures: a figure the table mentions is stated by chapter 5 "
                "from its measure.",
    key=("priority", "row", "side", "item"),
    optional=True,
    columns=(
        Column("period", "text", "the year the item is about: the report year (2024-25) for "
               "progress, the next year (2025-26) for a challenge"),
        Column("priority", "int", "the priority's number in the partnership's list (1 is "
               "section 5.1)", minimum=1),
        Column("row", "int", "the row of that priority's table the item sits in", minimum=1),
        Column("side", "code", "which column of the table the item is in",
               codes=PRIORITY_SIDES, code_list="priority table columns"),
        Column("item", "int", "the item's place in its cell", minimum=1),
        Column("lead", "text", "a few words in bold before the item (its theme)",
               required=False),
        Column("text", "text", "the item, in the partnership's words"),
        Column("demo", "code", "whether the words are demo placeholders", required=False,
               codes=DEMO_FLAGS, code_list="demo flags"),
    ),
)

_PRIORITY_TABLES = ("priority_progress.csv",)
PRIORITY_YEARS = rule("PRI-101", "progress is for the report year of the folder and a "
                      "challenge for the year after (last year's table pasted into this "
                      "year's folder is caught)", _PRIORITY_TABLES)


def priority_year_problems(frame: pd.DataFrame, year: Year) -> list[Problem]:
    """Rows whose period is not the one their side of the table is about in ``year``."""
    expected = {"progress": year.label, "challenge": Year(year.start + 1).label}
    problems = []
    for idx, side, period in zip(frame.index, frame["side"], frame["period"], strict=True):
        want = expected.get(str(side))
        if want is not None and str(period).strip() != want:
            problems.append(Problem(PRIORITY_PROGRESS.filename,
                                    f"{want} (a {side} row in the {year.label} folder)",
                                    spreadsheet_row(idx), "period", str(period),
                                    rule=PRIORITY_YEARS))
    return problems


def priority_year_checks(frames: Mapping[str, pd.DataFrame], year: Year) -> list[Problem]:
    """The priorities table's rule against the folder's year (see ``priority_year_problems``)."""
    frame = frames.get("priority_progress")
    return [] if frame is None else priority_year_problems(frame, year)


TABLES = (*TABLES, SCRUTINY, PRIORITY_PROGRESS)
CROSS_CHECKS = (*CROSS_CHECKS, scrutiny_checks)
YEAR_CHECKS: tuple[Callable[[Mapping[str, pd.DataFrame], Year], list[Problem]], ...] = (
    priority_year_checks,)
"""Rules between a year's rows and the year of the folder they are in."""

"""Chapter 7, Key areas of safeguarding assurance: children in need, child protection,
children looked after, care leavers, neglect and the partner returns behind sections 7.7-7.18.

Declarations only. Every number comes from a ``@measure`` (the social care families
``children_in_need``, ``child_protection``, ``looked_after``, ``care_leavers`` and
``disproportionality``; ``front_door``; the partner families ``education_and_send``,
``reviews_and_child_deaths`` and ``action_plans``) or, for a chart's categories, from the
indicator function those measures use, through the register. Where the report labels a figure with a date
rather than the year ("as at end of March 2025") the ``Stated`` carries that label so the
figure keeps its published reference.
"""

from __future__ import annotations

from collections.abc import Callable

import pandas as pd

from helpers.chapters.sections import (
    Benchmark,
    Breakdown,
    Chapter,
    Funnel,
    Heading,
    Key,
    KeyFigures,
    Matrix,
    Narrative,
    Prose,
    Stage,
    Stated,
    StatedFigures,
    Tracker,
    Trend,
)
from helpers.data.loading import ReportData
from helpers.indicators import action_plans as ap
from helpers.indicators import care_leavers as cl
from helpers.indicators import child_protection as cp
from helpers.indicators import disproportionality as dp
from helpers.indicators import education_and_send as es
from helpers.indicators import front_door as fd
from helpers.indicators import looked_after as la
from helpers.indicators.partner_returns import returned_period

#: Disproportionality cells the report states, by (group, stage): the measure's name.
STATED_CELLS = {(group, stage): name for name, (stage, group) in dp.GROUP_STAGE_MEASURES.items()}
STATED_CELLS |= {("Black", "population"): "black_share_child_population_pct",
                 ("White", "population"): "white_share_population_pct"}
CATEGORY_SLUGS = {"EMO": "emotional_abuse", "NEG": "neglect", "PHY": "physical_abuse",
                  "SAB": "sexual_abuse", "MUL": "multiple"}
#: The factor figures the report names, with the same indicator names as their measures.
FACTOR_INDICATORS = {code: name for name, code in fd.FACTOR_MEASURES.items()}
OUTCOME_LABELS = {"in_touch": "In touch", "eet": "In education, employment or training",
                  "suitable": "In suitable accommodation"}


def _plan_categories(d: ReportData) -> pd.DataFrame:
    return cp.cp_plan_starts(d.table("cp_plans"))


def _starters_by_age(d: ReportData) -> pd.DataFrame:
    return la.cla_starters_by_age(d.table("cla_episodes"), d.table("children"))


def _leaver_outcomes(d: ReportData) -> pd.DataFrame:
    out = cl.care_leaver_outcomes(d.table("care_leavers"), d.table("children"))
    out = out[out["age_group"].notna()].copy()
    out["key"] = out["outcome"] + "." + out["age_group"].astype(str)
    out["label"] = out["outcome"].map(OUTCOME_LABELS) + ", aged " + out["age_group"].astype(str)
    return out


def _disproportionality(d: ReportData) -> pd.DataFrame:
    return dp.disproportionality_for(d).rename(columns={"stage_label": "column_label",
                                                        "children": "denominator"})


def _parental_factors(d: ReportData) -> pd.DataFrame:
    return fd.parental_factors(d.table("assessments"), d.table("assessment_factors"))


def _send_placements(d: ReportData) -> pd.DataFrame:
    return es.send_placements(d.table("send"))


def _returned(table: str, code: str) -> Callable[[ReportData], str]:
    """The period label a partner return gives a figure, for ``Stated.as_period``."""
    return lambda d: returned_period(d, table, code, "")


def _slug(text: str) -> str:
    return "".join(c if c.isalnum() else "_" for c in text.lower()).strip("_")


#: The reference report prints 7.13 twice; the pack numbers the second one 7.14 and moves
#: the rest on by one. Figures are registered under the reference report's own section
#: number, so each keeps its published reference: (pack heading, reference section).
CAMHS, CAMHS_REF = "7.15", "7.14"
FGM, FGM_REF = "7.16", "7.15"
FOSTERING, FOSTERING_REF = "7.17", "7.16"
ASYLUM, ASYLUM_REF = "7.18", "7.17"

#: The section this chapter numbers differently because the reference report prints 7.13
#: twice: (number printed there, number here). The data-quality page lists it from here.
RENUMBERED_SECTIONS: tuple[tuple[str, str], ...] = (("7.13", "7.14"),)


def _cell_name(group: str, stage: str) -> str:
    return STATED_CELLS.get((group, stage), f"disproportionality_share_pct.{group}.{stage}")


CHAPTER = Chapter(7, (
    KeyFigures((Key("7.1", "cin_initial_visits_within_10_working_days_pct"),
                Key("7.1", "cpp_total"),
                Key("7.3", "cla_starters"),
                Key("7.5", "care_leavers_18plus_allocated"),
                Key("7.8", "marac_cases_with_child_in_household", "marac_cases_with_child_change_pct"))),
    Prose("This chapter looks at children once social care is involved: children in need, "
          "children on child protection plans, children in care and young people leaving "
          "care, followed by the themes the partnership checked on with its agencies during "
          "the year."),
    # ------------------------------------------------------------------ 7.1
    Heading("7.1", "Children in need and child protection"),
    Narrative("cin_cp_scrutiny"),
    Trend("7.1", "cin_initial_visits_within_10_working_days_pct",
          "Children in need first visited within 10 working days of referral", chart="line",
          lead="Visits to children in need.", plural=False,
          ylabel="Initial visits within 10 working days"),
    Trend("7.1", "cin_visit_up_to_date_pct", "Children in need whose visits were up to date "
          "at 31 March", chart="line", ylabel="Visits up to date"),
    StatedFigures("7.1", (
        Stated("cin_visit_up_to_date_pct",
               "At 31 March, {value} of children in need had an up-to-date visit.",
               as_period="as at end of March {end}"),
    ), table=False),
    Funnel("7.1", (
        Stage("Referrals", "cp_journey_referrals"),
        Stage("Section 47 enquiries", "cp_journey_s47", "referrals_to_s47_pct"),
        Stage("Initial conferences", "cp_journey_icpc", "cp_journey_s47_to_icpc_pct"),
        Stage("Plans started", "cp_journey_cp_plan", "cp_journey_icpc_to_plan_pct"),
    ), "The year's referrals followed through child protection",
        lead="The child protection journey.", xlabel="Stage", ylabel="Referrals reaching it"),
    Prose("Each stage counts the referrals of the year that reached it, so every percentage "
          "is of the stage before."),
    Trend("7.1", "cpp_total", "Children on a child protection plan at 31 March",
          lead="Children on a plan.", ylabel="Children on a plan"),
    StatedFigures("7.1", (
        Stated("cpp_total", "At the end of the year {value} children were on a plan.",
               as_period="as at end of {year}"),
    ), table=False),
    Trend("7.1", "cpp_rate_per_10k", "Children on a plan per 10,000 children", chart="line",
          benchmark="cpp_rate_per_10k", ylabel="Per 10,000 children aged 0-17"),
    Breakdown("7.1", _plan_categories, "category",
              lambda code: f"cpp_starts_category_pct.{CATEGORY_SLUGS.get(code, code.lower())}",
              subject="Plans starting for", noun="plans starting in the year",
              lead="Categories of abuse.", rank="cpp_category_rank_order",
              also=("cpp_largest_category_previous",),
              sentence="By initial category, the largest shares of {noun} in {year} were "
                       "{listed}.",
              xlabel="Initial category", ylabel="Share of plans starting"),
    StatedFigures("7.1", (
        Stated("cpp_category_rank_order", "Ranked, the categories were: {value}."),
        Stated("cpp_largest_category_previous",
               "In {previous} the largest category had been {value}."),
    ), table=False),
    Benchmark("7.1", "cpp_rate_per_10k_sexual_abuse", "cpp_rate_per_10k_sexual_abuse",
              "Plans starting for sexual abuse per 10,000 children", lead="Sexual abuse."),
    StatedFigures("7.1", (
        Stated("cpp_rate_sexual_abuse_trend", "Against {previous}, the rate showed a {value}."),
        Stated("cpp_rate_sexual_abuse_vs_benchmarks",
               "It was {value} than the comparator areas'."),
    ), table=False),
    StatedFigures("7.1", (
        Stated("cpp_repeat_plans_pct",
               "Of the plans starting in {year}, {value} were a second or later plan for the "
               "child."),
        Stated("cpp_ceased_2plus_years_pct",
               "Of the plans that ended, {value} had lasted two years or more."),
    ), lead="Repeat and long plans."),
    Prose("Repeat plans are counted against the plans held in the pack's five years of data, "
          "so a child whose earlier plan is older is not counted as a repeat; no comparator "
          "figures are held for these two measures."),
    # ------------------------------------------------------------------ 7.2
    Heading("7.2", "Engaging families in safeguarding"),
    Narrative("voice_of_the_child"),
    Trend("7.2", "fgc_referrals", "Referrals to family group conferences",
          lead="Family group conferences.", ylabel="Referrals"),
    # ------------------------------------------------------------------ 7.3
    Heading("7.3", "Children looked after"),
    Narrative("children_looked_after"),
    Trend("7.3", "cla_starters", "Children starting to be looked after",
          lead="Coming into care.", ylabel="Children starting to be looked after"),
    Breakdown("7.3", _starters_by_age, "age_band", lambda band: f"cla_starters_age_pct.{band}",
              subject="Children starting to be looked after aged", noun="children starting "
              "to be looked after", also=("cla_starters_aged_13_plus_pct",), top=3,
              sentence="By age on the day they started, the largest groups of {noun} in "
                       "{year} were {listed}.",
              xlabel="Age band", ylabel="Share of starters"),
    Trend("7.3", "cla_starters_aged_13_plus_pct", "Starters aged 13 or over", chart="line",
          ylabel="Share of starters aged 13+"),
    StatedFigures("7.3", (
        Stated("cla_contributed_to_reviews_pct",
               "In {year}, {value} of children looked after aged 4 or over contributed to "
               "their latest review."),
        Stated("cla_statutory_visits_in_timescale_pct",
               "{value} of statutory visits due were made on time."),
        Stated("cla_placed_within_20_miles_pct",
               "{value} of children in care at 31 March lived within 20 miles of home."),
    ), lead="Reviews, visits and placements."),
    Trend("7.3", "cla_3plus_placements_12m_pct",
          "Children in care at 31 March with three or more placements in the year",
          chart="line", plural=False, ylabel="Three or more placements"),
    Matrix("7.3", _disproportionality, "ethnic_group", "stage", _cell_name,
           "disproportionality_ratio", "Ethnic groups along the journey", reference="population",
           lead="Disproportionality.", row_name="Ethnic group",
           explanation=("The ratio divides a group's share of the children at a stage by its "
                        "share of the child population: 1 means in line with the population, "
                        "2 twice its share. The interval is the Wilson 95% interval of the "
                        "stage share, divided by the population share.")),
    StatedFigures("7.3", (
        Stated("black_share_child_population_pct",
               "Black children were {value} of the child population", as_period="2011 Census"),
        Stated("black_share_s47_pct", "but {value} of children in section 47 enquiries,"),
        Stated("black_share_icpc_pct", "{value} of those at initial conferences"),
        Stated("black_share_cla_pct", "and {value} of children looked after at 31 March.",
               as_period="end of {year}"),
        # Already recorded by the matrix's population cell, which takes the report's
        # reference (its period is unstated); stated again here, it adds no second row.
        Stated("white_share_population_pct", "White children were {value} of the population"),
        Stated("white_share_referrals_pct", "and {value} of referrals."),
        Stated("mixed_share_referral_assessment_pct",
               "Children of mixed heritage were {value} of referrals,"),
        Stated("mixed_share_cla_pct", "falling to {value} of children looked after.",
               as_period="end of {year}"),
    ), table=False),
    # ------------------------------------------------------------------ 7.4
    Heading("7.4", "Unaccompanied asylum-seeking children and the health of children in care"),
    StatedFigures("7.4", (
        Stated("uasc_share_of_cla_pct",
               "{value} of children looked after at 31 March were, or had been, "
               "unaccompanied asylum-seeking children."),
        Stated("cla_health_and_dental_check_pct",
               "{value} of the year's cohort had both a health assessment and a dental check."),
        Stated("cla_under5_development_check_pct",
               "{value} of under-5s in the cohort had an up-to-date development check."),
    )),
    StatedFigures("7.4", (
        Stated("sins_young_adult_suicides",
                     "The partnership made {value} serious incident notifications about young "
                     "adults who had been in care.",
                     withheld="Serious incident notifications about young adults who had been in care "
                     "were too few to publish exactly (shown as {value}).", as_period="{span}"),
    )),
    # ------------------------------------------------------------------ 7.5
    Heading("7.5", "Care leavers"),
    StatedFigures("7.5", (
        Stated("care_leavers_18plus_allocated",
               "At the end of the year {value} care leavers aged 18 or over had an allocated "
               "worker.", as_period="as at end of {year}"),
        Stated("care_leavers_in_touch_pct", "Of all care leavers aged 18 or over, {value} "
               "were in touch with the service,"),
        Stated("care_leavers_eet_pct", "{value} were in education, employment or training"),
        Stated("care_leavers_suitable_pct", "and {value} lived in suitable accommodation."),
    )),
    Breakdown("7.5", _leaver_outcomes, "key", lambda key: f"care_leavers_outcome_pct.{key}",
              subject="Care leavers", noun="care leavers in each age group",
              top=9, sentence="By age group, in {year}: {listed}.",
              denominator_note="Each bar is a share of the care leavers of that age; no "
                               "comparator figures are held for these outcomes.",
              xlabel="Outcome and age", ylabel="Share of care leavers of that age"),
    # ------------------------------------------------------------------ 7.6
    Heading("7.6", "Neglect"),
    Narrative("neglect"),
    Trend("7.6", "contacts_neglect_presenting_pct", "Contacts where neglect was a presenting "
          "issue", chart="line", lead="Neglect at the front door.", ylabel="Share of contacts"),
    Trend("7.6", "assessments_neglect_risk_factor_pct", "Assessments identifying neglect",
          chart="line", ylabel="Share of assessments"),
    Benchmark("7.6", "cpp_rate_per_10k_neglect", "cpp_rate_per_10k_neglect",
              "Plans starting for neglect per 10,000 children", lead="Plans for neglect."),
    # ------------------------------------------------------------------ 7.7
    Heading("7.7", "Child sexual abuse"),
    Prose("The partnership's plan against child sexual abuse is organised in pillars, from "
          "prevention to prosecution; each action carries a red, amber or green rating."),
    Tracker("7.7", ap.plan_actions_for("csa"), "Child sexual abuse action plan", "csa_actions",
            group="area", group_name="Pillar", lead="Progress by pillar.",
            total="csa_actions_total", done="csa_actions_on_track_pct"),
    StatedFigures("7.7", (
        Stated("csa_action_plan_pillars", "The plan has {value} pillars."),
    ), table=False),
    StatedFigures("7.7", (
        Stated("presenting_factor_dv_parent_carer_pct",
               "Domestic abuse, often present alongside sexual abuse, was identified with a "
               "parent or carer as subject in {value} of assessments"),
        Stated("presenting_factor_dv_child_subject_pct", "and with the child as subject in "
               "{value}."),
    ), table=False),
    # ------------------------------------------------------------------ 7.8
    Heading("7.8", "Domestic abuse"),
    Narrative("domestic_abuse"),
    Trend("7.8", "contacts_dv_parent_carer_pct", "Contacts citing parental domestic abuse",
          chart="line", lead="At the front door and at assessment.",
          ylabel="Share of contacts"),
    Trend("7.8", "presenting_factor_dv_parent_carer_pct",
          "Assessments identifying parental domestic abuse", chart="line",
          ylabel="Share of assessments"),
    Trend("7.8", "marac_cases_with_child_in_household",
          "MARAC cases with a child in the household", lead="MARAC.",
          change="marac_cases_with_child_change_pct", ylabel="Cases"),
    StatedFigures("7.8", (
        Stated("operation_encompass_schools_pct",
               "Operation Encompass ran in {value} of the area's schools"),
        Stated("operation_encompass_notifications",
               "and schools received {value} notifications about local families in {year}."),
    ), lead="Operation Encompass.", table=False),
    Tracker("7.8", ap.plan_actions_for("sidar"), "Domestic abuse review recommendations",
            "sidar_actions", group="area", group_name="Recommendation",
            lead="The domestic abuse review (SIDAR).", total="sidar_actions_total",
            done="sidar_actions_on_track_pct"),
    StatedFigures("7.8", (
        Stated("sidar_recommendations_count", "The review made {value} recommendations."),
    ), table=False),
    # ------------------------------------------------------------------ 7.9
    Heading("7.9", "Parents under strain and babies in their first years"),
    Breakdown("7.9", _parental_factors, "factor",
              lambda code: FACTOR_INDICATORS.get(code, f"assessment_factor_pct.{code}"),
              subject="Assessments identifying", noun="assessments",
              lead="Parents' needs at assessment.", top=6,
              sentence="The parental factors recorded at assessment in {year} were {listed}.",
              denominator_note="One assessment can record several factors.",
              xlabel="Parental factor", ylabel="Share of assessments"),
    StatedFigures("7.9", (
        Stated("sins_children_under_two",
                     "In {year} the partnership made {value} serious incident notifications "
                     "about children under two.",
                     withheld="Serious incident notifications about children under two in {year} were "
                     "too few to publish exactly (shown as {value})."),
    )),
    # ------------------------------------------------------------------ 7.10
    Heading("7.10", "Safeguarding in schools"),
    StatedFigures("7.10", (
        Stated("dsl_forum_typical_attendance",
               "Meetings of the forum for designated safeguarding leads drew about {value} "
               "school representatives on average in {year}."),
        Stated("schools_safeguarding_effective_pct",
               "The safeguarding arrangements of {value} of the schools assessed were found "
               "effective",
               as_period=_returned("school_safeguarding", "schools_assessed")),
        Stated("inspected_schools_good_or_outstanding_pct",
               "and {value} of the schools Ofsted inspected were judged Good or Outstanding.",
               as_period=_returned("school_safeguarding", "schools_inspected")),
        Stated("camden_learning_safeguarding_reviews_schools",
               "The school improvement service reviewed safeguarding in {value} schools,"),
        Stated("section11_audit_returned_pct",
               "and {value} of the schools asked returned the section 11 school audit.",
               as_period=_returned("school_safeguarding", "section11_audit_schools_asked")),
    ), lead="Assurance from schools."),
    # ------------------------------------------------------------------ 7.11
    Heading("7.11", "Elective home education and attendance"),
    Trend("7.11", "ehe_voluntary_register", "Children on the elective home education register",
          lead="Elective home education.", ylabel="Children on the register"),
    StatedFigures("7.11", (
        Stated("ehe_voluntary_register",
               "At the end of the academic year the register held {value} children.",
               as_period=_returned("education_inclusion", "ehe_register")),
    ), table=False),
    StatedFigures("7.11", (
        Stated("persistent_absence_primary_pct",
               "{value} of primary pupils were persistently absent (England "
               "{persistent_absence_primary_england_pct})",
               as_period=_returned("education_inclusion", "persistent_absence_primary_pct")),
        Stated("persistent_absence_secondary_pct",
               "and {value} of secondary pupils (England "
               "{persistent_absence_secondary_england_pct}).",
               as_period=_returned("education_inclusion", "persistent_absence_secondary_pct")),
    ), lead="Persistent absence."),
    # ------------------------------------------------------------------ 7.12
    Heading("7.12", "School attendance and exclusions"),
    StatedFigures("7.12", (
        Stated("permanent_exclusions_secondary",
               "Secondary schools made {value} permanent exclusions",
               as_period=_returned("education_inclusion", "permanent_exclusions_secondary")),
        Stated("permanent_exclusions_primary", "and primary schools {value}.",
               as_period=_returned("education_inclusion", "permanent_exclusions_primary")),
        Stated("fixed_term_exclusion_rate_primary",
               "Suspensions per 100 primary pupils: {value} (England "
               "{suspension_rate_primary_england});",
               as_period=_returned("education_inclusion", "suspension_rate_primary")),
        Stated("fixed_term_exclusion_rate_secondary",
               "per 100 secondary pupils: {value} (England {suspension_rate_secondary_england}).",
               as_period=_returned("education_inclusion", "suspension_rate_secondary")),
        Stated("cme_children_identified",
               "The children missing education team identified {value} children,",
               as_period=_returned("education_inclusion", "cme_identified")),
        Stated("cme_closed_within_6_weeks_pct", "and closed {value} of cases within six weeks.",
               as_period=_returned("education_inclusion", "cme_identified")),
    ), lead="Exclusions and children missing education."),
    StatedFigures("7.12", (
        Stated("inspiring_inclusion_pupils_mentored",
               "The Inspiring Inclusion programme mentored {value} pupils in {year}",
               as_period=_returned("education_inclusion", "inspiring_inclusion_mentored")),
        # The count is registered under the report's "more than" figure; the page gives the
        # round number below it, as the report does.
        Stated("inspiring_inclusion_engaged_workshops_more_than",
               "and reached more than {inspiring_inclusion_engaged_bound} through workshops "
               "and careers events.",
               as_period=_returned("education_inclusion", "inspiring_inclusion_engaged")),
    ), lead="Mentoring.", table=False),
    # ------------------------------------------------------------------ 7.13
    Heading("7.13", "Safeguarding children with SEND"),
    StatedFigures("7.13", (
        Stated("send_cyp_total", "{value} children and young people living in the area had "
               "special educational needs or disabilities,",
               as_period=_returned("send", "send_cyp")),
        Stated("send_autism_primary_need_pct", "{value} of them with autism as their primary "
               "need.", as_period=_returned("send", "send_cyp")),
        Stated("sen_in_state_funded_schools", "The area's state-funded schools taught {value} "
               "pupils with SEN, including some living elsewhere.", as_period="not stated"),
        Stated("send_minoritised_ethnic_pct", "{value} of children with SEND were from "
               "minoritised ethnic groups.", as_period="not stated"),
        Stated("ehcps_issued_within_20_weeks_pct", "Of the new education, health and care "
               "plans, {value} were issued within the statutory 20 weeks.",
               as_period=_returned("send", "ehcps_issued")),
    )),
    Breakdown("7.13", _send_placements, "placement",
              lambda place: f"send_placement_pct.{_slug(place)}",
              subject="Children with SEND in", noun="children and young people with SEND",
              lead="Where children with SEND are educated.", top=3,
              sentence="The largest groups of {noun} by placement in {year} were {listed}.",
              xlabel="Educational placement", ylabel="Share of children with SEND"),
    # ------------------------------------------------------------------ 7.14
    Heading("7.14", "Safeguarding children with disabilities in residential settings"),
    Prose("The reference report numbers this section 7.13 a second time; the pack numbers it "
          "7.14 and the sections after it one higher."),
    Tracker("7.13", ap.plan_actions_for("residential"), "Residential settings action plan",
            "residential_actions", group="area", group_name="Area",
            lead="The multi-agency action plan.", total="residential_actions_total",
            done="residential_actions_on_track_pct"),
    StatedFigures("7.13", (
        Stated("residential_action_plan_areas", "The plan covers {value} areas of work."),
    ), table=False),
    # ------------------------------------------------------------------ 7.15
    Heading(CAMHS, "Child and adolescent mental health"),
    Trend(CAMHS_REF, "csc_referrals_child_mental_health_pct",
          "Assessments identifying the child's mental health", chart="line",
          lead="Child mental health.", ylabel="Share of assessments"),
    # ------------------------------------------------------------------ 7.16-7.18
    Heading(FGM, "Female genital mutilation"),
    StatedFigures(FGM_REF, (
        Stated("fgm_assessment_risk_factor_cases",
                     "In {year}, {value} social work assessments identified female genital "
                     "mutilation as a factor.",
                     withheld="In {year} the number of social work assessments identifying female "
                     "genital mutilation as a factor was too small to publish (shown as "
                     "{value})."),
    )),
    Heading(FOSTERING, "Private fostering"),
    StatedFigures(FOSTERING_REF, (
        Stated("assessments_privately_fostered",
                     "In {year}, {value} assessments recorded a privately fostered child.",
                     withheld="In {year} the number of assessments recording a privately fostered "
                     "child was too small to publish (shown as {value})."),
    )),
    Heading(ASYLUM, "Supporting asylum-seeking families"),
    StatedFigures(ASYLUM_REF, (
        Stated("asylum_families_supported", "{value} asylum-seeking families in Home Office "
               "accommodation were supported to reach school, health and local services.",
               as_period=_returned("asylum_support", "families_supported")),
    ), table=False),
))

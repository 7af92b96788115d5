"""Chapter 8, Safeguarding vulnerable adolescents: exploitation, missing children, serious
youth violence, youth early help and substance misuse.

Declarations only. Risk assessments and missing episodes are the local authority's own
records (the social-care families of ``helpers.indicators``); NRM, knife crime, youth early help, ENGAGE and
substance misuse are partner returns (the partner-return families), each stated with the
period its return covers (a 2023-24 cohort, a calendar year).
"""

from __future__ import annotations

import pandas as pd

from helpers.chapters.sections import (
    Breakdown,
    Cascade,
    Chapter,
    Heading,
    Key,
    KeyFigures,
    Narrative,
    PairedBars,
    Prose,
    ReturnBreakdown,
    ReturnSeries,
    Stated,
    StatedFigures,
    Trend,
)
from helpers.data.loading import ReportData
from helpers.indicators import community_safety as partners
from helpers.indicators import exploitation as sc

#: The CCE types the report names, with their measures (other types: shares by code).
CCE_TYPE_MEASURES = {"YV": "cce_type_youth_violence_pct", "DRG": "cce_type_drug_related_pct",
                     "THF": "cce_type_forced_theft_robbery_pct"}
NRM_TYPE_MEASURES = {"Criminal exploitation": "nrm_type_cce_pct",
                     "Forced labour": "nrm_type_forced_labour_pct",
                     "Sexual exploitation": "nrm_type_cse_pct"}
YEH_VULNERABILITY_MEASURES = {
    "SEND": "yeh_send_pct", "Mental health": "yeh_mental_health_pct",
    "Parenting issues": "yeh_parenting_issues_pct",
    "Problematic behaviour": "yeh_problematic_behaviour_pct",
    "Children missing education": "yeh_children_missing_education_pct",
}
TIER3_MEASURES = {"Cannabis": "tier3_cannabis_pct", "Alcohol": "tier3_alcohol_pct"}
OVERLAP = "A child can have more than one, so the shares add up to more than 100%."


def _cce_types(d: ReportData) -> pd.DataFrame:
    frame = sc.exploitation_type_shares(d.table("exploitation_assessments"),
                                        d.table("exploitation_types"))
    return frame[frame["tool"] == "CCE"].rename(columns={"children": "denominator"})


def _knife_years(d: ReportData) -> pd.DataFrame:
    """Victims per calendar year of the report year's return, with each year's own period."""
    rows = d.current("knife_crime")
    years = partners.calendar_years(rows)
    named = rows.assign(calendar_year=rows["figure_period"].str.extract(r"(\d{4})")[0].astype(int))
    periods = named.drop_duplicates("calendar_year").set_index("calendar_year")["figure_period"]
    return pd.DataFrame({"label": years["calendar_year"].astype(str),
                         "figure_period": years["calendar_year"].map(periods),
                         "value": years["victims"]})


def _sex(tool: str) -> tuple[tuple[str, str], ...]:
    return (("Female", f"{tool}_assessments_female_pct"), ("Male", f"{tool}_assessments_male_pct"))


SUBSTANCE = "substance_misuse"

CHAPTER = Chapter(8, (
    KeyFigures((Key("8.1", "cse_risk_assessments"),
                Key("8.1", "cce_risk_assessments"),
                Key("8.3", "missing_children"),
                Key("8.4", "knife_crime_victims_aged_10_24"),
                Key("8.5", "yeh_referrals"),
                Key("8.6", "fwd_new_referrals", "fwd_referrals_change_pct"))),
    Prose("Adolescents face risks from outside the family as well as within it: exploitation "
          "by adults or peers, going missing, violence on the street and drugs. This chapter "
          "brings together what the partnership's records and its partners' returns say "
          "about those risks and the help young people received."),
    Heading("8.1", "Child exploitation"),
    Narrative("exploitation"),
    PairedBars("8.1", _sex("cse"), "Children given a child sexual exploitation (CSE) risk "
               "assessment", "children given a CSE risk assessment",
               total="cse_risk_assessments", lead="Sexual exploitation.", xlabel="Sex",
               ylabel="Share of children assessed"),
    StatedFigures("8.1", (
        Stated("cse_review_risk_score_reduced_pct",
               "Of the {cse_reviews} CSE assessments reviewed in {year}, {value} had a lower "
               "risk score at review than at the first assessment."),
        Stated("cse_most_prevalent_model",
               "The model of exploitation recorded most often in CSE assessments was {value}."),
    ), table=False),
    PairedBars("8.1", _sex("cce"), "Children given a child criminal exploitation (CCE) risk "
               "assessment", "children given a CCE risk assessment",
               total="cce_risk_assessments", lead="Criminal exploitation.", xlabel="Sex",
               ylabel="Share of children assessed"),
    Breakdown("8.1", _cce_types, "type",
              lambda code: CCE_TYPE_MEASURES.get(code, f"cce_type_pct.{code}"),
              subject="CCE assessments identifying", noun="children given a CCE assessment",
              lead="Types of criminal exploitation.", rank="cce_types_rank_order", top=3,
              sentence="The types of exploitation recorded most often for {noun} in {year} "
                       "were {listed}.",
              denominator_note=OVERLAP, xlabel="Type of exploitation",
              ylabel="Share of children assessed"),
    PairedBars("8.1", (("Male", "nrm_referrals_male_pct"), ("Female", "nrm_referrals_female_pct")),
               "Referrals of children to the National Referral Mechanism (NRM) panel",
               "NRM referrals", total="nrm_referrals", lead="National Referral Mechanism.",
               source=("nrm", "nrm_referrals"), xlabel="Sex", ylabel="Share of referrals"),
    ReturnBreakdown("8.1", "nrm", "nrm_by_type", "NRM referrals", "NRM referrals",
                    indicator=lambda t: NRM_TYPE_MEASURES.get(t, f"nrm_type_pct.{t}"),
                    total_code="nrm_referrals", against_previous=True,
                    rank="nrm_types_rank_order", xlabel="Type of exploitation",
                    ylabel="Share of referrals"),
    Heading("8.2", "Modern slavery"),
    Prose("Every agency in the partnership is a first responder for modern slavery: where a "
          "child may be a victim, staff refer to the National Referral Mechanism, and in "
          "this area a local panel makes the decision. The referrals it received are counted "
          "with the other exploitation figures in section 8.1."),
    Heading("8.3", "Missing children"),
    Narrative("missing"),
    Trend("8.3", "missing_children", "Children reported missing", ylabel="Children"),
    Trend("8.3", "missing_episodes", "Missing episodes", ylabel="Episodes"),
    StatedFigures("8.3", (
        Stated("missing_episodes_24h_or_less_pct",
               "In {year}, {value} of missing episodes lasted 24 hours or less."),
        Stated("rhc_children_successful_pct",
               "{value} of the children reported missing had at least one return home "
               "conversation,"),
        Stated("rhc_episodes_pct",
               "and a conversation was held after {value} of the "
               "{missing_episodes_rhc_applicable} episodes for which one applies (episodes "
               "that ended with the child coming back)."),
    ), lead="Return home conversations.", table=False),
    PairedBars("8.3", (("Looked after", "missing_children_looked_after_pct"),
                       ("Not looked after", "missing_children_not_looked_after_pct")),
               "Children reported missing", "children reported missing",
               lead="Looked-after children.", xlabel="Care status",
               ylabel="Share of children missing"),
    PairedBars("8.3", (("Children reported missing", "missing_cohort_black_pct"),
                       ("All children in the borough", "black_share_child_population_pct")),
               "Black children", "children", ranked=False, lead="Disproportionality.",
               sentence="Black children's share in {period}: {listed}.",
               title="Black children's share of children reported missing, against their "
                     "share of all children, {period}",
               xlabel="Group", ylabel="Black children's share"),
    Trend("8.3", "missing_children_3plus_episodes_pct",
          "Children reported missing three or more times, as a share of children missing",
          lead="Repeat missing.", chart="line", plural=False,
          extra=("That is {missing_children_3plus_episodes} children.",),
          ylabel="Share of children missing"),
    Heading("8.4", "Serious youth violence"),
    Narrative("youth_violence"),
    ReturnSeries("8.4", _knife_years, "knife_crime_victims_aged_10_24",
                 "knife_crime_victims_aged_10_24_by_year",
                 "Victims aged 10-24 of knife crime with injury", "knife_crime",
                 lead="Knife crime.", ylabel="Victims aged 10-24"),
    Heading("8.5", "Youth early help"),
    Cascade("8.5", "yeh_referrals", (
        ("Referred by the police", "yeh_police_initiated_pct"),
        ("Went on to engage meaningfully", "yeh_meaningful_engagement_pct"),
        ("Received advice only", "yeh_advice_only_pct"),
        ("Took up Youth Diversion", "yeh_youth_diversion_uptake_pct"),
        ("Took up the FWD substance misuse service", "yeh_fwd_uptake_pct"),
    ), "Youth early help worked with", "referrals", lead="The youth early help cohort.",
        source=("youth_early_help", "referrals")),
    ReturnBreakdown("8.5", "youth_early_help", "vulnerabilities", "Youth early help referrals",
                    "vulnerabilities recorded",
                    indicator=lambda v: YEH_VULNERABILITY_MEASURES.get(v, f"yeh_pct.{v}"),
                    total_code="referrals", against_previous=True, top=5,
                    lead="Vulnerabilities.", note=OVERLAP.replace("child", "referral"),
                    xlabel="Vulnerability", ylabel="Share of referrals"),
    StatedFigures("8.5", (
        Stated("yeh_returning_cases", "Youth early help had {value} returning cases in {period}",
               source=("youth_early_help", "returning_cases")),
        Stated("engage_initial_contacts", "ENGAGE, the youth diversion service in police "
               "custody, made {value} initial contacts in {period}",
               source=("engage", "initial_contacts")),
        Stated("engage_individual_children", "with {value} different children",
               source=("engage", "children")),
        Stated("engage_camden_children", "{value} of them were local children",
               source=("engage", "local_children")),
        Stated("engage_camden_in_education_pct", "{value} of the local children were in "
               "education", source=("engage", "local_children_by_status")),
        Stated("engage_camden_neet_pct", "and {value} were not in education, employment or "
               "training", source=("engage", "local_children_by_status")),
        Stated("engage_camden_not_open_to_services_pct", "At first contact, {value} of the "
               "local children were not known to any service",
               source=("engage", "local_not_open_to_services")),
        Stated("engage_reoffended_within_12m_pct", "{value} of the cohort reoffended within "
               "12 months", source=("engage", "reoffended_12m")),
    ), lead="Returning cases and ENGAGE.", run_on=True),
    Heading("8.6", "Adolescent substance misuse"),
    StatedFigures("8.6", (
        Stated("fwd_new_referrals", "FWD, the young people's substance misuse service, "
               "received {value} new referrals in {period}", source=(SUBSTANCE, "referrals"),
               compare=", against {before} in {before_period}"),
        Stated("fwd_referrals_change_pct", "a change of {value} on the year before",
               source=(SUBSTANCE, "referrals")),
        Stated("fwd_re_presentations", "Children coming back to the service after support "
               "ended: {value}", source=(SUBSTANCE, "re_presentations")),
        Stated("fwd_top_referrers", "The largest referrers were {value}",
               source=(SUBSTANCE, "referrals_by_source")),
        Stated("fwd_workshop_attendees", "{value} young people and parents attended FWD "
               "workshops", source=(SUBSTANCE, "workshop_attendees")),
        Stated("fwd_workshop_satisfied_pct", "and {value} of them were satisfied",
               source=(SUBSTANCE, "workshop_satisfied")),
        Stated("tier3_substance_use_reduction_pct", "In specialist (Tier 3) treatment, "
               "{value} of young people leaving reduced their use", source=(SUBSTANCE, "tier3_exits")),
        Stated("tier3_substance_use_reduction_national_pct", "against {value} nationally",
               source=(SUBSTANCE, "reduced_use_national_pct")),
        Stated("tier3_satisfaction_score_start", "Young people's satisfaction score at the "
               "start of treatment was {value} out of 10",
               source=(SUBSTANCE, "tier3_satisfaction", "treatment start")),
        Stated("tier3_satisfaction_score_exit", "and {value} at the end",
               source=(SUBSTANCE, "tier3_satisfaction", "treatment exit")),
    ), lead="Referrals, workshops and treatment.", run_on=True),
    ReturnBreakdown("8.6", SUBSTANCE, "tier3_substance", "Tier 3 cohort using",
                    "young people in Tier 3 treatment",
                    indicator=lambda s: TIER3_MEASURES.get(s, f"tier3_substance_pct.{s}"),
                    total_code="tier3_young_people", top=2, lead="Substances used.",
                    note=OVERLAP.replace("A child", "A young person"), xlabel="Substance",
                    ylabel="Share of the Tier 3 cohort"),
    Heading("8.7", "Safeguarding children from radicalisation and extremism"),
    Prose("Prevent work is overseen locally by a multi-agency group that sets the area's "
          "priorities, shares information on risk and makes sure staff know how to refer a "
          "child who may be drawn into extremism."),
    Heading("8.8", "Transitional safeguarding"),
    Prose("Risks do not stop at a child's eighteenth birthday. Transitional safeguarding is "
          "about children's and adults' services planning together for young people moving "
          "into adulthood, so that support does not fall away at the point it is needed."),
    Heading("8.9", "Gender identity service"),
    Prose("The national gender identity service for children has moved to new regional "
          "providers. Local partners keep under review the safeguarding of young people "
          "waiting for that service, and train staff to support LGBTQ+ young people."),
))

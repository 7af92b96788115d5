"""Indicators: partners family. Each figure the report states is registered with @measure.

Partner returns (``helpers.data.schema_partners``) are long tables: ``period`` (the report year
folder, added on loading), ``figure_period`` (the partner's own period), ``measure``,
``breakdown`` and ``value``. The functions below read them the same way everywhere:

- a measure's *total* is its blank-breakdown row, or the sum of its category rows when the
  partner sent only the categories;
- a *part* is one category row; comparator areas (England, London) are never parts;
- a percentage is computed from the counts a partner sends (part / total), never typed in,
  unless the partner only publishes the percentage (Census shares, national rates).

Every measure here is registered with ``by_year=False``: it reads the rows of the report
year's own folder, whatever period they cover (an academic year, a calendar year, a
five-year window), and a "previous year" figure is the same measure read from the previous
report year's folder.
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from helpers.config import previous_year
from helpers.data import schema_partners as sp
from helpers.data.loading import ReportData
from helpers.indicators.base import Compute, measure, rank_order
from helpers.indicators.front_door import Definition
from helpers.indicators.trends import direction

DEFINITIONS: dict[str, Definition] = {}

HOME_COUNTRY = "United Kingdom"
"""Website visitors from anywhere else count towards 'global reach'."""

MAJORITY_GROUPS = ("White British", "Not known")
"""SEND ethnic groups that are not minoritised groups ('Not known' is neither)."""


# --------------------------------------------------------------------------- reading returns
def _is_total(breakdown: pd.Series) -> pd.Series:
    return breakdown.isna() | (breakdown.astype("string").fillna("") == "")


def measure_rows(frame: pd.DataFrame, code: str) -> pd.DataFrame:
    """Rows of one measure, with a blank breakdown as ''."""
    rows = frame[frame["measure"] == code].copy()
    rows["breakdown"] = rows["breakdown"].where(~_is_total(rows["breakdown"]), "").astype(str)
    return rows.reset_index(drop=True)


def parts(frame: pd.DataFrame, code: str) -> pd.Series:
    """Category rows of a measure as breakdown -> value (no total, no comparator area)."""
    rows = measure_rows(frame, code)
    rows = rows[(rows["breakdown"] != "") & ~rows["breakdown"].isin(sp.AREAS)]
    return pd.Series(rows["value"].to_numpy(), index=rows["breakdown"].to_numpy(), name=code)


def total(frame: pd.DataFrame, code: str) -> float:
    """The measure's headline figure: its blank-breakdown row, else the sum of its parts."""
    rows = measure_rows(frame, code)
    headline = rows[rows["breakdown"] == ""]
    if len(headline):
        return float(headline["value"].iloc[0])
    found = parts(frame, code)
    if found.empty:
        raise LookupError(f"no rows for measure {code!r}")
    return float(found.astype(float).sum())


def figure(frame: pd.DataFrame, code: str, breakdown: str = "") -> float:
    """One figure of a return: the total (breakdown '') or one category or comparator area."""
    if breakdown == "":
        return total(frame, code)
    rows = measure_rows(frame, code)
    rows = rows[rows["breakdown"] == breakdown]
    if rows.empty:
        raise LookupError(f"no row for measure {code!r} with breakdown {breakdown!r}")
    return float(rows["value"].iloc[0])


def text_figure(frame: pd.DataFrame, code: str, breakdown: str = "") -> str:
    """A text value (a rating) of a return."""
    rows = measure_rows(frame, code)
    rows = rows[rows["breakdown"] == breakdown]
    if rows.empty:
        raise LookupError(f"no row for measure {code!r} with breakdown {breakdown!r}")
    return str(rows["value"].iloc[0])


def percent(numerator: float, denominator: float) -> float:
    """numerator as a percentage of denominator (0-100, unrounded)."""
    if denominator == 0:
        raise ZeroDivisionError("percentage of an empty denominator")
    return numerator / denominator * 100


def breakdown_shares(frame: pd.DataFrame, code: str, total_code: str | None = None) -> pd.DataFrame:
    """Each category's value and share (%) of its total, per report year, largest first.

    Works on a table stacked over report years (``period``), so one call feeds a chart of
    several years. The denominator is the total of ``total_code`` (default: the measure
    itself), so a split that is not exhaustive (vulnerabilities) is still a share of all.
    """
    rows = []
    for period, year_rows in frame.groupby("period", sort=True):
        found = parts(year_rows, code)
        base = total(year_rows, total_code or code)
        for name, value in found.items():
            rows.append({"period": period, "breakdown": name, "value": float(value),
                         "pct": percent(float(value), base)})
    out = pd.DataFrame(rows, columns=["period", "breakdown", "value", "pct"])
    return out.sort_values(["period", "value"], ascending=[True, False], ignore_index=True)


def ranked(frame: pd.DataFrame, code: str, n: int | None = None) -> list[str]:
    """Categories of a measure, largest first (ties keep the return's order)."""
    found = parts(frame, code).astype(float)
    order = found.sort_values(ascending=False, kind="stable")
    return list(order.index[:n] if n else order.index)


def good_or_outstanding_pct(frame: pd.DataFrame, code: str) -> float:
    """Providers graded Good or Outstanding as a share of all providers graded."""
    grades = parts(frame, code).astype(float)
    return percent(float(grades.reindex(["Outstanding", "Good"]).fillna(0).sum()),
                   float(grades.sum()))


def one_in_n(share: float) -> float:
    """A share as the report words it, '1 in N', returned as 1/N (1 in 3 -> 0.333...).

    N is the nearest whole number to 1/share, so 150 of 449 deaths (33.4%) and 26.5% of
    pupils read "1 in 3" and "1 in 4" as the report prints them.
    """
    if share <= 0:
        raise ValueError("a '1 in N' share needs a positive share")
    return 1 / round(1 / share)


def relative_change_pct(current: float, previous: float) -> float:
    """Change from ``previous`` to ``current`` as a percentage of ``previous``."""
    return percent(current - previous, previous)


def position(value: float, comparators: Sequence[float], smaller: str, larger: str,
             neither: str = "mixed") -> str:
    """'smaller' if below every comparator, 'larger' if above every one, else ``neither``."""
    if all(value < c for c in comparators):
        return smaller
    if all(value > c for c in comparators):
        return larger
    return neither


DISADVANTAGE_GAPS = ("disadvantage_gap_eyfs", "disadvantage_gap_ks2", "disadvantage_gap_ks4")
ATTAINMENT = ("ks2_expected_standard_pct", "attainment8_score")


def disadvantage_gap_vs(outcomes: pd.DataFrame, areas: Sequence[str] = ("London", "England")) -> str:
    """'narrower' if the local gap is narrower than every comparator area at every stage."""
    words = {position(figure(outcomes, code), [figure(outcomes, code, a) for a in areas],
                      "narrower", "wider") for code in DISADVANTAGE_GAPS}
    return words.pop() if len(words) == 1 else "mixed"


def attainment_vs(outcomes: pd.DataFrame, area: str = "England") -> str:
    """'better' if attainment at the end of primary and of secondary is above ``area``."""
    words = {position(figure(outcomes, code), [figure(outcomes, code, area)], "lower",
                      "better") for code in ATTAINMENT}
    return words.pop() if len(words) == 1 else "mixed"


def trend_word(values: Sequence[float]) -> str:
    """'increasing' / 'decreasing' when every step goes one way, else 'fluctuating'.

    The same rule as ``trends.direction``, in the words partner returns are described with.
    """
    if len(values) < 2:
        raise ValueError("a trend needs at least two years")
    shape = direction(pd.Series(values, dtype=float))
    return shape if shape in ("increasing", "decreasing") else "fluctuating"


def calendar_years(knife: pd.DataFrame) -> pd.DataFrame:
    """Monthly knife-crime rows summed by calendar year, per report year folder."""
    rows = knife.assign(calendar_year=knife["figure_period"].str.extract(r"(\d{4})")[0]
                        .astype(int))
    return (rows.groupby(["period", "calendar_year"])["value"].sum().rename("victims")
            .reset_index().sort_values(["period", "calendar_year"], ignore_index=True))


def latest_calendar_year_total(knife: pd.DataFrame) -> float:
    """Victims in the latest calendar year a (single-folder) series covers."""
    years = calendar_years(knife)
    return float(years.loc[years["calendar_year"].idxmax(), "victims"])


def membership_summary(members: pd.DataFrame) -> pd.DataFrame:
    """Seats (table rows) and people per membership group, in the report's group order."""
    counts = members.groupby("member_group").agg(rows=("job_title", "size"),
                                                 people=("people", "sum"))
    out = counts.reindex(list(sp.MEMBER_GROUPS)).fillna(0).astype(int).reset_index()
    out["label"] = out["member_group"].map(sp.MEMBER_GROUPS)
    return out[["member_group", "label", "rows", "people"]]


# --------------------------------------------------------------------------- registration
def _meaning(table: str, code: str, breakdown: str = "") -> str:
    text = sp.RETURNS[table][code].meaning
    return f"{text}: {breakdown}" if breakdown else text


# Comparators that are not the same measure in another year: indicator -> (table, measure,
# breakdown) of the figure the report compares with (a national value, a starting score).
COMPARATORS: dict[str, tuple[str, str, str]] = {
    "population_disabled_pct": ("borough_profile", "population_disabled_pct", "England"),
    "good_level_of_development_pct": ("education_outcomes", "good_level_of_development_pct",
                                      "England"),
    "ks4_sustained_education_destination_pct": ("education_outcomes",
                                                "ks4_sustained_education_pct", "England"),
    "persistent_absence_primary_pct": ("education_inclusion", "persistent_absence_primary_pct",
                                       "England"),
    "persistent_absence_secondary_pct": ("education_inclusion",
                                         "persistent_absence_secondary_pct", "England"),
    "fixed_term_exclusion_rate_primary": ("education_inclusion", "suspension_rate_primary",
                                          "England"),
    "fixed_term_exclusion_rate_secondary": ("education_inclusion", "suspension_rate_secondary",
                                            "England"),
    "tier3_substance_use_reduction_pct": ("substance_misuse", "reduced_use_national_pct", ""),
    "tier3_satisfaction_score_exit": ("substance_misuse", "tier3_satisfaction",
                                      "treatment start"),
}


def _register(indicator: str, compute: Compute, name: str, numerator: str,
              denominator: str = "-", basis: str = "") -> None:
    """Define ``indicator`` once: its data-dictionary entry and its registered function."""
    compute.__doc__ = name
    DEFINITIONS[indicator] = Definition(name, numerator, denominator, basis)
    against = COMPARATORS.get(indicator)
    comparator = _stated(*against) if against else None
    measure(indicator, comparator=comparator, by_year=False)(compute)


def _whole(value: float) -> int | float:
    return int(value) if float(value).is_integer() else value


def _count(table: str, code: str, breakdown: str = "") -> Compute:
    return lambda d: _whole(figure(d.current(table), code, breakdown))


def _stated(table: str, code: str, breakdown: str = "") -> Compute:
    return lambda d: figure(d.current(table), code, breakdown)


def _share(table: str, numerator: tuple[str, str], denominator: tuple[str, str]) -> Compute:
    return lambda d: percent(figure(d.current(table), *numerator),
                             figure(d.current(table), *denominator))


def _rating(table: str, code: str, breakdown: str = "") -> Compute:
    return lambda d: text_figure(d.current(table), code, breakdown)


# indicator: (table, measure, breakdown, name)
COUNTS: dict[str, tuple[str, str, str, str]] = {
    "population_total": ("borough_profile", "population_total", "", "Population"),
    "cypds_supported_cyp_aged_0_25": ("borough_profile", "cypds_supported", "",
                                      "Disabled children and young people supported (0-25)"),
    "fgc_referrals": ("family_group_conferences", "fgc_referrals", "",
                      "Referrals to family group conferences"),
    "marac_cases_with_child_in_household": ("domestic_abuse", "marac_cases_with_child", "",
                                            "MARAC cases with a child in the household"),
    "operation_encompass_notifications": ("domestic_abuse", "operation_encompass_notifications",
                                          "", "Operation Encompass notifications"),
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
    "ehe_voluntary_register": ("education_inclusion", "ehe_register", "",
                               "Children on the voluntary EHE register"),
    "permanent_exclusions_primary": ("education_inclusion", "permanent_exclusions_primary", "",
                                     "Permanent exclusions, primary"),
    "permanent_exclusions_secondary": ("education_inclusion", "permanent_exclusions_secondary",
                                       "", "Permanent exclusions, secondary"),
    "cme_children_identified": ("education_inclusion", "cme_identified", "",
                                "Children missing education identified"),
    "send_cyp_total": ("send", "send_cyp", "", "Children and young people with SEND"),
    "sen_in_state_funded_schools": ("send", "sen_pupils_state_funded", "",
                                    "Pupils with SEN in state-funded schools"),
    "asylum_families_supported": ("asylum_support", "families_supported", "",
                                  "Asylum-seeking families supported"),
    "asylum_mixed_occupancy_hotels": ("asylum_support", "hotels", "",
                                      "Mixed-occupancy asylum hotels"),
    "nrm_referrals": ("nrm", "nrm_referrals", "", "NRM referrals of children"),
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
    "yeh_referrals": ("youth_early_help", "referrals", "", "Youth early help referrals"),
    "yeh_returning_cases": ("youth_early_help", "returning_cases", "",
                            "Youth early help returning cases"),
    "engage_initial_contacts": ("engage", "initial_contacts", "", "ENGAGE initial contacts"),
    "engage_individual_children": ("engage", "children", "", "ENGAGE individual children"),
    "engage_camden_children": ("engage", "local_children", "", "ENGAGE local children"),
    "fwd_new_referrals": ("substance_misuse", "referrals", "", "Substance misuse service new "
                          "referrals"),
    "fwd_re_presentations": ("substance_misuse", "re_presentations", "",
                             "Substance misuse service re-presentations"),
    "fwd_workshop_attendees": ("substance_misuse", "workshop_attendees", "",
                               "Substance misuse workshop attendees"),
    "web_page_views": ("website", "page_views", "", "Website page views"),
    "web_unique_visitors": ("website", "unique_visitors", "", "Website unique visitors"),
    "web_training_page_views": ("website", "page_views_by_page", "Training",
                                "Website training page views"),
    "expenditure_staffing_gbp": ("finance", "expenditure", "Staffing", "Expenditure: staffing"),
    "expenditure_professional_fees_gbp": ("finance", "expenditure", "Professional fees",
                                          "Expenditure: professional fees"),
    "expenditure_multiagency_training_gbp": ("finance", "expenditure", "Multi-agency training",
                                             "Expenditure: multi-agency training"),
    "expenditure_other_gbp": ("finance", "expenditure", "Other", "Expenditure: other"),
    "expenditure_total_gbp": ("finance", "expenditure", "", "Total expenditure"),
    "income_camden_la_gbp": ("finance", "income", "Local authority",
                             "Income: local authority"),
    "income_ncl_icb_gbp": ("finance", "income", "Integrated care board",
                           "Income: integrated care board"),
    "income_mopac_gbp": ("finance", "income", "Police", "Income: police (MOPAC)"),
    "income_national_probation_service_gbp": ("finance", "income", "Probation",
                                              "Income: probation service"),
    "income_nihr_gbp": ("finance", "income", "Grants", "Income: grants (NIHR)"),
    "income_total_gbp": ("finance", "income", "", "Total income"),
    "cscp_young_advisors_casual": ("finance", "young_advisors", "", "Young advisors on casual "
                                   "hours"),
    "cscp_manager_fte": ("finance", "staffing_fte", "Partnership manager",
                         "Partnership manager (FTE)"),
    "cscp_development_officer_fte": ("finance", "staffing_fte", "Development officer",
                                     "Development officers (FTE)"),
}

# indicator: (table, measure, breakdown, name). Percentages, rates and scores a partner
# publishes as such (Census shares, national statistics).
STATED: dict[str, tuple[str, str, str, str]] = {
    "pupils_fsm_eligible_pct": ("borough_profile", "pupils_fsm_eligible_pct", "",
                                "Pupils eligible for free school meals (%)"),
    "population_disabled_pct": ("borough_profile", "population_disabled_pct", "",
                                "Residents who are disabled (%)"),
    "population_male_pct": ("borough_profile", "sex_pct", "Male", "Residents: male (%)"),
    "population_female_pct": ("borough_profile", "sex_pct", "Female", "Residents: female (%)"),
    "non_binary_or_different_to_assigned_sex_pct": (
        "borough_profile", "gender_identity_differs_pct", "",
        "Gender identity differs from sex registered at birth (%)"),
    "non_heterosexual_pct": ("borough_profile", "non_heterosexual_pct", "",
                             "Non-heterosexual orientation (%)"),
    "good_level_of_development_pct": ("education_outcomes", "good_level_of_development_pct", "",
                                      "Good level of development (%)"),
    "ks4_sustained_education_destination_pct": (
        "education_outcomes", "ks4_sustained_education_pct", "",
        "Key stage 4 leavers in sustained education (%)"),
    "persistent_absence_primary_pct": ("education_inclusion", "persistent_absence_primary_pct",
                                       "", "Persistent absence, primary (%)"),
    "persistent_absence_secondary_pct": ("education_inclusion",
                                         "persistent_absence_secondary_pct", "",
                                         "Persistent absence, secondary (%)"),
    "fixed_term_exclusion_rate_primary": ("education_inclusion", "suspension_rate_primary", "",
                                          "Suspension rate, primary (per 100 pupils)"),
    "fixed_term_exclusion_rate_secondary": ("education_inclusion", "suspension_rate_secondary",
                                            "", "Suspension rate, secondary (per 100 pupils)"),
    "tier3_satisfaction_score_exit": ("substance_misuse", "tier3_satisfaction",
                                      "treatment exit",
                                      "Satisfaction score at treatment exit (0-10)"),
}
RELIGION_MEASURES = {"religion_none_pct": "No religion", "religion_christian_pct": "Christian",
                     "religion_muslim_pct": "Muslim", "religion_jewish_pct": "Jewish",
                     "religion_hindu_pct": "Hindu", "religion_not_stated_pct": "Not stated",
                     "religion_other_pct": "Other"}
for _indicator, _religion in RELIGION_MEASURES.items():
    STATED[_indicator] = ("borough_profile", "religion_pct", _religion,
                          f"Residents by religion: {_religion} (%)")

# indicator: (table, (numerator measure, breakdown), (denominator measure, breakdown), name)
SHARES: dict[str, tuple[str, tuple[str, str], tuple[str, str], str]] = {
    "operation_encompass_schools_pct": ("domestic_abuse", ("operation_encompass_schools", ""),
                                        ("schools", ""), "Schools in Operation Encompass (%)"),
    "cme_closed_within_6_weeks_pct": ("education_inclusion", ("cme_closed_within_6_weeks", ""),
                                      ("cme_identified", ""),
                                      "Children missing education: closed within 6 weeks (%)"),
    "send_autism_primary_need_pct": ("send", ("send_primary_need",
                                              "Autistic spectrum disorder"), ("send_cyp", ""),
                                     "SEND with autism as primary need (%)"),
    "nrm_referrals_male_pct": ("nrm", ("nrm_by_sex", "Male"), ("nrm_referrals", ""),
                               "NRM referrals: male (%)"),
    "nrm_referrals_female_pct": ("nrm", ("nrm_by_sex", "Female"), ("nrm_referrals", ""),
                                 "NRM referrals: female (%)"),
    "nrm_type_cce_pct": ("nrm", ("nrm_by_type", "Criminal exploitation"),
                         ("nrm_referrals", ""), "NRM referrals: criminal exploitation (%)"),
    "nrm_type_forced_labour_pct": ("nrm", ("nrm_by_type", "Forced labour"),
                                   ("nrm_referrals", ""), "NRM referrals: forced labour (%)"),
    "nrm_type_cse_pct": ("nrm", ("nrm_by_type", "Sexual exploitation"), ("nrm_referrals", ""),
                         "NRM referrals: sexual exploitation (%)"),
    "reviews_with_modifiable_factors_pct": ("child_deaths", ("reviews_with_modifiable_factors",
                                                             ""), ("reviews_completed", ""),
                                            "Child death reviews with modifiable factors (%)"),
    "yeh_police_initiated_pct": ("youth_early_help", ("referrals_by_source", "Police"),
                                 ("referrals", ""), "Youth early help: police referrals (%)"),
    "yeh_meaningful_engagement_pct": ("youth_early_help", ("referrals_by_outcome",
                                                           "Meaningful engagement"),
                                      ("referrals", ""),
                                      "Youth early help: meaningful engagement (%)"),
    "yeh_advice_only_pct": ("youth_early_help", ("referrals_by_outcome", "Advice only"),
                            ("referrals", ""), "Youth early help: advice only (%)"),
    "yeh_youth_diversion_uptake_pct": ("youth_early_help", ("specialist_uptake",
                                                            "Youth Diversion"),
                                       ("referrals", ""), "Youth early help: Youth Diversion "
                                       "uptake (%)"),
    "yeh_fwd_uptake_pct": ("youth_early_help", ("specialist_uptake",
                                                "FWD substance misuse service"),
                           ("referrals", ""), "Youth early help: substance misuse service "
                           "uptake (%)"),
    "yeh_send_pct": ("youth_early_help", ("vulnerabilities", "SEND"), ("referrals", ""),
                     "Youth early help: SEND (%)"),
    "yeh_mental_health_pct": ("youth_early_help", ("vulnerabilities", "Mental health"),
                              ("referrals", ""), "Youth early help: mental health needs (%)"),
    "yeh_parenting_issues_pct": ("youth_early_help", ("vulnerabilities", "Parenting issues"),
                                 ("referrals", ""), "Youth early help: parenting issues (%)"),
    "yeh_problematic_behaviour_pct": ("youth_early_help", ("vulnerabilities",
                                                           "Problematic behaviour"),
                                      ("referrals", ""),
                                      "Youth early help: problematic behaviour (%)"),
    "yeh_children_missing_education_pct": ("youth_early_help",
                                           ("vulnerabilities", "Children missing education"),
                                           ("referrals", ""),
                                           "Youth early help: children missing education (%)"),
    "engage_camden_in_education_pct": ("engage", ("local_children_by_status", "In education"),
                                       ("local_children", ""),
                                       "ENGAGE local children in education (%)"),
    "engage_camden_neet_pct": ("engage", ("local_children_by_status", "NEET"),
                               ("local_children", ""), "ENGAGE local children NEET (%)"),
    "engage_camden_not_open_to_services_pct": ("engage", ("local_not_open_to_services", ""),
                                               ("local_children", ""),
                                               "ENGAGE local children not open to services "
                                               "(%)"),
    "engage_reoffended_within_12m_pct": ("engage", ("reoffended_12m", ""), ("children", ""),
                                         "ENGAGE cohort reoffending within 12 months (%)"),
    "fwd_workshop_satisfied_pct": ("substance_misuse", ("workshop_satisfied", ""),
                                   ("workshop_attendees", ""),
                                   "Substance misuse workshops: satisfied (%)"),
    "tier3_cannabis_pct": ("substance_misuse", ("tier3_substance", "Cannabis"),
                           ("tier3_young_people", ""), "Tier 3 cohort using cannabis (%)"),
    "tier3_alcohol_pct": ("substance_misuse", ("tier3_substance", "Alcohol"),
                          ("tier3_young_people", ""), "Tier 3 cohort using alcohol (%)"),
    "tier3_substance_use_reduction_pct": ("substance_misuse", ("tier3_reduced_use", ""),
                                          ("tier3_exits", ""),
                                          "Tier 3 leavers who reduced their use (%)"),
    "asylum_children_in_school_or_nursery_pct": ("asylum_support",
                                                 ("children_in_school_or_nursery", ""),
                                                 ("children", ""),
                                                 "Asylum-seeking families' children in "
                                                 "school or nursery (%)"),
    "income_share_local_authority_pct": ("finance", ("income", "Local authority"),
                                         ("income", ""), "Share of income: local authority "
                                         "(%)"),
    "income_share_icb_pct": ("finance", ("income", "Integrated care board"), ("income", ""),
                             "Share of income: integrated care board (%)"),
    "income_share_police_pct": ("finance", ("income", "Police"), ("income", ""),
                                "Share of income: police (%)"),
}

# indicator: (table, measure, breakdown, name)
RATINGS: dict[str, tuple[str, str, str, str]] = {
    "ofsted_ilacs_impact_of_leaders": ("inspection_ratings", "ofsted_ilacs",
                                       "Impact of leaders", "Ofsted ILACS: impact of leaders"),
    "ofsted_ilacs_help_and_protection": ("inspection_ratings", "ofsted_ilacs",
                                         "Help and protection",
                                         "Ofsted ILACS: help and protection"),
    "ofsted_ilacs_children_in_care": ("inspection_ratings", "ofsted_ilacs", "Children in care",
                                      "Ofsted ILACS: children in care"),
    "ofsted_ilacs_care_leavers": ("inspection_ratings", "ofsted_ilacs", "Care leavers",
                                  "Ofsted ILACS: care leavers"),
    "ofsted_ilacs_overall_effectiveness": ("inspection_ratings", "ofsted_ilacs",
                                           "Overall effectiveness",
                                           "Ofsted ILACS: overall effectiveness"),
    "ofsted_childrens_services_rating": ("inspection_ratings", "ofsted_ilacs",
                                         "Overall effectiveness",
                                         "Children's services Ofsted rating"),
    "hmip_yjs_overall_rating": ("inspection_ratings", "hmip_youth_justice", "",
                                "Youth justice service HMIP rating"),
    "hmip_youth_justice_rating": ("inspection_ratings", "hmip_youth_justice", "",
                                  "Youth justice service HMIP rating (foreword)"),
    "hmip_yjs_rating": ("inspection_ratings", "hmip_youth_justice", "",
                        "Youth justice service HMIP rating (serious youth violence)"),
    "cqc_adult_social_care_overall_rating": ("inspection_ratings", "cqc_adult_social_care", "",
                                             "Adult social care CQC rating"),
    "cqc_adult_social_care_rating": ("inspection_ratings", "cqc_adult_social_care", "",
                                     "Adult social care CQC rating (foreword)"),
}
TRUST_MEASURES = {
    "cqc_rating_uclh": "University College London Hospitals NHS Foundation Trust",
    "cqc_rating_royal_free": "Royal Free London NHS Foundation Trust",
    "cqc_rating_gosh": "Great Ormond Street Hospital for Children NHS Foundation Trust",
    "cqc_rating_camden_islington_ft": "Camden and Islington NHS Foundation Trust",
    "cqc_rating_tavistock_portman": "Tavistock and Portman NHS Foundation Trust",
    "cqc_rating_cnwl": "Central and North West London NHS Foundation Trust",
}
for _indicator, _trust in TRUST_MEASURES.items():
    RATINGS[_indicator] = ("inspection_ratings", "cqc_trust", _trust, f"CQC rating: {_trust}")
RATINGS["cqc_rating_rfl_childrens_services"] = (
    "inspection_ratings", "cqc_trust_service",
    "Royal Free London NHS Foundation Trust: children's services",
    "CQC rating: Royal Free children's services")
RATINGS["cqc_rating_rfl_maternity_surgical_targeted"] = (
    "inspection_ratings", "cqc_trust_service",
    "Royal Free London NHS Foundation Trust: maternity and surgery (targeted)",
    "CQC rating: Royal Free targeted maternity and surgical inspections")


def _basis(table: str) -> str:
    return f"Partner return {table}.csv ({sp.DESCRIPTIONS[table]})"


for _indicator, (_table, _code, _breakdown, _name) in COUNTS.items():
    _register(_indicator, _count(_table, _code, _breakdown), _name,
              _meaning(_table, _code, _breakdown), basis=_basis(_table))

for _indicator, (_table, _code, _breakdown, _name) in STATED.items():
    _register(_indicator, _stated(_table, _code, _breakdown), _name,
              _meaning(_table, _code, _breakdown), basis=_basis(_table) + " as published")

for _indicator, (_table, _num, _den, _name) in SHARES.items():
    _register(_indicator, _share(_table, _num, _den), _name, _meaning(_table, *_num),
              _meaning(_table, *_den), basis=_basis(_table))

for _indicator, (_table, _code, _breakdown, _name) in RATINGS.items():
    _register(_indicator, _rating(_table, _code, _breakdown), _name,
              f"latest grade: {_meaning(_table, _code, _breakdown)}", basis=_basis(_table))


# --------------------------------------------------------------------------- special cases
def _provider_share(code: str) -> Compute:
    return lambda d: good_or_outstanding_pct(d.current("provider_ratings"), code)


for _indicator, _code in (("early_years_good_or_outstanding_pct", "early_years_settings"),
                          ("early_years_settings_good_or_outstanding_pct",
                           "early_years_settings"),
                          ("mainstream_schools_good_or_outstanding_pct", "mainstream_schools"),
                          ("schools_good_or_outstanding_pct", "mainstream_schools")):
    _register(_indicator, _provider_share(_code),
              f"{_meaning('provider_ratings', _code).split(' by ')[0].capitalize()} graded "
              "Good or Outstanding (%)",
              "providers whose latest grade is Good or Outstanding", "providers graded",
              _basis("provider_ratings"))


def children_total(d: ReportData) -> int:
    return int(d.current("population")["population"].sum())


_register("children_total", children_total, "Children aged 0-17",
          "children aged 0-17 (sum of the population table)",
          basis="ONS mid-year estimate in population.csv, the denominator of every rate")


def children_share_of_population(d: ReportData) -> float:
    return children_total(d) / figure(d.current("borough_profile"), "population_total")


_register("children_share_of_population", children_share_of_population,
          "Children as a share of residents (ratio)", "children aged 0-17",
          "residents of all ages", "population.csv and borough_profile.csv")


def children_in_poverty_ahc_share(d: ReportData) -> float:
    return figure(d.current("borough_profile"), "children_in_poverty_ahc_pct") / 100


_register("children_in_poverty_ahc_share", children_in_poverty_ahc_share,
          "Children in poverty after housing costs (ratio)",
          _meaning("borough_profile", "children_in_poverty_ahc_pct"), "all children",
          _basis("borough_profile"))


def secondary_pupils_missing_over_10pct_sessions_share(d: ReportData) -> float:
    pa = figure(d.current("education_inclusion"), "persistent_absence_secondary_pct")
    return one_in_n(pa / 100)


_register("secondary_pupils_missing_over_10pct_sessions_share",
          secondary_pupils_missing_over_10pct_sessions_share,
          "Secondary pupils persistently absent, as '1 in N'",
          "secondary pupils missing 10% or more of sessions", "secondary pupils",
          "Persistent absence (DfE); worded as the nearest '1 in N' (26.5% is 1 in 4)")


def _one_in_n_deaths(code: str, breakdown: str) -> Compute:
    def compute(d: ReportData) -> float:
        deaths = d.current("child_deaths")
        return one_in_n(figure(deaths, code, breakdown) / figure(deaths, "deaths_notified"))

    return compute


_register("deaths_first_27_days_share", _one_in_n_deaths("deaths_by_age", "0-27 days"),
          "Child deaths in the first 27 days of life, as '1 in N'",
          _meaning("child_deaths", "deaths_by_age", "0-27 days"),
          _meaning("child_deaths", "deaths_notified"),
          _basis("child_deaths") + "; worded as the nearest '1 in N'")
_register("deaths_in_20pct_most_deprived_share",
          _one_in_n_deaths("deaths_by_deprivation", "Most deprived 20%"),
          "Child deaths in the 20% most deprived areas, as '1 in N'",
          _meaning("child_deaths", "deaths_by_deprivation", "Most deprived 20%"),
          _meaning("child_deaths", "deaths_notified"),
          _basis("child_deaths") + "; worded as the nearest '1 in N'")


def send_minoritised_ethnic_pct(d: ReportData) -> float:
    frame = d.current("send")
    groups = parts(frame, "send_ethnicity").astype(float)
    minoritised = groups.drop(labels=[g for g in MAJORITY_GROUPS if g in groups.index]).sum()
    return percent(float(minoritised), figure(frame, "send_cyp"))


_register("send_minoritised_ethnic_pct", send_minoritised_ethnic_pct,
          "SEND from minoritised ethnic groups (%)",
          "children and young people with SEND in any ethnic group but White British "
          "(not known excluded)", _meaning("send", "send_cyp"), _basis("send"))


def disadvantage_attainment_gap_vs_london_england(d: ReportData) -> str:
    return disadvantage_gap_vs(d.current("education_outcomes"))


_register("disadvantage_attainment_gap_vs_london_england",
          disadvantage_attainment_gap_vs_london_england,
          "Disadvantage gap compared with London and England",
          "local disadvantage gap at EYFS, KS2 and KS4",
          "the London and England gaps at the same stages",
          "DfE disadvantage gap index; 'narrower' only if narrower at every stage")


def attainment_vs_national(d: ReportData) -> str:
    return attainment_vs(d.current("education_outcomes"))


_register("attainment_vs_national", attainment_vs_national,
          "Attainment compared with England", "local KS2 expected standard and Attainment 8",
          "England values", "DfE; 'better' only if above England at both stages")



def folder(table: pd.DataFrame, year: str, name: str) -> pd.DataFrame:
    """One report year's rows of a stacked return; a clear error if that year has none."""
    rows = table[table["period"] == year]
    if rows.empty:
        raise LookupError(f"no {name} return for {year} to compare with")
    return rows


def marac_cases_with_child_change_pct(d: ReportData) -> float:
    """This year's return against last year's: both folders' rows, one definition."""
    table = d.table("domestic_abuse")
    now = figure(folder(table, d.year, "domestic_abuse"), "marac_cases_with_child")
    before = figure(folder(table, previous_year(d.year), "domestic_abuse"), "marac_cases_with_child")
    return relative_change_pct(now, before)


_register("marac_cases_with_child_change_pct", marac_cases_with_child_change_pct,
          "Change in MARAC cases with a child in the household (%)",
          "this year's cases minus last year's", "last year's cases (previous year's return)",
          _basis("domestic_abuse"))


def fwd_referrals_change_pct(d: ReportData) -> float:
    """The service's stated change; computed from the two years' returns if not stated."""
    current = d.current("substance_misuse")
    if not measure_rows(current, "referrals_change_pct").empty:
        return figure(current, "referrals_change_pct")
    before = folder(d.table("substance_misuse"), previous_year(d.year), "substance_misuse")
    return relative_change_pct(figure(current, "referrals"), figure(before, "referrals"))


_register("fwd_referrals_change_pct", fwd_referrals_change_pct,
          "Change in substance misuse referrals (%)",
          "the change the service states; otherwise this year's referrals minus last year's",
          "last year's referrals", _basis("substance_misuse")
          + "; the 2024-25 return states +24.7%, while 306 against 245 is +24.9%")


def knife_crime_victims_aged_10_24(d: ReportData) -> int:
    return int(latest_calendar_year_total(d.current("knife_crime")))


_register("knife_crime_victims_aged_10_24", knife_crime_victims_aged_10_24,
          "Knife crime with injury victims aged 10-24 (latest calendar year)",
          "monthly victims summed over the latest calendar year in the return",
          basis=_basis("knife_crime"))


def web_avg_pages_per_visit(d: ReportData) -> float:
    web = d.current("website")
    return figure(web, "page_views") / figure(web, "visits")


_register("web_avg_pages_per_visit", web_avg_pages_per_visit, "Pages viewed per visit",
          "page views", "visits", _basis("website"))


def web_global_reach_pct(d: ReportData) -> float:
    web = d.current("website")
    countries = parts(web, "visitors_by_country").astype(float)
    abroad = float(countries.drop(labels=[HOME_COUNTRY], errors="ignore").sum())
    return percent(abroad, figure(web, "unique_visitors"))


_register("web_global_reach_pct", web_global_reach_pct, "Website visitors from abroad (%)",
          f"unique visitors from outside the {HOME_COUNTRY}", "unique visitors",
          _basis("website"))


NRM_REPORT_NAMES = {"Criminal exploitation": "CCE", "Forced labour": "forced labour",
                    "Sexual exploitation": "CSE"}


def nrm_types_rank_order(d: ReportData) -> str:
    frame = d.current("nrm")
    top = ranked(frame, "nrm_by_type", 3)
    shares = [percent(figure(frame, "nrm_by_type", t), figure(frame, "nrm_referrals"))
              for t in top]
    return rank_order([NRM_REPORT_NAMES.get(t, t) for t in top], shares)


_register("nrm_types_rank_order", nrm_types_rank_order, "NRM referral types, most common first",
          "NRM referrals by type", "NRM referrals", _basis("nrm"))


def fwd_top_referrers(d: ReportData) -> str:
    return "; ".join(ranked(d.current("substance_misuse"), "referrals_by_source", 3))


_register("fwd_top_referrers", fwd_top_referrers, "Top three referrers to the substance "
          "misuse service", "new referrals by referrer", basis=_basis("substance_misuse"))


def ehe_numbers_trend(d: ReportData) -> str:
    table = d.table("education_inclusion")
    values = [figure(rows, "ehe_register") for _, rows in table.groupby("period", sort=True)]
    return trend_word(values)


_register("ehe_numbers_trend", ehe_numbers_trend, "Trend in the EHE register",
          "children on the register at the end of each academic year, over the report years",
          basis=_basis("education_inclusion"))


# Membership: seats (rows of the published table) and people per group.
MEMBER_MEASURES: dict[str, tuple[str | None, str]] = {
    "members_lead_safeguarding_partner_reps": ("lead", "rows"),
    "members_delegated_partners_and_designates": ("delegated", "rows"),
    "members_camden_la_departments": ("la_departments", "rows"),
    "members_camden_health_trusts_services": ("health", "rows"),
    "members_schools": ("schools", "rows"),
    "members_national_probation_service": ("probation", "rows"),
    "members_independent_scrutiny_rows": ("independent", "rows"),
    "members_independent_scrutiny_people": ("independent", "people"),
    "members_total_rows": (None, "rows"),
    "members_total_people": (None, "people"),
}


def _members(group: str | None, column: str) -> Compute:
    def compute(d: ReportData) -> int:
        summary = membership_summary(d.current("membership"))
        if group is not None:
            summary = summary[summary["member_group"] == group]
        return int(summary[column].sum())

    return compute


for _indicator, (_group, _column) in MEMBER_MEASURES.items():
    _label = sp.MEMBER_GROUPS[_group] if _group else "All groups"
    _what = "seats listed" if _column == "rows" else "people (a seat may hold several)"
    _register(_indicator, _members(_group, _column), f"Partnership members: {_label} "
              f"({_what})", f"{_what} in membership.csv", basis="membership.csv")


# ---- added for chapter 07
from collections.abc import Callable  # noqa: E402 - kept inside this block

from helpers.indicators.base import NotAvailable  # noqa: E402


def figure_period_of(frame: pd.DataFrame, code: str, breakdown: str = "") -> str:
    """The period a return gives one of its figures ("as of January 2024"), as printed."""
    rows = measure_rows(frame, code)
    rows = rows[rows["breakdown"] == breakdown]
    if rows.empty:
        raise LookupError(f"no row for measure {code!r} with breakdown {breakdown!r}")
    return str(rows["figure_period"].iloc[0])


# The England figures the education return carries beside the area's own.
for _indicator, _code in (("persistent_absence_primary_england_pct", "persistent_absence_primary_pct"),
                          ("persistent_absence_secondary_england_pct",
                           "persistent_absence_secondary_pct"),
                          ("suspension_rate_primary_england", "suspension_rate_primary"),
                          ("suspension_rate_secondary_england", "suspension_rate_secondary")):
    _register(_indicator, _stated("education_inclusion", _code, "England"),
              f"England comparator of {_code}", f"{_code} (England row)")


def send_placements(send: pd.DataFrame) -> pd.DataFrame:
    """Children and young people with SEND by educational placement, per report year."""
    out = breakdown_shares(send, "send_placement", "send_cyp").rename(
        columns={"breakdown": "placement", "value": "count"})
    out["denominator"] = out.groupby("period")["count"].transform("sum")
    return out


def plan_actions(trackers: pd.DataFrame, plan: str) -> pd.DataFrame:
    """One action plan's actions (area, action, status, review date), in the return's order."""
    rows = trackers[trackers["plan"] == plan]
    return rows[["period", "area", "action", "status", "review_date"]].reset_index(drop=True)


def _actions(plan: str) -> Callable[[ReportData], pd.DataFrame]:
    def rows(d: ReportData) -> pd.DataFrame:
        found = plan_actions(d.current("action_trackers"), plan)
        if found.empty:
            raise NotAvailable(f"no actions of the {plan} plan this year")
        return found

    return rows


def _action_count(plan: str, doc: str) -> Compute:
    def count(d: ReportData) -> int:
        return len(_actions(plan)(d))

    count.__doc__ = doc
    return count


def _area_count(plan: str, doc: str) -> Compute:
    def count(d: ReportData) -> int:
        return int(_actions(plan)(d)["area"].nunique())

    count.__doc__ = doc
    return count


def _on_track(plan: str, doc: str) -> Compute:
    def share(d: ReportData) -> float:
        rows = _actions(plan)(d)
        return float(rows["status"].isin(["Green", "Complete"]).mean() * 100)

    share.__doc__ = doc
    return share


for _plan, _name in (("csa", "child sexual abuse plan"), ("sidar", "SIDAR recommendations"),
                     ("residential", "residential settings plan")):
    measure(f"{_plan}_actions_total", people=False)(
        _action_count(_plan, f"Actions in the {_name}."))
    # Shares of actions, not of people: published as they are (no disclosure check).
    measure(f"{_plan}_actions_on_track_pct")(
        _on_track(_plan, f"Actions in the {_name} complete or on track (%)."))
measure("csa_action_plan_pillars", people=False)(
    _area_count("csa", "Pillars of the child sexual abuse plan."))
measure("sidar_recommendations_count", people=False)(
    _area_count("sidar", "Recommendations of the domestic abuse review (SIDAR)."))
measure("residential_action_plan_areas", people=False)(
    _area_count("residential", "Areas of the residential settings action plan."))


def plan_actions_for(plan: str) -> Callable[[ReportData], pd.DataFrame]:
    """The report year's actions of one plan, for a chapter's tracker (empty if none)."""
    def rows(d: ReportData) -> pd.DataFrame:
        try:
            return _actions(plan)(d)
        except (NotAvailable, FileNotFoundError):
            return pd.DataFrame(columns=["area", "action", "status", "review_date"])

    return rows

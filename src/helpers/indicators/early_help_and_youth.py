"""Partner figures: family group conferences, youth early help, the ENGAGE youth diversion
scheme and the young people's substance misuse service (FWD)."""

from __future__ import annotations

from helpers.config import previous_year
from helpers.data.loading import ReportData
from helpers.indicators.base import Definition
from helpers.indicators.partner_returns import (
    Figures,
    Shares,
    basis,
    figure,
    folder,
    meaning,
    ranked,
    register,
    register_tables,
    relative_change_pct,
    stated,
)

DEFINITIONS: dict[str, Definition] = {}


COMPARATORS: dict[str, tuple[str, str, str]] = {
    "tier3_substance_use_reduction_pct": ("substance_misuse", "reduced_use_national_pct", ""),
    "tier3_satisfaction_score_exit": ("substance_misuse", "tier3_satisfaction",
                                      "treatment start"),
}


COUNTS: Figures = {
    "fgc_referrals": ("family_group_conferences", "fgc_referrals", "",
                      "Referrals to family group conferences"),
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
}


STATED: Figures = {
    "tier3_satisfaction_score_exit": ("substance_misuse", "tier3_satisfaction",
                                      "treatment exit",
                                      "Satisfaction score at treatment exit (0-10)"),
}


SHARES: Shares = {
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
}


register_tables(DEFINITIONS, counts=COUNTS, stated_figures=STATED, shares=SHARES, comparators=COMPARATORS)


def fwd_referrals_change_pct(d: ReportData) -> float:
    """This year's new referrals against last year's, both from the service's returns.

    Computed from the two counts, never read from a stated change: a change the service
    states (``referrals_change_pct``) is a typed number the pack cannot check, so it is
    ignored here (the calibration compares the published change with this one).
    """
    current = d.current("substance_misuse")
    before = folder(d.table("substance_misuse"), previous_year(d.year), "substance_misuse")
    return relative_change_pct(figure(current, "referrals"), figure(before, "referrals"))


register(DEFINITIONS, "fwd_referrals_change_pct", fwd_referrals_change_pct,
         "Change in substance misuse referrals (%)",
         "this year's new referrals minus last year's (each year's own return)",
         "last year's new referrals", basis("substance_misuse")
         + "; no whole counts give the report's +24.7% with its 306 referrals (306/245 is "
         "+24.9%), so the computed change differs from the published one")


def fwd_top_referrers(d: ReportData) -> str:
    return "; ".join(ranked(d.current("substance_misuse"), "referrals_by_source", 3))


register(DEFINITIONS, "fwd_top_referrers", fwd_top_referrers, "Top three referrers to the substance "
          "misuse service", "new referrals by referrer", basis=basis("substance_misuse"))


register(DEFINITIONS, "tier3_satisfaction_score_start",
         stated("substance_misuse", "tier3_satisfaction", "treatment start"),
         "Satisfaction score at treatment start (0-10)",
         meaning("substance_misuse", "tier3_satisfaction", "treatment start"),
         basis=basis("substance_misuse") + " as published")
register(DEFINITIONS, "tier3_substance_use_reduction_national_pct",
         stated("substance_misuse", "reduced_use_national_pct"),
         "Young people in treatment nationally who reduced their use (%)",
         meaning("substance_misuse", "reduced_use_national_pct"),
         basis=basis("substance_misuse") + " as published (national statistics)")

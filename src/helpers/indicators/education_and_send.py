"""Partner figures: education (attainment, absence, exclusions, children missing education,
elective home education, Ofsted grades of providers) and SEND.

National comparisons ('narrower', 'better') are words computed from the local and national
figures of the return, only when they hold at every stage compared.
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from helpers.data.loading import ReportData
from helpers.indicators.base import Compute, Definition
from helpers.indicators.partner_returns import (
    Figures,
    Shares,
    basis,
    breakdown_shares,
    figure,
    meaning,
    one_in_n,
    parts,
    percent,
    position,
    register,
    register_tables,
    stated,
    trend_word,
)

DEFINITIONS: dict[str, Definition] = {}


MAJORITY_GROUPS = ("White British", "Not known")


"""SEND ethnic groups that are not minoritised groups ('Not known' is neither)."""


def good_or_outstanding_pct(frame: pd.DataFrame, code: str) -> float:
    """Providers graded Good or Outstanding as a share of all providers graded."""
    grades = parts(frame, code).astype(float)
    return percent(float(grades.reindex(["Outstanding", "Good"]).fillna(0).sum()),
                   float(grades.sum()))


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


COMPARATORS: dict[str, tuple[str, str, str]] = {
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
}


COUNTS: Figures = {
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
}


STATED: Figures = {
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
}


SHARES: Shares = {
    "cme_closed_within_6_weeks_pct": ("education_inclusion", ("cme_closed_within_6_weeks", ""),
                                      ("cme_identified", ""),
                                      "Children missing education: closed within 6 weeks (%)"),
    "send_autism_primary_need_pct": ("send", ("send_primary_need",
                                              "Autistic spectrum disorder"), ("send_cyp", ""),
                                     "SEND with autism as primary need (%)"),
}


register_tables(DEFINITIONS, counts=COUNTS, stated_figures=STATED, shares=SHARES, comparators=COMPARATORS)


def _provider_share(code: str) -> Compute:
    return lambda d: good_or_outstanding_pct(d.current("provider_ratings"), code)


for _indicator, _code in (("early_years_good_or_outstanding_pct", "early_years_settings"),
                          ("early_years_settings_good_or_outstanding_pct",
                           "early_years_settings"),
                          ("mainstream_schools_good_or_outstanding_pct", "mainstream_schools"),
                          ("schools_good_or_outstanding_pct", "mainstream_schools")):
    register(DEFINITIONS, _indicator, _provider_share(_code),
              f"{meaning('provider_ratings', _code).split(' by ')[0].capitalize()} graded "
              "Good or Outstanding (%)",
              "providers whose latest grade is Good or Outstanding", "providers graded",
              basis("provider_ratings"))


def secondary_pupils_missing_over_10pct_sessions_share(d: ReportData) -> float:
    pa = figure(d.current("education_inclusion"), "persistent_absence_secondary_pct")
    return one_in_n(pa / 100)


register(DEFINITIONS, "secondary_pupils_missing_over_10pct_sessions_share",
          secondary_pupils_missing_over_10pct_sessions_share,
          "Secondary pupils persistently absent, as '1 in N'",
          "secondary pupils missing 10% or more of sessions", "secondary pupils",
          "Persistent absence (DfE); worded as the nearest '1 in N' (26.5% is 1 in 4)")


def send_minoritised_ethnic_pct(d: ReportData) -> float:
    frame = d.current("send")
    groups = parts(frame, "send_ethnicity").astype(float)
    minoritised = groups.drop(labels=[g for g in MAJORITY_GROUPS if g in groups.index]).sum()
    return percent(float(minoritised), figure(frame, "send_cyp"))


register(DEFINITIONS, "send_minoritised_ethnic_pct", send_minoritised_ethnic_pct,
          "SEND from minoritised ethnic groups (%)",
          "children and young people with SEND in any ethnic group but White British "
          "(not known excluded)", meaning("send", "send_cyp"), basis("send"))


def disadvantage_attainment_gap_vs_london_england(d: ReportData) -> str:
    return disadvantage_gap_vs(d.current("education_outcomes"))


register(DEFINITIONS, "disadvantage_attainment_gap_vs_london_england",
          disadvantage_attainment_gap_vs_london_england,
          "Disadvantage gap compared with London and England",
          "local disadvantage gap at EYFS, KS2 and KS4",
          "the London and England gaps at the same stages",
          "DfE disadvantage gap index; 'narrower' only if narrower at every stage")


def attainment_vs_national(d: ReportData) -> str:
    return attainment_vs(d.current("education_outcomes"))


register(DEFINITIONS, "attainment_vs_national", attainment_vs_national,
          "Attainment compared with England", "local KS2 expected standard and Attainment 8",
          "England values", "DfE; 'better' only if above England at both stages")


def ehe_numbers_trend(d: ReportData) -> str:
    table = d.table("education_inclusion")
    values = [figure(rows, "ehe_register") for _, rows in table.groupby("period", sort=True)]
    return trend_word(values)


register(DEFINITIONS, "ehe_numbers_trend", ehe_numbers_trend, "Trend in the EHE register",
          "children on the register at the end of each academic year, over the report years",
          basis=basis("education_inclusion"))


# ---- added for chapter 07
# The England figures the education return carries beside the area's own, stated as such.
for _indicator, _code in (("persistent_absence_primary_england_pct", "persistent_absence_primary_pct"),
                          ("persistent_absence_secondary_england_pct",
                           "persistent_absence_secondary_pct"),
                          ("suspension_rate_primary_england", "suspension_rate_primary"),
                          ("suspension_rate_secondary_england", "suspension_rate_secondary")):
    register(DEFINITIONS, _indicator, stated("education_inclusion", _code, "England"),
             f"England comparator of {_code}", meaning("education_inclusion", _code, "England"),
             basis=basis("education_inclusion") + " as published")


def send_placements(send: pd.DataFrame) -> pd.DataFrame:
    """Children and young people with SEND by educational placement, per report year."""
    out = breakdown_shares(send, "send_placement", "send_cyp").rename(
        columns={"breakdown": "placement", "value": "count"})
    out["denominator"] = out.groupby("period")["count"].transform("sum")
    return out

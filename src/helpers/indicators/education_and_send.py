"""Partner figures: education (attainment, absence, exclusions, children missing education,
elective home education, Ofsted grades of providers) and SEND.

National comparisons ('narrower', 'better') are words computed from the local and national
figures of the return, only when they hold at every stage compared.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import ROUND_HALF_UP, Decimal

import pandas as pd

from helpers.data.loading import ReportData
from helpers.indicators.base import Compute, Definition
from helpers.indicators.partner_returns import (
    SHOWN_AS,
    SOURCE_ROWS,
    Figures,
    Shares,
    basis,
    breakdown_shares,
    count_of,
    figure,
    meaning,
    one_in_n,
    parts,
    percent,
    position,
    register,
    register_tables,
    share_of,
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


# ---- added for chapter 07 (sections 7.10, 7.12 and 7.13)
# Safeguarding in schools (the school improvement service's return), the Inspiring Inclusion
# mentoring programme and EHC plan timeliness. Schools are not people, so counts of schools
# are never suppressed; pupils and children are.
register_tables(DEFINITIONS, counts={
    "inspiring_inclusion_pupils_mentored": ("education_inclusion", "inspiring_inclusion_mentored",
                                            "", "Pupils mentored by Inspiring Inclusion"),
    "inspiring_inclusion_engaged_workshops_more_than": (
        "education_inclusion", "inspiring_inclusion_engaged", "",
        "Pupils reached by Inspiring Inclusion workshops and careers events (stated as a "
        "lower bound)"),
    "ehcps_issued": ("send", "ehcps_issued", "", "New EHC plans issued"),
})
register(DEFINITIONS, "camden_learning_safeguarding_reviews_schools",
         count_of("school_safeguarding", "safeguarding_reviews"),
         "Schools given a safeguarding review by the school improvement service",
         meaning("school_safeguarding", "safeguarding_reviews"),
         basis=basis("school_safeguarding"), people=False)
for _indicator, _num, _den, _name in (
        ("schools_safeguarding_effective_pct", "schools_assessed_effective", "schools_assessed",
         "Schools whose safeguarding was assessed effective (%)"),
        ("inspected_schools_good_or_outstanding_pct", "schools_inspected_good_or_outstanding",
         "schools_inspected", "Schools inspected in the year judged Good or Outstanding (%)"),
        ("section11_audit_returned_pct", "section11_audit_schools_returned",
         "section11_audit_schools_asked", "Schools returning the section 11 school audit (%)")):
    SOURCE_ROWS[_indicator] = ("school_safeguarding", _num, "")
    register(DEFINITIONS, _indicator, share_of("school_safeguarding", (_num, ""), (_den, "")),
             _name, meaning("school_safeguarding", _num), meaning("school_safeguarding", _den),
             basis("school_safeguarding"))


def typical_attendance(school_safeguarding: pd.DataFrame) -> int:
    """The forum's typical attendance: the mean over the year's meetings, to a whole person."""
    meetings = parts(school_safeguarding, "dsl_forum_attendance").astype(float)
    if meetings.empty:
        raise LookupError("no forum meetings in the return")
    return int(Decimal(str(float(meetings.mean()))).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def dsl_forum_typical_attendance(d: ReportData) -> int:
    return typical_attendance(d.current("school_safeguarding"))


SOURCE_ROWS["dsl_forum_typical_attendance"] = ("school_safeguarding", "dsl_forum_attendance", "")
register(DEFINITIONS, "dsl_forum_typical_attendance", dsl_forum_typical_attendance,
         "Typical attendance at the designated safeguarding leads' forum",
         "school representatives at the year's forum meetings, averaged over the meetings",
         "meetings of the forum in the year", basis("school_safeguarding"), people=False)


def two_figure_floor(count: float) -> int:
    """The round number a count is 'more than' to two significant figures: the largest
    number of two significant figures strictly below it (1,137 -> 1,100; 1,100 -> 1,000).

    A report states a large count as "more than 1,100"; the bound is worked out from the
    partner's count, never typed.
    """
    number = int(count)
    if number <= 1:
        return 0
    step = 10 ** max(0, len(str(number - 1)) - 2)
    return (number - 1) // step * step


def inspiring_inclusion_engaged_bound(d: ReportData) -> int:
    return two_figure_floor(figure(d.current("education_inclusion"), "inspiring_inclusion_engaged"))


SOURCE_ROWS["inspiring_inclusion_engaged_bound"] = ("education_inclusion",
                                                    "inspiring_inclusion_engaged", "")
register(DEFINITIONS, "inspiring_inclusion_engaged_bound", inspiring_inclusion_engaged_bound,
         "Pupils reached by Inspiring Inclusion workshops: the round number stated ('more than')",
         meaning("education_inclusion", "inspiring_inclusion_engaged"),
         basis=basis("education_inclusion") + "; the largest two-significant-figure number "
         "below the count")

# A share of children: stated with its denominator, so a share of few plans is hidden.
SOURCE_ROWS["ehcps_issued_within_20_weeks_pct"] = ("send", "ehcps_issued_within_20_weeks", "")
SHOWN_AS["ehcps_issued_within_20_weeks_pct"] = {"denominator": "ehcps_issued"}
register(DEFINITIONS, "ehcps_issued_within_20_weeks_pct",
         share_of("send", ("ehcps_issued_within_20_weeks", ""), ("ehcps_issued", "")),
         "New EHC plans issued within 20 weeks (%)", meaning("send", "ehcps_issued_within_20_weeks"),
         meaning("send", "ehcps_issued"), basis("send"))

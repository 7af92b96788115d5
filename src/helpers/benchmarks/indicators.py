"""Which published figure each benchmark indicator is, and in which file DfE publishes it.

One definition per indicator: the importer, the benchmark rows and the "How we compare"
chapter all read the figure through the entry here, so a rate per 10,000 is always the
same count over the same population. Where the 2025-format EES files carry counts only,
the rate is the count over ONS's 0-17 mid-year estimate of the previous mid-year (as DfE
divides: mid-2024 for 2024-25), per 10,000, to one decimal place as DfE shows it.
``lait`` names the LAIT measure that fills years the EES file does not hold (LAIT
publishes the same statistics from 2016).
"""

from __future__ import annotations

from dataclasses import dataclass

POPULATION = "population"


@dataclass(frozen=True)
class Indicator:
    """A published figure: its code in the benchmarks table, words, unit and source.

    ``file`` is the start of the EES file name (``c1_children_in_need_referrals``);
    ``column`` the value column, or with ``per`` the numerator: ``per="population"``
    makes a rate per 10,000 children, ``per=<column>`` a percentage of that column.
    ``where`` picks the rows of a long file (column, value) pairs. ``unit`` is ``rate``,
    ``percent`` or ``count``; ``decimals`` how DfE shows it.
    """

    code: str
    label: str
    unit: str
    file: str | None
    column: str | None = None
    where: tuple[tuple[str, str], ...] = ()
    per: str | None = None
    lait: str | None = None
    decimals: int = 1
    topic: str = ""

    @property
    def short(self) -> str:
        """The label with a capital letter, for chart titles."""
        return self.label[:1].upper() + self.label[1:]


C1 = "c1_children_in_need_referrals_and_rereferrals"
B1 = "b1_children_in_need"
C3 = "c3_factors_identified_at_end_of_assessment"
C4 = "c4_children_in_need_section_47s_and_icpcs"
D3 = "d3_cpps_subsequent_plan"
D5 = "d5_cpps_at31march_by_duration"
CLA = "cla_number_and_rate_per_10k_children"
STABILITY = "la_cla_placement_stability"
IN_TOUCH = "la_care_leavers_intouch"
ACTIVITY = "la_care_leavers_activity"
ACCOMMODATION = "la_care_leavers_accommodation_suitability"
MISSING = "la_children_who_were_missing_or_away_from_placement_without_authorisation"

INDICATORS: tuple[Indicator, ...] = (
    Indicator("referrals_total", "referrals to children's social care", "count", C1,
              "referral_count", lait="CPP_Total_NumRef", decimals=0, topic="front_door"),
    Indicator("referral_rate_per_10k", "referrals per 10,000 children", "rate", C1,
              "referral_count", per=POPULATION, lait="CPP_Total_Rateper10,000",
              topic="front_door"),
    Indicator("re_referral_rate", "re-referrals within 12 months (% of referrals)", "percent",
              C1, "rereferral_percent", topic="front_door"),
    Indicator("cin_total", "children in need at 31 March", "count", B1, "At31_episodes",
              decimals=0, topic="children_in_need"),
    Indicator("cin_rate_per_10k", "children in need at 31 March per 10,000 children", "rate",
              B1, "At31_episodes", per=POPULATION, lait="CIN", topic="children_in_need"),
    Indicator("assessment_domestic_abuse_parent_pct",
              "assessments recording domestic abuse involving a parent (%)", "percent", C3,
              "Domestic_Abuse_parent", per="Episodes_with_assessment_factor",
              topic="children_in_need"),
    Indicator("assessment_mental_health_parent_pct",
              "assessments recording a parent's mental health (%)", "percent", C3,
              "Mental_Health_parent", per="Episodes_with_assessment_factor",
              topic="children_in_need"),
    Indicator("s47_rate_per_10k", "section 47 enquiries per 10,000 children", "rate", C4,
              "Section47", per=POPULATION, topic="child_protection"),
    Indicator("icpc_rate_per_10k", "initial child protection conferences per 10,000 children",
              "rate", C4, "ICPC", per=POPULATION, lait="ISCP_Conf", topic="child_protection"),
    Indicator("cpp_rate_per_10k", "children on a child protection plan at 31 March per 10,000",
              "rate", D5, "CPP_At31", per=POPULATION, lait="CPP_rate",
              topic="child_protection"),
    Indicator("cpp_starts_rate_per_10k", "child protection plans starting per 10,000 children",
              "rate", D3, "CPP_start", per=POPULATION, lait="CPP_Abuse_Rate",
              topic="child_protection"),
    Indicator("cpp_repeat_pct", "plans that were a second or subsequent plan (%)", "percent",
              D3, "CPP_subsequent_percent", topic="child_protection"),
    Indicator("cpp_2yrs_plus_pct", "plans at 31 March lasting 2 years or more (%)", "percent",
              D5, "2_years_or_more_percent", lait="CPPlans2yrsActive",
              topic="child_protection"),
    Indicator("cla_rate_per_10k", "children looked after at 31 March per 10,000", "rate", CLA,
              "rate_per_10000",
              where=(("population_type", "Children looked after on 31 March each year"),),
              lait="LAC", decimals=0, topic="looked_after"),
    Indicator("cla_3plus_placements_pct", "looked-after children with 3 or more placements "
              "in the year (%)", "percent", STABILITY, "children_percent",
              where=(("cla_group", "CLA on 31 March"),
                     ("placement_stability", "With 3 or more placements during the year")),
              lait="LACStable_2016on", decimals=0, topic="looked_after"),
    Indicator("cla_long_term_stability_pct", "children in care 2.5 years or more with the same "
              "carer for 2 years (%)", "percent", STABILITY, "children_percent",
              where=(("cla_group", "Children looked after continuously for at least 2.5 years "
                                   "on 31 March aged under 16 years"),
                     ("placement_stability", "Living with the same carer for at least 2 years")),
              lait="LAC_LongStable%", decimals=0, topic="looked_after"),
    Indicator("cla_placed_20_miles_pct", "looked-after children placed outside the LA and more "
              "than 20 miles from home (%)", "percent", None, lait="LACDistance", decimals=0,
              topic="looked_after"),
    Indicator("care_leavers_in_touch_pct", "care leavers aged 19 to 21 the LA is in touch with "
              "(%)", "percent", IN_TOUCH, "percentage",
              where=(("age", "Aged 19 to 21"),
                     ("in_touch", "Local authority in touch with care leaver")),
              decimals=0, topic="care_leavers"),
    Indicator("care_leavers_eet_pct", "care leavers aged 19 to 21 in education, employment or "
              "training (%)", "percent", ACTIVITY, "care_leaver_percent",
              where=(("care_leaver_age", "19 to 21 years"),
                     ("breakdown", "Total in education, employment or training")),
              lait="CareLeaverEET", decimals=0, topic="care_leavers"),
    Indicator("care_leavers_suitable_accommodation_pct", "care leavers aged 19 to 21 in "
              "suitable accommodation (%)", "percent", ACCOMMODATION, "care_leaver_percent",
              where=(("care_leaver_age", "19 to 21 years"),
                     ("breakdown", "Accommodation considered suitable")),
              lait="CareLeaverAcc", decimals=0, topic="care_leavers"),
    Indicator("cla_missing_pct", "looked-after children who went missing in the year (%)",
              "percent", MISSING, "number",
              where=(("CLA_group", "Percentage of children who had a missing incident during "
                                   "the year"),),
              lait="Children_missing", decimals=0, topic="missing"),
)

BY_CODE = {i.code: i for i in INDICATORS}


def indicator(code: str) -> Indicator:
    """The indicator of a code, or a KeyError listing the known ones."""
    try:
        return BY_CODE[code]
    except KeyError:
        raise KeyError(f"no benchmark indicator {code!r}; known: {', '.join(BY_CODE)}") from None

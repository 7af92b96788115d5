"""Synthetic demo data: partner aggregates and fixed tables.

Inspections, borough profile, finance, membership and every partner return.

Called by ``helpers.demo.generator.build`` with the front door's ``DemoContext``. Partner returns
are figures partners already count, so the demo states them directly: the 2024-25 folder
holds the counts behind the reference report's figures (for example 464 MARAC cases with a
child in the household, 306 substance misuse referrals, a budget that totals 273,241), and
the earlier folders hold plausible values that follow what the report says about trends
(MARAC up from 237, EHE rising, knife crime victims well below the 2017-18 peak). Where the
report gives a percentage, the demo holds the count behind it (allocated exactly, largest
remainder) so the pack computes the percentage rather than copying it. Randomness (this
domain's own stream, ``ctx.rng(3)``) only shapes monthly series.

Each row's ``period`` is the partner's own period. For 2024-25 it is the period text the
published report gives for that figure, so a computed figure can be matched with the
published one; earlier folders carry the analogous earlier period.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import TypeVar

import numpy as np
import pandas as pd

from helpers.config import Year
from helpers.data.schema_partners import SIN_HARM_TYPES
from helpers.demo.common import YEARS, DemoContext, Stage, allocate

# Stages whose ethnic or sex mix the demo must reproduce (see demo_data.assign_by_stage).
# Partner returns carry no child-level records, so there are none.
STAGES: tuple[Stage, ...] = ()

DOMAIN = 3
PUBLISHED_YEAR = "2024-25"
"""The report year whose published report the demo reproduces (its period texts are used)."""

Row = dict[str, object]
T = TypeVar("T")


def _by_year(*values: T) -> dict[str, T]:
    """One value per demo year, oldest first."""
    if len(values) != len(YEARS):
        raise ValueError(f"expected {len(YEARS)} values, got {len(values)}")
    return dict(zip(YEARS, values, strict=True))


def _row(period: str, measure: str, value: object, breakdown: str = "") -> Row:
    return {"period": period, "measure": measure, "breakdown": breakdown, "value": value}


def _rows(period: str, measure: str, parts: Mapping[str, object]) -> list[Row]:
    return [_row(period, measure, value, breakdown) for breakdown, value in parts.items()]


def _plain(value: object) -> str:
    """A CSV cell as a person would type it: 273241, 0.52, Good (never 273241.0 or 1e+05)."""
    if isinstance(value, str):
        return value
    number = float(value)
    if number.is_integer():
        return str(int(number))
    return repr(round(number, 6))


def _frame(rows: Iterable[Row]) -> pd.DataFrame:
    frame = pd.DataFrame(list(rows), columns=["period", "measure", "breakdown", "value"])
    frame["value"] = frame["value"].map(_plain)
    return frame


def _published(label: str, published: str, otherwise: str) -> str:
    """The report's own period text for the published year, else the analogous period."""
    return published if label == PUBLISHED_YEAR else otherwise


def _academic(start: int) -> str:
    """'2023/24 academic year' for the academic year starting in September ``start``."""
    return f"{start}/{(start + 1) % 100:02d} academic year"


def _fy(start: int) -> str:
    return Year(start).label


def _with_total(total: int, parts: Mapping[str, int]) -> dict[str, int]:
    if sum(parts.values()) != total:
        raise ValueError(f"parts {dict(parts)} do not add up to {total}")
    return {"": total, **parts}


# --------------------------------------------------------------------------- inspections
ILACS_AREAS = ("Impact of leaders", "Help and protection", "Children in care", "Care leavers",
               "Overall effectiveness")
TRUSTS = ("University College London Hospitals NHS Foundation Trust",
          "Royal Free London NHS Foundation Trust",
          "Great Ormond Street Hospital for Children NHS Foundation Trust",
          "Camden and Islington NHS Foundation Trust",
          "Tavistock and Portman NHS Foundation Trust",
          "Central and North West London NHS Foundation Trust")


def inspection_ratings(label: str) -> list[Row]:
    """Inspectorate grades; 'Outstanding' across the board arrives with the 2024-25 folder."""
    latest = label == PUBLISHED_YEAR
    ilacs = ("April 2025", "Outstanding") if latest else ("previous inspection", "Good")
    hmip = ("June 2025", "Outstanding") if latest else ("previous inspection", "Good")
    cqc = ("February 2025", "Outstanding") if latest else ("not yet assessed", "Not yet assessed")
    start = Year.parse(label).start
    trust_period = _published(label, "latest", f"as at 31 March {start + 1}")
    rows = [_row(ilacs[0], "ofsted_ilacs", ilacs[1], area) for area in ILACS_AREAS]
    rows += [_row(hmip[0], "hmip_youth_justice", hmip[1]),
             _row(cqc[0], "cqc_adult_social_care", cqc[1])]
    rows += [_row(trust_period, "cqc_trust", "Good", trust) for trust in TRUSTS]
    rows += [
        _row("2016", "cqc_trust_service", "Good",
             "Royal Free London NHS Foundation Trust: children's services"),
        _row("not stated", "cqc_trust_service", "Requires improvement",
             "Royal Free London NHS Foundation Trust: maternity and surgery (targeted)"),
    ]
    return rows


# Providers by latest Ofsted grade (Outstanding, Good, Requires improvement, Inadequate).
# 2024-25: 158 of 160 early years settings (98.75%, "99%") and all 56 schools.
_EARLY_YEARS = _by_year((30, 128, 5, 1), (31, 127, 4, 1), (33, 124, 4, 0), (35, 123, 3, 0),
                        (38, 120, 2, 0))
_SCHOOLS = _by_year((20, 35, 2, 0), (21, 34, 2, 0), (22, 34, 1, 0), (23, 33, 0, 0),
                    (24, 32, 0, 0))
_GRADES = ("Outstanding", "Good", "Requires improvement", "Inadequate")


def provider_ratings(label: str) -> list[Row]:
    start = Year.parse(label).start
    period = _published(label, "latest", f"as at 31 March {start + 1}")
    rows = []
    for measure, counts in (("early_years_settings", _EARLY_YEARS[label]),
                            ("mainstream_schools", _SCHOOLS[label])):
        rows += _rows(period, measure, dict(zip(_GRADES, counts, strict=True)))
    return rows


# --------------------------------------------------------------------------- borough profile
_POPULATION = _by_year(216_400, 217_300, 218_200, 219_100, 220_000)
_POVERTY = _by_year(43.0, 42.4, 42.1, 41.6, 41.0)
_FSM = _by_year(40.1, 41.5, 42.8, 43.6, 44.2)
_FSM_LONDON = _by_year(21.6, 23.4, 25.1, 25.9, 26.6)
_FSM_ENGLAND = _by_year(20.8, 22.5, 23.8, 24.3, 25.7)
_CYPDS = _by_year(495, 510, 522, 538, 550)
_RELIGION = {"No religion": 34.2, "Christian": 31.2, "Muslim": 16.3, "Jewish": 5.3,
             "Hindu": 2.1, "Not stated": 8.6, "Other": 2.3}


def borough_profile(label: str) -> list[Row]:
    """Census-based shares do not change between folders; counts and rates drift gently."""
    period = "not stated"
    rows = [
        _row(period, "population_total", _POPULATION[label]),
        _row(period, "children_in_poverty_ahc_pct", _POVERTY[label]),
        _row(period, "children_in_poverty_ahc_pct", 33.0, "London"),
        _row(period, "children_in_poverty_ahc_pct", 30.0, "England"),
        _row(period, "pupils_fsm_eligible_pct", _FSM[label]),
        _row(period, "pupils_fsm_eligible_pct", _FSM_LONDON[label], "London"),
        _row(period, "pupils_fsm_eligible_pct", _FSM_ENGLAND[label], "England"),
        _row(period, "population_disabled_pct", 15.1),
        _row(period, "population_disabled_pct", 17.3, "England"),
        _row(period, "gender_identity_differs_pct", 0.52),
        _row(period, "non_heterosexual_pct", 16.8),
        _row(period, "cypds_supported", _CYPDS[label]),
    ]
    rows += _rows(period, "religion_pct", _RELIGION)
    rows += _rows(period, "sex_pct", {"Male": 47.2, "Female": 52.8})
    return rows


# Local, London, England. The local disadvantage gap stays narrower than both comparators at
# every stage and attainment stays above England, as the profile says.
_OUTCOMES = {
    "good_level_of_development_pct": _by_year((68.2, 67.9, 65.2), (67.5, 67.0, 65.2),
                                              (68.4, 67.8, 65.2), (69.1, 68.6, 67.2),
                                              (69.8, 69.1, 67.7)),
    "ks2_expected_standard_pct": _by_year((67, 66, 65), (64, 63, 59), (65, 64, 59),
                                          (65, 65, 60), (66, 66, 61)),
    "attainment8_score": _by_year((54.1, 52.8, 50.2), (55.0, 53.7, 50.9), (51.9, 51.2, 48.8),
                                  (50.3, 49.8, 46.3), (50.6, 49.9, 45.9)),
    "disadvantage_gap_eyfs": _by_year((13.4, 15.1, 18.9), (13.0, 15.0, 19.5),
                                      (12.8, 14.6, 19.8), (12.5, 14.3, 19.9),
                                      (12.1, 14.0, 19.2)),
    "disadvantage_gap_ks2": _by_year((2.61, 2.75, 2.91), (2.66, 2.80, 3.23), (2.70, 2.82, 3.23),
                                     (2.68, 2.80, 3.21), (2.65, 2.78, 3.21)),
    "disadvantage_gap_ks4": _by_year((3.28, 3.42, 3.66), (3.31, 3.47, 3.79), (3.38, 3.52, 3.84),
                                     (3.40, 3.55, 3.94), (3.41, 3.56, 3.94)),
    "ks4_sustained_education_pct": _by_year((93.1, 92.6, 89.4), (93.6, 92.9, 89.5),
                                            (94.0, 93.1, 89.7), (94.2, 93.0, 89.4),
                                            (94.5, 93.3, 89.6)),
}


def education_outcomes(label: str) -> list[Row]:
    period = "not stated"
    rows = []
    for measure, values in _OUTCOMES.items():
        local, london, england = values[label]
        rows += _rows(period, measure, {"": local, "London": london, "England": england})
    return rows


# --------------------------------------------------------------------------- education
# (local, England) for the academic year before the report year.
_PA_PRIMARY = _by_year((11.2, 8.9), (10.8, 8.8), (19.5, 17.7), (18.4, 16.2), (17.1, 14.8))
_PA_SECONDARY = _by_year((16.3, 13.7), (17.1, 14.8), (29.4, 27.7), (28.2, 26.5), (26.5, 25.7))
_SUSP_PRIMARY = _by_year((0.8, 1.4), (0.6, 1.1), (1.0, 1.9), (1.1, 2.4), (0.9, 2.5))
_SUSP_SECONDARY = _by_year((7.0, 9.9), (6.9, 8.3), (9.8, 13.9), (11.2, 18.9), (10.4, 21.8))
_PERM_EXCL = _by_year((1, 12), (0, 9), (0, 15), (1, 21), (0, 18))  # primary, secondary
_EHE = _by_year(190, 240, 275, 310, 350)
_CME = _by_year((121, 97), (118, 96), (135, 112), (147, 124), (152, 131))  # identified, closed


def education_inclusion(label: str) -> list[Row]:
    start = Year.parse(label).start
    year = _academic(start - 1)
    ehe_period = f"end of {year}"
    cme_period = _published(label, "academic year (2024-25 implied)", _academic(start))
    rows = []
    for measure, values in (("persistent_absence_primary_pct", _PA_PRIMARY[label]),
                            ("persistent_absence_secondary_pct", _PA_SECONDARY[label]),
                            ("suspension_rate_primary", _SUSP_PRIMARY[label]),
                            ("suspension_rate_secondary", _SUSP_SECONDARY[label])):
        local, england = values
        rows += _rows(year, measure, {"": local, "England": england})
    primary, secondary = _PERM_EXCL[label]
    identified, closed = _CME[label]
    rows += [
        _row(year, "permanent_exclusions_primary", primary),
        _row(year, "permanent_exclusions_secondary", secondary),
        _row(ehe_period, "ehe_register", _EHE[label]),
        _row(cme_period, "cme_identified", identified),
        _row(cme_period, "cme_closed_within_6_weeks", closed),
    ]
    return rows + inspiring_inclusion(label)


_SEND_TOTAL = _by_year(3420, 3580, 3760, 3905, 4057)
_SEN_STATE_FUNDED = _by_year(3390, 3560, 3770, 3950, 4109)
_AUTISM_SHARE = _by_year(0.41, 0.43, 0.44, 0.46, 0.47)
# Other primary needs share what autism leaves, in these proportions.
_OTHER_NEEDS = {"Speech, language and communication needs": 620,
                "Social, emotional and mental health": 540, "Moderate learning difficulty": 260,
                "Specific learning difficulty": 200, "Severe learning difficulty": 170,
                "Profound and multiple learning difficulty": 60, "Physical disability": 90,
                "Hearing impairment": 50, "Visual impairment": 30,
                "Multi-sensory impairment": 10, "Other difficulty or disability": 120}
# 66% from minoritised ethnic groups: everyone but White British and not known.
_SEND_ETHNICITY = {"White British": 1340, "White other": 520, "Mixed": 520, "Asian": 700,
                   "Black": 610, "Other": 328, "Not known": 39}
_SEND_PLACEMENTS = {"Mainstream school: SEN support": 2360, "Mainstream school: EHCP": 640,
                    "Resourced provision in a mainstream school": 120,
                    "Local special school": 310, "Special school satellite site": 45,
                    "Independent or non-maintained special school": 150,
                    "Special school in another area": 130,
                    "Post-16 and further education": 262, "Alternative provision": 25,
                    "Elective home education": 15}


def send(label: str) -> list[Row]:
    """SEND by need, ethnicity and placement; each split adds up to the total exactly."""
    start = Year.parse(label).start
    period = f"as of January {start}"
    total = int(_SEND_TOTAL[label])
    autism = round(total * float(_AUTISM_SHARE[label]))
    needs = {"Autistic spectrum disorder": autism, **allocate(total - autism, _OTHER_NEEDS)}
    rows = [_row(period, "send_cyp", total),
            _row(period, "sen_pupils_state_funded", _SEN_STATE_FUNDED[label])]
    rows += _rows(period, "send_primary_need", needs)
    rows += _rows(period, "send_ethnicity", allocate(total, _SEND_ETHNICITY))
    rows += _rows(period, "send_placement", allocate(total, _SEND_PLACEMENTS))
    return rows + ehcp_timeliness(label)


# --------------------------------------------------------------------------- safeguarding
_MARAC = _by_year((560, 198), (585, 214), (602, 226), (618, 237), (742, 464))
_ENCOMPASS = _by_year((40, 62, 101), (45, 62, 110), (49, 61, 118), (50, 60, 125), (51, 60, 132))


def domestic_abuse(label: str) -> list[Row]:
    cases, with_child = _MARAC[label]
    schools_in, schools, notifications = _ENCOMPASS[label]
    return [_row(label, "marac_cases", cases), _row(label, "marac_cases_with_child", with_child),
            _row(label, "operation_encompass_schools", schools_in),
            _row(label, "schools", schools),
            _row(label, "operation_encompass_notifications", notifications)]


_FGC = _by_year(210, 225, 238, 251, 260)


def family_group_conferences(label: str) -> list[Row]:
    total = int(_FGC[label])
    parts = allocate(total, {"Children's social care": 0.6, "Early help": 0.3, "Other": 0.1})
    return _rows(label, "fgc_referrals", _with_total(total, parts))


_ASYLUM = _by_year((35, 1, 52), (58, 2, 88), (96, 2, 141), (118, 3, 170), (131, 2, 190))


def asylum_support(label: str) -> list[Row]:
    start = Year.parse(label).start
    period = _published(label, "current", f"as at 31 March {start + 1}")
    families, hotels, children = _ASYLUM[label]
    return [_row(period, "families_supported", families), _row(period, "hotels", hotels),
            _row(period, "children", children),
            _row(period, "children_in_school_or_nursery", children)]


# (under 2, 2 to 17, 18 and over), rapid reviews, new LCSPRs. Children under two are the
# largest group every year; 2024-25: 6 notifications, 5 rapid reviews, 1 LCSPR.
_SINS = _by_year(((2, 2, 0), 3, 1), ((3, 2, 0), 4, 1), ((2, 1, 0), 3, 0), ((3, 1, 1), 4, 1),
                 ((4, 0, 2), 5, 1))


# The London rapid reviews analysis the partnership reflected on (a year behind): reviews,
# partnerships, and reviews by main type of harm (no split is published; this is invented).
_LONDON = _by_year((71, 24), (74, 25), (83, 25), (76, 24), (79, 25))
_LONDON_HARM = {"Intra-familial harm": 0.46, "Extra-familial harm": 0.27,
                "Suicide or attempted suicide": 0.15, "Other types of harm": 0.12}


def serious_incidents(label: str) -> list[Row]:
    ages, rapid, lcsprs = _SINS[label]
    parts = dict(zip(("Under 2", "2 to 17", "18 and over"), ages, strict=True))
    reviews, partnerships = _LONDON[label]
    london = _fy(Year.parse(label).start - 1)
    return [*_rows(label, "serious_incident_notifications", _with_total(sum(ages), parts)),
            _row(label, "rapid_reviews", rapid), _row(label, "lcsprs_started", lcsprs),
            *_rows(london, "london_rapid_reviews",
                   _with_total(reviews, allocate(reviews, _LONDON_HARM))),
            _row(london, "london_partnerships", partnerships),
            *notifications_by_harm(label)]


_DEATHS = _by_year(472, 466, 458, 452, 449)
_REVIEWS = _by_year(391, 386, 380, 377, 372)
_MODIFIABLE = _by_year(86, 81, 76, 75, 71)
_CDOP_YEAR = _by_year((95, 19, 4, 8), (102, 21, 3, 7), (97, 18, 5, 7), (91, 17, 2, 5),
                      (88, 16, 3, 6))
_AGE_SHARES = {"0-27 days": 0.334, "28-364 days": 0.187, "1-4 years": 0.127,
               "5-9 years": 0.073, "10-14 years": 0.116, "15-17 years": 0.163}
_DEPRIVATION_SHARES = {"Most deprived 20%": 0.336, "Quintile 2": 0.232, "Quintile 3": 0.183,
                       "Quintile 4": 0.134, "Least deprived 20%": 0.089, "Not known": 0.026}
_SEX_SHARES = {"Male": 0.573, "Female": 0.423, "Not known": 0.004}
_ETHNICITY_SHARES = {"White British or Irish": 0.29, "White Other": 0.17,
                     "Black or Black British": 0.19, "Asian or Asian British": 0.17,
                     "Mixed": 0.08, "Other": 0.06, "Not known": 0.04}
_CATEGORY_SHARES = {"Chromosomal, genetic and congenital anomalies": 0.30,
                    "Perinatal or neonatal event": 0.26, "Malignancy": 0.10,
                    "Sudden unexpected, unexplained death": 0.08,
                    "Acute medical or surgical condition": 0.07,
                    "Chronic medical condition": 0.05, "Infection": 0.05,
                    "Trauma and other external factors": 0.04,
                    "Suicide or deliberate self-inflicted harm": 0.03,
                    "Deliberately inflicted injury, abuse or neglect": 0.02}


def child_deaths(label: str) -> list[Row]:
    """The panel's five-year findings (window ending the March before) and the year's work."""
    start = Year.parse(label).start
    window = f"1 Apr {start - 5} - 31 Mar {start}"
    deaths = int(_DEATHS[label])
    reviews = int(_REVIEWS[label])
    rows = [_row(window, "deaths_notified", deaths), _row(window, "reviews_completed", reviews),
            _row(window, "reviews_with_modifiable_factors", _MODIFIABLE[label])]
    for measure, shares, total in (("deaths_by_age", _AGE_SHARES, deaths),
                                   ("deaths_by_deprivation", _DEPRIVATION_SHARES, deaths),
                                   ("deaths_by_sex", _SEX_SHARES, deaths),
                                   ("deaths_by_ethnicity", _ETHNICITY_SHARES, deaths),
                                   ("reviews_by_category", _CATEGORY_SHARES, reviews)):
        rows += _rows(window, measure, allocate(total, shares))
    panel, local, elsewhere, jars = _CDOP_YEAR[label]
    rows += [_row(label, "panel_notifications", panel),
             _row(label, "local_child_notifications", local),
             _row(label, "non_resident_notifications", elsewhere),
             _row(label, "jar_meetings", jars)]
    return rows


# NRM referrals are reported a year behind: the 2024-25 folder holds 2023-24.
_NRM = _by_year(
    (22, (17, 5), (12, 4, 4, 1, 1)), (27, (21, 6), (15, 6, 4, 1, 1)),
    (31, (25, 6), (17, 8, 5, 1, 0)), (36, (29, 7), (20, 9, 6, 1, 0)),
    (30, (24, 6), (16, 9, 5, 0, 0)))
_NRM_TYPES = ("Criminal exploitation", "Forced labour", "Sexual exploitation",
              "Domestic servitude", "Other or not known")


def nrm(label: str) -> list[Row]:
    period = _fy(Year.parse(label).start - 1)
    total, sexes, types = _NRM[label]
    by_sex = dict(zip(("Male", "Female"), sexes, strict=True))
    by_type = {t: n for t, n in zip(_NRM_TYPES, types, strict=True) if n}
    return [_row(period, "nrm_referrals", total), *_rows(period, "nrm_by_sex", by_sex),
            *_rows(period, "nrm_by_type", by_type)]


# Victims aged 10-24 of knife crime with injury by calendar year: the 2017-18 peak, the
# pandemic dip, 45 in 2023 and 26 in 2024.
KNIFE_CRIME_YEARS = {2017: 96, 2018: 91, 2019: 78, 2020: 52, 2021: 47, 2022: 58, 2023: 45,
                     2024: 26}
_SEASON = np.array([0.9, 0.85, 1.0, 1.05, 1.1, 1.05, 1.0, 0.95, 1.0, 1.05, 1.0, 1.05])


def knife_crime_months(rng: np.random.Generator) -> dict[int, dict[str, int]]:
    """Monthly victims for every calendar year, adding up exactly to the yearly totals."""
    months = {}
    for year, total in KNIFE_CRIME_YEARS.items():
        weights = _SEASON * rng.gamma(4.0, 0.25, 12)
        keys = [f"{year}-{m:02d}" for m in range(1, 13)]
        months[year] = allocate(total, dict(zip(keys, weights.tolist(), strict=True)))
    return months


def knife_crime(label: str, months: Mapping[int, Mapping[str, int]]) -> list[Row]:
    """The series from its first year to the calendar year the report year starts in."""
    last = Year.parse(label).start
    rows = []
    for year, by_month in months.items():
        if year <= last:
            rows += _rows(f"{year} (calendar year)", "knife_crime_victims_10_24", by_month)
    return rows


# Youth early help cohort (financial year before the report year): referrals, the shares
# behind the report's percentages, and returning cases in the report year itself.
_YEH = _by_year(702, 655, 748, 812, 885)
_YEH_RETURNING = _by_year(5, 4, 4, 3, 2)
_YEH_SOURCES = _by_year(
    {"Police": 0.49, "Schools": 0.19, "Children's social care": 0.11, "Health": 0.06,
     "Self or family": 0.05, "Other": 0.10},
    {"Police": 0.47, "Schools": 0.20, "Children's social care": 0.11, "Health": 0.06,
     "Self or family": 0.05, "Other": 0.11},
    {"Police": 0.50, "Schools": 0.18, "Children's social care": 0.11, "Health": 0.06,
     "Self or family": 0.05, "Other": 0.10},
    {"Police": 0.52, "Schools": 0.17, "Children's social care": 0.10, "Health": 0.06,
     "Self or family": 0.05, "Other": 0.10},
    {"Police": 0.53, "Schools": 0.17, "Children's social care": 0.10, "Health": 0.056,
     "Self or family": 0.045, "Other": 0.099})
_YEH_OUTCOMES = {"Meaningful engagement": 0.21, "Advice only": 0.58,
                 "Declined or no contact": 0.135, "Signposted to another service": 0.075}
_YEH_UPTAKE = {"Youth Diversion": 0.09, "FWD substance misuse service": 0.09}
_YEH_VULNERABILITIES = {"SEND": 0.20, "Mental health": 0.10, "Parenting issues": 0.12,
                        "Problematic behaviour": 0.10, "Children missing education": 0.08}


def youth_early_help(label: str) -> list[Row]:
    start = Year.parse(label).start
    cohort = _fy(start - 1)
    total = int(_YEH[label])
    rows = [_row(cohort, "referrals", total)]
    rows += _rows(cohort, "referrals_by_source", allocate(total, _YEH_SOURCES[label]))
    rows += _rows(cohort, "referrals_by_outcome", allocate(total, _YEH_OUTCOMES))
    for measure, shares in (("specialist_uptake", _YEH_UPTAKE),
                            ("vulnerabilities", _YEH_VULNERABILITIES)):
        rows += _rows(cohort, measure, {k: round(total * s) for k, s in shares.items()})
    rows.append(_row(label, "returning_cases", _YEH_RETURNING[label]))
    return rows


# initial contacts, children, local children (in education, NEET, other), not open, reoffended
_ENGAGE = _by_year((240, 226, 70, (47, 6, 17), 46, 29), (262, 247, 74, (51, 5, 18), 48, 30),
                   (288, 270, 80, (55, 6, 19), 52, 32), (301, 281, 84, (58, 5, 21), 55, 32),
                   (325, 302, 89, (62, 5, 22), 57, 33))


def engage(label: str) -> list[Row]:
    contacts, children, local, status, not_open, reoffended = _ENGAGE[label]
    by_status = dict(zip(("In education", "NEET", "Other or not known"), status, strict=True))
    return [_row(label, "initial_contacts", contacts), _row(label, "children", children),
            _row(label, "local_children", local),
            *_rows(label, "local_children_by_status", by_status),
            _row(label, "local_not_open_to_services", not_open),
            _row(label, "reoffended_12m", reoffended)]


_FWD = _by_year(201, 228, 239, 245, 306)
_FWD_SOURCES = {"Children and Family Services": 0.30, "Housing": 0.18,
                "Universal Education Settings": 0.16, "Youth Justice Service": 0.12,
                "Health": 0.10, "Self or family": 0.08, "Other": 0.06}
_FWD_OTHER = _by_year((2, 410, 405), (1, 455, 452), (1, 520, 518), (1, 590, 589), (0, 662, 662))
# tier 3: young people, substances, exits, reduced use, England reduced use %, satisfaction
_TIER3 = _by_year(
    (52, {"Cannabis": 39, "Alcohol": 23, "Ketamine": 2, "Nitrous oxide": 5, "Cocaine": 3},
     38, 15, 29.0, (5.6, 6.2)),
    (55, {"Cannabis": 42, "Alcohol": 22, "Ketamine": 3, "Nitrous oxide": 6, "Cocaine": 3},
     40, 16, 28.0, (5.7, 6.3)),
    (58, {"Cannabis": 44, "Alcohol": 24, "Ketamine": 4, "Nitrous oxide": 5, "Cocaine": 4},
     41, 16, 27.0, (5.6, 6.4)),
    (60, {"Cannabis": 46, "Alcohol": 25, "Ketamine": 5, "Nitrous oxide": 5, "Cocaine": 4},
     43, 17, 28.0, (5.7, 6.4)),
    (64, {"Cannabis": 49, "Alcohol": 26, "Ketamine": 6, "Nitrous oxide": 5, "Cocaine": 4},
     45, 19, 28.0, (5.8, 6.6)))
# The report's +24.7% rise in referrals for 2024-25 cannot come from whole counts with its
# 306 referrals (306/245 is +24.9%, 306/246 +24.4%). The return carries counts only, 245 the
# closest, and the pack computes the change; the calibration lists the published figure as
# inconsistent in its source.


def substance_misuse(label: str) -> list[Row]:
    total = int(_FWD[label])
    re_presented, attendees, satisfied = _FWD_OTHER[label]
    young, substances, exits, reduced, england, (start, end) = _TIER3[label]
    rows = [_row(label, "referrals", total)]
    rows += _rows(label, "referrals_by_source", allocate(total, _FWD_SOURCES))
    rows += [_row(label, "re_presentations", re_presented),
             _row(label, "workshop_attendees", attendees),
             _row(label, "workshop_satisfied", satisfied),
             _row(label, "tier3_young_people", young)]
    rows += _rows(label, "tier3_substance", substances)
    rows += [_row(label, "tier3_exits", exits), _row(label, "tier3_reduced_use", reduced),
             _row(label, "reduced_use_national_pct", england),
             _row(f"{label} (at treatment start)", "tier3_satisfaction", start, "treatment start"),
             _row(f"{label} (at treatment exit)", "tier3_satisfaction", end, "treatment exit")]
    return rows


# --------------------------------------------------------------------------- the partnership
_WEB = _by_year((52_000, 10_900, 11_150), (58_300, 12_100, 12_380), (63_900, 13_300, 13_590),
                (69_800, 14_200, 14_480), (74_491, 15_163, 15_420))  # views, visitors, visits
# Pages: the training page is the most visited; landing pages get little.
_PAGES = {"Training": 10_380, "Safeguarding policies and procedures": 9_120,
          "Home": 9_800, "Managing allegations (LADO)": 7_480, "Threshold guidance": 6_200,
          "Neglect toolkit": 4_100, "Child exploitation": 3_900, "Domestic abuse": 3_500,
          "Learning from reviews": 3_010, "Contact us": 2_600, "Parents and carers": 2_280,
          "Annual reports": 2_200, "Professionals": 2_100, "Resources": 1_850,
          "Young people": 1_630, "Other pages": 4_341}
_ABROAD = {"United States": 640, "Netherlands": 330, "Ireland": 290, "Germany": 250,
           "Finland": 180, "Other countries": 433}
_UK_SHARE = _by_year(0.885, 0.878, 0.872, 0.866, 13_040 / 15_163)  # 14% abroad in 2024-25
_WEB_SEASON = np.array([1.0, 1.05, 1.0, 0.9, 0.7, 1.05, 1.1, 1.1, 0.8, 1.05, 1.05, 1.1])


def website(label: str, rng: np.random.Generator) -> list[Row]:
    """Totals, months (April to March), pages and countries, each adding up to its total."""
    start = Year.parse(label).start
    period = f"Apr {start} - Mar {start + 1}"
    views, visitors, visits = _WEB[label]
    months = [f"{start + (m < 4)}-{m:02d}" for m in (4, 5, 6, 7, 8, 9, 10, 11, 12, 1, 2, 3)]
    weights = _WEB_SEASON * rng.gamma(50.0, 0.02, 12)
    view_months = allocate(views, dict(zip(months, weights.tolist(), strict=True)))
    visit_weights = weights * rng.gamma(200.0, 0.005, 12)
    visit_months = allocate(visits, dict(zip(months, visit_weights.tolist(), strict=True)))
    rows = _rows(period, "page_views", _with_total(views, view_months))
    rows += _rows(period, "visits", _with_total(visits, visit_months))
    rows.append(_row(period, "unique_visitors", visitors))
    rows += _rows(period, "page_views_by_page", allocate(views, _PAGES))
    uk = round(visitors * float(_UK_SHARE[label]))
    countries = {"United Kingdom": uk, **allocate(visitors - uk, _ABROAD)}
    rows += _rows(period, "visitors_by_country", countries)
    return rows


# Expenditure lines (staffing, professional fees, training, other) and the contributors other
# than the local authority, whose contribution balances the budget. 2024-25 is the report's
# own table; earlier years held "similar levels".
_SPEND = _by_year((168_420, 41_200, 15_880, 20_310), (172_950, 43_850, 16_240, 21_030),
                  (176_300, 46_120, 17_050, 21_890), (179_640, 47_930, 17_820, 22_400),
                  (181_823, 49_615, 18_421, 23_382))
_INCOME = _by_year((33_450, 5_000, 1_000, 0), (33_450, 5_000, 1_000, 0),
                   (33_450, 5_000, 1_000, 0), (33_450, 5_000, 1_000, 6_200),
                   (33_450, 5_000, 1_000, 13_508))  # ICB, police, probation, grants


def finance(label: str) -> list[Row]:
    spend = dict(zip(("Staffing", "Professional fees", "Multi-agency training", "Other"),
                     _SPEND[label], strict=True))
    total = sum(spend.values())
    icb, police, probation, grants = _INCOME[label]
    income = {"Local authority": total - icb - police - probation - grants,
              "Integrated care board": icb, "Police": police, "Probation": probation,
              "Grants": grants}
    rows = _rows(label, "expenditure", _with_total(total, spend))
    rows += _rows(label, "income", _with_total(total, income))
    rows += _rows(label, "staffing_fte", {"Partnership manager": 1.0,
                                          "Development officer": 1.6})
    rows.append(_row(label, "young_advisors", 2))
    if label == PUBLISHED_YEAR:
        rows += _rows(label, "income_share_stated_pct", STATED_SHARES)
    return rows


# Membership as the report lists it (agency, job title, people); no names, job titles only.
_MEMBERS_2024: dict[str, Sequence[tuple[str, str, int]]] = {
    "lead": (("Camden Council", "Executive Director, Children and Learning (DCS)", 1),
             ("NCL Integrated Care Board (ICB)", "Safeguarding and Looked After Children "
              "Director", 1),
             ("MPS Central North - Camden & Islington", "Chief Superintendent", 1),
             ("Camden Learning", "CEO Camden Learning", 1)),
    "delegated": (("Camden Council", "Director, Prevention, Family Help and Safeguarding "
                   "(children)", 1),
                  ("Camden Council", "Director of Relational Practice", 1),
                  ("NCL Integrated Care Board (ICB)", "Designated Nurse for Safeguarding", 1),
                  ("MPS Central North - Camden & Islington", "Detective Superintendent", 1),
                  ("Camden Learning", "Senior Adviser Safeguarding & Inclusion", 1)),
    "la_departments": (("Camden Council", "Head of Violence Against Women and Girls", 1),
                       ("Camden Council", "Director of Public Safety", 1),
                       ("Camden Council", "Head of Integrated Youth Services", 1),
                       ("Camden Council", "Head of Neighbourhoods", 1),
                       ("Camden Council", "Head of Children's Quality Assurance", 1),
                       ("Camden Council", "Head of SEND and Inclusion", 1),
                       # The report lists this seat twice; kept as published.
                       ("Camden Public Health", "Director of Health and Wellbeing", 1),
                       ("Camden Public Health", "Director of Health and Wellbeing", 1)),
    "health": (("NCL Integrated Care Board (ICB)", "Designated Doctor for Safeguarding", 1),
               ("NCL Integrated Care Board (ICB)", "Named GP Child Safeguarding", 1),
               ("North London NHS Foundation Trust (Camden and Islington)", "Named Doctor", 1),
               ("North London NHS Foundation Trust (Camden and Islington)",
                "Deputy Associate Director", 1),
               ("Central North-West London NHS Trust", "Head of Safeguarding", 1),
               ("Great Ormond Street Hospital", "Chief Nurse", 1),
               ("Great Ormond Street Hospital", "Named Nurse", 1),
               ("Great Ormond Street Hospital", "Nurse Consultant Safeguarding & Named Nurse", 1),
               ("Tavistock & Portman NHS Foundation Trust", "Interim Safeguarding Children "
                "Lead", 1),
               ("Tavistock & Portman NHS Foundation Trust", "Named Doctor, Consultant Child "
                "Psychiatrist", 1),
               ("University College London Hospitals", "Lead for Children & Young People's "
                "Safeguarding", 1),
               ("University College London Hospitals", "Named Doctor for Child Safeguarding", 1)),
    "schools": (("Fleet & Rhyl Primary School", "Executive Headteacher", 1),
                ("William Ellis Secondary School", "Headteacher", 1)),
    "probation": (("National Probation Service", "Head of Service", 1),),
    "independent": (("Independent", "Independent Scrutineer", 1),
                    ("Independent", "Young Advisors", 2),
                    ("Independent", "Lay Member", 1),
                    ("Camden Council", "Cabinet Member: Best Start for Children and Families",
                     1)),
}
_NEW_IN_2024 = {("Camden Council", "Director of Relational Practice")}
_RENAMED = {"North London NHS Foundation Trust (Camden and Islington)":
            "Camden and Islington NHS Foundation Trust"}


def membership(label: str) -> pd.DataFrame:
    """The 2024-25 list; earlier years lack the newest seat and use the trust's old name."""
    rows = []
    for group, members in _MEMBERS_2024.items():
        for agency, title, people in members:
            if label != PUBLISHED_YEAR:
                if (agency, title) in _NEW_IN_2024:
                    continue
                agency = _RENAMED.get(agency, agency)
            rows.append({"member_group": group, "agency": agency, "job_title": title,
                         "people": people})
    return pd.DataFrame(rows, columns=["member_group", "agency", "job_title", "people"])


def generate(ctx: DemoContext) -> dict[str, dict[str, pd.DataFrame]]:
    """Tables for each demo year: {year: {table name: frame}}."""
    rng = ctx.rng(DOMAIN)
    months = knife_crime_months(rng)
    out: dict[str, dict[str, pd.DataFrame]] = {}
    for label in ctx.years:
        out[label] = {
            "inspection_ratings": _frame(inspection_ratings(label)),
            "provider_ratings": _frame(provider_ratings(label)),
            "borough_profile": _frame(borough_profile(label)),
            "education_outcomes": _frame(education_outcomes(label)),
            "education_inclusion": _frame(education_inclusion(label)),
            "send": _frame(send(label)),
            "domestic_abuse": _frame(domestic_abuse(label)),
            "family_group_conferences": _frame(family_group_conferences(label)),
            "asylum_support": _frame(asylum_support(label)),
            "serious_incidents": _frame(serious_incidents(label)),
            "child_deaths": _frame(child_deaths(label)),
            "nrm": _frame(nrm(label)),
            "knife_crime": _frame(knife_crime(label, months)),
            "youth_early_help": _frame(youth_early_help(label)),
            "engage": _frame(engage(label)),
            "substance_misuse": _frame(substance_misuse(label)),
            "website": _frame(website(label, rng)),
            "finance": _frame(finance(label)),
            "membership": membership(label),
            "action_trackers": action_trackers(label),
            "governance": governance(label),
            "school_safeguarding": _frame(school_safeguarding(label)),
            "review_learning": review_learning(label),
            "scrutiny": _frame(scrutiny(label)),
            "priority_progress": priority_progress(label),
        }
    return out


# ---- added for chapter 07
#: Each plan's areas and actions; statuses move towards Green/Complete over the years.
_ACTIONS: dict[str, dict[str, tuple[str, ...]]] = {
    "csa": {
        "Prevent": ("Relationships education offer mapped across schools",
                    "Awareness sessions for parents in family hubs"),
        "Identify": ("Practice guidance on recognising signs and indicators",
                     "Multi-agency training on talking to children about abuse",
                     "Health staff screening questions reviewed"),
        "Support": ("Referral route to the children's sexual assault service agreed",
                    "Therapeutic support waiting times monitored"),
        "Disrupt": ("Information sharing with police on locations of concern",
                    "Use of civil orders reviewed"),
        "Prosecute": ("Joint review of cases not charged",
                      "Support for children giving evidence"),
    },
    "sidar": {f"Recommendation {i}": (text,) for i, text in enumerate((
        "Share the review's learning across the partnership",
        "Improve recording of household members",
        "Strengthen routine enquiry in health settings",
        "Review the MARAC referral threshold guidance",
        "Refresh training on coercive control",
        "Improve links between adult and children's services",
        "Check the voice of the child is recorded",
        "Strengthen school responses to coercive control"), start=1)},
    "residential": {
        "Oversight of placements": ("Visits schedule agreed for every placement",),
        "Voice of the child": ("Communication passports in every placement",),
        "Quality assurance": ("Joint audit of residential placements",),
        "Workforce": ("Training on disabled children's safeguarding",),
        "Health": ("Annual health reviews tracked",),
        "Commissioning and contract oversight": ("Safeguarding clauses in contracts",),
    },
}
_STATUS_CYCLE = ("Red", "Amber", "Amber", "Green", "Green", "Complete")


def action_trackers(label: str) -> pd.DataFrame:
    """Every action of each plan with a status: later years are further along."""
    step = int(label[:4]) - 2020
    rows = []
    for plan, areas in _ACTIONS.items():
        for a, (area, actions) in enumerate(areas.items()):
            for i, action in enumerate(actions):
                status = _STATUS_CYCLE[min(len(_STATUS_CYCLE) - 1, (a + i + step) % 4 + step // 2)]
                rows.append({"plan": plan, "area": area, "action": action, "status": status,
                             "review_date": f"{int(label[:4]) + 1}-0{1 + (a + i) % 3}-15"})
    return pd.DataFrame(rows, columns=["plan", "area", "action", "status", "review_date"])
# ---- added for chapter 02
#: The income shares the published report prints (its text, not its finance table): kept
#: as the partnership stated them, so the data-quality page can show they disagree.
STATED_SHARES = {"Local authority": 66, "Integrated care board": 13, "Police": 2}

_GOVERNANCE: tuple[tuple[str, str, str, str], ...] = (
    ("Lead partners' executive", "partnership_meeting", "",
     "Joint strategic leadership and accountability for the arrangements"),
    ("Camden Council", "lead_partner", "Lead partners' executive",
     "Lead partner for the local authority"),
    ("NCL Integrated Care Board", "lead_partner", "Lead partners' executive",
     "Lead partner for health"),
    ("Metropolitan Police Service", "lead_partner", "Lead partners' executive",
     "Lead partner for policing"),
    ("Delegated safeguarding partners", "delegated_partner", "Lead partners' executive",
     "Senior leads who act for the lead partners day to day"),
    ("Independent scrutineer", "scrutineer", "Lead partners' executive",
     "Independent challenge of how well the arrangements work"),
    ("Safeguarding partnership meeting", "partnership_meeting",
     "Delegated safeguarding partners",
     "Agencies together: agrees the business plan and tracks its delivery"),
    ("Quality assurance and practice review subgroup", "subgroup",
     "Safeguarding partnership meeting", "Audits, data and local practice reviews"),
    ("Learning and development subgroup", "subgroup", "Safeguarding partnership meeting",
     "Multi-agency training and sharing of learning"),
    ("Vulnerable adolescents strategy group", "subgroup", "Safeguarding partnership meeting",
     "Exploitation, missing children and serious youth violence"),
    ("Young advisors", "young_advisors", "Independent scrutineer",
     "Young people's view on the partnership's work"),
    ("Lay member", "lay_member", "Safeguarding partnership meeting",
     "A resident's view and a link to the community"),
)


def governance(label: str) -> pd.DataFrame:
    """The structure as the arrangements set it out; the same for every demo year."""
    del label  # the arrangements did not change over the demo years
    return pd.DataFrame(_GOVERNANCE, columns=["body", "kind", "reports_to", "role"])


# ---- added for chapters 07 and 09 (sections 7.10, 7.12, 7.13 and 9.1)
# Inspiring Inclusion: pupils mentored and pupils reached by workshops and careers events
# (2024-25: the report's 479, and a count the report gives as "more than 1,100").
_INCLUSION = _by_year((352, 760), (388, 842), (421, 931), (455, 1046), (479, 1137))


def inspiring_inclusion(label: str) -> list[Row]:
    mentored, engaged = _INCLUSION[label]
    return [_row(label, "inspiring_inclusion_mentored", mentored),
            _row(label, "inspiring_inclusion_engaged", engaged)]


# New EHC plans issued in the calendar year and those within 20 weeks: the partnership says
# it keeps to the 20-week timescale, so nearly all are, more each year.
_EHCPS = _by_year((198, 171), (214, 190), (226, 208), (231, 219), (236, 229))


def ehcp_timeliness(label: str) -> list[Row]:
    period = f"{Year.parse(label).start} calendar year"
    issued, in_time = _EHCPS[label]
    return [_row(period, "ehcps_issued", issued),
            _row(period, "ehcps_issued_within_20_weeks", in_time)]


# Main type of harm of each year's serious incident notifications; each year adds up to the
# notifications above. 2024-25 follows the report's cases: injuries and neglect of babies,
# an unexpected infant death and two young adults' suicides.
_SIN_HARM = _by_year(
    {"Physical abuse": 1, "Neglect": 1, "Sexual abuse": 1, "Exploitation or extra-familial harm": 1},
    {"Physical abuse": 2, "Neglect": 1, "Emotional abuse": 1,
     "Exploitation or extra-familial harm": 1},
    {"Physical abuse": 1, "Neglect": 1, "Sexual abuse": 1},
    {"Physical abuse": 2, "Neglect": 1, "Exploitation or extra-familial harm": 1,
     "Suicide or self-harm": 1},
    {"Physical abuse": 1, "Neglect": 2, "Suicide or self-harm": 2,
     "Unexpected death of an infant": 1})


def notifications_by_harm(label: str) -> list[Row]:
    """Every harm type each year, 0 where there was none, as a partner fills the form in."""
    harm = _SIN_HARM[label]
    if sum(harm.values()) != sum(_SINS[label][0]):
        raise ValueError(f"{label}: harm types do not add up to the notifications")
    return _rows(label, "notifications_by_harm", {t: harm.get(t, 0) for t in SIN_HARM_TYPES})


# Safeguarding in schools: forum attendance at six meetings, schools assessed (and found
# effective), Ofsted inspections in the academic year, safeguarding reviews by the school
# improvement service, and the section 11 school audit. 2024-25: about 60 at the forum, all
# schools effective, every inspected school Good or Outstanding, reviews in 16 schools.
_FORUM = _by_year((48, 52, 50, 47, 51, 49), (52, 55, 53, 51, 54, 50), (55, 57, 54, 56, 58, 53),
                  (58, 57, 59, 56, 60, 58), (57, 62, 58, 63, 61, 59))
_FORUM_MONTHS = ((0, 5), (0, 7), (0, 9), (0, 11), (1, 1), (1, 3))  # (years after start, month)
# schools, assessed effective, inspected, inspected Good or Outstanding, reviews, audits back
_SCHOOLS_SAFEGUARDING = _by_year((62, 60, 4, 4, 10, 55), (62, 61, 9, 8, 12, 57),
                                 (61, 60, 12, 11, 13, 58), (60, 60, 10, 10, 15, 58),
                                 (60, 60, 11, 11, 16, 57))


def school_safeguarding(label: str) -> list[Row]:
    start = Year.parse(label).start
    academic = _published(label, "2024-25 academic year", _academic(start))
    schools, effective, inspected, good, reviews, returned = _SCHOOLS_SAFEGUARDING[label]
    meetings = {f"{start + after}-{month:02d}": n
                for (after, month), n in zip(_FORUM_MONTHS, _FORUM[label], strict=True)}
    return [*_rows(label, "dsl_forum_attendance", meetings),
            _row(academic, "schools_assessed", schools),
            _row(academic, "schools_assessed_effective", effective),
            _row(academic, "schools_inspected", inspected),
            _row(academic, "schools_inspected_good_or_outstanding", good),
            _row(label, "safeguarding_reviews", reviews),
            _row(label, "section11_audit_schools_asked", schools),
            _row(label, "section11_audit_schools_returned", returned)]


# The learning from each rapid review, in the demo's own words: general descriptions only,
# never a name, age, date or address (the table's rules refuse them). One row per rapid
# review the serious incidents return counts.
_LEARNING: tuple[tuple[str, str, str, str], ...] = (
    ("A baby with complex health needs whose care at home fell below what was needed",
     "Hospital and community nurses kept in close touch and escalated their worries early",
     "Plans for discharge home need one named lead and a shared view of the parents' "
     "capacity to meet the baby's medical needs",
     "National reviews of disabled babies ask agencies to test parents' understanding of "
     "care plans rather than assume it"),
    ("A young adult who had left care and took their own life",
     "The personal adviser stayed in contact after the young person left care and kept "
     "offering help",
     "Mental health support for care leavers should continue through the move to adult "
     "services, with a plan agreed before the move",
     "The national panel's work on transitional safeguarding calls for support that follows "
     "need rather than age"),
    ("An infant with an injury that could not be explained by the carers",
     "The health visitor noticed the injury and made a referral the same day",
     "Any bruise on a baby who is not yet mobile needs a child protection medical, whoever "
     "sees it and however it is explained",
     "National guidance on bruising in non-mobile infants sets out the same expectation"),
    ("An infant who died suddenly at home; a practice review is under way",
     "Midwives and health visitors gave safer sleep advice at every contact",
     "Safer sleep advice reaches fathers and other carers less often than mothers",
     "The national review of sudden unexpected infant deaths recommends planning for "
     "unusual nights, when routines change"),
    ("A young adult, once an unaccompanied child, who died in custody",
     "The leaving care team kept in contact while the young person was in custody",
     "Immigration uncertainty and long waits for decisions add to the risk for young "
     "people leaving care; workers need to ask about their mental health",
     "National findings on separated children highlight isolation and trauma as lasting "
     "risks into adulthood"),
    ("A teenager harmed outside the home by adults exploiting them",
     "The youth worker built trust and the young person began to talk about the risks",
     "Contextual safeguarding meetings should include the places and peer groups where the "
     "harm happened, not only the family",
     "The national review of child exploitation calls for a shared approach to harm outside "
     "the family"),
    ("A child living with neglect over a long time",
     "The school noticed poor attendance and hunger and shared its concerns",
     "Chronologies should be used to see the pattern of neglect rather than each incident "
     "on its own",
     "National reviews repeatedly find that neglect is missed when agencies look at "
     "incidents one by one"),
)
# Which learning rows each year's rapid reviews used (the last review of a year with an
# LCSPR is the one taken further).
_LEARNING_ROWS = _by_year((2, 5, 6), (0, 2, 5, 6), (2, 6, 1), (0, 2, 5, 6), (0, 1, 2, 3, 4))


def review_learning(label: str) -> pd.DataFrame:
    chosen = _LEARNING_ROWS[label]
    if len(chosen) != _SINS[label][1]:
        raise ValueError(f"{label}: one learning row per rapid review")
    rows = [{"review": n, "review_type": "rapid_review", "incident": _LEARNING[i][0],
             "local_strengths": _LEARNING[i][1], "local_learning": _LEARNING[i][2],
             "national_context": _LEARNING[i][3], "demo": "yes"}
            for n, i in enumerate(chosen, start=1)]
    return pd.DataFrame(rows, columns=["review", "review_type", "incident", "local_strengths",
                                       "local_learning", "national_context", "demo"])
# ---- added for chapters 03 and 05
#: The scrutineer's counts per year: (meetings held, attended, rapid review reports
#: received, delegated leads, scrutiny areas). Reports received never exceed the year's
#: rapid reviews (``_SINS``); 2024-25 holds the figures the published report gives.
_SCRUTINY = _by_year((5, 5, 2, 3, 5), (6, 5, 3, 3, 5), (6, 6, 3, 3, 6), (6, 5, 4, 3, 6),
                     (6, 6, 4, 3, 6))
_SCRUTINY_CODES = ("partnership_meetings", "scrutineer_meetings_attended",
                   "rapid_review_reports_received", "delegated_safeguarding_leads",
                   "scrutiny_areas")


def scrutiny(label: str) -> list[Row]:
    """The independent scrutineer's counts for the year."""
    return [_row(label, code, value)
            for code, value in zip(_SCRUTINY_CODES, _SCRUTINY[label], strict=True)]


#: Demo wording for the priorities table (chapter 5), written for the pack: per priority,
#: examples of progress and challenges as (theme, text). Each year shows a different
#: selection, so the table changes from year to year as a real one would.
_PROGRESS_BANK: dict[int, tuple[tuple[str, str], ...]] = {
    1: (("Young people's voice", "Care-experienced young people sat on interview panels "
         "and helped rewrite the leaflets that explain their rights."),
        ("Stable homes", "Partners looked together at every child who had moved home twice "
         "or more and agreed what would help each of them stay put."),
        ("Health", "More children in care had their health assessment on time once nurses "
         "and social workers worked from one booking list."),
        ("Education", "The virtual school gave every care leaver starting college a named "
         "contact for the first term."),
        ("Work and training", "Council services offered paid work placements kept for care "
         "leavers."),
        ("Identity", "Carers were offered training on helping children keep their links with "
         "their culture, language and faith.")),
    2: (("Training", "Courses on parents' mental health and what it means for their children "
         "ran through {year} and were well attended."),
        ("Joint working", "Adult mental health teams and children's social workers agreed "
         "when to invite each other to planning meetings."),
        ("Early support", "Family hubs added drop-in sessions with a mental health "
         "practitioner for parents of babies and toddlers."),
        ("Schools", "More schools joined the mental health support team programme."),
        ("Crisis care", "Few children needed crisis care out of hours, which partners read as "
         "a sign that planned support is reaching families.")),
    3: (("Home education", "Every family starting elective home education was offered a "
         "visit, and children known to social care were discussed between services."),
        ("Attendance", "Schools and social care shared worries about attendance sooner, so "
         "help started before absence became persistent."),
        ("One team", "Work on children missing education and on home education now sits in "
         "one team, which makes follow-up simpler."),
        ("SEND", "The SEND service told the partnership how it is widening inclusion as the "
         "number of children with needs grows."),
        ("Exclusions", "Headteachers and the inclusion service reviewed each pupil at risk of "
         "permanent exclusion every half term.")),
}
_CHALLENGE_BANK: dict[int, tuple[tuple[str, str], ...]] = {
    1: (("Homes near school and friends", "Too many children still live far from home; "
         "partners will plan foster carer recruitment together in {next}."),
        ("Mental health after 18", "Support for young people's mental health should not stop "
         "on their eighteenth birthday."),
        ("Listening", "Hear more from children themselves, not only from the adults around "
         "them."),
        ("Permanence", "Track each child still waiting for a settled long-term plan."),
        ("Relationships", "Help young people stay in touch with the people who matter to them "
         "after they leave care.")),
    2: (("Waiting times", "Parents of young children still wait too long for talking "
         "therapies."),
        ("Self-harm", "Hold a learning event in {next} on self-harm among young people, drawing "
         "on recent reviews."),
        ("Audit", "Audit how well children's plans take account of a parent's mental illness."),
        ("Recording", "Agencies record mental health as a factor in different ways; agree "
         "one.")),
    3: (("Children not in school", "Get ready for a statutory register of children not in "
         "school, so that every child's whereabouts are known."),
        ("Anxiety about school", "Give schools practical guidance for pupils whose anxiety "
         "keeps them away."),
        ("Data", "Use daily attendance data to spot children drifting away from school."),
        ("Family help", "Bring early help closer to schools through locality family hubs.")),
}
#: Rows of the table under each priority, as in the published report (3, 2 and 2).
_PRIORITY_ROWS = {1: 3, 2: 2, 3: 2}
PRIORITY_COLUMNS = ["period", "priority", "row", "side", "item", "lead", "text", "demo"]


def priority_progress(label: str) -> pd.DataFrame:
    """The priorities table for the year: two progress items and one challenge per row,
    taken in turn from the banks starting at a different place each year."""
    year = Year.parse(label)
    step = year.start - int(YEARS[0][:4])
    periods = {"progress": label, "challenge": Year(year.start + 1).label}
    rows = []
    for priority, count in _PRIORITY_ROWS.items():
        banks = {"progress": _PROGRESS_BANK[priority], "challenge": _CHALLENGE_BANK[priority]}
        for row in range(count):
            picks = {"progress": (step + 2 * row, step + 2 * row + 1),
                     "challenge": (step + row,)}
            for side, places in picks.items():
                for item, place in enumerate(places, start=1):
                    lead, text = banks[side][place % len(banks[side])]
                    rows.append({"period": periods[side], "priority": priority,
                                 "row": row + 1, "side": side, "item": item, "lead": lead,
                                 "text": text.format(year=label, next=periods["challenge"]),
                                 "demo": "yes"})
    return pd.DataFrame(rows, columns=PRIORITY_COLUMNS)

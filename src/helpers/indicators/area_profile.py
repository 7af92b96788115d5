"""Partner figures: the area profile (population, Census make-up, poverty) and support for
asylum-seeking families.

Census and ONS shares are published as percentages, so they are read as stated; counts and
the shares computed from them (children as a share of residents) come from the counts.
"""

from __future__ import annotations

from helpers.data.loading import ReportData
from helpers.indicators.base import Definition
from helpers.indicators.partner_returns import (
    Figures,
    Shares,
    basis,
    figure,
    meaning,
    register,
    register_tables,
)

DEFINITIONS: dict[str, Definition] = {}


COMPARATORS: dict[str, tuple[str, str, str]] = {
    "population_disabled_pct": ("borough_profile", "population_disabled_pct", "England"),
}


COUNTS: Figures = {
    "population_total": ("borough_profile", "population_total", "", "Population"),
    "cypds_supported_cyp_aged_0_25": ("borough_profile", "cypds_supported", "",
                                      "Disabled children and young people supported (0-25)"),
    "asylum_families_supported": ("asylum_support", "families_supported", "",
                                  "Asylum-seeking families supported"),
    "asylum_mixed_occupancy_hotels": ("asylum_support", "hotels", "",
                                      "Mixed-occupancy asylum hotels"),
}


STATED: Figures = {
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
}


SHARES: Shares = {
    "asylum_children_in_school_or_nursery_pct": ("asylum_support",
                                                 ("children_in_school_or_nursery", ""),
                                                 ("children", ""),
                                                 "Asylum-seeking families' children in "
                                                 "school or nursery (%)"),
}


RELIGION_MEASURES = {"religion_none_pct": "No religion", "religion_christian_pct": "Christian",
                     "religion_muslim_pct": "Muslim", "religion_jewish_pct": "Jewish",
                     "religion_hindu_pct": "Hindu", "religion_not_stated_pct": "Not stated",
                     "religion_other_pct": "Other"}


for _indicator, _religion in RELIGION_MEASURES.items():
    STATED[_indicator] = ("borough_profile", "religion_pct", _religion,
                          f"Residents by religion: {_religion} (%)")


register_tables(DEFINITIONS, counts=COUNTS, stated_figures=STATED, shares=SHARES, comparators=COMPARATORS)


def children_total(d: ReportData) -> int:
    return int(d.current("population")["population"].sum())


register(DEFINITIONS, "children_total", children_total, "Children aged 0-17",
          "children aged 0-17 (sum of the population table)",
          basis="ONS mid-year estimate in population.csv, the denominator of every rate")


def children_share_of_population(d: ReportData) -> float:
    return children_total(d) / figure(d.current("borough_profile"), "population_total")


register(DEFINITIONS, "children_share_of_population", children_share_of_population,
          "Children as a share of residents (ratio)", "children aged 0-17",
          "residents of all ages", "population.csv and borough_profile.csv")


def children_in_poverty_ahc_share(d: ReportData) -> float:
    return figure(d.current("borough_profile"), "children_in_poverty_ahc_pct") / 100


register(DEFINITIONS, "children_in_poverty_ahc_share", children_in_poverty_ahc_share,
          "Children in poverty after housing costs (ratio)",
          meaning("borough_profile", "children_in_poverty_ahc_pct"), "all children",
          basis("borough_profile"))

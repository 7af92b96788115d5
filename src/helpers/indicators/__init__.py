"""Indicators, each defined once, grouped by family (one module per family).

``from helpers import indicators as ind`` gives the front-door functions directly (the
first family written); other families are modules of this package: children in need,
child protection, children looked after, care leavers, disproportionality, missing,
exploitation, LADO, training, and the partner-return families (area profile, education and
SEND, early help and youth, community safety, reviews and child deaths, inspections, the
partnership, its action plans). ``periods``, ``population`` and ``partner_returns`` are shared helpers, not
families. Importing the package also fills the measure registry
(``helpers.indicators.base.MEASURES``) that maps each figure the report states to the
function computing it.
"""

from helpers.indicators import (
    action_plans,
    area_profile,
    care_leavers,
    child_protection,
    children_in_need,
    community_safety,
    disproportionality,
    early_help_and_youth,
    education_and_send,
    exploitation,
    front_door,
    inspections,
    lado,
    looked_after,
    missing,
    partnership,
    reviews_and_child_deaths,
    training,
)
from helpers.indicators.base import Definition
from helpers.indicators.front_door import (
    DEFINITIONS as FRONT_DOOR_DEFINITIONS,
)
from helpers.indicators.front_door import (
    assessment_factors,
    benchmark_series,
    compare,
    contact_factors,
    contact_outcomes,
    counts_by_period,
    factor_prevalence,
    is_re_referral,
    re_referrals,
    referral_sources,
)

SOCIAL_CARE_FAMILIES = (children_in_need, child_protection, looked_after, care_leavers,
                        disproportionality, missing, exploitation)
PARTNER_FAMILIES = (area_profile, education_and_send, early_help_and_youth, community_safety,
                    reviews_and_child_deaths, inspections, partnership, action_plans)
FAMILIES = (front_door, *SOCIAL_CARE_FAMILIES, lado, training, *PARTNER_FAMILIES)


def _merged(families: tuple) -> dict[str, Definition]:
    merged: dict[str, Definition] = {}
    for family in families:
        twice = merged.keys() & family.DEFINITIONS.keys()
        if twice:
            raise ValueError(f"{family.__name__} defines {sorted(twice)} again")
        merged.update(family.DEFINITIONS)
    return merged


DEFINITIONS: dict[str, Definition] = _merged(FAMILIES)
PARTNER_DEFINITIONS: dict[str, Definition] = _merged(PARTNER_FAMILIES)

__all__ = [
    "DEFINITIONS", "FAMILIES", "FRONT_DOOR_DEFINITIONS", "PARTNER_DEFINITIONS",
    "PARTNER_FAMILIES", "SOCIAL_CARE_FAMILIES", "Definition", "assessment_factors",
    "benchmark_series", "compare", "contact_factors", "contact_outcomes", "counts_by_period",
    "factor_prevalence", "is_re_referral", "re_referrals", "referral_sources",
]

"""Indicators, each defined once, grouped by family (one module per family).

``from helpers import indicators as ind`` gives the front-door functions directly (the
first family written); other families are modules of this package. Importing the package
also fills the measure registry (``helpers.indicators.base.MEASURES``) that maps each figure the
report states to the function computing it.
"""

from helpers.indicators import front_door, lado_training, partners, social_care
from helpers.indicators.front_door import (
    DEFINITIONS as FRONT_DOOR_DEFINITIONS,
)
from helpers.indicators.front_door import (
    Definition,
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

FAMILIES = (front_door, social_care, lado_training, partners)

DEFINITIONS: dict[str, Definition] = {}
for _family in FAMILIES:
    DEFINITIONS.update(_family.DEFINITIONS)

__all__ = [
    "DEFINITIONS", "FAMILIES", "FRONT_DOOR_DEFINITIONS", "Definition", "assessment_factors",
    "benchmark_series", "compare", "contact_factors", "contact_outcomes", "counts_by_period",
    "factor_prevalence", "is_re_referral", "re_referrals", "referral_sources",
]

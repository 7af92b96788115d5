"""Partner figures: the latest inspection grades (Ofsted ILACS, HMIP youth justice, CQC)."""

from __future__ import annotations

from helpers.indicators.base import Definition
from helpers.indicators.partner_returns import (
    Figures,
    register_tables,
)

DEFINITIONS: dict[str, Definition] = {}


RATINGS: Figures = {
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


register_tables(DEFINITIONS, ratings=RATINGS)

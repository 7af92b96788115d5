"""Partner figures: domestic abuse (MARAC, Operation Encompass), the National Referral
Mechanism and knife crime (MOPAC, by calendar year)."""

from __future__ import annotations

import pandas as pd

from helpers.config import previous_year
from helpers.data.loading import ReportData
from helpers.indicators.base import Definition, rank_order
from helpers.indicators.partner_returns import (
    Figures,
    Shares,
    basis,
    figure,
    folder,
    percent,
    ranked,
    register,
    register_tables,
    relative_change_pct,
)

DEFINITIONS: dict[str, Definition] = {}


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


COUNTS: Figures = {
    "marac_cases_with_child_in_household": ("domestic_abuse", "marac_cases_with_child", "",
                                            "MARAC cases with a child in the household"),
    "operation_encompass_notifications": ("domestic_abuse", "operation_encompass_notifications",
                                          "", "Operation Encompass notifications"),
    "nrm_referrals": ("nrm", "nrm_referrals", "", "NRM referrals of children"),
}


SHARES: Shares = {
    "operation_encompass_schools_pct": ("domestic_abuse", ("operation_encompass_schools", ""),
                                        ("schools", ""), "Schools in Operation Encompass (%)"),
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
}


register_tables(DEFINITIONS, counts=COUNTS, shares=SHARES)


def marac_cases_with_child_change_pct(d: ReportData) -> float:
    """This year's return against last year's: both folders' rows, one definition."""
    table = d.table("domestic_abuse")
    now = figure(folder(table, d.year, "domestic_abuse"), "marac_cases_with_child")
    before = figure(folder(table, previous_year(d.year), "domestic_abuse"), "marac_cases_with_child")
    return relative_change_pct(now, before)


register(DEFINITIONS, "marac_cases_with_child_change_pct", marac_cases_with_child_change_pct,
          "Change in MARAC cases with a child in the household (%)",
          "this year's cases minus last year's", "last year's cases (previous year's return)",
          basis("domestic_abuse"))


def knife_crime_victims_aged_10_24(d: ReportData) -> int:
    return int(latest_calendar_year_total(d.current("knife_crime")))


register(DEFINITIONS, "knife_crime_victims_aged_10_24", knife_crime_victims_aged_10_24,
          "Knife crime with injury victims aged 10-24 (latest calendar year)",
          "monthly victims summed over the latest calendar year in the return",
          basis=basis("knife_crime"))


NRM_REPORT_NAMES = {"Criminal exploitation": "CCE", "Forced labour": "forced labour",
                    "Sexual exploitation": "CSE"}


def nrm_types_rank_order(d: ReportData) -> str:
    frame = d.current("nrm")
    top = ranked(frame, "nrm_by_type", 3)
    shares = [percent(figure(frame, "nrm_by_type", t), figure(frame, "nrm_referrals"))
              for t in top]
    return rank_order([NRM_REPORT_NAMES.get(t, t) for t in top], shares)


register(DEFINITIONS, "nrm_types_rank_order", nrm_types_rank_order, "NRM referral types, most common first",
          "NRM referrals by type", "NRM referrals", basis("nrm"))

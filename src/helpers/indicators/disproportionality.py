"""Indicators: ethnic disproportionality along the child protection journey.

For each stage (referral, assessment, S47, ICPC, plan start, looked after at 31 March and,
optionally, missing) the distinct children of each major ethnic group as a share of every
child at that stage, and its ratio to the group's share of the child population.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

import numpy as np
import pandas as pd

from helpers.data import code_lists as codes
from helpers.data.loading import ReportData
from helpers.indicators.base import Definition, current_tables, measure, pct, per_year, pick
from helpers.indicators.looked_after import cla_at_year_end
from helpers.indicators.periods import (
    child_attribute,
    in_year,
)
from helpers.indicators.population import population_shares

DEFINITIONS: dict[str, Definition] = {
    "ethnic_disproportionality": Definition(
        "Ethnic group shares along the child protection journey",
        "distinct children of each major ethnic group at each stage (referral, assessment, "
        "S47, ICPC, plan start, looked after at 31 March)",
        "all distinct children at that stage, including ethnicity not known",
        "Ratio to the group's share of the 0-17 population (population table)."),
}


STAGES: tuple[str, ...] = ("referral", "assessment", "s47", "icpc", "cp_plan", "cla")


STAGE_LABELS: Mapping[str, str] = {
    "population": "Child population", "referral": "Referral", "assessment": "Assessment",
    "s47": "Section 47 enquiry", "icpc": "ICPC", "cp_plan": "Child protection plan",
    "cla": "Looked after (31 March)", "missing": "Missing",
}


def _members(frame: pd.DataFrame, mask: pd.Series, stage: str) -> pd.DataFrame:
    return frame.loc[mask, ["period", "child_id"]].drop_duplicates().assign(stage=stage)


def stage_members(referrals: pd.DataFrame, assessments: pd.DataFrame, section47: pd.DataFrame,
                  plans: pd.DataFrame, episodes: pd.DataFrame,
                  missing: pd.DataFrame | None = None) -> pd.DataFrame:
    """Distinct children at each stage of the journey in each year (period, stage, child_id).

    Referral: referred in the year; assessment: assessment authorised in the year; s47:
    enquiry started in the year; icpc: conference held in the year; cp_plan: plan started in
    the year; cla: looked after at 31 March; missing (optional): reported missing in the year.
    """
    parts = [
        _members(referrals, pd.Series(True, index=referrals.index), "referral"),
        _members(assessments, pd.Series(True, index=assessments.index), "assessment"),
        _members(section47, in_year(section47["start_date"], section47["period"]), "s47"),
        _members(section47, in_year(section47["icpc_date"], section47["period"]), "icpc"),
        _members(plans, in_year(plans["start_date"], plans["period"]), "cp_plan"),
        cla_at_year_end(episodes)[["period", "child_id"]].assign(stage="cla"),
    ]
    if missing is not None:
        parts.append(_members(missing, pd.Series(True, index=missing.index), "missing"))
    return pd.concat(parts, ignore_index=True)[["period", "stage", "child_id"]]


def ethnic_group_shares(members: pd.DataFrame, children: pd.DataFrame) -> pd.DataFrame:
    """Each major ethnic group's share (%) of the distinct children at each stage and year.

    Children whose ethnicity is refused or not yet obtained form "Not known" and stay in the
    denominator, so the named groups' shares are of every child at the stage.
    """
    groups = child_attribute(members, children, "ethnicity").map(codes.ETHNIC_GROUP).fillna("Not known")
    counted = members.assign(ethnic_group=groups)
    out = counted.groupby(["period", "stage", "ethnic_group"]).size().rename("count").reset_index()
    out["children"] = out.groupby(["period", "stage"])["count"].transform("sum")
    out["pct"] = pct(out["count"], out["children"])
    return out


def disproportionality(members: pd.DataFrame, children: pd.DataFrame,
                       population: pd.DataFrame) -> pd.DataFrame:
    """The matrix the chapter charts: group x stage shares (%) with the population first, and
    each share's ratio to the group's population share (above 1 = over-represented)."""
    shares = ethnic_group_shares(members, children)
    pop = population_shares(population)
    pop_rows = pop.rename(columns={"population": "count"}).assign(
        stage="population", children=pop.groupby("period")["population"].transform("sum"))
    out = pd.concat([pop_rows[shares.columns], shares], ignore_index=True)
    out = out.merge(pop[["period", "ethnic_group", "pct"]].rename(columns={"pct": "population_pct"}),
                    on=["period", "ethnic_group"], how="left")
    out["ratio"] = out["pct"] / out["population_pct"]
    order = {s: i for i, s in enumerate(["population", *STAGES, "missing"])}
    out["stage_label"] = out["stage"].map(STAGE_LABELS)
    return (out.assign(_order=out["stage"].map(order))
            .sort_values(["period", "_order", "ethnic_group"]).drop(columns="_order")
            .reset_index(drop=True))


# --- measures --------------------------------------------------------------------------------


@per_year
def _stage_shares(d: ReportData) -> pd.DataFrame:
    members = stage_members(*current_tables(d, "referrals", "assessments", "section47", "cp_plans",
                                      "cla_episodes", "missing_episodes"))
    return ethnic_group_shares(members, d.current("children"))


def _group_share(stage: str, group: str) -> Callable[[ReportData], float]:
    def share(d: ReportData) -> float:
        return pick(_stage_shares(d), d.year, stage=stage, ethnic_group=group)

    share.__doc__ = f"{group} children's share of children at stage '{stage}' (%)."
    return share


def _population_share(group: str) -> Callable[[ReportData], float]:
    def share(d: ReportData) -> float:
        return pick(population_shares(d.current("population")), d.year, ethnic_group=group)

    share.__doc__ = f"{group} children's share of the child population (%)."
    return share


GROUP_STAGE_MEASURES: Mapping[str, tuple[str, str]] = {
    "black_share_s47_pct": ("s47", "Black"),
    "black_share_icpc_pct": ("icpc", "Black"),
    "black_share_cla_pct": ("cla", "Black"),
    "white_share_referrals_pct": ("referral", "White"),
    "mixed_share_referral_assessment_pct": ("referral", "Mixed"),
    "mixed_share_cla_pct": ("cla", "Mixed"),
    "missing_cohort_black_pct": ("missing", "Black"),
}


_POPULATION_COMPARATOR = {"black_share_s47_pct", "black_share_icpc_pct", "black_share_cla_pct",
                          "white_share_referrals_pct"}


measure("black_share_child_population_pct")(_population_share("Black"))


measure("white_share_population_pct")(_population_share("White"))


for _indicator, (_stage, _group) in GROUP_STAGE_MEASURES.items():
    measure(_indicator, comparator=_population_share(_group)
            if _indicator in _POPULATION_COMPARATOR else None)(_group_share(_stage, _group))


# ---- added for chapter 07
# The disproportionality matrix with a contact stage and a Wilson interval per ratio.


def wilson_interval(count: float, total: float, z: float = 1.96) -> tuple[float, float]:
    """Wilson score interval for a proportion ``count / total`` (as fractions 0-1).

    Wilson rather than the normal approximation because small groups at late stages (a
    handful of ICPCs) give shares near 0 or 1, where the normal interval leaves [0, 1].
    """
    if total <= 0:
        return float("nan"), float("nan")
    p = count / total
    denominator = 1 + z * z / total
    centre = (p + z * z / (2 * total)) / denominator
    half = z * np.sqrt(p * (1 - p) / total + z * z / (4 * total * total)) / denominator
    return float(max(0.0, centre - half)), float(min(1.0, centre + half))


def disproportionality_ratio(stage_count: float, stage_total: float,
                             population_share_pct: float, z: float = 1.96) -> tuple[float, float, float]:
    """A group's share at a stage over its share of the child population, with the
    Wilson interval of the stage share divided by the same population share.

    The population share is a census count of the whole child population, not a sample,
    so it is taken as fixed: the uncertainty is in the stage's (much smaller) cohort.
    Returns ``(ratio, low, high)``; 1 means represented in line with the population.
    """
    if stage_total <= 0 or not population_share_pct > 0:
        return float("nan"), float("nan"), float("nan")
    share = population_share_pct / 100
    low, high = wilson_interval(stage_count, stage_total, z)
    return stage_count / stage_total / share, low / share, high / share


DISPROPORTIONALITY_GROUPS: tuple[str, ...] = ("Black", "White", "Mixed", "Asian", "Other")
DISPROPORTIONALITY_STAGES: tuple[str, ...] = ("population", "contact", *STAGES)


def disproportionality_matrix(members: pd.DataFrame, children: pd.DataFrame,
                              population: pd.DataFrame) -> pd.DataFrame:
    """Group x stage shares and ratios (with Wilson intervals) for the five major groups.

    ``members`` as :func:`stage_members` gives, optionally with ``contact`` rows. Adds
    ``low``/``high`` (the ratio's interval) and ``stage_label`` to :func:`disproportionality`.
    """
    out = disproportionality(members, children, population)
    out = out[out["ethnic_group"].isin(DISPROPORTIONALITY_GROUPS)
              & out["stage"].isin(DISPROPORTIONALITY_STAGES)].copy()
    bounds = [disproportionality_ratio(c, n, p) if s != "population" else (1.0, 1.0, 1.0)
              for c, n, p, s in zip(out["count"], out["children"], out["population_pct"],
                                    out["stage"], strict=True)]
    out[["ratio", "low", "high"]] = pd.DataFrame(bounds, index=out.index)
    labels = {**STAGE_LABELS, "contact": "Contact"}
    out["stage_label"] = out["stage"].map(labels)
    order = {s: i for i, s in enumerate(DISPROPORTIONALITY_STAGES)}
    groups = {g: i for i, g in enumerate(DISPROPORTIONALITY_GROUPS)}
    return (out.assign(_s=out["stage"].map(order), _g=out["ethnic_group"].map(groups))
            .sort_values(["period", "_s", "_g"]).drop(columns=["_s", "_g"])
            .reset_index(drop=True))


@per_year
def journey_members(d: ReportData) -> pd.DataFrame:
    """Distinct children at each stage of the year, from contact to looked after."""
    members = stage_members(*current_tables(d, "referrals", "assessments", "section47",
                                            "cp_plans", "cla_episodes"))
    contacts = d.current("contacts")
    contact = _members(contacts, contacts["child_id"].notna(), "contact")
    return pd.concat([contact[members.columns], members], ignore_index=True)


@per_year
def disproportionality_for(d: ReportData) -> pd.DataFrame:
    """The report year's disproportionality matrix (what the chapter's heatmap draws)."""
    return disproportionality_matrix(journey_members(d), d.current("children"),
                                     d.current("population"))

"""Indicators: child protection (section 47 enquiries, plans at 31 March, plan starts).

"Becoming subject to a plan" counts plan starts in the year and "on a plan" counts plans
open at 31 March, as in DfE's children in need statistics; rates per 10,000 use the same
population table as every other rate (``helpers.indicators.population``).
"""

from __future__ import annotations

import pandas as pd

from helpers.config import previous_year
from helpers.data.loading import ReportData
from helpers.data.schema_social_care import (
    CP_CATEGORY,
)
from helpers.indicators.base import Definition, current_tables, measure, pct, pick, rank_order, rate
from helpers.indicators.front_door import benchmark_series
from helpers.indicators.periods import (
    in_year,
    open_at,
    year_end,
)
from helpers.indicators.population import per_10k

DEFINITIONS: dict[str, Definition] = {
    "referrals_to_s47_pct": Definition(
        "Referrals leading to a section 47 enquiry",
        "referrals in the year with a section 47 enquiry that followed them",
        "referrals in the year", "CIN census: Section47 module linked to its referral."),
    "cpp_total": Definition(
        "Children on a child protection plan at 31 March", "plans open at 31 March", "-",
        "DfE children in need statistics (table D1)."),
    "cpp_category_rank_order": Definition(
        "Plans starting in the year by initial category of abuse",
        "plans starting in the year with each initial category", "plans starting in the year",
        "CIN census InitialCategoryOfAbuse; 'becoming subject to a plan' counts plan starts."),
    "cpp_rate_per_10k_neglect": Definition(
        "Children becoming subject to a plan for neglect, per 10,000",
        "plans starting in the year with initial category neglect",
        "children aged 0-17 (population table) / 10,000",
        "DfE children in need statistics (plan starts by category)."),
}


def referrals_with_s47(referrals: pd.DataFrame, section47: pd.DataFrame) -> pd.DataFrame:
    """Referrals per year and the share followed by a section 47 enquiry."""
    followed = set(section47["referral_id"])
    return rate(referrals.assign(s47=referrals["referral_id"].isin(followed)), "s47")


def cp_plans_open_at_year_end(plans: pd.DataFrame) -> pd.DataFrame:
    """Children on a child protection plan at 31 March of each year (the 5-year trend)."""
    open_now = plans[open_at(plans["start_date"], plans["end_date"], year_end(plans["period"]))]
    counts = open_now.groupby("period")["child_id"].nunique().rename("count")
    periods = pd.Index(sorted(plans["period"].unique()), name="period")
    return counts.reindex(periods, fill_value=0).reset_index()


def cp_plan_starts(plans: pd.DataFrame) -> pd.DataFrame:
    """Plans starting in each year by initial category: count, share, rank and label."""
    starts = plans[in_year(plans["start_date"], plans["period"])]
    out = (starts.groupby(["period", "initial_category"]).size().rename("count").reset_index()
           .rename(columns={"initial_category": "category"}))
    out["pct"] = pct(out["count"], out.groupby("period")["count"].transform("sum"))
    out["rank"] = out.groupby("period")["count"].rank(method="min", ascending=False).astype(int)
    out["label"] = out["category"].map(CP_CATEGORY)
    return out.sort_values(["period", "rank", "category"], ignore_index=True)


def cp_plan_start_rates(plans: pd.DataFrame, population: pd.DataFrame) -> pd.DataFrame:
    """Plan starts per 10,000 children by category, with an ``ALL`` row per period."""
    by_category = cp_plan_starts(plans)[["period", "category", "count"]]
    total = by_category.groupby("period")["count"].sum().reset_index().assign(category="ALL")
    return per_10k(pd.concat([by_category, total], ignore_index=True), population)


# --- measures --------------------------------------------------------------------------------


@measure("referrals_to_s47_pct")
def referrals_to_s47_pct(d: ReportData) -> float:
    """Referrals in the year followed by a section 47 enquiry (%)."""
    return pick(referrals_with_s47(*current_tables(d, "referrals", "section47")), d.year)


@measure("cpp_total")
def cpp_total(d: ReportData) -> int:
    """Children on a child protection plan at 31 March."""
    return int(pick(cp_plans_open_at_year_end(d.current("cp_plans")), d.year, "count"))


@measure("cpp_category_rank_order")
def cpp_category_rank_order(d: ReportData) -> str:
    """Initial categories of plans starting in the year, most common first."""
    starts = cp_plan_starts(d.current("cp_plans"))
    return rank_order(starts[starts["category"] != "MUL"]["label"].head(4).tolist())


def largest_plan_category(plans: pd.DataFrame, year: str) -> str:
    """The most common initial category of plans starting in ``year``."""
    starts = cp_plan_starts(plans)
    return str(starts.loc[starts["period"] == year, "label"].iloc[0])


@measure("cpp_largest_category_previous")
def cpp_largest_category_previous(d: ReportData) -> str:
    """The most common initial category of plans starting in the year before the report
    year (the category the report says 2024-25 shifted away from)."""
    previous = previous_year(d.year)
    if not d.has_year(previous):
        return "not available"
    return largest_plan_category(d.for_year(previous).current("cp_plans"), previous)


@measure("cpp_neglect_category_rank")
def cpp_neglect_category_rank(d: ReportData) -> int:
    """Rank of neglect among the initial categories of plans starting in the year."""
    return int(pick(cp_plan_starts(d.current("cp_plans")), d.year, "rank", category="NEG"))


def _start_rate(d: ReportData, category: str) -> float:
    rates = cp_plan_start_rates(d.current("cp_plans"), d.current("population"))
    return pick(rates, d.year, "rate_per_10k", category=category)


def _benchmark(d: ReportData, indicator: str, area: str) -> float:
    series = benchmark_series(d.current("benchmarks"), indicator)
    return pick(series, d.year, "value", area=area)


def cpp_neglect_benchmarks(d: ReportData) -> str:
    """Inner London and England rates of plan starts for neglect, as the report pairs them."""
    values = [_benchmark(d, "cpp_rate_per_10k_neglect", a) for a in ("Inner London", "England")]
    return " | ".join(f"{v:g}" for v in values)


@measure("cpp_rate_per_10k_neglect", comparator=cpp_neglect_benchmarks)
def cpp_rate_per_10k_neglect(d: ReportData) -> float:
    """Plans starting in the year for neglect per 10,000 children aged 0-17."""
    return _start_rate(d, "NEG")


@measure("cpp_rate_sexual_abuse_trend")
def cpp_rate_sexual_abuse_trend(d: ReportData) -> str:
    """Whether the rate of plan starts for sexual abuse rose or fell on the previous year."""
    if not d.has_year(previous_year(d.year)):
        return "not available"
    now, before = _start_rate(d, "SAB"), _start_rate(d.for_year(previous_year(d.year)), "SAB")
    return "decrease" if now < before else "increase" if now > before else "no change"


@measure("cpp_rate_sexual_abuse_vs_benchmarks")
def cpp_rate_sexual_abuse_vs_benchmarks(d: ReportData) -> str:
    """The sexual abuse plan-start rate against Inner London and England: lower/higher/mixed."""
    rate = _start_rate(d, "SAB")
    others = [_benchmark(d, "cpp_rate_per_10k_sexual_abuse", a) for a in ("Inner London", "England")]
    if all(rate < o for o in others):
        return "lower"
    return "higher" if all(rate > o for o in others) else "mixed"

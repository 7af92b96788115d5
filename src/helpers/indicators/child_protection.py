"""Indicators: child protection (section 47 enquiries, plans at 31 March, plan starts).

"Becoming subject to a plan" counts plan starts in the year and "on a plan" counts plans
open at 31 March, as in DfE's children in need statistics; rates per 10,000 use the same
population table as every other rate (``helpers.indicators.population``).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

import pandas as pd

from helpers.config import previous_year
from helpers.data.loading import ReportData
from helpers.data.schema_social_care import (
    CP_CATEGORY,
)
from helpers.indicators.base import (
    Definition,
    NotAvailable,
    current_tables,
    measure,
    pct,
    per_year,
    pick,
    rank_order,
    rate,
)
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


@measure("referrals_to_s47_pct", denominator="cp_journey_referrals")
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


# ---- added for chapter 07
# The child protection journey as one cohort (referrals -> S47 -> ICPC -> plan), plans per
# 10,000 children at 31 March, repeat plans and long plans.

JOURNEY_STAGES: Mapping[str, str] = {
    "referral": "Referrals", "s47": "Section 47 enquiries", "icpc": "Initial child protection "
    "conferences", "cp_plan": "Child protection plans started",
}


def cp_journey(referrals: pd.DataFrame, section47: pd.DataFrame,
               plans: pd.DataFrame) -> pd.DataFrame:
    """The year's referrals followed down the journey: how many reached each stage.

    One cohort, so each stage is a subset of the one before and every conversion is a
    true share: referrals in the year; those followed by a section 47 enquiry; enquiries
    that went to an initial conference; conferences whose enquiry led to a plan. Columns:
    ``period``, ``stage``, ``label``, ``count``, ``previous`` (the stage before's count)
    and ``pct`` (conversion from it; NaN for the first stage).
    """
    enquiries = section47[section47["referral_id"].isin(set(referrals["referral_id"]))]
    conferences = enquiries[enquiries["icpc_date"].notna()]
    planned = conferences[conferences["s47_id"].isin(set(plans["s47_id"].dropna()))]
    rows = []
    periods = sorted(referrals["period"].unique())
    for stage, frame, column in (("referral", referrals, "referral_id"),
                                 ("s47", enquiries, "referral_id"),
                                 ("icpc", conferences, "s47_id"),
                                 ("cp_plan", planned, "s47_id")):
        counts = frame.groupby("period")[column].nunique().reindex(periods, fill_value=0)
        rows.extend({"period": p, "stage": stage, "label": JOURNEY_STAGES[stage],
                     "count": int(n)} for p, n in counts.items())
    out = pd.DataFrame(rows, columns=["period", "stage", "label", "count"])
    out["previous"] = out.groupby("period")["count"].shift(1)
    out["pct"] = pct(out["count"], out["previous"])
    order = {s: i for i, s in enumerate(JOURNEY_STAGES)}
    return (out.assign(_o=out["stage"].map(order)).sort_values(["period", "_o"])
            .drop(columns="_o").reset_index(drop=True))


def cp_plan_rates_at_year_end(plans: pd.DataFrame, population: pd.DataFrame) -> pd.DataFrame:
    """Children on a plan at 31 March per 10,000 children aged 0-17 (DfE's table D1 rate)."""
    return per_10k(cp_plans_open_at_year_end(plans), population)


def repeat_plans(plans: pd.DataFrame) -> pd.DataFrame:
    """Plans starting in each year, and the share that were a second or later plan.

    A plan is a repeat when the same child had a plan that started earlier, in any year the
    stacked table holds. The extracts reach back five years at most, so this undercounts
    DfE's "ever" measure for children whose earlier plan is older than that.
    """
    history = plans.drop_duplicates("plan_id")[["child_id", "plan_id", "start_date"]]
    first = history.groupby("child_id")["start_date"].min().rename("first_start")
    starts = plans[in_year(plans["start_date"], plans["period"])].drop_duplicates(
        ["period", "plan_id"])
    starts = starts.merge(first, left_on="child_id", right_index=True, how="left")
    return rate(starts.assign(repeat=starts["start_date"] > starts["first_start"]), "repeat")


def long_plans_ceasing(plans: pd.DataFrame, years: int = 2) -> pd.DataFrame:
    """Plans ending in each year, and the share that had lasted ``years`` years or more
    (DfE's measure of plans ceasing that lasted two years or more)."""
    ended = plans[plans["end_date"].notna() & in_year(plans["end_date"], plans["period"])]
    long = ended["end_date"] >= ended["start_date"] + pd.DateOffset(years=years)
    return rate(ended.assign(long=long), "long")


@per_year
def _journey(d: ReportData) -> pd.DataFrame:
    return cp_journey(*current_tables(d, "referrals", "section47", "cp_plans"))


def _journey_count(stage: str) -> Callable[[ReportData], int]:
    def count(d: ReportData) -> int:
        return int(pick(_journey(d), d.year, "count", stage=stage))

    count.__doc__ = f"This year's referrals reaching the stage: {JOURNEY_STAGES[stage].lower()}."
    return count


def _journey_pct(stage: str) -> Callable[[ReportData], float]:
    def share(d: ReportData) -> float:
        return pick(_journey(d), d.year, stage=stage)

    share.__doc__ = f"Conversion to the stage from the one before: {JOURNEY_STAGES[stage].lower()} (%)."
    return share


measure("cp_journey_referrals")(_journey_count("referral"))
measure("cp_journey_s47")(_journey_count("s47"))
measure("cp_journey_icpc")(_journey_count("icpc"))
measure("cp_journey_cp_plan")(_journey_count("cp_plan"))
measure("cp_journey_s47_to_icpc_pct", denominator="cp_journey_s47")(_journey_pct("icpc"))
measure("cp_journey_icpc_to_plan_pct", denominator="cp_journey_icpc")(_journey_pct("cp_plan"))


@measure("cpp_rate_per_10k")
def cpp_rate_per_10k(d: ReportData) -> float:
    """Children on a child protection plan at 31 March per 10,000 children aged 0-17."""
    return pick(cp_plan_rates_at_year_end(*current_tables(d, "cp_plans", "population")), d.year,
                "rate_per_10k")


@measure("cpp_rate_per_10k_sexual_abuse")
def cpp_rate_per_10k_sexual_abuse(d: ReportData) -> float:
    """Plans starting in the year for sexual abuse per 10,000 children aged 0-17."""
    return _start_rate(d, "SAB")


@measure("cpp_starts_total")
def cpp_starts_total(d: ReportData) -> int:
    """Child protection plans starting in the year."""
    starts = cp_plan_starts(d.current("cp_plans"))
    return int(starts.loc[starts["period"] == d.year, "count"].sum())


@per_year
def _plan_history(d: ReportData) -> pd.DataFrame:
    """Every plan the data folder holds up to the report year (for repeat plans)."""
    return d.table("cp_plans")


@measure("cpp_repeat_plans_pct", denominator="cpp_starts_total")
def cpp_repeat_plans_pct(d: ReportData) -> float:
    """Plans starting in the year that were a second or later plan for the child (%)."""
    if len(d.periods) < 2:
        raise NotAvailable("repeat plans need at least one earlier year of plans")
    return pick(repeat_plans(_plan_history(d)), d.year)


@measure("cpp_ceased_total")
def cpp_ceased_total(d: ReportData) -> int:
    """Child protection plans that ended in the year."""
    return int(pick(long_plans_ceasing(d.current("cp_plans")), d.year, "denominator"))


@measure("cpp_ceased_2plus_years_pct", denominator="cpp_ceased_total")
def cpp_ceased_2plus_years_pct(d: ReportData) -> float:
    """Plans ending in the year that had lasted two years or more (%)."""
    return pick(long_plans_ceasing(d.current("cp_plans")), d.year)

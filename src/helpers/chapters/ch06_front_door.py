"""Chapter 6, Children and Families Contact Service: the front door, early help and MASH.

Each ``*_section`` function takes the loaded data and the chapter's figure register and
returns what the notebook shows, in order: Markdown text (every number in it recorded in
the register) and charts. Keeping the wording here, next to the indicators it describes,
keeps the notebook thin and lets the tests read exactly what a reader will read.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from helpers import indicators as ind
from helpers.config import partnership, previous_year
from helpers.data import narrative
from helpers.data.loading import load_meta, load_table, load_trend
from helpers.indicators import front_door as front_door_measures
from helpers.indicators.trends import direction, value_at, year_on_year
from helpers.report import charts
from helpers.report.figure_register import FigureRegister

CHAPTER = 6
# Indicator names the figure register uses for the figures the reference report states.
SOURCE_SLUGS = {
    "Police": "police", "Local Authority services": "la_services", "Health": "health",
    "Schools": "schools", "Individual": "individuals", "Housing": "housing",
    "Other legal agency": "other_legal_agency", "Other education services": "other_education",
    "Other": "other", "Anonymous": "anonymous", "Unknown": "unknown",
}
# The factor figures the report names, with the same indicator names as their measures.
FACTOR_INDICATORS = {code: name for name, code in front_door_measures.FACTOR_MEASURES.items()}
# How many percentage points of drift across the years still counts as "similar".
SIMILAR_SPREAD = 2.0


@dataclass(frozen=True)
class FrontDoorData:
    """Everything chapter 6 reads, for up to five years ending at ``year``."""

    year: str
    meta: dict
    contacts: pd.DataFrame
    referrals: pd.DataFrame
    assessments: pd.DataFrame
    assessment_factors: pd.DataFrame
    benchmarks: pd.DataFrame
    narrative: pd.DataFrame

    @property
    def previous(self) -> str:
        return previous_year(self.year)

    @property
    def periods(self) -> list[str]:
        return sorted(self.contacts["period"].unique())

    @property
    def has_previous(self) -> bool:
        return self.previous in self.periods

    @property
    def source(self) -> str:
        note = f"Source: {partnership().local_authority} children's social care records"
        return note + (" (synthetic demo data)." if self.meta.get("synthetic") else ".")


def load(year: str, data_dir: Path | str) -> FrontDoorData:
    """Read the processed tables chapter 6 needs."""
    return FrontDoorData(
        year=year,
        meta=load_meta(year, data_dir),
        contacts=load_trend("contacts", year, data_dir),
        referrals=load_trend("referrals", year, data_dir),
        assessments=load_trend("assessments", year, data_dir),
        assessment_factors=load_trend("assessment_factors", year, data_dir),
        benchmarks=load_trend("benchmarks", year, data_dir),
        narrative=load_table(narrative.FOLDER, year, data_dir),
    )


def words(d: FrontDoorData, block: str) -> list:
    """The partnership's own text block for this chapter ('' shows nothing if absent)."""
    text = narrative.block(d.narrative, CHAPTER, block)
    return [text] if text else []


def _rising_words(trend: str) -> str:
    return {"increasing": "risen every year", "decreasing": "fallen every year",
            "flat": "stayed level", "mixed": "gone up and down"}[trend]


def _trend_title(subject: str, values: pd.DataFrame, year: str, shown: str) -> str:
    """A title stating the finding: the direction over the years, or the value if only one."""
    shape = direction(values)
    if shape == "single year":
        return f"{subject}: {shown} in {year}"
    return f"{subject} have {_rising_words(shape)} since {values.index[0]}"


def contacts_section(d: FrontDoorData, reg: FigureRegister) -> list:
    """6.1: how many contacts came to the front door, and the five-year trend."""
    trend = year_on_year(ind.counts_by_period(d.contacts, "contacts"), "contacts")
    reg.series("6.1", "contacts_total", trend, "Contacts to the front door", "contacts", "count")
    now = reg.count("6.1", "contacts_total", "Contacts to the front door",
                    value_at(trend, d.year, "contacts"))
    text = f"The front door received **{now}** contacts in {d.year}"
    if d.has_previous:
        change = reg.change("6.1", "contacts_change_pct", "Change in contacts on the previous year",
                            value_at(trend, d.year, "change_pct"))
        before = reg.count("6.1", "contacts_total", "Contacts to the front door",
                           value_at(trend, d.previous, "contacts"), period=d.previous)
        text += f" ({change} compared with {before} in {d.previous})"
    first = trend["period"].iloc[0]
    shape = direction(trend["contacts"])
    text += "."
    if len(trend) > 2:
        reg.category("6.1", "contacts_trend_5yr", "Direction of contacts over the period", shape,
                     period=f"{first} to {d.year}")
        text += f" Since {first}, the number of contacts has {_rising_words(shape)}."
    chart = charts.bar_chart(
        trend, "period", "contacts",
        title=_trend_title("Contacts to the front door", trend.set_index("period")["contacts"],
                           d.year, now),
        alt=(f"Bar chart of contacts to the front door per year, {first} to {d.year}; "
             f"{d.year} had {now} contacts."),
        source=d.source, xlabel="Year", ylabel="Contacts",
    )
    return [text, chart]


def referral_sources_section(d: FrontDoorData, reg: FigureRegister) -> list:
    """6.1: who referred children to social care this year, compared with last year."""
    periods = [p for p in (d.previous, d.year) if p in d.periods]
    sources = ind.referral_sources(d.referrals[d.referrals["period"].isin(periods)])
    totals = sources.groupby("period")["count"].transform("sum")
    shown: dict[tuple[str, str], str] = {}
    for row in sources.assign(denominator=totals).itertuples(index=False):
        indicator = f"referrals_from_{SOURCE_SLUGS[row.source_group]}_pct"
        shown[(row.period, row.source_group)] = reg.percent(
            "6.1", indicator, f"Referrals from {row.source_group}", row.pct, row.denominator,
            period=row.period, numerator=row.count)
    now = sources[sources["period"] == d.year]
    top = now.head(4)["source_group"].tolist()
    reg.rank_order("6.1", "referral_sources_rank_order", "Largest sources of referrals",
                   [f"{g} ({shown[(d.year, g)]})" for g in top])
    if "Schools" in set(now["source_group"]):
        rank = int(now.loc[now["source_group"] == "Schools", "rank"].iloc[0])
        reg.category("6.1", "referrals_from_schools_rank", "Rank of schools as a referral source",
                     str(rank), unit="rank")
    parts = [f"{g} ({shown[(d.year, g)]}" + (
        f", against {shown[(d.previous, g)]} in {d.previous})"
        if (d.previous, g) in shown and g == "Local Authority services" else ")") for g in top]
    text = (f"**Who referred.** The largest share of referrals in {d.year} came from "
            f"{parts[0]}, then {parts[1]}, {parts[2]} and {parts[3]}.")
    order = now["source_group"].tolist()
    chart = charts.bar_chart(
        sources, "source_group", "pct", "period", horizontal=True, percent=True,
        order=order, hue_order=periods, decimals=0, numerator="count",
        title=f"{top[0]} made the most referrals in {d.year}, followed by {top[1]}",
        alt=(f"Horizontal bar chart comparing the share of referrals from each source in "
             f"{' and '.join(periods)}; in {d.year} {top[0]} made "
             f"{shown[(d.year, top[0])]} and {top[1]} {shown[(d.year, top[1])]}."),
        source=d.source, xlabel="Source of referral", ylabel="Share of referrals",
    )
    return [text, chart]


def re_referral_section(d: FrontDoorData, reg: FigureRegister) -> list:
    """6.1: re-referrals within 12 months, against Inner London and England."""
    rates = ind.re_referrals(d.referrals)
    reg.series("6.1", "re_referral_rate", rates.assign(denominator=rates["referrals"]),
               "Re-referral rate", "rate", "percent", denominator="denominator", decimals=1)
    now = value_at(rates, d.year, "rate")
    shown_rate = reg.percent("6.1", "re_referral_rate", "Re-referral rate", now,
                             value_at(rates, d.year, "referrals"), decimals=1)
    count = reg.count("6.1", "re_referrals_total", "Re-referrals within 12 months",
                      value_at(rates, d.year, "re_referrals"))
    text = (f"**Re-referrals.** {shown_rate} of referrals in {d.year} ({count}) concerned a child "
            f"referred within the previous 12 months")
    if d.has_previous:
        change = now - value_at(rates, d.previous, "rate")
        text += (", a change of " + reg.change(
            "6.1", "repeat_referral_rate_change", "Change in re-referral rate (points)", change,
            unit="percentage points") + f" on {d.previous}")
    text += "."
    bench = ind.benchmark_series(d.benchmarks, "re_referral_rate")
    area_name = partnership().local_authority
    comparisons = []
    for area, slug in (("Inner London", "inner_london"), ("England", "national")):
        rows = bench[(bench["area"] == area) & (bench["period"] == d.year)]
        if rows.empty:
            continue
        value = float(rows["value"].iloc[0])
        words = ind.compare(now, value)
        reg.category("6.1", f"repeat_referral_rate_vs_{slug}", f"Re-referral rate against {area}",
                     words)
        shown = reg.rate("6.1", f"re_referral_rate_{slug}", f"Re-referral rate, {area}", value)
        comparisons.append(f"{words}{' with' if words == 'in line' else ''} {area} ({shown}%)")
    if comparisons:
        text += f" {area_name}'s rate was " + " and ".join(comparisons) + "."
    lines = pd.concat([rates.assign(area=area_name)[["period", "area", "rate"]],
                       bench.rename(columns={"value": "rate"})], ignore_index=True)
    lines = lines[lines["period"].isin(rates["period"])]
    chart = charts.line_chart(
        lines, "period", "rate", "area", percent=True,
        order=[area_name, *[a for a in partnership().benchmark_areas if a in set(lines["area"])]],
        title=(f"{area_name}'s re-referral rate was {shown_rate} in {d.year}"
               + (f", {comparisons[0]}" if comparisons else "")),
        alt=(f"Line chart of the percentage of referrals that were re-referrals within 12 "
             f"months, {rates['period'].iloc[0]} to {d.year}, for {area_name} and its comparator "
             f"areas; {area_name} was {shown_rate} in {d.year}."),
        source=d.source + " Comparator areas: DfE children in need statistics"
        + (" (synthetic stand-ins)." if d.meta.get("synthetic") else "."),
        xlabel="Year", ylabel="Re-referrals as % of referrals",
    )
    return [text, chart]


def early_help_section(d: FrontDoorData, reg: FigureRegister) -> list:
    """6.2: contacts passed to early help."""
    outcomes = ind.contact_outcomes(d.contacts)
    eh = outcomes[outcomes["outcome"] == "EH"].reset_index(drop=True)
    reg.series("6.2", "contacts_progressed_to_early_help", eh, "Contacts passed to early help",
               "count", "count")
    now = reg.count("6.2", "contacts_progressed_to_early_help", "Contacts passed to early help",
                    value_at(eh, d.year, "count"))
    share = reg.percent("6.2", "contacts_to_early_help_pct", "Contacts passed to early help (%)",
                        value_at(eh, d.year, "pct"), len(d.contacts[d.contacts["period"] == d.year]))
    text = (f"**{now}** contacts ({share} of all contacts) were passed to the early help service "
            f"in {d.year}.")
    chart = charts.bar_chart(
        eh, "period", "count",
        title=_trend_title("Contacts passed to early help", eh.set_index("period")["count"],
                           d.year, now),
        alt=f"Bar chart of contacts passed to early help per year; {now} in {d.year}.",
        source=d.source, xlabel="Year", ylabel="Contacts passed to early help",
    )
    return [text, chart]


def outcomes_section(d: FrontDoorData, reg: FigureRegister) -> list:
    """6.3: what happened after contact, and whether the mix has shifted."""
    outcomes = ind.contact_outcomes(d.contacts)
    totals = outcomes.groupby("period")["count"].transform("sum")
    reg.series("6.3", "contact_outcome_pct", outcomes.assign(denominator=totals), "Contact outcome",
               "pct", "percent", denominator="denominator", category="outcome", decimals=1,
               numerator="count")
    now_total = len(d.contacts[d.contacts["period"] == d.year])
    ref_pct = reg.percent("6.3", "contacts_to_csc_referral_pct",
                          "Contacts leading to a referral to children's social care",
                          value_at(outcomes, d.year, "pct", outcome="REF"), now_total, decimals=1)
    referrals = reg.count("6.3", "referrals_to_csc_total", "Referrals to children's social care",
                          len(d.referrals[d.referrals["period"] == d.year]))
    spread = outcomes.groupby("outcome")["pct"].agg(lambda s: s.max() - s.min()).max()
    similar = "similar" if spread <= SIMILAR_SPREAD else "changed"
    text = (f"**Outcomes of contacts.** In {d.year}, {ref_pct} of contacts became a referral to "
            f"children's social care ({referrals} referrals).")
    if len(d.periods) > 1:
        reg.category("6.3", "contact_outcome_proportions_trend",
                     "Mix of contact outcomes compared with earlier years", similar,
                     period=d.year)
        text += (" The mix of outcomes has stayed much the same across the years shown, even as "
                 "the number of contacts grew." if similar == "similar" else
                 " The mix of outcomes has shifted over the years shown.")
    chart = charts.line_chart(
        outcomes, "period", "pct", "label", percent=True, numerator="count",
        order=outcomes[outcomes["period"] == d.year]["label"].tolist(),
        title=(f"{ref_pct} of contacts led to a referral in {d.year}; the mix of outcomes "
               + ("has held steady" if similar == "similar" else "has shifted")),
        alt=(f"Line chart of the share of contacts with each outcome per year; in {d.year} "
             f"{ref_pct} led to a referral to children's social care."),
        source=d.source, xlabel="Year", ylabel="Share of contacts",
    )
    return [text, chart]


def assessment_factors_section(d: FrontDoorData, reg: FigureRegister) -> list:
    """6.3: factors identified at the end of assessment, all of them, this year and last."""
    periods = [p for p in (d.previous, d.year) if p in d.periods]
    recent = d.assessments[d.assessments["period"].isin(periods)]
    factors = ind.assessment_factors(recent, d.assessment_factors)
    shown: dict[tuple[str, str], str] = {}
    for row in factors.itertuples(index=False):
        indicator = FACTOR_INDICATORS.get(row.factor, f"assessment_factor_pct.{row.factor}")
        shown[(row.period, row.factor)] = reg.percent(
            "6.3", indicator, f"Assessments identifying: {row.label}", row.pct,
            row.denominator, period=row.period, numerator=row.count)
    now = factors[factors["period"] == d.year].reset_index(drop=True)
    top = now.head(4)
    reg.rank_order("6.3", "presenting_factors_rank_order",
                   "Most common factors at the end of assessment",
                   [f"{r.label} ({shown[(d.year, r.factor)]})" for r in top.itertuples()])
    denominator = reg.count("6.3", "assessments_authorised", "Assessments completed",
                            int(now["denominator"].iloc[0]) if len(now) else 0)
    listed = "; ".join(f"{r.label.lower()} ({shown[(d.year, r.factor)]})"
                       for r in top.itertuples())
    text = (f"**Needs identified at assessment.** Of the {denominator} assessments completed in "
            f"{d.year}, the factors recorded most often were: {listed}. A single assessment "
            "can record several factors, so the shares add up to more than 100%.")
    if d.has_previous and (d.previous, "3A") in shown and (d.year, "3A") in shown:
        text += (f" Domestic abuse with the child as the subject was recorded in "
                 f"{shown[(d.year, '3A')]} of assessments, against {shown[(d.previous, '3A')]} "
                 f"in {d.previous}.")
    chart = charts.bar_chart(
        factors, "label", "pct", "period", horizontal=True, percent=True,
        order=now["label"].tolist(), hue_order=periods, decimals=0, numerator="count",
        title=(f"{top['label'].iloc[0]} was the factor most often identified at assessment "
               f"in {d.year}"),
        alt=(f"Horizontal bar chart of every factor identified at the end of assessment, as a "
             f"share of assessments, for {' and '.join(periods)}; the top factor in {d.year} "
             f"was {top['label'].iloc[0].lower()} at {shown[(d.year, top['factor'].iloc[0])]}."),
        source=d.source, xlabel="Factor", ylabel="Share of assessments",
    )
    return [text, chart]

"""Indicators, each defined once, following DfE's children in need definitions.

Functions take processed tables (stacked over years with a ``period`` column, see
``helpers.data.loading.load_trend``) and return tidy frames with one row per period and category, so
the same call feeds a chart, a table, the figure register and the tests. ``DEFINITIONS``
documents every indicator for the data dictionary.
"""

from __future__ import annotations

from collections.abc import Callable

import pandas as pd

from helpers.config import Year, previous_year
from helpers.data import code_lists as codes
from helpers.data.loading import ReportData
from helpers.indicators.base import Definition, NotAvailable, measure, per_year, rank_order
from helpers.indicators.trends import direction, value_at

DEFINITIONS: dict[str, Definition] = {
    "contacts_total": Definition(
        "Contacts to the front door", "contacts received in the year", "-",
        "Local front-door measure (no national return)."),
    "contact_outcomes": Definition(
        "Outcome of contacts", "contacts in the year with each outcome",
        "contacts received in the year", "Pack's contact outcome codes."),
    "referrals_total": Definition(
        "Referrals to children's social care", "referrals accepted in the year",
        "-", "DfE children in need census: referrals in the year."),
    "contacts_to_csc_referral_pct": Definition(
        "Contacts leading to a referral", "contacts in the year with outcome REF",
        "contacts received in the year", "Local measure."),
    "referral_sources": Definition(
        "Source of referrals", "referrals in the year from each source group",
        "referrals in the year", "CIN census ReferralSource codes, grouped as the report groups them."),
    "re_referral_rate": Definition(
        "Re-referrals within 12 months",
        "referrals in the year made within 12 months of the same child's previous referral, "
        "found in the referrals of every year held (the extract's previous referral date "
        "only for referrals older than the data held)",
        "referrals in the year", "DfE children in need statistics (table C1)."),
    "assessment_factors": Definition(
        "Factors identified at the end of assessment",
        "assessments authorised in the year recording the factor",
        "assessments authorised in the year", "DfE children in need statistics (table C3)."),
    "contact_factors": Definition(
        "Factors presented at contact", "contacts in the year presenting the factor",
        "contacts received in the year", "CIN census factor codes applied at the front door."),
}


def _share(counts: pd.DataFrame, by: str = "period") -> pd.Series:
    """Each row's count as a percentage of its period's total."""
    return counts["count"] / counts.groupby(by)["count"].transform("sum") * 100


def counts_by_period(frame: pd.DataFrame, name: str = "count") -> pd.DataFrame:
    """Number of records per period, oldest first."""
    return (frame.groupby("period").size().rename(name).reset_index()
            .sort_values("period", ignore_index=True))


def contact_outcomes(contacts: pd.DataFrame) -> pd.DataFrame:
    """Contacts by outcome and period, with each outcome's share of the period's contacts."""
    out = contacts.groupby(["period", "outcome"]).size().rename("count").reset_index()
    out["pct"] = _share(out)
    out["label"] = out["outcome"].map(codes.CONTACT_OUTCOME)
    return out.sort_values(["period", "count"], ascending=[True, False], ignore_index=True)


def referral_sources(referrals: pd.DataFrame) -> pd.DataFrame:
    """Referrals by source group and period, with share and rank (1 = most referrals)."""
    grouped = referrals.assign(source_group=referrals["source"].map(codes.REFERRAL_SOURCE_GROUP))
    out = grouped.groupby(["period", "source_group"]).size().rename("count").reset_index()
    out["pct"] = _share(out)
    out["rank"] = out.groupby("period")["count"].rank(method="min", ascending=False).astype(int)
    return out.sort_values(["period", "rank"], ignore_index=True)


def is_re_referral(referrals: pd.DataFrame) -> pd.Series:
    """True where a referral came within 12 months of the child's previous referral.

    DfE counts a re-referral when the previous referral was within 12 months; a referral on
    the same calendar date a year later is outside that window.
    """
    previous = referrals["previous_referral_date"]
    window_start = referrals["referral_date"] - pd.DateOffset(months=12)
    return previous.notna() & (previous > window_start) & (previous < referrals["referral_date"])


def re_referral_flags(referrals: pd.DataFrame) -> pd.Series:
    """True where a referral came within 12 months of the same child's previous referral,
    the previous referral found in the referral history the data holds.

    ``referrals`` is the referrals table stacked over every year held (``period``,
    ``child_id``, ``referral_date``, ``previous_referral_date``). A child's previous
    referral is their latest earlier referral in that history, whichever year's file holds
    it, so a referral in April that follows one in the previous year's March is found
    without trusting the case system's own field. The extract's ``previous_referral_date``
    is used only where the history cannot answer: when it points to a date before the
    first day of the data held (a referral older than the files). A date in that column
    that falls inside the years held but matches no referral there is not used: the
    history is what the pack can check.
    """
    ordered = referrals.sort_values(["child_id", "referral_date"], kind="stable")
    held = ordered.groupby("child_id")["referral_date"].shift()
    # Referrals on the same day are one event, not a re-referral of each other.
    held = held.where(held < ordered["referral_date"])
    held = held.groupby(ordered["child_id"]).ffill()
    first_held = pd.Timestamp(min(Year.parse(p).first_day for p in referrals["period"].unique()))
    stated = ordered["previous_referral_date"]
    previous = held.fillna(stated.where(stated < first_held)).reindex(referrals.index)
    window_start = referrals["referral_date"] - pd.DateOffset(months=12)
    return previous.notna() & (previous > window_start) & (previous < referrals["referral_date"])


def re_referrals(referrals: pd.DataFrame) -> pd.DataFrame:
    """Referrals, re-referrals and the re-referral rate (%) per period.

    ``referrals`` should hold every year available (not only the years shown), so each
    referral's history is as complete as the data allows (see ``re_referral_flags``).
    """
    flagged = referrals.assign(re_referral=re_referral_flags(referrals))
    out = flagged.groupby("period").agg(referrals=("referral_id", "size"),
                                        re_referrals=("re_referral", "sum")).reset_index()
    out["rate"] = out["re_referrals"] / out["referrals"] * 100
    return out.sort_values("period", ignore_index=True)


def factor_prevalence(records: pd.DataFrame, factors: pd.DataFrame, key: str,
                      labels: dict[str, str] | None = None) -> pd.DataFrame:
    """How many records in each period carry each factor, and what share of records that is.

    A record can carry several factors, so shares do not add up to 100%; the denominator
    is every record in the period, as in DfE's factors-at-assessment table.
    """
    labels = dict(codes.ASSESSMENT_FACTOR) if labels is None else labels
    factors = factors.rename(columns={"code": "factor"})  # processed long tables say "code"
    linked = factors[[key, "factor"]].merge(records[[key, "period"]], on=key, how="inner")
    counts = (linked.drop_duplicates([key, "factor"]).groupby(["period", "factor"]).size()
              .rename("count").reset_index())
    denominators = records.groupby("period").size().rename("denominator").reset_index()
    out = counts.merge(denominators, on="period")
    out["pct"] = out["count"] / out["denominator"] * 100
    out["label"] = out["factor"].map(labels)
    return out.sort_values(["period", "count"], ascending=[True, False], ignore_index=True)


def assessment_factors(assessments: pd.DataFrame, factors: pd.DataFrame) -> pd.DataFrame:
    """Factors identified at the end of assessments authorised in each period.

    Code 21 ("no factors identified") is a statement about the assessment, not a factor,
    so it is left out of the list but the assessment stays in the denominator.
    """
    out = factor_prevalence(assessments, factors, "assessment_id")
    return out[out["factor"] != "21"].reset_index(drop=True)


def contact_factors(contacts: pd.DataFrame, factors: pd.DataFrame) -> pd.DataFrame:
    """Factors presented at contact, as a share of all contacts in each period."""
    return factor_prevalence(contacts, factors, "contact_id")


def benchmark_series(benchmarks: pd.DataFrame, indicator: str) -> pd.DataFrame:
    """One benchmark indicator as period x area values."""
    rows = benchmarks[benchmarks["indicator"] == indicator]
    if "figure_period" in rows.columns:  # processed data: the comparator's own year
        rows = rows.drop(columns="period", errors="ignore").rename(
            columns={"figure_period": "period"})
    return rows[["period", "area", "value"]].sort_values(["area", "period"], ignore_index=True)


def compare(value: float, comparator: float, tolerance: float = 1.0) -> str:
    """'in line', 'below' or 'above' a comparator, within ``tolerance`` points.

    The report calls a rate within about a percentage point "in line"; the tolerance is a
    parameter so a partnership can apply its own convention.
    """
    # Rounded so that, e.g., 2.2 - 1.2 (1.0000000000000002) counts as exactly 1 point.
    if round(abs(value - comparator), 9) <= tolerance:
        return "in line"
    return "below" if value < comparator else "above"


# --------------------------------------------------------------------------- measures
# The figures the report states, each defined once on top of the functions above.

SOURCE_GROUP_MEASURES = {
    "referrals_from_police_pct": "Police",
    "referrals_from_la_services_pct": "Local Authority services",
    "referrals_from_health_pct": "Health",
}
FACTOR_MEASURES = {
    "presenting_factor_dv_parent_carer_pct": "3B",
    "presenting_factor_parental_mental_health_pct": "4B",
    "presenting_factor_dv_child_subject_pct": "3A",
    "presenting_factor_child_mental_health_pct": "4A",
}
MENTAL_HEALTH_FACTORS = ("4A", "4B", "4C")


def _value(frame: pd.DataFrame, period: str, column: str, **where: str) -> float:
    """A figure from a tidy indicator frame; a category absent in the year counts as 0."""
    return value_at(frame, period, column, default=0.0, **where)


def _require_previous(d: ReportData) -> None:
    """A change on last year needs last year's data: without it there is no change to state
    (never a change from zero)."""
    if previous_year(d.year) not in d.periods:
        raise NotAvailable(f"no data for {previous_year(d.year)}")


@measure("contacts_total")
def contacts_total(d: ReportData) -> int:
    """Contacts received in the year."""
    return len(d.current("contacts"))


@measure("contacts_change_pct")
def contacts_change_pct(d: ReportData) -> float:
    """Relative change in contacts on the previous year (%)."""
    _require_previous(d)
    counts = counts_by_period(d.table("contacts"))
    return (_value(counts, d.year, "count") / _value(counts, previous_year(d.year), "count") - 1) * 100


def _source_share(group: str) -> Callable[[ReportData], float]:
    def share(d: ReportData) -> float:
        return _value(referral_sources(d.current("referrals")), d.year, "pct", source_group=group)

    share.__doc__ = f"Share of referrals from {group} (%)."
    return share


for _indicator, _group in SOURCE_GROUP_MEASURES.items():
    measure(_indicator, denominator="referrals_to_csc_total")(_source_share(_group))


@measure("referral_sources_rank_order")
def referral_sources_rank_order(d: ReportData) -> str:
    """The four largest sources of referrals, largest first."""
    top = referral_sources(d.current("referrals")).head(4)
    return rank_order(top["source_group"].tolist(), top["pct"].tolist())


@measure("repeat_referral_rate_change")
def repeat_referral_rate_change(d: ReportData) -> float:
    """Change in the re-referral rate on the previous year (percentage points)."""
    _require_previous(d)
    rates = re_referrals(d.table("referrals"))
    return _value(rates, d.year, "rate") - _value(rates, previous_year(d.year), "rate")


@measure("contacts_progressed_to_early_help")
def contacts_progressed_to_early_help(d: ReportData) -> int:
    """Contacts whose outcome was early help."""
    return int((d.current("contacts")["outcome"] == "EH").sum())


@measure("contacts_to_csc_referral_pct", denominator="contacts_total", decimals=1)
def contacts_to_csc_referral_pct(d: ReportData) -> float:
    """Share of contacts that became a referral to children's social care (%)."""
    return _value(contact_outcomes(d.current("contacts")), d.year, "pct", outcome="REF")


@measure("referrals_to_csc_total")
def referrals_to_csc_total(d: ReportData) -> int:
    """Referrals to children's social care in the year."""
    return len(d.current("referrals"))


@per_year
def _contact_factors(d: ReportData) -> pd.DataFrame:
    """The factors recorded at contact, each year's prevalence: read by several measures."""
    return contact_factors(d.current("contacts"), d.table("contact_factors"))


@per_year
def _year_factors(d: ReportData) -> pd.DataFrame:
    return assessment_factors(d.current("assessments"), d.table("assessment_factors"))


def _factor_share(code: str) -> Callable[[ReportData], float]:
    def share(d: ReportData) -> float:
        return _value(_year_factors(d), d.year, "pct", factor=code)

    share.__doc__ = f"Share of assessments identifying factor {code} (%)."
    return share


for _indicator, _code in FACTOR_MEASURES.items():
    measure(_indicator, denominator="assessments_authorised")(_factor_share(_code))

# The report quotes child mental health for 2022-23 in chapter 7.14: same definition.
measure("csc_referrals_child_mental_health_pct", denominator="assessments_authorised")(
    _factor_share("4A"))
measure("assessments_neglect_risk_factor_pct", denominator="assessments_authorised",
        comparator=lambda d: contacts_neglect_presenting_pct(d))(_factor_share("16A"))


@measure("presenting_factors_rank_order")
def presenting_factors_rank_order(d: ReportData) -> str:
    """The four factors most often identified at assessment, most frequent first."""
    top = _year_factors(d).head(4)
    return rank_order(top["label"].tolist(), top["pct"].tolist())


@measure("assessments_mental_health_factor_pct", denominator="assessments_authorised")
def assessments_mental_health_factor_pct(d: ReportData) -> float:
    """Share of assessments identifying any mental health factor (child, parent or other)."""
    assessments = d.current("assessments")
    factors = d.table("assessment_factors")
    with_mh = factors.loc[factors["code"].isin(MENTAL_HEALTH_FACTORS), "assessment_id"]
    return assessments["assessment_id"].isin(set(with_mh)).mean() * 100


@measure("contacts_neglect_presenting_pct", denominator="contacts_total", decimals=1)
def contacts_neglect_presenting_pct(d: ReportData) -> float:
    """Share of contacts presenting neglect (%)."""
    prevalence = _contact_factors(d)
    return _value(prevalence, d.year, "pct", factor="16A")


# ----------------------------------------------------------- figures chapter 6 states

#: Within this many percentage points of drift across the years, a mix counts as "similar".
SIMILAR_SPREAD = 2.0
#: The comparator areas of the re-referral rate, with the slug of their measure names.
RE_REFERRAL_COMPARATORS = {"Inner London": "inner_london", "England": "national"}


@measure("contacts_trend_5yr", unit="category")
def contacts_trend_5yr(d: ReportData) -> str:
    """Direction of contacts over the years held (needs three years)."""
    counts = counts_by_period(d.table("contacts"))
    if len(counts) < 3:
        raise NotAvailable("a direction needs three years of contacts")
    return direction(counts["count"])


@measure("referrals_from_schools_rank", unit="rank")
def referrals_from_schools_rank(d: ReportData) -> int:
    """Rank of schools among the sources of referrals (1 = most referrals)."""
    sources = referral_sources(d.current("referrals"))
    rows = sources[sources["source_group"] == "Schools"]
    if rows.empty:
        raise NotAvailable("no referrals from schools in the year")
    return int(rows["rank"].iloc[0])


@measure("re_referral_rate", unit="percent", denominator="referrals_to_csc_total", decimals=1)
def re_referral_rate(d: ReportData) -> float:
    """Referrals within 12 months of the child's previous referral, as % of referrals."""
    return _value(re_referrals(d.table("referrals")), d.year, "rate")


@measure("re_referrals_total")
def re_referrals_total(d: ReportData) -> int:
    """Re-referrals within 12 months in the year."""
    return int(_value(re_referrals(d.table("referrals")), d.year, "re_referrals"))


def _benchmark_value(d: ReportData, indicator: str, area: str) -> float:
    rows = benchmark_series(d.table("benchmarks"), indicator)
    rows = rows[(rows["area"] == area) & (rows["period"] == d.year)]
    if rows.empty:
        raise NotAvailable(f"no {indicator} benchmark for {area} in {d.year}")
    return float(rows["value"].iloc[0])


def _re_referral_comparison(area: str) -> Callable[[ReportData], str]:
    def compared(d: ReportData) -> str:
        return compare(re_referral_rate(d), _benchmark_value(d, "re_referral_rate", area))

    compared.__doc__ = f"The re-referral rate against {area}: below, in line or above."
    return compared


for _area, _slug in RE_REFERRAL_COMPARATORS.items():
    measure(f"repeat_referral_rate_vs_{_slug}", unit="category")(_re_referral_comparison(_area))


@measure("contacts_to_early_help_pct", denominator="contacts_total")
def contacts_to_early_help_pct(d: ReportData) -> float:
    """Share of contacts passed to early help (%)."""
    return _value(contact_outcomes(d.current("contacts")), d.year, "pct", outcome="EH")


@measure("assessments_authorised")
def assessments_authorised(d: ReportData) -> int:
    """Assessments completed (authorised) in the year."""
    return len(d.current("assessments"))


@measure("contact_outcome_proportions_trend", unit="category")
def contact_outcome_proportions_trend(d: ReportData) -> str:
    """Whether the mix of contact outcomes was similar across the years held."""
    outcomes = contact_outcomes(d.table("contacts"))
    if outcomes["period"].nunique() < 2:
        raise NotAvailable("a comparison of the mix needs two years")
    spread = outcomes.groupby("outcome")["pct"].agg(lambda s: s.max() - s.min()).max()
    return "similar" if spread <= SIMILAR_SPREAD else "changed"


# ---- added for chapter 07
@measure("contacts_dv_parent_carer_pct", denominator="contacts_total", decimals=1)
def contacts_dv_parent_carer_pct(d: ReportData) -> float:
    """Share of contacts presenting domestic abuse with a parent or carer as subject (%)."""
    prevalence = _contact_factors(d)
    return _value(prevalence, d.year, "pct", factor="3B")


#: Factors about the adults around a child: the CIN census codes whose subject is a parent
#: or carer (alcohol, drugs, domestic abuse, mental health, learning and physical disability).
PARENTAL_FACTORS = ("1B", "2B", "3B", "4B", "5B", "6B")


def parental_factors(assessments: pd.DataFrame, factors: pd.DataFrame) -> pd.DataFrame:
    """Parental factors identified at assessment, as shares of all assessments."""
    out = assessment_factors(assessments, factors)
    return out[out["factor"].isin(PARENTAL_FACTORS)].reset_index(drop=True)


def _factor_count(code: str, doc: str) -> Callable[[ReportData], int]:
    def count(d: ReportData) -> int:
        return int(_value(_year_factors(d), d.year, "count", factor=code))

    count.__doc__ = doc
    return count


# Named as the reference report's figure (F179), which says the count is too low to report.
measure("fgm_assessment_risk_factor_cases")(_factor_count(
    "22A", "Assessments in the year identifying female genital mutilation."))
measure("assessments_privately_fostered")(_factor_count(
    "8E", "Assessments in the year recording a privately fostered child."))

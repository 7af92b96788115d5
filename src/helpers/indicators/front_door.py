"""Indicators, each defined once, following DfE's children in need definitions.

Functions take processed tables (stacked over years with a ``period`` column, see
``helpers.io.load_trend``) and return tidy frames with one row per period and category, so
the same call feeds a chart, a table, the figure register and the tests. ``DEFINITIONS``
documents every indicator for the data dictionary.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from helpers import codes


@dataclass(frozen=True)
class Definition:
    """What an indicator counts, over what, and where the definition comes from."""

    name: str
    numerator: str
    denominator: str
    basis: str


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
        "referrals in the year made within 12 months of the same child's previous referral",
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


def re_referrals(referrals: pd.DataFrame) -> pd.DataFrame:
    """Referrals, re-referrals and the re-referral rate (%) per period."""
    flagged = referrals.assign(re_referral=is_re_referral(referrals))
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

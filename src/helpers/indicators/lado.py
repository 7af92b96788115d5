"""Indicators: the LADO service (chapter 10): consultations, referrals, allegation categories,
outcomes and awareness workshops.

Small pure functions take processed tables (stacked over years with ``period``) and return
tidy frames, one row per period (and category); the ``@measure`` functions at the end pick
one figure the report states out of those frames.

An allegation category's share is taken over the categories recorded, not over referrals:
a referral alleging physical and emotional abuse counts once in each, and the shares of the
four categories add up to 100% (which a pie or stacked chart needs). The report's 2.8% for
neglect in 2023-24 is only reachable this way (3 of 107 categories; 3 of 104 referrals
would be 2.9%).
"""

from __future__ import annotations

import math

import pandas as pd

from helpers.data.loading import ReportData
from helpers.data.schema_lado_training import ALLEGATION_CATEGORY, LADO_OUTCOME, LADO_SECTOR
from helpers.indicators.base import Definition, measure, pick, rank_order

DEFINITIONS: dict[str, Definition] = {
    "lado_consultations": Definition(
        "Consultations with the LADO", "consultations in the year", "-",
        "Local LADO record (no national return)."),
    "lado_consultations_to_referral_pct": Definition(
        "Consultations progressing to a referral",
        "consultations in the year marked as progressed to a formal LADO referral",
        "consultations in the year", "Local LADO record."),
    "lado_consultation_main_sources": Definition(
        "Main sectors consulting the LADO", "consultations in the year by sector of the setting",
        "consultations in the year", "Local LADO record; the three largest sectors."),
    "lado_referrals": Definition(
        "Referrals to the LADO", "formal LADO referrals received in the year", "-",
        "Local LADO record."),
    "lado_referral_sectors": Definition(
        "Referrals by sector", "referrals in the year by sector the adult works in",
        "referrals in the year", "Local LADO record."),
    "lado_allegation_categories": Definition(
        "Allegation categories", "categories recorded on referrals in the year, by category",
        "all categories recorded on referrals in the year (a referral with two categories "
        "counts twice)", "Local LADO record; shares over categories so that they sum to 100%."),
    "lado_allegation_category_rank_order": Definition(
        "Allegation categories, most to least common",
        "categories recorded on referrals in the year", "-", "Local LADO record."),
    "lado_referrals_neglect_pct": Definition(
        "Neglect as an allegation category", "neglect categories recorded on referrals in the year",
        "all categories recorded on referrals in the year", "Local LADO record (see above)."),
    "lado_outcomes": Definition(
        "Outcomes of LADO referrals", "referrals received in the year with each outcome "
        "(a referral can have several)", "-", "Local LADO record."),
    "lado_workshops_delivered": Definition(
        "LADO workshops", "awareness workshops the LADO team delivered in the year", "-",
        "Local LADO record (lado_workshops)."),
    "lado_workshop_attendees": Definition(
        "LADO workshop attendees", "people attending LADO workshops in the year (head count "
        "per workshop, summed)", "-", "Local LADO record (lado_workshops)."),
}


def consultation_summary(consultations: pd.DataFrame) -> pd.DataFrame:
    """Consultations, how many progressed to a referral, and that share (%), per period."""
    flagged = consultations.assign(progressed=consultations["progressed_to_referral"] == "Y")
    out = flagged.groupby("period").agg(consultations=("consultation_id", "size"),
                                        progressed=("progressed", "sum")).reset_index()
    out["pct"] = out["progressed"] / out["consultations"] * 100
    return out.sort_values("period", ignore_index=True)


def by_sector(records: pd.DataFrame) -> pd.DataFrame:
    """Records (consultations or referrals) by sector per period: count, share, rank."""
    out = records.groupby(["period", "sector"]).size().rename("count").reset_index()
    out["pct"] = out["count"] / out.groupby("period")["count"].transform("sum") * 100
    out["rank"] = out.groupby("period")["count"].rank(method="min", ascending=False).astype(int)
    out["label"] = out["sector"].map(LADO_SECTOR)
    order = {code: i for i, code in enumerate(LADO_SECTOR)}
    out["_order"] = out["sector"].map(order)
    return (out.sort_values(["period", "rank", "_order"], ignore_index=True)
            .drop(columns="_order"))


def allegation_categories(referrals: pd.DataFrame, categories: pd.DataFrame) -> pd.DataFrame:
    """Categories recorded on each period's referrals.

    ``pct`` is the share of all categories recorded (the shares add to 100%); ``pct_of_referrals``
    is the share of referrals carrying the category (these can add to more than 100%).
    Ties keep the code list's order (physical, sexual, emotional, neglect).
    """
    linked = categories[["referral_id", "code"]].drop_duplicates().merge(
        referrals[["referral_id", "period"]], on="referral_id", how="inner")
    out = (linked.groupby(["period", "code"]).size().rename("count").reset_index()
           .rename(columns={"code": "category"}))
    out["pct"] = out["count"] / out.groupby("period")["count"].transform("sum") * 100
    totals = referrals.groupby("period").size()
    out["pct_of_referrals"] = out["count"] / out["period"].map(totals) * 100
    order = {code: i for i, code in enumerate(ALLEGATION_CATEGORY)}
    out["_order"] = out["category"].map(order)
    out = out.sort_values(["period", "count", "_order"], ascending=[True, False, True],
                          ignore_index=True).drop(columns="_order")
    out["rank"] = out.groupby("period").cumcount() + 1
    out["label"] = out["category"].map(ALLEGATION_CATEGORY)
    return out


def referral_outcomes(referrals: pd.DataFrame, outcomes: pd.DataFrame) -> pd.DataFrame:
    """Referrals received in each period with each outcome (every outcome listed, even at 0)."""
    linked = outcomes[["referral_id", "code"]].drop_duplicates().merge(
        referrals[["referral_id", "period"]], on="referral_id", how="inner")
    counts = linked.groupby(["period", "code"]).size()
    periods = sorted(referrals["period"].unique())
    index = pd.MultiIndex.from_product([periods, list(LADO_OUTCOME)], names=["period", "code"])
    out = (counts.reindex(index, fill_value=0).rename("count").reset_index()
           .rename(columns={"code": "outcome"}))
    out["label"] = out["outcome"].map(LADO_OUTCOME)
    return out


def workshop_summary(workshops: pd.DataFrame) -> pd.DataFrame:
    """LADO workshops delivered and people reached, per period."""
    out = workshops.groupby("period").agg(workshops=("workshop_id", "size"),
                                          attendees=("attendees", "sum")).reset_index()
    out["attendees"] = out["attendees"].astype(int)
    return out.sort_values("period", ignore_index=True)


@measure("lado_consultations")
def lado_consultations(data: ReportData) -> int:
    """Consultations with the LADO in the year."""
    return len(data.current("lado_consultations"))


@measure("lado_consultations_to_referral_pct")
def lado_consultations_to_referral_pct(data: ReportData) -> float:
    """% of the year's consultations that progressed to a formal referral."""
    return float(pick(consultation_summary(data.current("lado_consultations")), data.year, "pct"))


@measure("lado_consultation_main_sources")
def lado_consultation_main_sources(data: ReportData) -> str:
    """The three sectors consulting the LADO most, most first, in the report's words."""
    sectors = by_sector(data.current("lado_consultations"))
    return "; ".join(sectors["label"].head(3))


@measure("lado_referrals")
def lado_referrals(data: ReportData) -> int:
    """Formal referrals to the LADO received in the year."""
    return len(data.current("lado_referrals"))


def _categories(data: ReportData) -> pd.DataFrame:
    return allegation_categories(data.current("lado_referrals"),
                                 data.current("lado_allegation_categories"))


@measure("lado_allegation_category_rank_order")
def lado_allegation_category_rank_order(data: ReportData) -> str:
    """Allegation categories from most to least recorded in the year."""
    return rank_order(list(_categories(data)["label"]))


@measure("lado_referrals_neglect_pct")
def lado_referrals_neglect_pct(data: ReportData) -> float:
    """Neglect's share (%) of the allegation categories recorded in the year."""
    cats = _categories(data)
    if cats.empty:
        return math.nan
    return float(cats.loc[cats["category"] == "neglect", "pct"].sum())


def _outcome_measure(indicator: str, outcome: str) -> None:
    def compute(data: ReportData) -> int:
        out = referral_outcomes(data.current("lado_referrals"),
                                data.current("lado_referral_outcomes"))
        return int(out.loc[out["outcome"] == outcome, "count"].sum())

    compute.__doc__ = f"Referrals received in the year with the outcome: {LADO_OUTCOME[outcome]}."
    compute.__name__ = indicator
    measure(indicator)(compute)


for _indicator, _outcome in (
        ("lado_outcome_asv_meeting", "asv_meeting"),
        ("lado_outcome_police_referral", "police"),
        ("lado_outcome_disciplinary_or_professional_body", "disciplinary"),
        ("lado_outcome_complaint_referred_elsewhere", "complaint_elsewhere"),
        ("lado_outcome_referred_to_csc", "csc"),
        ("lado_outcome_referred_to_dbs", "dbs"),
        ("lado_outcome_nfa", "nfa")):
    _outcome_measure(_indicator, _outcome)


@measure("lado_workshops_delivered")
def lado_workshops_delivered(data: ReportData) -> int:
    """Awareness workshops the LADO team delivered in the year."""
    return len(data.current("lado_workshops"))


@measure("lado_workshop_attendees_more_than")
def lado_workshop_attendees_more_than(data: ReportData) -> int:
    """People reached by LADO workshops in the year (the report states a lower bound)."""
    return int(data.current("lado_workshops")["attendees"].sum())


# --------------------------------------------------------------------------- time to resolution
#: Time from referral to closure, as the chart's bands (upper bound in months, label).
RESOLUTION_BANDS: tuple[tuple[float, str], ...] = (
    (1, "closed within a month"), (3, "closed in one to three months"),
    (6, "closed in three to six months"), (math.inf, "closed after more than six months"))
STILL_OPEN = "still open"
MONTH_DAYS = 365.25 / 12


def resolution_bands(referrals: pd.DataFrame) -> pd.DataFrame:
    """Referrals received in each period by how long they took to close (or still open).

    Months are calendar-average months (30.4 days) from referral to closure; a referral
    closed on day 30 is within a month. Every band is listed, even at 0, so the chart's
    categories are the same every year.
    """
    months = (referrals["closed_date"] - referrals["referral_date"]).dt.days / MONTH_DAYS
    labels = pd.Series(STILL_OPEN, index=referrals.index)
    for upper, label in reversed(RESOLUTION_BANDS):
        labels = labels.mask(months.notna() & (months <= upper), label)
    order = [label for _, label in RESOLUTION_BANDS] + [STILL_OPEN]
    index = pd.MultiIndex.from_product([sorted(referrals["period"].unique()), order],
                                       names=["period", "band"])
    out = (referrals.assign(band=labels).groupby(["period", "band"]).size()
           .reindex(index, fill_value=0).rename("count").reset_index())
    out["denominator"] = out.groupby("period")["count"].transform("sum")
    out["pct"] = out["count"] / out["denominator"] * 100
    return out


@measure("lado_resolved_within_3_months_pct", denominator="lado_referrals")
def lado_resolved_within_3_months_pct(data: ReportData) -> float:
    """% of the year's referrals closed within three months of being received."""
    bands = resolution_bands(data.current("lado_referrals"))
    quick = [label for upper, label in RESOLUTION_BANDS if upper <= 3]
    now = bands[bands["period"] == data.year]
    if now.empty:
        return math.nan
    return float(now.loc[now["band"].isin(quick), "pct"].sum())


DEFINITIONS["lado_resolved_within_3_months_pct"] = Definition(
    "Referrals resolved within three months", "referrals received in the year and closed within "
    "three calendar-average months (91 days) of being received", "referrals received in the year "
    "(still-open ones included)", "Local LADO record (referral and closed dates).")
DEFINITIONS["lado_resolution_bands"] = Definition(
    "Time to resolution", "referrals received in the year by time from referral to closure "
    "(within a month, one to three, three to six, over six months, still open)",
    "referrals received in the year", "Local LADO record (referral and closed dates).")

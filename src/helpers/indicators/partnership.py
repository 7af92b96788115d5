"""Partner figures: the partnership itself: its website, its budget and its members."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

import pandas as pd

from helpers.data import schema_partners as sp
from helpers.data.loading import ReportData
from helpers.indicators.base import Compute, Definition, measure
from helpers.indicators.partner_returns import (
    SOURCE_ROWS,
    Figures,
    Shares,
    basis,
    count_of,
    figure,
    meaning,
    measure_rows,
    parts,
    percent,
    register,
    register_tables,
)

DEFINITIONS: dict[str, Definition] = {}


HOME_COUNTRY = "United Kingdom"


"""Website visitors from anywhere else count towards 'global reach'."""


def membership_summary(members: pd.DataFrame) -> pd.DataFrame:
    """Seats (table rows) and people per membership group, in the report's group order."""
    counts = members.groupby("member_group").agg(rows=("job_title", "size"),
                                                 people=("people", "sum"))
    out = counts.reindex(list(sp.MEMBER_GROUPS)).fillna(0).astype(int).reset_index()
    out["label"] = out["member_group"].map(sp.MEMBER_GROUPS)
    return out[["member_group", "label", "rows", "people"]]


COUNTS: Figures = {
    "web_page_views": ("website", "page_views", "", "Website page views"),
    "web_unique_visitors": ("website", "unique_visitors", "", "Website unique visitors"),
    "web_training_page_views": ("website", "page_views_by_page", "Training",
                                "Website training page views"),
    "expenditure_staffing_gbp": ("finance", "expenditure", "Staffing", "Expenditure: staffing"),
    "expenditure_professional_fees_gbp": ("finance", "expenditure", "Professional fees",
                                          "Expenditure: professional fees"),
    "expenditure_multiagency_training_gbp": ("finance", "expenditure", "Multi-agency training",
                                             "Expenditure: multi-agency training"),
    "expenditure_other_gbp": ("finance", "expenditure", "Other", "Expenditure: other"),
    "expenditure_total_gbp": ("finance", "expenditure", "", "Total expenditure"),
    "income_camden_la_gbp": ("finance", "income", "Local authority",
                             "Income: local authority"),
    "income_ncl_icb_gbp": ("finance", "income", "Integrated care board",
                           "Income: integrated care board"),
    "income_mopac_gbp": ("finance", "income", "Police", "Income: police (MOPAC)"),
    "income_national_probation_service_gbp": ("finance", "income", "Probation",
                                              "Income: probation service"),
    "income_nihr_gbp": ("finance", "income", "Grants", "Income: grants (NIHR)"),
    "income_total_gbp": ("finance", "income", "", "Total income"),
    "cscp_young_advisors_casual": ("finance", "young_advisors", "", "Young advisors on casual "
                                   "hours"),
    "cscp_manager_fte": ("finance", "staffing_fte", "Partnership manager",
                         "Partnership manager (FTE)"),
    "cscp_development_officer_fte": ("finance", "staffing_fte", "Development officer",
                                     "Development officers (FTE)"),
}


SHARES: Shares = {
    "income_share_local_authority_pct": ("finance", ("income", "Local authority"),
                                         ("income", ""), "Share of income: local authority "
                                         "(%)"),
    "income_share_icb_pct": ("finance", ("income", "Integrated care board"), ("income", ""),
                             "Share of income: integrated care board (%)"),
    "income_share_police_pct": ("finance", ("income", "Police"), ("income", ""),
                                "Share of income: police (%)"),
}


register_tables(DEFINITIONS, counts=COUNTS, shares=SHARES)


def web_avg_pages_per_visit(d: ReportData) -> float:
    web = d.current("website")
    return figure(web, "page_views") / figure(web, "visits")


register(DEFINITIONS, "web_avg_pages_per_visit", web_avg_pages_per_visit, "Pages viewed per visit",
         "page views", "visits", basis("website"), unit="rate")


def web_global_reach_pct(d: ReportData) -> float:
    web = d.current("website")
    countries = parts(web, "visitors_by_country").astype(float)
    abroad = float(countries.drop(labels=[HOME_COUNTRY], errors="ignore").sum())
    return percent(abroad, figure(web, "unique_visitors"))


register(DEFINITIONS, "web_global_reach_pct", web_global_reach_pct, "Website visitors from abroad (%)",
          f"unique visitors from outside the {HOME_COUNTRY}", "unique visitors",
          basis("website"))


MEMBER_MEASURES: dict[str, tuple[str | None, str]] = {
    "members_lead_safeguarding_partner_reps": ("lead", "rows"),
    "members_delegated_partners_and_designates": ("delegated", "rows"),
    "members_camden_la_departments": ("la_departments", "rows"),
    "members_camden_health_trusts_services": ("health", "rows"),
    "members_schools": ("schools", "rows"),
    "members_national_probation_service": ("probation", "rows"),
    "members_independent_scrutiny_rows": ("independent", "rows"),
    "members_independent_scrutiny_people": ("independent", "people"),
    "members_total_rows": (None, "rows"),
    "members_total_people": (None, "people"),
}


def _members(group: str | None, column: str) -> Compute:
    def compute(d: ReportData) -> int:
        summary = membership_summary(d.current("membership"))
        if group is not None:
            summary = summary[summary["member_group"] == group]
        return int(summary[column].sum())

    return compute


for _indicator, (_group, _column) in MEMBER_MEASURES.items():
    _label = sp.MEMBER_GROUPS[_group] if _group else "All groups"
    _what = "seats listed" if _column == "rows" else "people (a seat may hold several)"
    register(DEFINITIONS, _indicator, _members(_group, _column), f"Partnership members: {_label} "
              f"({_what})", f"{_what} in membership.csv", basis="membership.csv",
             people=False)


# --------------------------------------------------------------------------- data quality
STATED_SHARE_MEASURE = "income_share_stated_pct"
"""Finance rows (breakdown: contributor) giving each contributor's share of income as the
partnership's own papers state it, where a return carries them."""


@dataclass(frozen=True)
class ShareNote:
    """One contributor's share of income: computed from the finance table, against the share
    stated in the data (if any), for the data-quality page."""

    file: str
    rows: tuple[str, ...]
    contributor: str
    computed_pct: float
    stated_pct: float | None
    agrees: bool | None

    @property
    def text(self) -> str:
        computed = f"{self.computed_pct:.1f}%"
        if self.stated_pct is None:
            return f"{self.contributor}: {computed} of income (no stated share to compare)"
        verdict = "agrees with" if self.agrees else "differs from"
        return (f"{self.contributor}: {computed} of income computed from {self.file} "
                f"{verdict} the stated {self.stated_pct:g}%")


def _rounded(value: float, decimals: int) -> float:
    """Half up, as the report rounds (Python's round() would take 12.5 to 12)."""
    step = Decimal(1).scaleb(-decimals)
    return float(Decimal(str(value)).quantize(step, rounding=ROUND_HALF_UP))


def income_share_notes(finance: pd.DataFrame, decimals: int = 0) -> list[ShareNote]:
    """Each contributor's share of income computed from the ``income`` rows, compared with
    the stated share (``income_share_stated_pct`` rows) where the return carries one.

    The computed share is rounded to ``decimals`` (the precision shares are stated with)
    before comparing, so 12.6% agrees with a stated 13% and 80.6% differs from 66%. A return
    without stated shares gives notes with nothing to compare (``agrees`` None): the
    figures the report prints are then the computed ones.
    """
    income = parts(finance, "income").astype(float)
    whole = figure(finance, "income")
    stated_rows = measure_rows(finance, STATED_SHARE_MEASURE)
    stated = dict(zip(stated_rows["breakdown"], stated_rows["value"].astype(float), strict=True))
    notes = []
    for contributor, amount in income.items():
        share = percent(float(amount), whole)
        claim = stated.get(str(contributor))
        rows = ("income (total)", f"income: {contributor}")
        if claim is not None:
            rows += (f"{STATED_SHARE_MEASURE}: {contributor}",)
        notes.append(ShareNote("finance.csv", rows, str(contributor), share, claim,
                               None if claim is None else _rounded(share, decimals) == claim))
    return notes


def income_share_discrepancies(d: ReportData) -> list[ShareNote]:
    """The report year's stated income shares that the finance table does not bear out."""
    return [n for n in income_share_notes(d.current("finance")) if n.agrees is False]


# --------------------------------------------------------------------------- membership list
def membership_by_agency(members: pd.DataFrame) -> pd.DataFrame:
    """Seats (table rows) and people per agency and period, largest first."""
    out = (members.groupby(["period", "agency"], sort=False)
           .agg(count=("job_title", "size"), people=("people", "sum")).reset_index())
    return out.sort_values(["period", "count"], ascending=[True, False], kind="stable",
                           ignore_index=True)


def repeated_seats(members: pd.DataFrame) -> pd.DataFrame:
    """Rows that repeat an earlier row of the same group, agency and role exactly.

    A membership list names each seat once; a repeat is usually a copy-and-paste slip, but
    could be two people with the same title, so it is counted as listed and reported.
    """
    key = ["period", "member_group", "agency", "job_title"]
    return members[members.duplicated(key, keep="first")].reset_index(drop=True)


@measure("members_repeated_rows", by_year=False, people=False)
def members_repeated_rows(d: ReportData) -> int:
    """Rows of the membership list that repeat an earlier row exactly."""
    return len(repeated_seats(d.current("membership")))


DEFINITIONS["members_repeated_rows"] = Definition(
    "Repeated membership rows", "rows with the same group, agency and role as an earlier row",
    "-", "membership.csv; counted as listed and reported as a data-quality note")


# ---- added for chapter 02
def governance_of_kind(governance: pd.DataFrame, kind: str) -> pd.DataFrame:
    """The bodies of one kind in the governance structure (lead partners, subgroups...)."""
    return governance[governance["kind"] == kind].reset_index(drop=True)


GOVERNANCE_COUNTS: dict[str, tuple[str, str]] = {
    "lead_safeguarding_partners_count": ("lead_partner", "Lead safeguarding partners"),
    "partnership_subgroups_count": ("subgroup", "Subgroups of the partnership"),
}
"""Counts of organisations or bodies in governance.csv: indicator -> (kind, name)."""


def _governance_count(kind: str) -> Compute:
    def compute(d: ReportData) -> int:
        governance = d.current("governance")
        if governance.empty:
            from helpers.indicators.base import NotAvailable

            raise NotAvailable(f"no governance.csv rows for {d.year}")
        return len(governance_of_kind(governance, kind))

    return compute


for _indicator, (_kind, _name) in GOVERNANCE_COUNTS.items():
    register(DEFINITIONS, _indicator, _governance_count(_kind), _name,
             f"rows of governance.csv with kind {_kind}", basis="governance.csv", people=False)


# ---- added for chapter 03: the independent scrutineer's return
SCRUTINY_COUNTS: Figures = {
    "full_partnership_meetings": ("scrutiny", "partnership_meetings", "",
                                  "Full partnership meetings held"),
    "scrutineer_full_cscp_meetings_attended": ("scrutiny", "scrutineer_meetings_attended", "",
                                               "Full partnership meetings the independent "
                                               "scrutineer attended"),
    "scrutineer_rapid_review_reports_received": ("scrutiny", "rapid_review_reports_received",
                                                 "", "Rapid review reports the independent "
                                                 "scrutineer received"),
    "delegated_safeguarding_leads_count": ("scrutiny", "delegated_safeguarding_leads", "",
                                           "Delegated safeguarding leads the scrutineer "
                                           "works with"),
    "scrutiny_areas_count": ("scrutiny", "scrutiny_areas", "", "Agreed areas of scrutiny"),
}
"""The scrutineer's counts: indicator -> (table, measure, breakdown, name). The meetings
held are counted here only (there is no meetings table), so one definition serves both."""
SCRUTINY_PEOPLE = frozenset({"scrutineer_rapid_review_reports_received"})
"""Each rapid review is about a child, so a count of 1 to 4 is suppressed, as chapter 9's
count of rapid reviews is; meetings, leads and areas are not people."""

for _indicator, (_table, _code, _breakdown, _name) in SCRUTINY_COUNTS.items():
    SOURCE_ROWS[_indicator] = (_table, _code, _breakdown)
    register(DEFINITIONS, _indicator, count_of(_table, _code, _breakdown), _name,
             meaning(_table, _code, _breakdown), basis=basis(_table),
             people=_indicator in SCRUTINY_PEOPLE)

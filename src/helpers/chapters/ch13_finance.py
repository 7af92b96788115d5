"""Chapter 13, the partnership's financial arrangements: what it spent and who paid.

Declarations only. Every pound comes from the finance return through the measures in
the partner-return families of ``helpers.indicators``. The tables' lines must add up to the totals the return
states (a ``DataQualityError`` otherwise); income and expenditure are set side by side and
a gap between them is reported as a data-quality note. Income shares are computed from the
income table, never taken from the narrative.
"""

from __future__ import annotations

import pandas as pd

from helpers.chapters.sections import (
    Chapter,
    DataQualityNote,
    DataTable,
    Key,
    KeyFigures,
    Narrative,
    Prose,
    ShareBars,
    Stated,
    StatedFigures,
    slug,
)
from helpers.data.loading import ReportData
from helpers.indicators import partner_returns as pt

S = "13"
#: Budget lines whose amounts the report states, with the indicator names of those figures.
EXPENDITURE = {"Staffing": "expenditure_staffing_gbp",
               "Professional fees": "expenditure_professional_fees_gbp",
               "Multi-agency training": "expenditure_multiagency_training_gbp",
               "Other": "expenditure_other_gbp"}
INCOME = {"Local authority": "income_camden_la_gbp", "Integrated care board": "income_ncl_icb_gbp",
          "Police": "income_mopac_gbp", "Probation": "income_national_probation_service_gbp",
          "Grants": "income_nihr_gbp"}
SHARES = {"Local authority": "income_share_local_authority_pct",
          "Integrated care board": "income_share_icb_pct", "Police": "income_share_police_pct"}


def _lines(code: str):
    def frame(d: ReportData) -> pd.DataFrame:
        rows = pt.measure_rows(d.current("finance"), code)
        return rows[rows["breakdown"] != ""].reset_index(drop=True)

    return frame


def _income(d: ReportData) -> pd.DataFrame:
    shares = pt.breakdown_shares(d.table("finance"), "income")
    return shares.rename(columns={"breakdown": "category", "value": "count"})


def _unbalanced(d: ReportData) -> list[str]:
    """A problem when the year's income and expenditure totals differ."""
    finance = d.current("finance")
    gap = pt.total(finance, "income") - pt.total(finance, "expenditure")
    return [] if abs(gap) < 0.005 else ["income and expenditure differ"]


CHAPTER = Chapter(13, (
    KeyFigures((Key(S, "income_total_gbp"),
                Key(S, "expenditure_total_gbp"),
                Key(S, "expenditure_staffing_gbp"),
                Key(S, "expenditure_multiagency_training_gbp"))),
    Prose("The partners fund a small business unit that runs the partnership: its staff, "
          "independent scrutiny and audit, and the multi-agency training programme. This "
          "chapter sets out what it spent and where the money came from."),
    DataTable(S, _lines("expenditure"), "Expenditure", (("Budget line", "breakdown"),),
              value="value", value_header="Amount", key="breakdown",
              indicator=lambda line: EXPENDITURE.get(line, f"expenditure_gbp.{slug(line)}"),
              people=False, total="expenditure_total_gbp", prefix="£"),
    DataTable(S, _lines("income"), "Income", (("Contributor", "breakdown"),),
              value="value", value_header="Amount", key="breakdown",
              indicator=lambda source: INCOME.get(source, f"income_gbp.{slug(source)}"),
              people=False, total="income_total_gbp", prefix="£"),
    StatedFigures(S, (
        Stated("income_total_gbp", "Income for {year} came to £{value}"),
        Stated("expenditure_total_gbp", "and expenditure to £{value}."),
    ), table=False),
    DataQualityNote(S, _unbalanced,
                    "The return's income (£{income_total_gbp}) and expenditure "
                    "(£{expenditure_total_gbp}) do not match, so one of its tables is "
                    "incomplete or wrong; it should be checked with the finance team."),
    ShareBars(S, _income, "category",
              lambda source: SHARES.get(source, f"income_share_pct.{slug(source)}"),
              subject="Share of income from", noun="income by contributor", periods="year",
              people=False, decimals=1, lead="Who paid.",
              sentence="The largest {what} of {noun} in {year} came from: {listed}.",
              title="{leader} provided the largest share of income in {year}",
              xlabel="Contributor", ylabel="Share of income"),
    Prose("> **Data quality.** The shares above are worked out from the income table itself, "
          "so they always agree with it. A share quoted elsewhere (in a narrative or a "
          "previous report) that differs from them contradicts the table and should not be "
          "repeated."),
    ShareBars(S, _income, "category",
              lambda source: INCOME.get(source, f"income_gbp.{slug(source)}"),
              subject="Income from", noun="contributions by partner", unit="count",
              periods="all", people=False, prefix="£", lead="Contributions over time.",
              sentence="The largest contributions in {year} were from: {listed}.",
              title="{leader} was the largest contributor in {year}",
              ylabel="Contribution (£)"),
    Narrative("value_for_money"),
))

"""Chapter 11, the communication strategy: how the partnership's learning reached people.

Declarations only. The professionals reached are the training chapter's professionals
trained (one measure registered under both names); the website figures come from the
website analytics return through the measures in the partner-return families of ``helpers.indicators``. The
analytics cover April to March, so their figures are labelled with those months, as the
reference report's refs are.
"""

from __future__ import annotations

import pandas as pd

from helpers.chapters.sections import (
    Chapter,
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
from helpers.indicators.partnership import HOME_COUNTRY

S = "11"
#: Pages whose views the report states, with the indicator names of those figures.
PAGE_INDICATORS = {"Training": "web_training_page_views"}
#: The return's row for the countries too small to name, left out of the country chart.
GROUPED = "Other countries"


def _web(d: ReportData, code: str, total: str | None = None) -> pd.DataFrame:
    shares = pt.breakdown_shares(d.table("website"), code, total)
    return shares.rename(columns={"breakdown": "category", "value": "count"}).assign(
        label=lambda f: f["category"])


def _months(d: ReportData) -> pd.DataFrame:
    months = _web(d, "page_views").sort_values(["period", "category"], ignore_index=True)
    return months.assign(label=pd.to_datetime(months["category"], format="%Y-%m")
                         .dt.strftime("%b %Y"))


def _pages(d: ReportData) -> pd.DataFrame:
    return _web(d, "page_views_by_page")


def _countries(d: ReportData) -> pd.DataFrame:
    shares = _web(d, "visitors_by_country", "unique_visitors")
    abroad = shares[~shares["category"].isin((HOME_COUNTRY, GROUPED))]
    return abroad.assign(denominator=abroad["count"] / abroad["pct"] * 100)


CHAPTER = Chapter(11, (
    KeyFigures((Key(S, "professionals_reached_by_training"),
                Key(S, "web_page_views"),
                Key(S, "web_unique_visitors"),
                Key(S, "web_global_reach_pct"))),
    Prose("The partnership shares what it learns through training, briefings, newsletters, "
          "practitioner forums and its website, then asks whether practice changed as a "
          "result. This chapter counts how far that reached."),
    Narrative("communication"),
    StatedFigures(S, (
        Stated("professionals_reached_by_training",
               "In {year} the partnership's training programme reached {value} professionals "
               "from across the agencies."),
    ), lead="Reach.", table=False),
    Prose("### The partnership website"),
    StatedFigures(S, (
        Stated("web_page_views", "Over the year the website had {value} page views", span="months"),
        Stated("web_unique_visitors", "from {value} unique visitors,", span="months"),
        Stated("web_avg_pages_per_visit", "who looked at about {value} pages a visit.",
               span="months", decimals=0),
        Stated("web_training_page_views", "The training page had {value} views.",
               span="months"),
        Stated("web_global_reach_pct",
               "Most visitors were in the UK, but {value} came from other countries.",
               span="months"),
    ), lead="Visits."),
    ShareBars(S, _months, "category", lambda month: f"web_page_views_by_month.{month}",
              subject="Page views in", noun="page views by month", unit="count",
              periods="year", people=False, in_order=True, top=2,
              sentence="The busiest months on the website in {year} were {listed}.",
              title="Website page views month by month, {year}",
              xlabel="Month", ylabel="Page views"),
    ShareBars(S, _pages, "category",
              lambda page: PAGE_INDICATORS.get(page, f"web_page_views_by_page.{slug(page)}"),
              subject="Page views of", noun="page views by page", unit="count",
              periods="year", people=False, top=3,
              sentence="The most viewed pages in {year} were {listed}.",
              title="{leader} was the most viewed page in {year}",
              xlabel="Page", ylabel="Page views"),
    ShareBars(S, _countries, "category",
              lambda country: f"web_visitors_abroad_pct.{slug(country)}",
              subject="Visitors from", noun="website visitors from abroad", periods="year",
              top=5, decimals=1,
              sentence="Outside the UK, the most visitors in {year} came from {listed}.",
              title="{leader} sent the most visitors from abroad in {year}",
              note="Shares are of all unique visitors over the year; countries the analytics "
                   "group together are not shown.",
              xlabel="Country", ylabel="Share of unique visitors"),
))

"""The partners demo: generated, validated, processed, and checked against the published report.

The domain's tables are generated once per module into a temporary folder and go through the
same validation (schemas, then this domain's cross-checks) and tidying as the build. Only
this domain's tables are processed, so the test does not depend on other domains' state;
``demo_partners.generate`` only uses the context's years and its own random stream, which
the light context below provides exactly as the full build does.
"""

from __future__ import annotations

import csv
import json
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from helpers.config import Year
from helpers.data import processing, schemas
from helpers.data import schema_partners as schemas_partners
from helpers.data.loading import ReportData
from helpers.data.validation import read_raw_table
from helpers.demo import common, synth_front_door
from helpers.demo import generator as demo_data
from helpers.demo import synth_partners as demo_partners
from helpers.indicators import PARTNER_DEFINITIONS, community_safety
from helpers.indicators import partner_returns as ind
from helpers.indicators.base import MEASURES
from helpers.report.figure_register import FACTS_FILE

# The finance chapter states income shares of 66/13/2% but its own table gives 80.6/12.2/1.8%;
# the pack computes from the table, so these two cannot match (the police share, 1.8%, still
# rounds to the published 2%).
SOURCE_INCONSISTENT = {"F247": 24.9, "F328": 80.6, "F329": 12.2}


def light_context() -> common.DemoContext:
    return common.DemoContext(seed=demo_data.SEED, years=common.YEARS,
                                 kids=common.ChildPool(np.random.default_rng(0)),
                                 contacts={}, referrals={}, assessments={})


def write_raw(root: Path) -> dict[str, dict[str, pd.DataFrame]]:
    tables = demo_partners.generate(light_context())
    for year, frames in tables.items():
        folder = root / year
        folder.mkdir(parents=True, exist_ok=True)
        for name, frame in {**frames, "population": synth_front_door.population(year)}.items():
            frame.to_csv(folder / f"{name}.csv", index=False, lineterminator="\n")
    return tables


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Raw CSVs -> validation -> cross-checks -> tidy -> parquet, for every demo year."""
    root = tmp_path_factory.mktemp("partners")
    write_raw(root / "raw")
    for year in common.YEARS:
        raw = root / "raw" / year
        names = [t.name for t in schemas_partners.TABLES] + ["population"]
        frames = {n: read_raw_table(raw / f"{n}.csv", schemas.table(n), Year.parse(year))
                  for n in names}
        assert schemas_partners.cross_checks(frames) == [], year
        out = root / "processed" / year
        out.mkdir(parents=True)
        for name, frame in processing.tidy(frames).items():
            frame.to_parquet(out / f"{name}.parquet", index=False)
        (out / "dataset.json").write_text(json.dumps(
            {"synthetic": True, "extract_date": "2025-05-15", "source": "test"}))
    return root


@pytest.fixture(scope="module")
def data(demo: Path) -> ReportData:
    return ReportData("2024-25", demo / "processed")


def facts() -> list[dict[str, str]]:
    with FACTS_FILE.open(encoding="utf-8", newline="") as fh:
        return [r for r in csv.DictReader(fh) if r["indicator"] in PARTNER_DEFINITIONS]


TARGETS = [f for f in facts() if f["demo_target"] == "yes"]


def rounded_like(computed: float, published: str) -> Decimal:
    """``computed`` to as many decimals as the report printed, halves rounded up."""
    places = len(published.split(".")[1]) if "." in published else 0
    return Decimal(str(computed)).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


def same(computed: object, published: str) -> bool:
    try:
        return rounded_like(float(computed), published) == Decimal(published)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return str(computed) == published


def test_the_partners_scope_is_covered():
    assert len(TARGETS) >= 130
    sections = {f["section"] or f["chapter"] for f in TARGETS}
    assert {"3", "4", "7.8", "8.4", "9.2", "11", "13", "14"} <= sections


@pytest.mark.parametrize("fact", TARGETS, ids=[f["id"] for f in TARGETS])
def test_demo_target_matches_the_published_value(data: ReportData, fact: dict[str, str]):
    value = MEASURES[fact["indicator"]].compute(data)
    if fact["id"] in SOURCE_INCONSISTENT:
        assert not same(value, fact["value"])
        assert round(float(value), 1) == SOURCE_INCONSISTENT[fact["id"]]
    else:
        assert same(value, fact["value"]), f"{fact['indicator']}: {value!r} vs {fact['value']}"


COMPARED = [f for f in TARGETS if f["comparator_value"]]


@pytest.mark.parametrize("fact", COMPARED, ids=[f["id"] for f in COMPARED])
def test_comparator_matches_the_published_value(data: ReportData, fact: dict[str, str]):
    entry = MEASURES[fact["indicator"]]
    if entry.comparator is not None:  # another figure: a national value, a starting score
        value = entry.comparator(data)
    else:  # the same measure in last year's return
        value = entry.compute(data.for_year("2023-24"))
    assert same(value, fact["comparator_value"]), f"{fact['indicator']}: {value!r}"


def test_figure_periods_are_the_published_ones(data: ReportData):
    """A 2024-25 row says the period the report gives (so a figure can be traced to it)."""
    for table, code, period in (("nrm", "nrm_referrals", "2023-24"),
                                ("child_deaths", "deaths_notified", "1 Apr 2019 - 31 Mar 2024"),
                                ("education_inclusion", "persistent_absence_primary_pct",
                                 "2023/24 academic year"),
                                ("website", "page_views", "Apr 2024 - Mar 2025"),
                                ("youth_early_help", "referrals", "2023-24"),
                                ("inspection_ratings", "hmip_youth_justice", "June 2025")):
        rows = ind.measure_rows(data.current(table), code)
        assert set(rows["figure_period"]) == {period}, (table, code)


def test_every_partner_measure_computes_in_earlier_years(data: ReportData):
    """The first year that has a previous year, and the year before the report year."""
    for year in ("2021-22", "2023-24"):
        d = data.for_year(year)
        for indicator in PARTNER_DEFINITIONS:
            value = MEASURES[indicator].compute(d)
            if isinstance(value, str):
                assert value.strip(), f"{indicator} is empty in {year}"
            else:
                assert value == value and value >= 0, f"{indicator} is {value} in {year}"


def test_earlier_years_follow_what_the_report_says(data: ReportData):
    years = common.YEARS
    value = {k: [MEASURES[k].compute(data.for_year(y)) for y in years]
             for k in ("marac_cases_with_child_in_household", "ehe_voluntary_register",
                       "fwd_new_referrals", "nrm_referrals", "send_cyp_total",
                       "knife_crime_victims_aged_10_24", "web_page_views")}
    assert value["marac_cases_with_child_in_household"][-2:] == [237, 464]
    assert ind.trend_word(value["ehe_voluntary_register"]) == "increasing"
    assert ind.trend_word(value["send_cyp_total"]) == "increasing"
    assert value["fwd_new_referrals"][-2:] == [245, 306]
    assert value["nrm_referrals"][-2:] == [36, 30]
    assert value["knife_crime_victims_aged_10_24"][-2:] == [45, 26]
    assert ind.trend_word(value["web_page_views"]) == "increasing"


def test_knife_crime_series_peaks_in_2017_18_and_each_folder_ends_at_its_own_year(data: ReportData):
    years = community_safety.calendar_years(data.table("knife_crime"))
    for folder, rows in years.groupby("period"):
        assert rows["calendar_year"].min() == 2017
        assert rows["calendar_year"].max() == int(folder[:4])
    latest = years[years["period"] == "2024-25"].set_index("calendar_year")["victims"]
    assert set(latest.nlargest(2).index) == {2017, 2018}
    months = ind.measure_rows(data.current("knife_crime"), "knife_crime_victims_10_24")
    assert len(months) == 8 * 12 and months["value"].nunique() > 3  # it fluctuates


def test_charts_without_numbers_in_the_text_have_data(data: ReportData):
    placements = ind.breakdown_shares(data.table("send"), "send_placement", "send_cyp")
    assert placements["period"].nunique() == 5
    assert placements.groupby("period")["pct"].sum().round(6).eq(100).all()
    web = data.current("website")
    assert ind.ranked(web, "page_views_by_page", 1) == ["Training"]
    assert len(ind.parts(web, "page_views")) == 12
    assert len(ind.parts(web, "visitors_by_country")) >= 6
    assert len(ind.parts(data.current("child_deaths"), "reviews_by_category")) >= 8


def test_finance_totals_check_exactly(data: ReportData):
    money = data.current("finance")
    assert ind.parts(money, "expenditure").sum() == ind.figure(money, "expenditure") == 273241
    assert ind.parts(money, "income").sum() == ind.figure(money, "income") == 273241


def test_membership_has_job_titles_only(demo: Path):
    members = pd.read_csv(demo / "raw" / "2024-25" / "membership.csv")
    assert list(members.columns) == ["member_group", "agency", "job_title", "people"]
    assert members.duplicated(["agency", "job_title"]).sum() == 1  # as published


def test_regeneration_is_byte_identical(demo: Path, tmp_path: Path):
    write_raw(tmp_path)
    for first in sorted((demo / "raw").rglob("*.csv")):
        again = tmp_path / first.relative_to(demo / "raw")
        assert again.read_bytes() == first.read_bytes(), first.name

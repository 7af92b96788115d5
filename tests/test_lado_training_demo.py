"""The LADO and training demo: generated, validated, processed, and checked against every
published figure of chapters 10-12 that the demo must reproduce.

The domain's tables are generated once per module (with a context that skips the slow front
door: this generator uses only its own random stream) and put through the same reading,
checking and tidying as ``helpers.data.processing``, so the measures read real parquet files.
"""

from __future__ import annotations

import csv
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import helpers.indicators  # noqa: F401 - fills the measure registry
from helpers.config import RESOURCES_DIR, Year
from helpers.data import schema_lado_training as lado_schemas
from helpers.data import schemas
from helpers.data.loading import ReportData
from helpers.data.processing import tidy
from helpers.data.validation import check_references, read_raw_table
from helpers.demo import common
from helpers.demo import generator as demo_data
from helpers.demo import synth_lado_training as demo_lado_training
from helpers.demo.common import ChildPool, DemoContext
from helpers.indicators import lado, training
from helpers.indicators.base import MEASURES

NAMES = [t.name for t in lado_schemas.TABLES]
FAMILY = {name for name, m in MEASURES.items() if m.compute.__module__ in (lado.__name__, training.__name__)}
EXPECTED_TARGETS = {"F282", "F283", "F285", "F286", "F287", *(f"F{i}" for i in range(289, 296)),
                    "F297", "F298", "F299", "F305", "F306", "F307", "F310", "F311", "F312",
                    "F313", "F317", "F318", "F320", "F321", "F322", "F323"}


def context() -> DemoContext:
    """The front door's context without running it: this domain needs only years and rng."""
    return DemoContext(seed=demo_data.SEED, years=common.YEARS,
                       kids=ChildPool(np.random.default_rng(0)),
                       contacts={}, referrals={}, assessments={})


def targets() -> list[dict[str, str]]:
    with (RESOURCES_DIR / "published_facts.csv").open(encoding="utf-8") as fh:
        return [row for row in csv.DictReader(fh)
                if row["demo_target"] == "yes" and row["indicator"] in FAMILY]


TARGETS = targets()


@pytest.fixture(scope="module")
def generated() -> dict[str, dict[str, pd.DataFrame]]:
    return demo_lado_training.generate(context())


@pytest.fixture(scope="module")
def processed(generated: dict[str, dict[str, pd.DataFrame]],
              tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("lado_demo")
    for year, tables in generated.items():
        raw = root / "raw" / year
        raw.mkdir(parents=True)
        for name, table in tables.items():
            table.to_csv(raw / f"{name}.csv", index=False, lineterminator="\n")
        frames = {name: read_raw_table(raw / f"{name}.csv", schemas.table(name), Year.parse(year))
                  for name in NAMES}
        problems = check_references(frames, schemas.TABLES) + lado_schemas.cross_checks(frames)
        assert problems == [], f"{year}: {problems[:5]}"
        out = root / "processed" / year
        out.mkdir(parents=True)
        for name, table in tidy(frames).items():
            table.to_parquet(out / f"{name}.parquet", index=False)
    return root / "processed"


def decimals(text: str) -> int:
    return len(text.split(".")[1]) if "." in text else 0


def shown(value: float | int | str, like: str) -> str:
    """``value`` rounded as the report rounds ``like`` (same number of decimals)."""
    if isinstance(value, str):
        return value
    return f"{float(value):.{decimals(like)}f}"


def compute(processed: Path, indicator: str, period: str) -> float | int | str:
    measure = MEASURES[indicator]
    year = period if measure.by_year else "2024-25"
    return measure.compute(ReportData(year, processed))


# --- the targets -----------------------------------------------------------------------------------


def test_every_target_of_the_scope_has_a_measure() -> None:
    assert {row["id"] for row in TARGETS} == EXPECTED_TARGETS


@pytest.mark.parametrize("row", TARGETS, ids=[row["id"] for row in TARGETS])
def test_demo_reproduces_the_published_figure(processed: Path, row: dict[str, str]) -> None:
    value = compute(processed, row["indicator"], row["period"])
    if row["indicator"].endswith("_more_than"):
        assert value > float(row["value"])
    else:
        assert shown(value, row["value"]) == row["value"]
    if row["comparator"].startswith("previous year") and row["comparator_value"]:
        previous = Year.parse(row["period"]).shift(-1).label
        before = compute(processed, row["indicator"], previous)
        assert shown(before, row["comparator_value"]) == row["comparator_value"]


def test_neglect_share_rose_in_2024_25(processed: Path) -> None:
    data = ReportData("2024-25", processed)
    now = MEASURES["lado_referrals_neglect_pct"].compute(data)
    before = MEASURES["lado_referrals_neglect_pct"].compute(data.for_year("2023-24"))
    assert round(before, 1) == 2.8
    assert now > before


def test_reach_change_is_against_559_professionals(processed: Path) -> None:
    data = ReportData("2024-25", processed)
    assert MEASURES["professionals_trained"].compute(data.for_year("2023-24")) == 559


# --- earlier years and charts: plausible and as the text describes -------------------------------


def test_lado_referrals_rise_every_year(processed: Path) -> None:
    data = ReportData("2024-25", processed)
    counts = lado.workshop_summary(data.table("lado_workshops"))["workshops"].tolist()
    referrals = data.table("lado_referrals").groupby("period").size().tolist()
    assert referrals == sorted(referrals) and len(set(referrals)) == 5
    assert counts == sorted(counts)


def test_allegation_rank_holds_every_year(processed: Path) -> None:
    data = ReportData("2024-25", processed)
    cats = lado.allegation_categories(data.table("lado_referrals"),
                                    data.table("lado_allegation_categories"))
    for _period, rows in cats.groupby("period"):
        assert rows["category"].tolist() == ["physical", "sexual", "emotional", "neglect"]


def test_outcomes_sum_to_199_with_one_of_asv_or_nfa_each(processed: Path) -> None:
    data = ReportData("2024-25", processed)
    outcomes = data.current("lado_referral_outcomes")
    assert len(outcomes) == 199
    split = outcomes[outcomes["code"].isin(["asv_meeting", "nfa"])]
    assert split["referral_id"].is_unique and len(split) == 125


def test_most_referrals_close_within_three_months(processed: Path) -> None:
    refs = ReportData("2024-25", processed).current("lado_referrals")
    closed = refs.dropna(subset=["closed_date"])
    days = (closed["closed_date"] - closed["referral_date"]).dt.days
    assert (days <= 91).mean() > 0.5


def test_agency_mix_similar_over_years_and_police_low(processed: Path) -> None:
    data = ReportData("2024-25", processed)
    mix = training.agency_mix(data.table("training_events"), data.table("training_attendance"))
    table = mix.pivot(index="agency", columns="period", values="pct")
    assert list(table.columns) == list(common.YEARS)
    assert ((table.max(axis=1) - table.min(axis=1)) < 4).all()
    assert (table.loc["police"] < 5).all()
    assert (table.loc["police"] == table.min()).all()


def test_rating_chart_has_every_rating_and_matches_95(processed: Path) -> None:
    evals = ReportData("2024-25", processed).current("training_evaluations")
    dist = training.rating_distribution(evals).set_index("rating")
    assert (dist["count"] > 0).all()
    assert round(dist.loc[["excellent", "good"], "pct"].sum()) == 95


def test_cla_conference_in_september_2024(processed: Path) -> None:
    events = ReportData("2024-25", processed).current("training_events")
    [date] = events.loc[events["event_key"] == "cla_conference", "event_date"]
    assert (date.year, date.month) == (2024, 9)


# --- the generator itself ------------------------------------------------------------------------


def test_generation_is_repeatable(generated: dict[str, dict[str, pd.DataFrame]]) -> None:
    again = demo_lado_training.generate(context())
    for year, tables in generated.items():
        for name, table in tables.items():
            pd.testing.assert_frame_equal(table, again[year][name])


def test_no_child_ids_and_pseudonymous_professionals(
        generated: dict[str, dict[str, pd.DataFrame]]) -> None:
    for tables in generated.values():
        assert set(tables) == set(NAMES)
        for table in tables.values():
            assert "child_id" not in table.columns
            assert not table.astype(str).apply(lambda c: c.str.contains(r"CH-\d")).any().any()
        assert tables["training_attendance"]["attendee_id"].str.fullmatch(r"PR-\d{6}").all()

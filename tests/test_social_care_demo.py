"""The social care demo: generated and processed once, it reproduces every published figure
in scope (and the earlier-year comparators), follows the report's trends, and is
internally consistent."""

from __future__ import annotations

import csv
import re
from itertools import pairwise
from pathlib import Path

import pandas as pd
import pytest

import helpers.indicators  # noqa: F401 - fills the measure registry
from helpers.config import RESOURCES_DIR
from helpers.data.loading import ReportData
from helpers.data.processing import process_year
from helpers.demo import common
from helpers.demo import generator as demo_data
from helpers.demo import synth_social_care as demo_social_care
from helpers.indicators import (
    SOCIAL_CARE_FAMILIES,
    child_protection,
    disproportionality,
    looked_after,
    periods,
)
from helpers.indicators.base import MEASURES

YEARS = common.YEARS
REPORT = "2024-25"


def _targets() -> list[dict[str, str]]:
    with (RESOURCES_DIR / "published_facts.csv").open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    return [r for r in rows if r["demo_target"] == "yes" and r["indicator"] in MEASURES
            and MEASURES[r["indicator"]].compute.__module__
            in {f.__name__ for f in SOCIAL_CARE_FAMILIES}]


TARGETS = _targets()


@pytest.fixture(scope="module")
def processed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("social")
    demo_data.write(root / "raw")
    for year in YEARS:
        process_year(year, root / "raw", root / "processed", force=True)
    return root / "processed"


def _data(processed: Path, year: str = REPORT) -> ReportData:
    return ReportData(year, processed)


def _decimals(text: str) -> int:
    return len(text.split(".")[1]) if "." in text else 0


def _matches(value: object, published: str) -> bool:
    """Equal as the report shows it: numbers rounded to the published decimals."""
    try:
        number = float(published)
    except ValueError:
        return str(value) == published
    return round(float(value), _decimals(published)) == number  # type: ignore[arg-type]


def _year_in(text: str, default: str | None) -> str | None:
    found = re.search(r"\d{4}-\d{2}", text)
    return found.group(0) if found else default


def test_scope_has_all_the_targets() -> None:
    assert len(TARGETS) >= 40


@pytest.mark.parametrize("row", TARGETS, ids=[f"{r['id']}-{r['indicator']}" for r in TARGETS])
def test_published_figure_is_reproduced(processed: Path, row: dict[str, str]) -> None:
    measure = MEASURES[row["indicator"]]
    data = _data(processed, _year_in(row["period"], REPORT) or REPORT)
    assert _matches(measure.compute(data), row["value"]), measure.compute(data)
    if not row["comparator_value"]:
        return
    if measure.comparator is not None:
        got = measure.comparator(data)
        expected = row["comparator_value"]
        assert got == expected if "|" in expected else _matches(got, expected), got
    else:
        year = _year_in(row["comparator"], None)
        assert year is not None, row["comparator"]
        assert _matches(measure.compute(_data(processed, year)), row["comparator_value"])


def _by_year(processed: Path, indicator: str) -> list[object]:
    return [MEASURES[indicator].compute(_data(processed, y)) for y in YEARS]


def test_plans_fall_every_year_from_the_2020_21_peak(processed: Path) -> None:
    counts = _by_year(processed, "cpp_total")
    assert counts[0] == 339 and counts[-1] == 155
    assert all(a > b for a, b in pairwise(counts))


def test_neglect_led_plan_starts_until_emotional_abuse_overtook_it(processed: Path) -> None:
    plans = _data(processed).table("cp_plans")
    largest = [child_protection.largest_plan_category(plans, year) for year in YEARS]
    assert largest[:-1] == ["neglect"] * 4 and largest[-1] == "emotional abuse"
    assert MEASURES["cpp_largest_category_previous"].compute(_data(processed)) == "neglect"
    assert MEASURES["cpp_rate_sexual_abuse_trend"].compute(_data(processed)) == "decrease"
    assert MEASURES["cpp_rate_sexual_abuse_vs_benchmarks"].compute(_data(processed)) == "lower"


def test_care_starters_slightly_down_and_missing_reports_up(processed: Path) -> None:
    starters = _by_year(processed, "cla_starters")
    assert all(s > starters[-1] for s in starters[:-1])
    episodes = _by_year(processed, "missing_episodes")
    assert all(a < b for a, b in pairwise(episodes))
    assert MEASURES["missing_reports_trend"].compute(_data(processed)) == "increased"


def test_chart_data_exist_for_every_year(processed: Path) -> None:
    data = _data(processed)
    starts = child_protection.cp_plan_starts(data.table("cp_plans"))
    assert set(starts["period"]) == set(YEARS)
    by_age = looked_after.cla_starters_by_age(data.table("cla_episodes"), data.table("children"))
    assert by_age.groupby("period")["count"].sum().tolist() == _by_year(processed, "cla_starters")
    members = disproportionality.stage_members(*(data.table(n) for n in (
        "referrals", "assessments", "section47", "cp_plans", "cla_episodes", "missing_episodes")))
    matrix = disproportionality.disproportionality(members, data.table("children"), data.table("population"))
    for year in YEARS:
        stages = set(matrix.loc[matrix["period"] == year, "stage"])
        assert stages == {"population", *disproportionality.STAGES, "missing"}
    black = matrix[(matrix["ethnic_group"] == "Black") & (matrix["stage"] != "population")]
    assert (black["ratio"] > 2).all()          # over-represented at every stage, every year
    white = matrix[(matrix["ethnic_group"] == "White") & (matrix["stage"] != "population")]
    assert (white["ratio"] < 1).all()


def test_ages_fit_each_table(processed: Path) -> None:
    data = _data(processed)
    children = data.table("children")
    at_end = looked_after.cla_at_year_end(data.table("cla_episodes"))
    assert periods.child_ages(at_end, children, periods.year_end(at_end["period"])).between(0, 17).all()
    starters = looked_after.cla_starters(data.table("cla_episodes"), children)
    assert starters["age"].between(0, 17).all()
    missing = data.table("missing_episodes")
    assert periods.child_ages(missing, children, missing["start_date"]).between(10, 17).all()
    exploitation = data.table("exploitation_assessments")
    assert periods.child_ages(exploitation, children, exploitation["assessment_date"]).between(10, 17).all()
    leavers = data.table("care_leavers")
    assert periods.child_ages(leavers, children, periods.year_end(leavers["period"])).between(18, 24).all()
    plans = data.table("cp_plans")
    assert periods.child_ages(plans, children, plans["start_date"]).between(0, 17).all()


def test_records_link_up_across_the_journey(processed: Path) -> None:
    data = _data(processed)
    referrals = data.current("referrals")
    s47 = data.current("section47")
    started = s47[periods.in_year(s47["start_date"], s47["period"])]
    assert started["referral_id"].isin(set(referrals["referral_id"])).all()
    cla = data.current("cla_episodes")
    starter_ids = set(looked_after.cla_starters(cla, data.current("children"))["child_id"])
    known = set(data.table("referrals")["child_id"])
    uasc = set(cla.loc[cla["uasc"] == "Y", "child_id"])
    # children coming into care were referred first, apart from newly arrived UASC
    assert starter_ids - uasc <= known
    exploitation = data.current("exploitation_assessments")
    assert set(exploitation["child_id"]) <= known


def test_count_for_pct_never_sits_on_a_rounding_boundary() -> None:
    assert demo_social_care.count_for_pct(2017, 43) == 867
    assert demo_social_care.count_for_pct(870, 79.4, decimals=1) == 691
    assert demo_social_care.count_for_pct(200, 13.5, decimals=1) == 27
    assert demo_social_care.count_for_pct(8, 50) == 4
    with pytest.raises(ValueError, match="no count"):
        demo_social_care.count_for_pct(864, 66.5, decimals=1)


def test_stages_put_the_deepest_report_year_stages_first() -> None:
    names = [(s.year, s.name) for s in demo_social_care.STAGES if s.attribute == "ethnic_group"]
    assert names[0] == (REPORT, "UASC looked after at 31 March")
    assert names.index((REPORT, "referral")) < names.index(("2023-24", "missing"))
    assert pd.Series([s.year for s in demo_social_care.STAGES if s.attribute == "sex"]).nunique() == 5

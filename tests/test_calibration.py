"""The calibration report: rounding rules, comparators, exit status."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from helpers.build import calibration
from helpers.build.calibration import check, comparator_data, data_for, shown, values_match
from helpers.config import RAW_DIR
from helpers.data.loading import ReportData
from helpers.indicators.base import Measure
from helpers.report.figure_register import FACTS_FILE


@pytest.mark.parametrize(
    ("published", "computed", "expected"),
    [
        ("25", 24.988, True),
        ("25", 24.49, False),
        ("23.5", 23.4999, True),
        ("23.5", 23.44, False),
        ("-1", -0.9846, True),
        ("22.5", 22.45, True),  # half up, as the report rounds, not to even
        ("8583", 8583, True),
        ("0.333", 1 / 3, True),
        ("Outstanding", "outstanding", True),
        ("Good", "Requires improvement", False),
        ("18.7 | 25", "18.7 | 25.0", True),
        ("18.7 | 25", "18.7", False),
        ("abc", 3, False),
    ],
)
def test_values_match_rounds_as_published(published: str, computed: object, expected: bool) -> None:
    assert values_match(published, computed) is expected


def test_rank_orders_compare_names_and_order_with_aliases() -> None:
    published = "1 DV parent/carers (32%); 2 parental mental health (26%)"
    ours = "1 Domestic abuse: parent/carer subject (32%); 2 Mental health: parent/carer (26%)"
    swapped = "1 Mental health: parent/carer (26%); 2 Domestic abuse: parent/carer subject"
    assert values_match(published, ours)
    assert not values_match(published, swapped)
    assert values_match("1 Police (25%); 2 Schools (n/s)", "1 Police (25%); 2 Schools (12%)")


def test_lower_bounds_need_more_than_the_published_value() -> None:
    assert values_match("150", 158, "lado_workshop_attendees_more_than")
    assert not values_match("150", 150, "lado_workshop_attendees_more_than")


def test_small_counts_are_not_shown_in_the_calibration_file() -> None:
    assert shown(3, "count") == "<5"
    assert shown(0, "count") == "0"
    assert shown(8583, "count") == "8,583"
    assert shown(4, "percent") == "4"


def fact(**overrides: str) -> dict[str, str]:
    row = {"id": "F900", "chapter": "7", "section": "7.1", "indicator": "x", "period": "2024-25",
           "value": "10", "unit": "count", "comparator": "", "comparator_value": "",
           "demo_target": "yes"}
    row.update(overrides)
    return row


def years_dir(tmp_path: Path, *years: str) -> Path:
    for year in years:
        (tmp_path / year).mkdir()
    return tmp_path


def test_figure_for_an_earlier_year_is_computed_from_that_year(tmp_path: Path) -> None:
    data = ReportData("2024-25", years_dir(tmp_path, "2022-23", "2024-25"))
    by_year = Measure("x", lambda d: 0, "")
    partner = Measure("x", lambda d: 0, "", by_year=False)
    assert data_for(fact(period="2022-23"), data, by_year).year == "2022-23"
    assert data_for(fact(period="2022-23"), data, partner).year == "2024-25"
    assert data_for(fact(period="as at end of March 2025"), data, by_year).year == "2024-25"


def test_comparator_years(tmp_path: Path) -> None:
    data = ReportData("2024-25", years_dir(tmp_path, "2020-21", "2023-24", "2024-25"))
    by_year = Measure("x", lambda d: 0, "")
    partner = Measure("x", lambda d: 0, "", by_year=False)
    assert comparator_data(fact(comparator="previous year (2023-24)"), data, by_year).year == "2023-24"
    assert comparator_data(fact(comparator="2020-21 (peak)"), data, by_year).year == "2020-21"
    assert comparator_data(fact(comparator="previous year (2022-23)"), data, partner).year == "2023-24"
    assert comparator_data(fact(comparator="2023 (calendar year)"), data, partner).year == "2023-24"
    assert comparator_data(fact(comparator="national average"), data, by_year) is None


def test_check_statuses(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    data = ReportData("2024-25", years_dir(tmp_path, "2023-24", "2024-25"))
    registry = {
        "good": Measure("good", lambda d: 10 if d.year == "2024-25" else 7, ""),
        "bad": Measure("bad", lambda d: 11, ""),
        "broken": Measure("broken", lambda d: 1 / 0, ""),
    }
    monkeypatch.setattr(calibration, "MEASURES", registry)
    ok = check(fact(indicator="good", comparator="previous year (2023-24)", comparator_value="7"), data)
    assert (ok.status, ok.comparator_match) == ("match", True)
    wrong_comparator = check(fact(indicator="good", comparator="2023-24", comparator_value="8"), data)
    assert wrong_comparator.status == "mismatch"
    assert check(fact(indicator="bad"), data).status == "mismatch"
    assert check(fact(indicator="missing"), data).status == "no measure"
    assert check(fact(indicator="broken"), data).status == "error"
    flagged = check(fact(id="F328", indicator="bad"), data)
    assert flagged.status == "source inconsistent" and flagged.ok


def test_command_passes_on_the_front_door_targets(tmp_path: Path) -> None:
    facts = tmp_path / "facts.csv"
    with FACTS_FILE.open(encoding="utf-8", newline="") as fh:
        rows = [r for r in csv.DictReader(fh) if r["chapter"] == "6"]
    with facts.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    processed = tmp_path / "processed"
    from helpers.data.processing import process_year

    for year in ("2023-24", "2024-25"):
        process_year(year, RAW_DIR, processed)
    checks = calibration.run("2024-25", processed, facts)
    assert checks and all(c.status == "match" for c in checks), [c for c in checks if not c.ok]
    path = calibration.write(checks, tmp_path / "reports", "2024-25")
    assert path.read_text().startswith("ref,chapter,section,indicator")


@pytest.mark.e2e
def test_bundled_demo_reproduces_every_published_target(tmp_path: Path) -> None:
    """The issue's bar: every demo_target figure matches, or is a known source inconsistency."""
    reports = tmp_path / "reports"
    status = calibration.main(["--year", "2024-25", "--processed-dir", str(tmp_path / "processed"),
                               "--reports-dir", str(reports)])
    with (reports / "2024-25" / "calibration.csv").open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert len(rows) == len(calibration.load_targets())
    not_ok = [(r["ref"], r["status"], r["note"]) for r in rows
              if r["status"] not in ("match", "source inconsistent")]
    assert not_ok == []
    assert {r["ref"] for r in rows if r["status"] == "source inconsistent"} <= set(
        calibration.SOURCE_INCONSISTENT)
    assert status == 0

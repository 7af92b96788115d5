"""Calibration report: does the demo data reproduce the figures the reference report publishes?

``python -m helpers.build.calibration --year 2024-25`` computes every ``demo_target`` figure of
the published figures (the facts-only copy in ``resources/published_facts.csv``) with the
same measure functions the chapters use, compares it with the published value rounded as
the report rounds it, prints a table and writes ``reports/<year>/calibration.csv``. It
exits non-zero if any target does not match, unless the source itself is known to be
inconsistent (listed in ``SOURCE_INCONSISTENT`` with the reason).

Measures never read published values: only this module does, to compare.
"""

from __future__ import annotations

import argparse
import csv
import re
import sys
from dataclasses import asdict, dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from pathlib import Path

import pandas as pd

from helpers.config import (
    PROCESSED_DIR,
    RAW_DIR,
    REFERENCE_REPORT_YEAR,
    REPORTS_DIR,
    partnership,
    previous_year,
    trend_years,
)
from helpers.data.loading import ReportData
from helpers.indicators.base import MEASURES, Measure, Value
from helpers.report import disclosure
from helpers.report.figure_register import FACTS_FILE
from helpers.report.index_pages import atomic_write_text

#: Only a build of this year is compared with the published figures.
REFERENCE_YEAR = REFERENCE_REPORT_YEAR
# Where the reference report contradicts itself, the pack computes from the table and says so.
SOURCE_INCONSISTENT = {
    "F247": "no whole counts give +24.7% with the report's 306 referrals: 306/245 is +24.9%, "
            "306/246 +24.4%; the pack computes the change from the two years' counts",
    "F328": "the finance chapter's text gives income shares of 66/13/2%, its own table 80.6/12.2/1.8%",
    "F329": "the finance chapter's text gives income shares of 66/13/2%, its own table 80.6/12.2/1.8%",
    "F330": "the finance chapter's text gives income shares of 66/13/2%, its own table 80.6/12.2/1.8%",
}
# The report's words for ranked categories, against the labels the pack prints.
ALIASES = {
    "dv parent/carers": "domestic abuse: parent/carer subject",
    "parental mental health": "mental health: parent/carer",
    "dv child subject": "domestic abuse: child subject",
    "child mental health": "mental health: child",
}
_YEAR_LABEL = re.compile(r"\b(\d{4}-\d{2})\b")
COLUMNS = ["ref", "chapter", "section", "indicator", "period", "unit", "published", "computed",
           "match", "comparator", "comparator_published", "comparator_computed", "comparator_match",
           "status", "note"]


@dataclass
class Check:
    """One published figure against the pack's computation of it."""

    ref: str
    chapter: str
    section: str
    indicator: str
    period: str
    unit: str
    published: str
    computed: str
    match: bool
    comparator: str = ""
    comparator_published: str = ""
    comparator_computed: str = ""
    comparator_match: bool | None = None
    status: str = ""
    note: str = ""

    @property
    def ok(self) -> bool:
        return self.status in ("match", "source inconsistent")


def load_targets(path: Path = FACTS_FILE) -> list[dict[str, str]]:
    with Path(path).open(encoding="utf-8", newline="") as fh:
        return [row for row in csv.DictReader(fh) if row["demo_target"] == "yes"]


def _decimals(text: str) -> int:
    return len(text.split(".")[1]) if "." in text else 0


def _labels(text: str) -> list[str]:
    """'1 Police (25%); 2 Health (20%)' -> ['police', 'health'] (aliases applied)."""
    labels = []
    for part in str(text).split(";"):
        name = re.sub(r"^\s*\d+\s+|\s*\(.*\)\s*$", "", part).strip().lower()
        labels.append(ALIASES.get(name, name))
    return labels


def values_match(published: str, computed: Value, indicator: str = "") -> bool:
    """Does ``computed``, rounded as the report rounds, give the published value?"""
    published = published.strip()
    if "|" in published:
        parts = str(computed).split("|")
        return len(parts) == len(published.split("|")) and all(
            values_match(p, c, indicator) for p, c in zip(published.split("|"), parts, strict=True))
    try:
        target = Decimal(published)
    except InvalidOperation:
        if re.match(r"^\s*1\s", published) and ";" in published:
            return _labels(published) == _labels(str(computed))
        return str(computed).strip().lower() == published.lower()
    try:
        number = Decimal(str(computed).strip())
    except InvalidOperation:
        return False
    if indicator.endswith("_more_than"):
        return number > target
    places = Decimal(1).scaleb(-_decimals(published))
    return number.quantize(places, rounding=ROUND_HALF_UP) == target


def shown(value: Value | None, unit: str) -> str:
    """A value as it may appear in a circulated file: small counts as '<5'."""
    if value is None:
        return ""
    if unit == "count" and isinstance(value, int | float) and not isinstance(value, bool):
        return disclosure.format_count(value, partnership().disclosure.count_threshold)
    if isinstance(value, float):
        return f"{value:.4g}" if abs(value) < 1 else f"{value:.3f}".rstrip("0").rstrip(".")
    return str(value)


def data_for(fact: dict[str, str], data: ReportData, entry: Measure) -> ReportData:
    """The report year whose data the figure comes from.

    A record-level figure the report quotes for an earlier reporting year (child mental
    health in 2022-23, in the 2024-25 report) is computed from that year's data.
    """
    match = _YEAR_LABEL.fullmatch(fact["period"].strip())
    if entry.by_year and match and match[1] != data.year and data.has_year(match[1]):
        return data.for_year(match[1])
    return data


def comparator_data(fact: dict[str, str], data: ReportData, entry: Measure) -> ReportData | None:
    """The year a 'previous year' style comparator refers to, if it names one."""
    text = fact["comparator"].lower()
    if not text:
        return None
    found = _YEAR_LABEL.search(text)
    calendar = re.search(r"\b(20\d{2})\b.*calendar", text)
    if not (found or "previous year" in text or calendar):
        return None
    # A partner return's comparator is in last year's report (its folder), whatever its label.
    year = found[1] if entry.by_year and found else previous_year(data.year)
    return data.for_year(year) if data.has_year(year) else None


def check(fact: dict[str, str], data: ReportData) -> Check:
    """Compute one target and compare it (and its comparator, where there is one)."""
    result = Check(fact["id"], fact["chapter"], fact["section"], fact["indicator"], fact["period"],
                   fact["unit"], fact["value"], "", False, fact["comparator"],
                   fact["comparator_value"])
    entry = MEASURES.get(fact["indicator"])
    if entry is None:
        result.status, result.note = "no measure", "no function computes this indicator yet"
        return result
    source = data_for(fact, data, entry)
    try:
        computed = entry.compute(source)
    except Exception as exc:  # reported per figure so one broken measure does not hide others
        result.status, result.note = "error", f"{type(exc).__name__}: {exc}"
        return result
    result.computed = shown(computed, fact["unit"])
    result.match = values_match(fact["value"], computed, fact["indicator"])
    if fact["comparator_value"]:
        _check_comparator(fact, source, entry, result)
    if fact["id"] in SOURCE_INCONSISTENT and not result.match:
        result.status, result.note = "source inconsistent", SOURCE_INCONSISTENT[fact["id"]]
    elif result.match and result.comparator_match is not False:
        result.status = "match"
    else:
        result.status = "mismatch"
    return result


def _check_comparator(fact: dict[str, str], data: ReportData, entry: Measure, result: Check) -> None:
    try:
        if entry.comparator is not None:
            value: Value | None = entry.comparator(data)
        else:
            other = comparator_data(fact, data, entry)
            value = entry.compute(other) if other is not None else None
    except Exception as exc:
        result.comparator_match = False
        result.note = f"comparator: {type(exc).__name__}: {exc}"
        return
    if value is None:
        result.note = "comparator not computed (it is not a year or area the data holds)"
        return
    result.comparator_computed = shown(value, fact["unit"])
    result.comparator_match = values_match(fact["comparator_value"], value, fact["indicator"])


def run(year: str, data_dir: Path = PROCESSED_DIR, facts: Path = FACTS_FILE) -> list[Check]:
    """Every target for ``year`` checked against the processed data in ``data_dir``."""
    import helpers.indicators  # noqa: F401 - registers every measure

    data = ReportData(year, data_dir)
    return [check(fact, data) for fact in load_targets(facts)]


def to_frame(checks: list[Check]) -> pd.DataFrame:
    return pd.DataFrame([asdict(c) for c in checks], columns=COLUMNS)


def write_file(checks: list[Check], target: Path) -> Path:
    """Write the checks as CSV at ``target`` (atomically); the build stages it first."""
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    atomic_write_text(target, to_frame(checks).to_csv(index=False, lineterminator="\n"))
    return target


def write(checks: list[Check], reports_dir: Path, year: str) -> Path:
    """Write ``reports/<year>/calibration.csv``."""
    return write_file(checks, Path(reports_dir) / year / "calibration.csv")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Check the demo data against the published figures.")
    parser.add_argument("--year", default=partnership().latest_year)
    parser.add_argument("--raw-dir", type=Path, default=RAW_DIR)
    parser.add_argument("--processed-dir", type=Path, default=PROCESSED_DIR)
    parser.add_argument("--reports-dir", type=Path, default=REPORTS_DIR)
    args = parser.parse_args(argv)
    from helpers.data.processing import process_year

    for year in trend_years(args.year):
        if (args.raw_dir / year).is_dir():
            process_year(year, args.raw_dir, args.processed_dir)
    checks = run(args.year, args.processed_dir)
    frame = to_frame(checks)
    with pd.option_context("display.max_rows", None, "display.width", 160,
                           "display.max_colwidth", 45):
        print(frame[["ref", "indicator", "published", "computed", "match", "comparator_match",
                     "status"]].to_string(index=False))
    path = write(checks, args.reports_dir, args.year)
    bad = [c for c in checks if not c.ok]
    counts = frame["status"].value_counts().to_dict()
    print(f"\n{len(checks)} targets: " + ", ".join(f"{n} {s}" for s, n in sorted(counts.items())))
    print(f"written to {path}")
    if bad:
        print(f"{len(bad)} target(s) do not match: " + ", ".join(c.ref for c in bad), file=sys.stderr)
    return 1 if bad else 0


if __name__ == "__main__":
    raise SystemExit(main())

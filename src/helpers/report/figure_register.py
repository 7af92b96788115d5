"""The figure register: every figure a chapter states, in one machine-readable table.

Chapters record each count, rate, percentage and rank through ``FigureRegister`` and put the
string it returns into their text, so the number a reader sees and the number in
``reports/<year>/figures.csv`` are the same object, with disclosure control applied once.
Where the reference report publishes the same figure, ``ref`` holds the id of its row in
``published_figures.csv`` (looked up by section, indicator and period), which lets tests and
the calibration report compare like with like. Values are never read from that file here.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from functools import lru_cache
from pathlib import Path

import pandas as pd

from helpers.config import RESOURCES_DIR, Disclosure, partnership
from helpers.report import disclosure

FACTS_FILE = RESOURCES_DIR / "published_facts.csv"
COLUMNS = ["chapter", "section", "indicator", "label", "period", "value", "display", "unit",
           "suppressed", "ref"]
STORED_DECIMALS = 3


@dataclass(frozen=True)
class Figure:
    chapter: str
    section: str
    indicator: str
    label: str
    period: str
    value: float | str | None
    display: str
    unit: str
    suppressed: bool
    ref: str


@lru_cache(maxsize=4)
def published_refs(path: Path = FACTS_FILE) -> dict[tuple[str, str, str], str]:
    """Map (section, indicator, period) to the published figure id; ids only, no values."""
    with Path(path).open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    refs: dict[tuple[str, str, str], str] = {}
    for row in rows:
        key = (row["section"] or row["chapter"], row["indicator"], row["period"])
        refs.setdefault(key, row["id"])
    return refs


class FigureRegister:
    """Collects a chapter's figures, formats them for the text, and saves them."""

    def __init__(self, chapter: str, year: str, rules: Disclosure | None = None,
                 refs: dict[tuple[str, str, str], str] | None = None):
        self.chapter = str(int(chapter))
        self.year = year
        self.rules = rules or partnership().disclosure
        self.refs = published_refs() if refs is None else refs
        self.figures: list[Figure] = []

    def _add(self, section: str, indicator: str, label: str, value: float | str | None,
             display: str, unit: str, suppressed: bool, period: str | None) -> str:
        period = period or self.year
        for earlier in self.figures:
            if (earlier.section, earlier.indicator, earlier.period) == (section, indicator, period):
                if earlier.display != display:
                    raise ValueError(f"{indicator} for {period} stated twice with different "
                                     f"values: {earlier.display} and {display}")
                return display
        ref = self.refs.get((section or self.chapter, indicator, period), "")
        stored: float | str | None = value
        if suppressed:
            stored = None
        elif isinstance(value, float):
            stored = round(value, STORED_DECIMALS)
        self.figures.append(Figure(self.chapter, section, indicator, label, period, stored,
                                   display, unit, suppressed, ref))
        return display

    def count(self, section: str, indicator: str, label: str, value: float,
              period: str | None = None) -> str:
        """Record a count; 1 to threshold-1 is suppressed and shown as '<5'."""
        value = int(value)
        hidden = disclosure.is_suppressed_count(value, self.rules.count_threshold)
        shown = disclosure.format_count(value, self.rules.count_threshold)
        return self._add(section, indicator, label, value, shown, "count", hidden, period)

    def percent(self, section: str, indicator: str, label: str, value: float,
                denominator: float, period: str | None = None, decimals: int = 0,
                numerator: float | None = None) -> str:
        """Record a percentage; hidden when its denominator is below the minimum.

        Given the ``numerator``, a percentage of a small count is hidden too: with the
        denominator shown elsewhere, it would give the small count back.
        """
        hidden = denominator < self.rules.min_denominator or (
            numerator is not None
            and disclosure.is_suppressed_count(numerator, self.rules.count_threshold))
        shown = disclosure.format_percent(value, denominator, decimals=decimals,
                                          min_denominator=self.rules.min_denominator,
                                          numerator=numerator,
                                          threshold=self.rules.count_threshold)
        return self._add(section, indicator, label, float(value), shown, "percent", hidden,
                         period)

    def change(self, section: str, indicator: str, label: str, value: float,
               unit: str = "percent", period: str | None = None, decimals: int = 0) -> str:
        """Record a change between periods ('percent' relative, 'percentage points' absolute)."""
        rounded = disclosure.round_half_up(value, decimals) + 0.0  # no "-0%"
        sign = "+" if rounded > 0 else ""
        plural = "" if abs(rounded) == 1 else "s"
        suffix = "%" if unit == "percent" else f" percentage point{plural}"
        shown = f"{sign}{rounded:,.{decimals}f}{suffix}"
        return self._add(section, indicator, label, float(value), shown, unit, False, period)

    def rate(self, section: str, indicator: str, label: str, value: float,
             period: str | None = None, decimals: int = 1) -> str:
        """Record a rate (per 10,000 children, or a % that is not a share of a count shown)."""
        shown = f"{disclosure.round_half_up(value, decimals):,.{decimals}f}"
        return self._add(section, indicator, label, float(value), shown, "rate", False, period)

    def category(self, section: str, indicator: str, label: str, value: str,
                 unit: str = "category", period: str | None = None) -> str:
        """Record a word or ranking stated in the text ('increasing', '1 Police; 2 Health')."""
        return self._add(section, indicator, label, value, value, unit, False, period)

    def rank_order(self, section: str, indicator: str, label: str, names: Iterable[str],
                   period: str | None = None) -> str:
        """Record a rank order as '1 A; 2 B; ...' (ties share a rank only if given so)."""
        text = "; ".join(f"{i} {name}" for i, name in enumerate(names, start=1))
        return self.category(section, indicator, label, text, "rank", period)

    def series(self, section: str, indicator: str, frame: pd.DataFrame, label: str,
               value: str, unit: str, denominator: str | None = None,
               category: str | None = None, decimals: int = 0,
               numerator: str | None = None) -> None:
        """Record every point of a chart or table (one row per period and category)."""
        for row in frame.itertuples(index=False):
            data = row._asdict()
            name = f"{label}: {data[category]}" if category else label
            key = f"{indicator}.{data[category]}" if category else indicator
            if unit == "count":
                self.count(section, key, name, data[value], period=data["period"])
            elif unit == "percent":
                self.percent(section, key, name, data[value], data[denominator],
                             period=data["period"], decimals=decimals,
                             numerator=data[numerator] if numerator else None)
            else:
                self.rate(section, key, name, data[value], period=data["period"],
                          decimals=decimals)

    def frame(self) -> pd.DataFrame:
        out = pd.DataFrame([asdict(f) for f in self.figures], columns=COLUMNS)
        # Object dtype keeps counts as 8583 rather than 8583.0 in the CSV.
        out["value"] = pd.Series([f.value for f in self.figures], dtype=object)
        return out

    def save(self, output_dir: Path | str, number: str | None = None) -> Path:
        """Write ``<output_dir>/figures/<NN>.csv`` for the build runner to collect."""
        folder = Path(output_dir) / "figures"
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / f"{int(number or self.chapter):02d}.csv"
        self.frame().to_csv(path, index=False, lineterminator="\n")
        return path

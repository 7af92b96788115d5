"""The figure register: every figure a chapter states, in one machine-readable table.

Chapters record each count, rate, percentage and rank through ``FigureRegister`` and put the
string it returns into their text, so the number a reader sees and the number in
``reports/<year>/figures.csv`` are the same object, with disclosure control applied once.
Where the reference report publishes the same figure, ``ref`` holds the id of its row in
``published_figures.csv`` (looked up by section, indicator and period), which lets tests and
the calibration report compare like with like. Values are never read from that file here.

One path per figure: given the chapter's ``ReportData``, ``measure()`` states a figure by
calling its registered ``@measure`` and ``trend()`` states every year of it the same way.
Any other call that records an indicator which has a measure is checked against that
measure, and a disagreement is an error (``FigureMismatch``) that fails the chapter.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from functools import lru_cache
from pathlib import Path

import pandas as pd

from helpers.config import RESOURCES_DIR, Disclosure, partnership
from helpers.data.loading import ReportData
from helpers.indicators.base import MEASURES, Measure, NotAvailable, Value
from helpers.report import disclosure, fractions

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


#: The period of a published figure whose period the report does not state: it is the
#: same figure whatever period the pack's data give it.
UNSTATED_PERIOD = "not stated"


@lru_cache(maxsize=4)
def published_repeats(path: Path = FACTS_FILE) -> dict[tuple[str, str, str], tuple[str, ...]]:
    """Ids of the further occurrences of a published figure the report prints more than once
    (same section, indicator and period), in order; each repeat is its own published row."""
    with Path(path).open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    seen: dict[tuple[str, str, str], list[str]] = {}
    for row in rows:
        seen.setdefault((row["section"] or row["chapter"], row["indicator"], row["period"]),
                        []).append(row["id"])
    return {key: tuple(ids[1:]) for key, ids in seen.items() if len(ids) > 1}


class FigureMismatch(ValueError):
    """A chapter stated a figure differently from the figure's registered measure."""


#: What a measure that cannot be computed for a year raises (no rows, no previous year...):
#: an empty table gives NaN, and ``int(nan)`` is a ValueError.
UNAVAILABLE = (NotAvailable, LookupError, FileNotFoundError, ZeroDivisionError, ValueError)


class FigureRegister:
    """Collects a chapter's figures, formats them for the text, and saves them."""

    def __init__(self, chapter: str, year: str, rules: Disclosure | None = None,
                 refs: dict[tuple[str, str, str], str] | None = None,
                 data: ReportData | None = None):
        self.chapter = str(int(chapter))
        self.year = year
        self.rules = rules or partnership().disclosure
        self.refs = published_refs() if refs is None else refs
        self.repeats = published_repeats() if refs is None else {}
        self.data = data
        self.figures: list[Figure] = []
        self._values: dict[tuple[str, str], Value] = {}
        self._measuring = False

    # ------------------------------------------------------------------ the measure path

    def entry(self, indicator: str) -> Measure:
        """The registered measure of ``indicator`` (its unit, denominator, description)."""
        import helpers.indicators  # noqa: F401 - fills the registry

        if indicator not in MEASURES:
            raise KeyError(f"no @measure for {indicator!r}: define it in its indicator family")
        return MEASURES[indicator]

    def value(self, indicator: str, period: str | None = None) -> Value:
        """The measure's value for ``period`` (default the report year), computed once."""
        if self.data is None:
            raise ValueError("this register was made without data: pass data=ReportData(...)")
        period = period or self.year
        key = (indicator, period)
        if key not in self._values:
            entry = self.entry(indicator)
            if period != self.year and period not in self.data.years_held():
                raise NotAvailable(f"no data held for {period}")
            data = self.data if period == self.year else self.data.for_year(period)
            remember = getattr(data, "remember", None)  # a ReportData; test doubles may not
            self._values[key] = (remember(("measure", indicator), lambda: entry.compute(data))
                                 if remember else entry.compute(data))
        return self._values[key]

    def available(self, indicator: str, period: str | None = None) -> bool:
        """Whether the measure can be computed for ``period`` from the data held."""
        try:
            result = self.value(indicator, period)
        except UNAVAILABLE:
            return False
        if (isinstance(result, float) and result != result) or result == "not available":
            return False
        entry = self.entry(indicator)
        # A percentage is stated with its denominator: both must be there.
        return not (entry.unit == "percent" and entry.denominator
                    and not self.available(entry.denominator, period))

    def measure(self, section: str, indicator: str, period: str | None = None,
                label: str | None = None, decimals: int | None = None,
                as_period: str | None = None, words: str = "in") -> str:
        """State a figure by asking its measure; returns the text to show.

        The measure's declared unit decides the format and the disclosure rule: a
        percentage is hidden when its denominator measure is small or its numerator is a
        small count; a count of people from 1 to 4 shows as "<5". A ratio is worded
        ("1 in 4" with ``words="in"``, "one fifth" with ``words="fraction"``).
        """
        entry = self.entry(indicator)
        result = self.value(indicator, period)
        base = None
        if entry.unit == "percent" and entry.denominator is not None:
            base = float(self.value(entry.denominator, period))
        label = label or entry.description.rstrip(".") or indicator
        places = entry.decimals if decimals is None else decimals
        # ``as_period`` labels a figure about a span ("2020-21 to 2024-25") computed for
        # the report year.
        period = as_period or period
        self._measuring = True
        try:
            if isinstance(result, str):
                unit = "rank" if entry.unit == "rank" else "category"
                return self.category(section, indicator, label, result, unit=unit, period=period)
            if entry.unit == "percent":
                if entry.denominator is None:
                    return self.rate(section, indicator, label, float(result), period, places,
                                     unit="percent")
                return self.percent(section, indicator, label, float(result), float(base or 0),
                                    period, places, numerator=round(float(result) * (base or 0) / 100))
            if entry.unit == "ratio":
                return self.ratio(section, indicator, label, float(result), period, words)
            if entry.unit in ("change_pct", "change_points"):
                unit = "percent" if entry.unit == "change_pct" else "percentage points"
                return self.change(section, indicator, label, float(result), unit, period, places)
            if entry.unit == "rate":
                return self.rate(section, indicator, label, float(result), period, max(places, 1)
                                 if decimals is None and entry.decimals == 0 else places)
            if entry.unit == "rank":
                return self.category(section, indicator, label, str(int(result)), "rank", period)
            return self.count(section, indicator, label, result, period, people=entry.people)
        finally:
            self._measuring = False

    def trend(self, section: str, indicator: str, periods: Iterable[str] | None = None,
              label: str | None = None) -> pd.DataFrame:
        """State every year of a measure; one row per year that has it, oldest first.

        Columns: ``period``, ``value`` (the measure), ``shown`` (the text), ``suppressed``
        and, for a percentage, ``denominator`` and ``numerator``. A year the measure cannot
        be computed for (no data yet) is left out, never shown as 0.
        """
        if self.data is None:
            raise ValueError("this register was made without data: pass data=ReportData(...)")
        entry = self.entry(indicator)
        rows = []
        for period in periods or self.data.periods:
            if not self.available(indicator, period):
                continue
            shown = self.measure(section, indicator, period, label)
            row = {"period": period, "value": self.value(indicator, period), "shown": shown,
                   "suppressed": self.figures[-1].suppressed if self.figures else False}
            if entry.unit == "percent" and entry.denominator:
                row["denominator"] = float(self.value(entry.denominator, period))
                row["numerator"] = round(float(row["value"]) * row["denominator"] / 100)
            rows.append(row)
        return pd.DataFrame(rows, columns=["period", "value", "shown", "suppressed",
                                           *(["denominator", "numerator"]
                                             if entry.unit == "percent" and entry.denominator
                                             else [])])

    def _check_against_measure(self, indicator: str, value: float | str | None,
                               period: str, display: str) -> None:
        """Fail when a figure with a measure is stated with another value than the measure's."""
        if self._measuring or self.data is None or indicator not in MEASURES:
            return
        try:
            expected = self.value(indicator, period)
        except UNAVAILABLE:
            return
        same = (str(expected) == str(value) if isinstance(expected, str) or isinstance(value, str)
                else value is not None and abs(float(expected) - float(value)) <= 1e-9 * max(
                    1.0, abs(float(expected))))
        if not same:
            raise FigureMismatch(
                f"chapter {self.chapter} states {indicator} for {period} as {display} "
                f"({value!r}), but its measure gives {expected!r}: state it with "
                f"register.measure() instead of computing it in the chapter")

    # ------------------------------------------------------------------ recording

    def _add(self, section: str, indicator: str, label: str, value: float | str | None,
             display: str, unit: str, suppressed: bool, period: str | None,
             decimals: int | None = None) -> str:
        """Record one figure. The stored value has the precision shown (``decimals``), and
        none at all when suppressed, so the published register gives back nothing the page
        hides (a share to three decimals beside its total would return a hidden count)."""
        period = period or self.year
        self._check_against_measure(indicator, value, period, display)
        ref = self._ref(section, indicator, period)
        earlier = [f for f in self.figures
                   if (f.section, f.indicator, f.period) == (section, indicator, period)]
        if earlier:
            if earlier[0].display != display:
                if earlier[0].suppressed:
                    # Hidden where it was first stated (secondary suppression of a
                    # breakdown): it stays hidden wherever it is stated again.
                    return earlier[0].display
                raise ValueError(f"{indicator} for {period} stated twice with different "
                                 f"values: {earlier[0].display} and {display}")
            ref = self._repeat_ref(section, indicator, period)
            if not ref:
                return display
        stored: float | str | None = value
        if suppressed:
            stored = None
        elif isinstance(value, float):
            stored = disclosure.round_half_up(value, STORED_DECIMALS if decimals is None
                                              else decimals) + 0.0
        self.figures.append(Figure(self.chapter, section, indicator, label, period, stored,
                                   display, unit, suppressed, ref))
        return display

    def _key(self, section: str, indicator: str, period: str) -> tuple[str, str, str]:
        """The published figure's key: exact period, else the report's unstated period."""
        exact = (section or self.chapter, indicator, period)
        if exact in self.refs:
            return exact
        return (section or self.chapter, indicator, UNSTATED_PERIOD)

    def _ref(self, section: str, indicator: str, period: str) -> str:
        return self.refs.get(self._key(section, indicator, period), "")

    def _repeat_ref(self, section: str, indicator: str, period: str) -> str:
        """The next published occurrence not yet used by this register, if any: a figure
        the report prints twice gets a row for each time the chapter states it."""
        used = {f.ref for f in self.figures}
        for ref in self.repeats.get(self._key(section, indicator, period), ()):
            if ref not in used:
                return ref
        return ""

    def count(self, section: str, indicator: str, label: str, value: float,
              period: str | None = None, people: bool = True) -> str:
        """Record a count; of people, 1 to threshold-1 is suppressed and shown as '<5'.

        ``people=False`` for counts of courses, page views or board members, which are
        shown as they are.
        """
        value = int(value)
        if not people:
            return self._add(section, indicator, label, value, f"{value:,}", "count", False,
                             period)
        hidden = disclosure.is_suppressed_count(value, self.rules.count_threshold)
        shown = disclosure.format_count(value, self.rules.count_threshold)
        return self._add(section, indicator, label, value, shown, "count", hidden, period)

    def percent(self, section: str, indicator: str, label: str, value: float,
                denominator: float, period: str | None = None, decimals: int = 0,
                numerator: float | None = None, hidden: bool = False) -> str:
        """Record a percentage; hidden when its denominator is below the minimum.

        Given the ``numerator``, a percentage of a small count is hidden too: with the
        denominator shown elsewhere, it would give the small count back. ``hidden`` forces
        it hidden (secondary suppression decided by the caller over a whole breakdown).
        """
        hidden = hidden or denominator < self.rules.min_denominator or (
            numerator is not None
            and disclosure.is_suppressed_count(numerator, self.rules.count_threshold))
        shown = disclosure.HIDDEN if hidden else disclosure.format_percent(
            value, denominator, decimals=decimals, min_denominator=self.rules.min_denominator,
            numerator=numerator, threshold=self.rules.count_threshold)
        return self._add(section, indicator, label, float(value), shown, "percent", hidden,
                         period, decimals)

    def change(self, section: str, indicator: str, label: str, value: float,
               unit: str = "percent", period: str | None = None, decimals: int = 0) -> str:
        """Record a change between periods ('percent' relative, 'percentage points' absolute)."""
        rounded = disclosure.round_half_up(value, decimals) + 0.0  # no "-0%"
        sign = "+" if rounded > 0 else ""
        plural = "" if abs(rounded) == 1 else "s"
        suffix = "%" if unit == "percent" else f" percentage point{plural}"
        shown = f"{sign}{rounded:,.{decimals}f}{suffix}"
        return self._add(section, indicator, label, float(value), shown, unit, False, period,
                         decimals)

    def rate(self, section: str, indicator: str, label: str, value: float,
             period: str | None = None, decimals: int = 1, unit: str = "rate") -> str:
        """Record a rate (per 10,000 children), or with ``unit='percent'`` a published
        percentage with no count of people behind it (shown with a % sign)."""
        shown = f"{disclosure.round_half_up(value, decimals):,.{decimals}f}"
        if unit == "percent":
            shown += "%"
        return self._add(section, indicator, label, float(value), shown, unit, False, period,
                         decimals)

    def ratio(self, section: str, indicator: str, label: str, value: float,
              period: str | None = None, words: str = "in") -> str:
        """Record a share on a 0-1 scale, shown in words ("1 in 4", "one fifth")."""
        shown = fractions.in_words(value, words)
        return self._add(section, indicator, label, float(value), shown, "ratio", False, period)

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

"""The section types every chapter is declared from.

A chapter module is a list of sections (``CHAPTER = Chapter(6, [...])``); each section
knows how to turn the year's data into what a reader sees: sentences whose every number
was stated through the figure register (so it went through its ``@measure`` and
disclosure control), and charts that state their finding, with alt text and the data as
a table. The types:

- ``Heading``, ``Prose`` and ``Narrative``: a numbered heading, the pack's own fixed
  explanation, and the partnership's words for the year (``narrative/NN.md``);
- ``Trend``: one measure over the years held, its change on last year and its direction,
  optionally against comparator areas;
- ``Breakdown``: a measure's categories this year against last (or over every year),
  ranked, with the ranking stated;
- ``Benchmark``: the area's value beside Inner London, England and other comparators;
- ``StatedFigures``: a list of measures, each rendered as a sentence and all in a table
  (partner returns, which are mostly figures quoted as they are).

History-aware by construction: a direction needs three years, a change needs last year;
with less, the section says what data there is, and the chart becomes bars, not a
one-point line.
"""

from __future__ import annotations

import string
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

import pandas as pd

from helpers.chapters import vocabulary as vocab
from helpers.config import partnership
from helpers.data import narrative as narrative_blocks
from helpers.data.loading import ReportData, load_table
from helpers.indicators.trends import direction
from helpers.report import charts
from helpers.report.figure_register import FigureRegister

Output = Any  # a Markdown string, a Chart, or an IPython display object


@dataclass
class Context:
    """What every section renders from: the chapter number, the data and the register."""

    chapter: int
    data: ReportData
    reg: FigureRegister
    _narrative: pd.DataFrame | None = field(default=None, init=False, repr=False)

    @property
    def year(self) -> str:
        return self.data.year

    @property
    def narrative(self) -> pd.DataFrame:
        if self._narrative is None:
            try:
                self._narrative = load_table(narrative_blocks.FOLDER, self.year, self.data.data_dir)
            except FileNotFoundError:
                self._narrative = pd.DataFrame(columns=narrative_blocks.COLUMNS)
        return self._narrative

    def source(self, extra: str = "") -> str:
        return self.data.source + (f" {extra}" if extra else "")


class Section(Protocol):
    def render(self, ctx: Context) -> list[Output]: ...


def _lead(text: str | None) -> str:
    return f"**{text}** " if text else ""


# --------------------------------------------------------------------------- text


@dataclass(frozen=True)
class Heading:
    """A numbered section heading, e.g. ``6.1 Multi-agency arrangements at the front door``."""

    number: str
    title: str

    def render(self, ctx: Context) -> list[Output]:
        return [f"## {self.number} {self.title}"]


@dataclass(frozen=True)
class Prose:
    """Fixed explanatory text written for the pack (no numbers: those come from measures)."""

    text: str

    def render(self, ctx: Context) -> list[Output]:
        return [self.text]


@dataclass(frozen=True)
class Narrative:
    """The partnership's own words for this year: one or more blocks of ``narrative/NN.md``."""

    blocks: tuple[str, ...]

    def __init__(self, *blocks: str) -> None:
        object.__setattr__(self, "blocks", blocks)

    def render(self, ctx: Context) -> list[Output]:
        shown = []
        for block in self.blocks:
            text = narrative_blocks.block(ctx.narrative, ctx.chapter, block)
            if text:
                shown.append(text)
        return shown


# --------------------------------------------------------------------------- trend


@dataclass(frozen=True)
class Trend:
    """One measure over the years held, as a sentence and a chart.

    ``change`` and ``shape`` name the measures for the change on last year and the
    direction over the period, where the report states them (so they are registered
    with their own refs); without them the section still describes the change, using
    the vocabulary, from the values the register stated.
    ``benchmark`` names a benchmark indicator: its areas are drawn as extra lines and
    ``comparisons`` maps area -> the measure stating "below"/"in line"/"above" it.
    """

    section: str
    measure: str
    subject: str
    lead: str | None = None
    change: str | None = None
    shape: str | None = None
    chart: str = "bar"
    ylabel: str | None = None
    benchmark: str | None = None
    comparisons: tuple[tuple[str, str], ...] = ()
    sentence: str = "{subject}: **{now}** in {year}"
    extra: tuple[str, ...] = ()
    plural: bool = True

    def render(self, ctx: Context) -> list[Output]:
        reg, year = ctx.reg, ctx.year
        points = reg.trend(self.section, self.measure)
        if points.empty or year not in set(points["period"]):
            return [_lead(self.lead) + vocab.history("not_available", year=year)]
        now = points.loc[points["period"] == year, "shown"].iloc[0]
        text = _lead(self.lead) + self.sentence.format(subject=self.subject, now=now, year=year)
        text += self._change_words(ctx, points) + "."
        text += self._comparison_words(ctx)
        text += self._shape_words(ctx, points)
        for extra in self.extra:
            text += " " + _say(ctx, self.section, extra)
        return [text, self._chart(ctx, points, now)]

    def _change_words(self, ctx: Context, points: pd.DataFrame) -> str:
        previous = ctx.data.previous
        if previous not in set(points["period"]):
            return ""
        before = points.loc[points["period"] == previous, "shown"].iloc[0]
        entry = ctx.reg._measure(self.change) if self.change else None
        if self.change and ctx.reg.available(self.change):
            ctx.reg.measure(self.section, self.change)
            unit = "percent" if entry and entry.unit == "change_pct" else "percentage points"
            words = vocab.change(float(ctx.reg.value(self.change)), unit,
                                 entry.decimals if entry else 0)
        else:
            words = ""
        if words and words != vocab.words()["change"]["same"]:
            return f", {words} on {previous} ({before})"
        return f", against {before} in {previous}"

    def _comparison_words(self, ctx: Context) -> str:
        values = _benchmark_rows(ctx.data, self.benchmark, [ctx.year])
        entry = ctx.reg._measure(self.measure)
        suffix = "%" if entry.unit == "percent" else ""
        said = []
        for area, indicator in self.comparisons:
            if not ctx.reg.available(indicator):
                continue
            word = ctx.reg.measure(self.section, indicator)
            value = values.loc[values["area"] == area, "value"]
            shown = ""
            if not value.empty:
                number = ctx.reg.rate(self.section, f"{self.measure}_{area_slug(area)}",
                                      f"{ctx.reg._measure(self.measure).description.rstrip('.')}, "
                                      f"{area}", float(value.iloc[0]), decimals=max(entry.decimals, 1))
                shown = f" ({number}{suffix})"
            said.append(f"{vocab.comparison(word)} {area}{shown}")
        if not said:
            return ""
        return f" This was {' and '.join(said)}."

    def _shape_words(self, ctx: Context, points: pd.DataFrame) -> str:
        if len(points) < vocab.MIN_TREND_YEARS:
            if len(points) == 1:
                return " " + vocab.history("one_year", year=ctx.year)
            return " " + vocab.history("two_years", first=points["period"].iloc[0], year=ctx.year)
        first = points["period"].iloc[0]
        shape = direction(points["value"].astype(float))
        if self.shape and ctx.reg.available(self.shape):
            shape = ctx.reg.measure(self.section, self.shape, as_period=f"{first} to {ctx.year}")
        return f" Since {first}, the figure has {vocab.direction(shape)}."

    def _title(self, ctx: Context, points: pd.DataFrame, now: str) -> str:
        if len(points) >= vocab.MIN_TREND_YEARS:
            shape = direction(points["value"].astype(float))
            verb = "have" if self.plural else "has"
            return f"{self.subject} {verb} {vocab.direction(shape)} since {points['period'].iloc[0]}"
        return f"{self.subject}: {now} in {ctx.year}"

    def _chart(self, ctx: Context, points: pd.DataFrame, now: str) -> charts.Chart:
        entry = ctx.reg._measure(self.measure)
        percent = entry.unit == "percent"
        frame = points.rename(columns={"value": "y"})
        area = partnership().local_authority
        lines = frame.assign(area=area)
        benchmark = _benchmark_rows(ctx.data, self.benchmark, list(points["period"]))
        title = self._title(ctx, points, now)
        first, ylabel = points["period"].iloc[0], self.ylabel or self.subject
        numerator = "numerator" if "numerator" in frame.columns else None
        if self.chart == "line" and len(points) >= 2:
            if not benchmark.empty:
                lines = pd.concat([lines, benchmark.rename(columns={"value": "y"})],
                                  ignore_index=True)
            order = [area, *[a for a in partnership().benchmark_areas if a in set(lines["area"])]]
            return charts.line_chart(
                lines, "period", "y", "area" if len(order) > 1 else None, percent=percent,
                order=order if len(order) > 1 else None, numerator=numerator,
                counts=entry.unit == "count",
                title=title, source=ctx.source(_benchmark_source(ctx, benchmark)),
                alt=(f"Line chart of {self.subject.lower()} per year, {first} to {ctx.year}"
                     f"{' for ' + ', '.join(order) if len(order) > 1 else ''}; {ctx.year}: {now}."),
                xlabel="Year", ylabel=ylabel)
        return charts.bar_chart(
            frame, "period", "y", percent=percent, numerator=numerator,
            counts=entry.unit == "count", title=title, source=ctx.source(),
            alt=f"Bar chart of {self.subject.lower()} per year, {first} to {ctx.year}; {ctx.year}: {now}.",
            xlabel="Year", ylabel=ylabel)


def area_slug(area: str) -> str:
    """The suffix naming a comparator area in indicator names (England is 'national')."""
    return {"England": "national"}.get(area, area.lower().replace(" ", "_"))


def _fields(template: str) -> list[str]:
    return [name for _, name, _, _ in string.Formatter().parse(template) if name]


def _say(ctx: Context, section: str, template: str, **given: str) -> str:
    """Fill a sentence template: ``{year}`` and ``{previous}`` are the years, any other
    ``{name}`` is the measure of that name, stated through the register."""
    values = {"year": ctx.year, "previous": ctx.data.previous, **given}
    for name in _fields(template):
        if name not in values:
            values[name] = ctx.reg.measure(section, name)
    return template.format(**values)


def _benchmark_rows(data: ReportData, indicator: str | None, periods: list[str]) -> pd.DataFrame:
    """Comparator areas' values of a benchmark indicator for the periods shown."""
    if indicator is None:
        return pd.DataFrame(columns=["period", "area", "value"])
    from helpers.indicators.front_door import benchmark_series

    try:
        rows = benchmark_series(data.table("benchmarks"), indicator)
    except FileNotFoundError:
        return pd.DataFrame(columns=["period", "area", "value"])
    return rows[rows["period"].isin(periods)].reset_index(drop=True)


def _benchmark_source(ctx: Context, rows: pd.DataFrame) -> str:
    if rows.empty:
        return ""
    note = "Comparator areas: DfE published statistics"
    return note + (" (synthetic stand-ins)." if ctx.data.meta.get("synthetic") else ".")


# --------------------------------------------------------------------------- breakdown


@dataclass(frozen=True)
class Breakdown:
    """A measure's categories, ranked, this year against last (or over every year held).

    ``frame(data)`` returns the tidy indicator frame (``period``, the category column,
    ``count``, ``pct``; optional ``denominator``, ``label``), computed by the same
    indicator function the category measures use. Each cell is registered as
    ``indicator(category)`` (a name with a measure where the report states it, so the
    register checks it against that measure). ``rank`` names the measure stating the
    ranking; ``top`` how many categories the sentence names.
    """

    section: str
    frame: Callable[[ReportData], pd.DataFrame]
    category: str
    indicator: Callable[[str], str]
    subject: str
    noun: str
    lead: str | None = None
    rank: str | None = None
    also: tuple[str, ...] = ()
    top: int = 4
    over_time: bool = False
    decimals: int = 0
    against_previous: tuple[str, ...] = ()
    denominator_note: str = ""
    xlabel: str = "Category"
    ylabel: str = "Share (%)"
    sentence: str = ("The largest shares of {noun} in {year} were {listed}.")

    def _table(self, ctx: Context) -> pd.DataFrame:
        frame = self.frame(ctx.data)
        periods = ctx.data.periods if self.over_time else [
            p for p in (ctx.data.previous, ctx.year) if p in ctx.data.periods]
        frame = frame[frame["period"].isin(periods)].copy()
        if "label" not in frame.columns:
            frame["label"] = frame[self.category]
        if "denominator" not in frame.columns:
            frame["denominator"] = frame.groupby("period")["count"].transform("sum")
        return frame.reset_index(drop=True)

    def render(self, ctx: Context) -> list[Output]:
        table = self._table(ctx)
        now = table[table["period"] == ctx.year]
        if now.empty:
            return [_lead(self.lead) + vocab.history("not_available", year=ctx.year)]
        shown = {}
        for row in table.itertuples(index=False):
            category = getattr(row, self.category)
            shown[(row.period, category)] = ctx.reg.percent(
                self.section, self.indicator(category), f"{self.subject}: {row.label}", row.pct,
                row.denominator, period=row.period, numerator=row.count, decimals=self.decimals)
        for name in ((self.rank,) if self.rank else ()) + self.also:
            if ctx.reg.available(name):
                ctx.reg.measure(self.section, name)
        now = now.sort_values("count", ascending=False, kind="stable")
        top = now.head(self.top)
        listed = _join([f"{label} ({shown[(ctx.year, cat)]}{self._before(ctx, shown, cat)})"
                        for cat, label in zip(top[self.category], top["label"], strict=True)])
        text = _lead(self.lead) + self.sentence.format(noun=self.noun, year=ctx.year, listed=listed)
        if self.denominator_note:
            text += " " + self.denominator_note
        leader = top["label"].iloc[0]
        periods = sorted(table["period"].unique())
        if self.over_time:
            chart = charts.line_chart(
                table, "period", "pct", "label", percent=True, numerator="count",
                order=now["label"].tolist(),
                title=f"{leader} was the largest share of {self.noun} in {ctx.year}",
                alt=(f"Line chart of the share of {self.noun} in each category per year, "
                     f"{periods[0]} to {ctx.year}; the largest in {ctx.year} was {leader.lower()} "
                     f"at {shown[(ctx.year, top[self.category].iloc[0])]}."),
                source=ctx.source(), xlabel="Year", ylabel=self.ylabel)
            if len(periods) < 2:
                chart = self._bars(ctx, table, now, periods, leader, shown, top)
        else:
            chart = self._bars(ctx, table, now, periods, leader, shown, top)
        return [text, chart]

    def _before(self, ctx: Context, shown: dict, category: str) -> str:
        """', against 13% in 2023-24' for a category the report compares with last year,
        and only when last year's figure differs from this year's."""
        if category not in self.against_previous:
            return ""
        before = shown.get((ctx.data.previous, category))
        if before is None or before == shown[(ctx.year, category)]:
            return ""
        return f", against {before} in {ctx.data.previous}"

    def _bars(self, ctx: Context, table: pd.DataFrame, now: pd.DataFrame, periods: list[str],
              leader: str, shown: dict, top: pd.DataFrame) -> charts.Chart:
        return charts.bar_chart(
            table, "label", "pct", "period", horizontal=True, percent=True,
            order=now["label"].tolist(), hue_order=periods, decimals=0, numerator="count",
            title=f"{leader} was the largest share of {self.noun} in {ctx.year}",
            alt=(f"Horizontal bar chart of the share of {self.noun} in each category, "
                 f"{' and '.join(periods)}; in {ctx.year} {leader.lower()} was "
                 f"{shown[(ctx.year, top[self.category].iloc[0])]}."),
            source=ctx.source(), xlabel=self.xlabel, ylabel=self.ylabel)


def _join(parts: Sequence[str]) -> str:
    if len(parts) <= 1:
        return "".join(parts)
    return ", ".join(parts[:-1]) + " and " + parts[-1]


# --------------------------------------------------------------------------- benchmark


@dataclass(frozen=True)
class Benchmark:
    """The area's value of a measure beside comparator areas, as a sentence and bars.

    ``benchmark`` is the indicator in the benchmarks table; ``comparisons`` maps area ->
    the measure stating the comparison word, where the report states it.
    """

    section: str
    measure: str
    benchmark: str
    subject: str
    lead: str | None = None
    comparisons: tuple[tuple[str, str], ...] = ()

    def render(self, ctx: Context) -> list[Output]:
        if not ctx.reg.available(self.measure):
            return [_lead(self.lead) + vocab.history("not_available", year=ctx.year)]
        now = ctx.reg.measure(self.section, self.measure)
        area = partnership().local_authority
        rows = _benchmark_rows(ctx.data, self.benchmark, [ctx.year])
        text = _lead(self.lead) + f"{self.subject}: **{now}** in {area} in {ctx.year}"
        if rows.empty:
            return [text + "; no comparator figures are held for this year."]
        parts = []
        for row in rows.itertuples(index=False):
            shown = ctx.reg.rate(self.section, f"{self.benchmark}.{row.area}",
                                 f"{self.subject}, {row.area}", float(row.value))
            parts.append(f"{row.area} {shown}")
        text += f", against {_join(parts)}."
        words = [f"{vocab.comparison(ctx.reg.measure(self.section, m))} {a}"
                 for a, m in self.comparisons if ctx.reg.available(m)]
        if words:
            text += f" {area} was {' and '.join(words)}."
        bars = pd.concat([pd.DataFrame({"area": [area], "value": [float(ctx.reg.value(self.measure))]}),
                          rows[["area", "value"]]], ignore_index=True)
        chart = charts.bar_chart(
            bars, "area", "value", counts=False, order=bars["area"].tolist(),
            title=f"{self.subject}: {area} {now} in {ctx.year}",
            alt=(f"Bar chart comparing {self.subject.lower()} in {ctx.year}: "
                 + ", ".join(f"{a} {v:.1f}" for a, v in zip(bars["area"], bars["value"], strict=True))
                 + "."),
            source=ctx.source(_benchmark_source(ctx, rows)), xlabel="Area", ylabel=self.subject)
        return [text, chart]


# --------------------------------------------------------------------------- stated figures


@dataclass(frozen=True)
class Stated:
    """One figure of a stated-figures section: a measure and the sentence that states it.

    The sentence is a template whose ``{value}`` is the measure's text; other ``{name}``
    fields are further measures stated alongside (e.g. ``{previous}`` for last year's).
    ``as_period`` labels a figure computed for the report year with the date or span the
    report gives it, so it is registered under that label: a template with ``{year}``
    (2024-25), ``{end}`` (2025, the calendar year of 31 March) and ``{span}`` (2023-25,
    last year and this), e.g. ``"as at end of March {end}"``; or a function of the data
    (a partner return's own ``figure_period`` label, "as of January 2024").
    """

    measure: str
    sentence: str
    period: str | None = None
    as_period: str | Callable[[ReportData], str] | None = None


def _period_label(ctx: Context, template: str | Callable[[ReportData], str]) -> str:
    """A figure's period label for the report year (see ``Stated.as_period``)."""
    if callable(template):
        return template(ctx.data)
    end = str(int(ctx.year[:4]) + 1)
    return template.format(year=ctx.year, end=end,
                           span=f"{ctx.data.previous[:4]}-{ctx.year[-2:]}")


@dataclass(frozen=True)
class StatedFigures:
    """A list of measures, each rendered as a sentence, with all of them in a table."""

    section: str
    figures: tuple[Stated, ...]
    lead: str | None = None
    table: bool = True

    def render(self, ctx: Context) -> list[Output]:
        from helpers.report.tables import Table

        sentences, rows = [], []
        for item in self.figures:
            if not ctx.reg.available(item.measure, item.period):
                continue
            label = _period_label(ctx, item.as_period) if item.as_period else None
            value = ctx.reg.measure(self.section, item.measure, period=item.period,
                                    as_period=label)
            sentences.append(_say(ctx, self.section, item.sentence, value=value))
            entry = ctx.reg._measure(item.measure)
            rows.append({"Figure": entry.description.rstrip("."), "Value": value,
                         "Period": label or item.period or ctx.year})
        if not sentences:
            return [_lead(self.lead) + vocab.history("not_available", year=ctx.year)]
        out: list[Output] = [_lead(self.lead) + " ".join(sentences)]
        if self.table and len(rows) > 1:
            out.append(Table(pd.DataFrame(rows), caption=f"Figures stated in section {self.section}"))
        return out


# --------------------------------------------------------------------------- chapter


@dataclass(frozen=True)
class Chapter:
    """A chapter: its number, an introduction and its sections in report order."""

    number: int
    sections: tuple[Section, ...]

    def render(self, data: ReportData, reg: FigureRegister) -> list[Output]:
        """Everything the chapter shows, in order. The register collects every figure."""
        ctx = Context(self.number, data, reg)
        out: list[Output] = []
        for section in self.sections:
            out.extend(section.render(ctx))
        return out


# ---- added for chapter 07: Funnel, Matrix (heatmap of shares and ratios), Tracker


@dataclass(frozen=True)
class Stage:
    """One stage of a funnel: its label, the count measure, and the measure of the
    conversion from the stage before (None for the first stage, or where not measured)."""

    label: str
    count: str
    conversion: str | None = None


@dataclass(frozen=True)
class Funnel:
    """A journey through successive stages (each a subset of the one before), as a
    sentence naming every stage with its conversion, and horizontal bars.

    Every count and conversion is a measure, stated through the register, so a small
    stage is shown as "<5" and a conversion of a small number is hidden.
    """

    section: str
    stages: tuple[Stage, ...]
    subject: str
    lead: str | None = None
    xlabel: str = "Stage"
    ylabel: str = "Number"

    def render(self, ctx: Context) -> list[Output]:
        if not all(ctx.reg.available(stage.count) for stage in self.stages):
            return [_lead(self.lead) + vocab.history("not_available", year=ctx.year)]
        counts = [ctx.reg.measure(self.section, stage.count) for stage in self.stages]
        parts = []
        for i, (stage, shown) in enumerate(zip(self.stages, counts, strict=True)):
            part = f"{stage.label.lower()} **{shown}**"
            if i and stage.conversion and ctx.reg.available(stage.conversion):
                rate = ctx.reg.measure(self.section, stage.conversion)
                part += f" ({rate} of the {self.stages[i - 1].label.lower()})"
            parts.append(part)
        text = (_lead(self.lead) + f"{self.subject} in {ctx.year}: " + "; ".join(parts) + ".")
        values = [float(ctx.reg.value(stage.count)) for stage in self.stages]
        bars = pd.DataFrame({"stage": [s.label for s in self.stages], "count": values})
        chart = charts.bar_chart(
            bars, "stage", "count", horizontal=True, counts=True, order=bars["stage"].tolist(),
            title=(f"{self.subject}: {counts[0]} {self.stages[0].label.lower()} became "
                   f"{counts[-1]} {self.stages[-1].label.lower()} in {ctx.year}"),
            alt=(f"Funnel of horizontal bars, {ctx.year}: "
                 + "; ".join(f"{s.label} {c}" for s, c in zip(self.stages, counts, strict=True))
                 + "."),
            source=ctx.source(), xlabel=self.xlabel, ylabel=self.ylabel)
        return [text, chart]


@dataclass(frozen=True)
class Matrix:
    """Rows x columns of shares (e.g. ethnic group x stage of a journey) with each cell's
    ratio to a reference column and its interval, as a heatmap and a table.

    ``frame(data)`` returns one row per cell for the report year: the ``row`` and
    ``column`` keys, ``column_label``, ``count``, ``denominator``, ``pct``, ``ratio``,
    ``low`` and ``high``. Each share is registered as ``indicator(row, column)`` (so a
    cell the report states is checked against its measure) and each ratio as
    ``ratio_indicator.row.column``. A hidden share hides its ratio, which would give it back.
    ``reference`` is the column every ratio is relative to (drawn as 1).
    """

    section: str
    frame: Callable[[ReportData], pd.DataFrame]
    row: str
    column: str
    indicator: Callable[[str, str], str]
    ratio_indicator: str
    subject: str
    reference: str
    lead: str | None = None
    row_name: str = "Group"
    explanation: str = ""

    def _cells(self, ctx: Context) -> pd.DataFrame:
        table = self.frame(ctx.data)
        return table[table["period"] == ctx.year].reset_index(drop=True)

    def render(self, ctx: Context) -> list[Output]:

        try:
            cells = self._cells(ctx)
        except (FileNotFoundError, LookupError):
            cells = pd.DataFrame()
        if cells.empty:
            return [_lead(self.lead) + vocab.history("not_available", year=ctx.year)]
        shares, ratios, hidden = [], [], []
        for cell in cells.itertuples(index=False):
            key, col = getattr(cell, self.row), getattr(cell, self.column)
            shown = ctx.reg.percent(self.section, self.indicator(key, col),
                                    f"{self.subject}: {key}, {cell.column_label}", cell.pct,
                                    cell.denominator, numerator=cell.count)
            secret = ctx.reg.figures[-1].suppressed
            hidden.append(secret)
            shares.append(shown)
            if col == self.reference or secret:
                ratios.append("" if col == self.reference else shown)
                continue
            ratio = ctx.reg.rate(self.section, f"{self.ratio_indicator}.{key}.{col}",
                                 f"Ratio to population share: {key}, {cell.column_label}",
                                 float(cell.ratio), decimals=2)
            ratios.append(f"{ratio} ({cell.low:.2f} to {cell.high:.2f})")
        cells = cells.assign(shown=shares, ratio_shown=ratios, hidden=hidden)
        return [self._sentence(ctx, cells), self._heatmap(ctx, cells), self._table(cells)]

    def _sentence(self, ctx: Context, cells: pd.DataFrame) -> str:
        columns = list(dict.fromkeys(cells[self.column]))
        last = cells[(cells[self.column] == columns[-1]) & ~cells["hidden"]]
        above = last[last["low"] > 1][self.row].tolist()
        below = last[last["high"] < 1][self.row].tolist()
        label = cells.loc[cells[self.column] == columns[-1], "column_label"].iloc[0]
        text = _lead(self.lead) + (f"At the last stage shown ({label}) in {ctx.year}, "
                                   f"the groups represented above their share of the "
                                   f"population, with the whole interval above 1, were "
                                   f"{_join(above) or 'none'}")
        text += f"; below it: {_join(below) or 'none'}."
        return text + (f" {self.explanation}" if self.explanation else "")

    def _heatmap(self, ctx: Context, cells: pd.DataFrame) -> charts.Chart:
        import matplotlib as mpl
        import numpy as np

        rows = list(dict.fromkeys(cells[self.row]))
        columns = list(dict.fromkeys(cells[self.column]))
        labels = list(dict.fromkeys(cells["column_label"]))
        ratio = cells.pivot(index=self.row, columns=self.column, values="ratio").reindex(
            index=rows, columns=columns)
        secret = cells.pivot(index=self.row, columns=self.column, values="hidden").reindex(
            index=rows, columns=columns).astype(bool)
        shown = cells.pivot(index=self.row, columns=self.column, values="shown").reindex(
            index=rows, columns=columns)
        logged = np.log2(ratio.where(~secret).astype(float).clip(lower=0.125, upper=8))
        figure, axes = charts._new_axes((9.0, 0.6 * len(rows) + 2.2))
        with mpl.rc_context(charts.STYLE):
            image = axes.imshow(logged.to_numpy(), cmap="RdBu_r", vmin=-3, vmax=3, aspect="auto")
            for i in range(len(rows)):
                for j in range(len(columns)):
                    axes.text(j, i, shown.iloc[i, j], ha="center", va="center", fontsize=9)
            axes.set_xticks(range(len(columns)), labels, rotation=30, ha="right")
            axes.set_yticks(range(len(rows)), rows)
            axes.grid(False)
            bar = figure.colorbar(image, ax=axes, ticks=[-3, -2, -1, 0, 1, 2, 3])
            bar.ax.set_yticklabels(["1/8", "1/4", "1/2", "1", "2", "4", "8"])
            bar.set_label("Ratio to population share")
        data = shown.copy()
        data.columns = labels
        data.insert(0, self.row_name, rows)
        top = cells[~cells["hidden"] & (cells[self.column] != self.reference)]
        top = top.loc[top["ratio"].idxmax()] if not top.empty else None
        title = (f"{top[self.row]} children were the most over-represented, "
                 f"at the stage '{top['column_label']}', in {ctx.year}" if top is not None
                 else f"{self.subject}, {ctx.year}")
        return charts.Chart(
            figure, title,
            alt=(f"Heatmap of each {self.row_name.lower()}'s share at each stage in {ctx.year}, "
                 "coloured by the ratio to its population share (red above, blue below); "
                 + "; ".join(f"{r}: " + ", ".join(f"{lab} {shown.loc[r, c]}" for c, lab in
                                                   zip(columns, labels, strict=True))
                             for r in rows) + "."),
            source=ctx.source(), data=data.reset_index(drop=True),
            table_caption=f"{self.subject}: share at each stage, {ctx.year}")

    def _table(self, cells: pd.DataFrame) -> Output:
        from helpers.report.tables import Table

        rows = cells[cells[self.column] != self.reference]
        frame = pd.DataFrame({self.row_name: rows[self.row], "Stage": rows["column_label"],
                              "Share": rows["shown"],
                              "Ratio to population share (95% interval)": rows["ratio_shown"]})
        return Table(frame.reset_index(drop=True),
                     caption=f"{self.subject}: ratios to population share with Wilson intervals")


#: The RAG statuses a tracker counts, in the order its table shows them.
RAG = ("Red", "Amber", "Green", "Complete")


@dataclass(frozen=True)
class Tracker:
    """A RAG progress tracker: actions from a return counted by status within each group
    (a pillar of a strategy, an area of an action plan), as a sentence and a table.

    ``frame(data)`` returns the report year's actions with the ``group`` column, ``action``
    and ``status`` (one of ``RAG``). ``total`` and ``done`` name the measures of how many
    actions there are and the share complete or on track (green), where they exist.
    Counts of actions are not counts of people, so they are never suppressed.
    """

    section: str
    frame: Callable[[ReportData], pd.DataFrame]
    subject: str
    indicator: str
    group: str = "group"
    group_name: str = "Area"
    lead: str | None = None
    total: str | None = None
    done: str | None = None
    details: bool = True

    def render(self, ctx: Context) -> list[Output]:
        from helpers.report.tables import Table

        try:
            actions = self.frame(ctx.data)
        except (FileNotFoundError, LookupError):
            actions = pd.DataFrame()
        if actions.empty:
            return [_lead(self.lead) + vocab.history("not_available", year=ctx.year)]
        groups = list(dict.fromkeys(actions[self.group]))
        counts = (actions.groupby([self.group, "status"]).size()
                  .unstack(fill_value=0).reindex(index=groups, columns=list(RAG), fill_value=0))
        table = pd.DataFrame({self.group_name: groups})
        for status in RAG:
            table[status] = [ctx.reg.count(self.section, f"{self.indicator}.{g}.{status.lower()}",
                                           f"{self.subject}: {g}, {status.lower()}",
                                           int(counts.loc[g, status]), people=False)
                             for g in groups]
        said = []
        if self.total and ctx.reg.available(self.total):
            said.append(f"{self.subject} in {ctx.year}: **{ctx.reg.measure(self.section, self.total)}** "
                        f"actions across {len(groups)} {self.group_name.lower()}s")
        if self.done and ctx.reg.available(self.done):
            said.append(f"{ctx.reg.measure(self.section, self.done)} were complete or on track "
                        "(green)")
        text = _lead(self.lead) + ("; ".join(said) + "." if said else "")
        out: list[Output] = [text.strip(), Table(table, caption=f"{self.subject}: actions by "
                                                               f"status, {ctx.year}")]
        if self.details:
            columns = [c for c in (self.group, "action", "status", "review_date") if c in actions]
            shown = actions[columns].rename(columns={self.group: self.group_name,
                                                     "action": "Action", "status": "Status",
                                                     "review_date": "Next review"})
            out.append(Table(shown.reset_index(drop=True).astype(str),
                             caption=f"{self.subject}: each action and its status"))
        return out

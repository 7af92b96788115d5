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

import re
import string
from collections.abc import Callable, Sequence
from dataclasses import KW_ONLY, dataclass, field
from typing import Any, Protocol

import pandas as pd

from helpers.chapters import vocabulary as vocab
from helpers.config import partnership
from helpers.data import narrative as narrative_blocks
from helpers.data.loading import ReportData, load_table
from helpers.indicators.trends import direction
from helpers.report import charts
from helpers.report.figure_register import FigureRegister
from helpers.report.wording import period_span

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
    """A numbered section heading, e.g. ``6.1 Multi-agency arrangements at the front door``,
    with an id (``s6-1``) so the summary and other pages can link to the section."""

    number: str
    title: str

    @property
    def anchor(self) -> str:
        return "s" + self.number.replace(".", "-")

    def render(self, ctx: Context) -> list[Output]:
        from html import escape

        from IPython.display import HTML

        from helpers.report.navigation import nowrap_years

        text = escape(f"{self.number} {self.title}", quote=False)
        return [HTML(nowrap_years(f'<div class="prose"><h2 id="{self.anchor}">{text}</h2></div>'))]


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
        entry = ctx.reg.entry(self.change) if self.change else None
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
        entry = ctx.reg.entry(self.measure)
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
                                      f"{ctx.reg.entry(self.measure).description.rstrip('.')}, "
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
        entry = ctx.reg.entry(self.measure)
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
                title=title, source=ctx.source(_benchmark_source(ctx, benchmark, self.benchmark)),
                alt=(f"Line chart of {self.subject.lower()} per year, {first} to {ctx.year}"
                     f"{' for ' + ', '.join(order) if len(order) > 1 else ''}; {ctx.year}: {now}."),
                xlabel="Year", ylabel=ylabel)
        return charts.bar_chart(
            frame, "period", "y", percent=percent, numerator=numerator,
            counts=entry.unit == "count", title=title, source=ctx.source(),
            alt=(f"Bar chart of {self.subject.lower()} per year, {period_span(first, ctx.year)}; "
                 f"{ctx.year}: {now}."),
            xlabel="Year", ylabel=ylabel)


def area_slug(area: str) -> str:
    """The suffix naming a comparator area in indicator names (England is 'national')."""
    return {"England": "national"}.get(area, area.lower().replace(" ", "_"))


def slug(text: str) -> str:
    """The suffix naming a category in indicator names: 'Professional fees' ->
    'professional_fees', so a chart's cell finds the measure of the same figure."""
    return re.sub(r"[^a-z0-9]+", "_", text.lower()).strip("_")


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
    areas = set(partnership().benchmark_areas)  # not the LA's own or neighbours' rows
    return rows[rows["period"].isin(periods) & rows["area"].isin(areas)].reset_index(drop=True)


def _benchmark_source(ctx: Context, rows: pd.DataFrame, indicator: str | None = None) -> str:
    if rows.empty:
        return ""
    note = "Comparator areas: DfE published statistics"
    real = ctx.data.meta.get("benchmark_sources", {}).get(indicator or "")
    if real:  # imported by helpers.benchmarks: say from which file
        return f"{note} ({real.removeprefix('DfE published: ')})."
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
        periods = ctx.data.periods if self.over_time else [
            p for p in (ctx.data.previous, ctx.year) if p in ctx.data.periods]
        return _category_rows(self.frame(ctx.data), periods, self.category)

    def render(self, ctx: Context) -> list[Output]:
        table = self._table(ctx)
        now = table[table["period"] == ctx.year]
        if now.empty:
            return [_lead(self.lead) + vocab.history("not_available", year=ctx.year)]
        shown = {}
        table["hidden"] = hidden_cells(table, ctx.reg.rules.count_threshold,
                                       ctx.reg.rules.min_denominator)
        for row in table.itertuples(index=False):
            category = getattr(row, self.category)
            shown[(row.period, category)] = ctx.reg.percent(
                self.section, self.indicator(category), f"{self.subject}: {row.label}", row.pct,
                row.denominator, period=row.period, numerator=row.count, decimals=self.decimals,
                hidden=bool(row.hidden))
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


def _category_rows(frame: pd.DataFrame, periods: Sequence[str], category: str,
                   label_as_text: bool = False) -> pd.DataFrame:
    """A category frame's rows for ``periods``, each with a label (the category, unless the
    frame gives one) and a denominator (its period's total count, unless the frame gives one)."""
    frame = frame[frame["period"].isin(periods)].copy()
    if "label" not in frame.columns:
        frame["label"] = frame[category].astype(str) if label_as_text else frame[category]
    if "denominator" not in frame.columns:
        frame["denominator"] = frame.groupby("period")["count"].transform("sum")
    return frame.reset_index(drop=True)


def hidden_cells(table: pd.DataFrame, threshold: int, min_denominator: int) -> pd.Series:
    """Which cells of a breakdown must be hidden, primary and secondary, per period.

    Primary: a count from 1 to ``threshold - 1``, or a denominator below the minimum.
    Secondary: the total is published and zeros are printed, so further cells are hidden
    until no primary cell can be worked out (:func:`disclosure.protect_breakdown`).
    (Shares of assessments recording several factors do not add up, but hiding one more
    cell costs little and keeps the rule uniform.)
    """
    from helpers.report.disclosure import protect_breakdown

    primary = ((table["count"] > 0) & (table["count"] < threshold)) | (
        table["denominator"] < min_denominator)
    hidden = primary.copy()
    for _, rows in table.groupby("period"):
        if len(rows) < 2 or not primary[rows.index].any():
            continue
        counts = [int(c) for c in rows["count"]]
        hidden[rows.index] = protect_breakdown(counts, list(primary[rows.index]), threshold)
    return hidden


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
            source=ctx.source(_benchmark_source(ctx, rows, self.benchmark)),
            xlabel="Area", ylabel=self.subject)
        return [text, chart]


# --------------------------------------------------------------------------- stated figures


@dataclass(frozen=True)
class Stated:
    """One figure of a ``StatedFigures`` section: a measure and the sentence that states it.

    In ``sentence``, ``{value}`` is the measure's text, ``{period}`` the period it is
    labelled with, ``{more_than}`` its :func:`lower_bound` (for a count the report gives
    as "more than 150"), ``{year}`` and ``{previous}`` the report year and the one before;
    any other ``{name}`` is a further measure stated alongside.

    ``period`` computes the figure for another report year (``"previous"``: the year
    before, left out when it is not held). A figure is labelled with the report year
    unless one of these says otherwise (at most one of them):

    - ``as_period``: the date or span the report gives it, a template with ``{year}``
      (2024-25), ``{end}`` (2025, the calendar year of 31 March) and ``{span}`` (2023-25,
      the year before and this), e.g. ``"as at end of March {end}"``; or a function of
      the data (a partner return's own ``figure_period`` label, "as of January 2024");
    - ``source``: the partner return's rows that give its period, so a 2023-24 cohort
      reported in 2024-25 says 2023-24 (see :func:`return_period`);
    - ``span``: the span of dates the year covers, in a :func:`period_label` style
      (``months``, ``dates``).

    ``decimals`` overrides the measure's own. ``compare`` is added to the sentence when
    last year's figure is held too, with ``{before}`` and ``{before_period}``.
    ``withheld`` replaces the sentence when disclosure control hid the figure (a small
    count): the words follow what the register did ("too small to publish"), so a year
    with a publishable count states it.
    """

    measure: str
    sentence: str
    _: KW_ONLY
    period: str | None = None
    as_period: str | Callable[[ReportData], str] | None = None
    source: Source | None = None
    span: str = "year"
    decimals: int | None = None
    compare: str = ""
    withheld: str = ""

    def __post_init__(self) -> None:
        labels = [self.as_period is not None, self.source is not None, self.span != "year"]
        if sum(labels) > 1:
            raise ValueError(f"{self.measure}: give at most one of as_period, source and span")
        if self.compare and self.period:
            raise ValueError(f"{self.measure}: compare is with the report year's figure only")

    def label(self, ctx: Context, year: str) -> str | None:
        """The period label of the figure for ``year``; None when it is the year itself."""
        view = _view(ctx, year)
        if self.as_period is not None:
            return _period_label(view, self.as_period)
        if self.source is not None:
            return return_period(view, self.source)
        named = period_label(year, self.span)
        return named if named != year else None


def _period_label(data: ReportData, template: str | Callable[[ReportData], str]) -> str:
    """A figure's period label for the data's year (see ``Stated.as_period``)."""
    if callable(template):
        return template(data)
    end = str(int(data.year[:4]) + 1)
    return template.format(year=data.year, end=end,
                           span=f"{data.previous[:4]}-{data.year[-2:]}")


def _held(ctx: Context, measure: str, year: str) -> bool:
    """Whether the data held give the measure for ``year`` (a year of the trend window)."""
    return year in ctx.data.periods and ctx.reg.available(measure, year)


@dataclass(frozen=True)
class StatedFigures:
    """A list of measures, each rendered as a sentence, with all of them in a table.

    A figure that cannot be computed for its year is left out, and with none the section
    says so. ``run_on`` joins the sentences as :func:`_run_on` does (a part starting in
    lower case continues the sentence before); otherwise each part is a whole sentence.
    """

    section: str
    figures: tuple[Stated, ...]
    lead: str | None = None
    table: bool = True
    run_on: bool = False

    def render(self, ctx: Context) -> list[Output]:
        from helpers.report.tables import Table

        sentences, rows = [], []
        for item in self.figures:
            asked = ctx.data.previous if item.period == "previous" else item.period
            year = asked or ctx.year
            if not _held(ctx, item.measure, year):
                continue
            label = item.label(ctx, year)
            value = ctx.reg.measure(self.section, item.measure, period=asked,
                                    decimals=item.decimals, as_period=label)
            bound = (f"{lower_bound(float(ctx.reg.value(item.measure, asked))):,}"
                     if "{more_than}" in item.sentence else "")
            hidden = item.withheld and _hidden(ctx.reg, self.section, item.measure, label or year)
            text = _say(ctx, self.section, item.withheld if hidden else item.sentence,
                        value=value, period=label or year, more_than=bound)
            before = ctx.data.previous
            if item.compare and _held(ctx, item.measure, before):
                before_label = item.label(ctx, before)
                shown = ctx.reg.measure(self.section, item.measure, period=before,
                                        decimals=item.decimals, as_period=before_label)
                text += item.compare.format(before=shown, before_period=before_label or before)
            sentences.append(text)
            rows.append({"Figure": ctx.reg.entry(item.measure).description.rstrip("."),
                         "Value": value, "Period": label or year})
        if not sentences:
            return [_lead(self.lead) + vocab.history("not_available", year=ctx.year)]
        joined = _run_on(sentences) if self.run_on else " ".join(sentences)
        out: list[Output] = [_lead(self.lead) + joined]
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


# --------------------------------------------------------------------------- added for chapters 1-5
# Types for the chapters built from partner returns and fixed tables: an infographic of
# tiles, a table of inspection ratings, a chart of published shares, a list of people
# from the membership table, a diagram of the partnership's bodies, and a table of text.


def _partner_period(ctx: Context, indicator: str) -> str | None:
    """The period a partner's figure covers ('April 2025'), or None for the report year."""
    from helpers.indicators.partner_returns import figure_period

    return figure_period(ctx.data, indicator)


def _partner_source(ctx: Context, indicator: str) -> str:
    from helpers.indicators.partner_returns import figure_source

    return figure_source(indicator) or ctx.data.source


def _state(ctx: Context, section: str, indicator: str, words: str = "in") -> str:
    """State a measure labelled with its own period (the partner's, or the report year)."""
    return ctx.reg.measure(section, indicator, as_period=_partner_period(ctx, indicator),
                           words=words)


def _fill(ctx: Context, section: str, template: str) -> str:
    """A template whose ``{name}`` fields are measures, each stated with its own period."""
    values = {"year": ctx.year, "previous": ctx.data.previous}
    for name in _fields(template):
        if name not in values:
            values[name] = _state(ctx, section, name)
    return template.format(**values)


@dataclass(frozen=True)
class Tile:
    """One tile of an infographic: a measure shown large, with a caption under it.

    ``caption`` may name further measures as ``{name}`` (stated the same way). ``words``
    is how a ratio measure is worded ("in": "2 in 5"; "fraction": "one fifth").
    ``areas``: show the comparator areas the partner's return carries beside the figure.
    """

    measure: str
    caption: str
    words: str = "in"
    areas: bool = True


def _area_words(ctx: Context, section: str, tile: Tile, period: str | None) -> str:
    from helpers.indicators.partner_returns import area_values

    if not tile.areas:
        return ""
    entry = ctx.reg.entry(tile.measure)
    said = []
    for area, value in area_values(ctx.data, tile.measure).items():
        shown = ctx.reg.rate(section, f"{tile.measure}_{area_slug(area)}",
                             f"{entry.description.rstrip('.')}, {area}", value, period=period,
                             decimals=entry.decimals,
                             unit="percent" if entry.unit == "percent" else "rate")
        said.append(f"{area} {shown}")
    return f"{_join(said)}" if said else ""


@dataclass(frozen=True)
class Tiles:
    """An infographic: a grid of tiles, each a figure with its caption, period and source.

    Made for a borough profile or a set of ratings: each figure is stated through its
    measure with the period the partner's figure covers, so a Census share and a school
    year's absence rate each say which period they describe. Comparator areas a return
    carries (London, England) are shown under the tile. A tile whose measure cannot be
    computed for the year is left out, and the section says so if none can be. The grid
    is an HTML list, so a screen reader reads it as a list of figures in order.
    """

    section: str
    tiles: tuple[Tile, ...]
    title: str
    lead: str | None = None

    def render(self, ctx: Context) -> list[Output]:
        from IPython.display import HTML

        items, missing = [], []
        for tile in self.tiles:
            if not ctx.reg.available(tile.measure):
                missing.append(ctx.reg.entry(tile.measure).description.rstrip("."))
                continue
            period = _partner_period(ctx, tile.measure)
            value = _state(ctx, self.section, tile.measure, tile.words)
            caption = _fill(ctx, self.section, tile.caption)
            areas = _area_words(ctx, self.section, tile, period)
            items.append(tile_html(value, caption, period or ctx.year,
                                   _partner_source(ctx, tile.measure), areas))
        if not items:
            return [_lead(self.lead) + vocab.history("not_available", year=ctx.year)]
        out: list[Output] = []
        if self.lead:
            out.append(_lead(self.lead).strip())
        out.append(HTML(tiles_html(self.title, items)))
        if missing:
            out.append(f"Not available for {ctx.year}: {'; '.join(missing)}.")
        return out


TILE_STYLE = ("list-style:none;margin:0;padding:0;display:grid;gap:0.6em;"
              "grid-template-columns:repeat(auto-fill,minmax(11em,1fr))")
TILE_ITEM_STYLE = "border:1px solid #8a8a8a;border-radius:4px;padding:0.6em"


def tile_html(value: str, caption: str, period: str, source: str, areas: str = "") -> str:
    """One tile as a list item: the figure, its caption, comparators, period and source."""
    from html import escape

    compare = (f'<p class="lscp-tile-areas" style="margin:0.3em 0 0">Compared with: '
               f"{escape(areas)}</p>") if areas else ""
    return (f'<li class="lscp-tile" style="{TILE_ITEM_STYLE}">'
            f'<p class="lscp-tile-value" style="font-size:1.6em;font-weight:bold;margin:0">'
            f"{escape(value)}</p>"
            f'<p class="lscp-tile-caption" style="margin:0.2em 0 0">{escape(caption)}</p>'
            f"{compare}"
            f'<p class="lscp-tile-source" style="margin:0.3em 0 0;font-size:0.85em">'
            f"Period: {escape(period)}. Source: {escape(source)}</p></li>")


def tiles_html(title: str, items: Sequence[str]) -> str:
    """The tiles as a titled, accessible list."""
    from html import escape

    return (f'<section class="lscp-tiles" aria-label="{escape(title)}">'
            f"<h3>{escape(title)}</h3>"
            f'<ul role="list" style="{TILE_STYLE}">{"".join(items)}</ul></section>')


@dataclass(frozen=True)
class SharesChart:
    """Published shares of one whole (residents by religion, by sex) as sentence and bars.

    ``shares`` pairs each category label with the measure of its share; every share is
    stated through its measure and the chart draws the values the register stated.
    """

    section: str
    shares: tuple[tuple[str, str], ...]
    subject: str
    noun: str
    lead: str | None = None

    def render(self, ctx: Context) -> list[Output]:
        rows = []
        period = None
        for label, indicator in self.shares:
            if not ctx.reg.available(indicator):
                continue
            period = _partner_period(ctx, indicator)
            shown = _state(ctx, self.section, indicator)
            rows.append({"label": label, "y": float(ctx.reg.value(indicator)), "shown": shown})
        if not rows:
            return [_lead(self.lead) + vocab.history("not_available", year=ctx.year)]
        frame = pd.DataFrame(rows).sort_values("y", ascending=False, kind="stable")
        listed = _join([f"{r.label} {r.shown}" for r in frame.itertuples(index=False)])
        when = period or ctx.year
        from helpers.report.figure_register import UNSTATED_PERIOD

        dated = "" if when == UNSTATED_PERIOD else f" ({when})"
        text = _lead(self.lead) + f"{self.subject}{dated}: {listed}."
        leader = frame["label"].iloc[0]
        source = _partner_source(ctx, self.shares[0][1])
        chart = charts.bar_chart(
            frame, "label", "y", horizontal=True, percent=True, counts=False,
            order=frame["label"].tolist(), decimals=0,
            title=f"{leader} was the largest group of {self.noun}",
            alt=(f"Horizontal bar chart of {self.noun} by {self.subject.lower()}, {when}: "
                 + ", ".join(f"{r.label} {r.shown}" for r in frame.itertuples(index=False))
                 + "."),
            source=source, xlabel=self.subject, ylabel=f"Share of {self.noun} (%)")
        return [text, chart]


@dataclass(frozen=True)
class RatingsTable:
    """Inspection ratings as a table: what was judged, the grade and when it was inspected.

    ``ratings`` pairs each row's label with the measure of its grade; every grade is stated
    through its measure with the inspection's own date from the return. The sentence names
    the grades and how many rows have each, so a reader gets the finding without the table.
    """

    section: str
    ratings: tuple[tuple[str, str], ...]
    caption: str
    subject: str
    lead: str | None = None

    def render(self, ctx: Context) -> list[Output]:
        from helpers.report.tables import Table

        rows = []
        for label, indicator in self.ratings:
            if not ctx.reg.available(indicator):
                continue
            when = _partner_period(ctx, indicator) or ctx.year
            rows.append({"Judgement": label, "Rating": _state(ctx, self.section, indicator),
                         "Inspected": when})
        if not rows:
            return [_lead(self.lead) + vocab.history("not_available", year=ctx.year)]
        table = pd.DataFrame(rows)
        said = [_grade_words(list(group["Judgement"]), rating, when, len(table))
                for (rating, when), group in table.groupby(["Rating", "Inspected"], sort=False)]
        text = _lead(self.lead) + f"{self.subject}: {_join(said)}."
        return [text, Table(table, caption=self.caption)]


def _grade_words(labels: list[str], rating: str, when: str, of: int) -> str:
    """'all 5 rated Outstanding (April 2025)', 'Care leavers rated Good (2023)',
    '3 of 6 rated Good (latest)': the rows sharing one grade and date."""
    dated = "" if when.lower() == rating.lower() else f" ({when})"
    if of == 1:
        return f"rated {rating}{dated}"
    if len(labels) == of:
        return f"all {of} rated {rating}{dated}"
    if len(labels) == 1:
        return f"{labels[0]} rated {rating}{dated}"
    return f"{len(labels)} of {of} rated {rating}{dated}"


@dataclass(frozen=True)
class Signatories:
    """The people who sign a chapter, by role and agency, from the membership table.

    ``group`` is the membership group whose seats sign (the lead safeguarding partners
    sign the foreword). Job titles only: the membership table holds no personal names.
    """

    group: str = "lead"
    lead: str = "Signed by the lead safeguarding partners:"

    def render(self, ctx: Context) -> list[Output]:
        try:
            members = ctx.data.current("membership")
        except FileNotFoundError:
            return [vocab.history("not_available", year=ctx.year)]
        seats = members[members["member_group"] == self.group]
        if seats.empty:
            return [vocab.history("not_available", year=ctx.year)]
        lines = [f"- {row.job_title}, {row.agency}" for row in seats.itertuples(index=False)]
        return [f"{self.lead}\n\n" + "\n".join(lines)]


# --------------------------------------------------------------------------- key figures


@dataclass(frozen=True)
class Key:
    """One headline figure: the section that states it, its measure, and the measure of its
    change on last year where the report states one."""

    section: str
    measure: str
    change: str | None = None


@dataclass(frozen=True)
class KeyFigures:
    """The box a chapter opens with: 3 to 6 headline measures and their change on last year.

    Each figure is recorded under the section that states it in the text, so it has one row
    (and its ref) in the register. Without a change measure, a count's change is the
    relative change between the two values the register stated, a percentage's the
    difference in points; a measure not available this year is left out.
    """

    figures: tuple[Key, ...]

    def render(self, ctx: Context) -> list[Output]:
        from helpers.report.key_figures import KeyFigure, key_figures
        from helpers.report.wording import change_direction

        shown = []
        for key in self.figures:
            if not ctx.reg.available(key.measure):
                continue
            # The period the text states it for (a partner's own period, as a tile or
            # rating gives it), so the figure keeps the text's one register row.
            value = ctx.reg.measure(key.section, key.measure,
                                    as_period=_partner_period(ctx, key.measure))
            hidden = ctx.reg.figures[-1].suppressed if ctx.reg.figures else False
            words, direction_word = "", None
            amount, unit = self._change(ctx, key.section, key.measure, key.change)
            if amount is not None and not hidden:
                words = f"{vocab.change(amount, unit, 0)} on {ctx.data.previous}"
                direction_word = change_direction(amount)
            label = ctx.reg.entry(key.measure).description.rstrip(".")
            shown.append(KeyFigure(label, value, ctx.year, words, direction_word))
        return [key_figures(shown)] if shown else []

    def _change(self, ctx: Context, section: str, name: str,
                change: str | None) -> tuple[float | None, str]:
        if change and ctx.reg.available(change):
            ctx.reg.measure(section, change)
            unit = "percent" if ctx.reg.entry(change).unit == "change_pct" else "percentage points"
            return float(ctx.reg.value(change)), unit
        entry = ctx.reg.entry(name)
        if entry.unit not in ("count", "percent", "rate") or not ctx.reg.available(
                name, ctx.data.previous):
            return None, ""
        if isinstance(ctx.reg.value(name), str) or isinstance(
                ctx.reg.value(name, ctx.data.previous), str):
            return None, ""  # a grade or category has no numeric change
        now, before = float(ctx.reg.value(name)), float(ctx.reg.value(name, ctx.data.previous))
        if entry.unit == "count":
            return (None, "") if before == 0 else ((now / before - 1) * 100, "percent")
        return now - before, "percentage points" if entry.unit == "percent" else "points"


# --------------------------------------------------------------------------- added for chapters 10-14
# Types for chapters built from small local records and partner returns: category bars
# whose cells may each have a measure, tables of a return's rows, and data-quality notes.


class DataQualityError(ValueError):
    """A return contradicts itself (its lines do not add up to the total it states)."""


def period_label(year: str, style: str = "year") -> str:
    """The report year as the span a figure covers: ``'2024-25'`` -> ``'Apr 2024 - Mar 2025'``
    (style ``months``) or ``'1 Apr 2024 - 31 Mar 2025'`` (``dates``); ``year`` keeps it.

    Partner returns label some figures by the months they cover rather than the report
    year, and the register's refs are keyed on that label.
    """
    if style == "year":
        return year
    start = int(year[:4])
    if style == "months":
        return f"Apr {start} - Mar {start + 1}"
    if style == "dates":
        return f"1 Apr {start} - 31 Mar {start + 1}"
    raise ValueError(f"unknown period style {style!r}")


def lower_bound(value: float) -> int:
    """The round number a count is 'more than': the largest multiple of half a power of
    ten (5, 50, 500...) one order below the count that is strictly less than it.

    158 -> 150, 150 -> 100, 1,130 -> 1,000, 37 -> 35. Used where a report gives a count as
    a lower bound ("more than 150"); the bound is derived from the count, never typed.
    """
    number = int(value)
    if number <= 1:
        return 0
    step = max(1, 10 ** (len(str(number)) - 1) // 2)
    return (number - 1) // step * step


def _state_cell(ctx: Context, section: str, indicator: str, label: str, row: Any, unit: str,
                people: bool, decimals: int, span: str = "year") -> tuple[str, bool]:
    """State one category cell; returns (text shown, hidden?).

    A cell whose indicator has a measure is stated by that measure (its declaration decides
    how it is shown and protected), after checking that the category frame agrees with it.
    Other cells are stated as counts or percentages of the period's denominator, with small
    numbers of people hidden.
    """
    from helpers.indicators.base import MEASURES

    reg, period = ctx.reg, row.period
    named = period_label(period, span)
    value = float(row.pct if unit == "percent" else row.count)
    if indicator in MEASURES and reg.available(indicator, period):
        _agrees(ctx, indicator, period, value)
        shown = reg.measure(section, indicator, period=period,
                            decimals=decimals if unit == "percent" else None,
                            as_period=named if named != period else None)
    elif unit == "percent" and people:
        shown = reg.percent(section, indicator, label, value, float(row.denominator), named,
                            decimals, numerator=float(row.count))
    elif unit == "percent":
        shown = reg.rate(section, indicator, label, value, named, decimals, unit="percent")
    else:
        shown = reg.count(section, indicator, label, value, named, people=people)
    return shown, _hidden(reg, section, indicator, named)


def _agrees(ctx: Context, indicator: str, period: str, value: float) -> None:
    """Fail when a table or chart cell disagrees with the measure of the same figure."""
    from helpers.report.figure_register import FigureMismatch

    expected = float(ctx.reg.value(indicator, period))
    if abs(expected - value) > 1e-9 * max(1.0, abs(expected)):
        raise FigureMismatch(f"{indicator} for {period}: the section's frame gives {value!r}, "
                             f"its measure {expected!r}")


def _hidden(reg: FigureRegister, section: str, indicator: str, period: str) -> bool:
    """Whether the register hid the figure it holds for (section, indicator, period)."""
    return any(f.suppressed for f in reg.figures
               if (f.section, f.indicator, f.period) == (section, indicator, period))


@dataclass(frozen=True)
class ShareBars:
    """Categories of one figure as bars: shares (``unit="percent"``) or counts.

    Unlike ``Breakdown``, every cell may have a measure of its own (an outcome count, a
    category's share quoted for last year), and is then stated by it; the chart hides
    exactly the cells the register hid, so the chart and the text cannot disagree.
    ``frame(data)`` gives ``period``, the ``category`` column, ``count`` and, for shares,
    ``pct`` (optional ``denominator``, ``label``). ``periods``: ``"pair"`` (last year and
    this), ``"year"`` or ``"all"`` (a line per category over the years held).
    ``people=False`` for categories of things (pages, pounds, seats), never suppressed.
    ``in_order`` keeps the frame's order on the chart (months) instead of largest first;
    ``horizontal=False`` draws upright bars (a year's months); ``prefix`` goes before each
    number in the sentence (``"£"``); ``span`` labels each cell's period as
    :func:`period_label` does, for figures the report dates by span.
    """

    section: str
    frame: Callable[[ReportData], pd.DataFrame]
    category: str
    indicator: Callable[[str], str]
    subject: str
    noun: str
    unit: str = "percent"
    periods: str = "pair"
    people: bool = True
    lead: str | None = None
    rank: str | None = None
    top: int = 4
    decimals: int = 0
    note: str = ""
    sentence: str = "The largest {what} of {noun} in {year} were {listed}."
    title: str = "{leader} was the largest of the {noun} in {year}"
    xlabel: str = "Category"
    ylabel: str | None = None
    in_order: bool = False
    horizontal: bool = True
    prefix: str = ""
    span: str = "year"

    def _table(self, ctx: Context) -> pd.DataFrame:
        wanted = {"all": ctx.data.periods, "year": [ctx.year],
                  "pair": [ctx.data.previous, ctx.year]}[self.periods]
        frame = _category_rows(self.frame(ctx.data), [p for p in wanted if p in ctx.data.periods],
                               self.category, label_as_text=True)
        if self.unit == "percent" and "pct" not in frame.columns:
            frame["pct"] = frame["count"] / frame["denominator"] * 100
        return frame

    def render(self, ctx: Context) -> list[Output]:
        table = self._table(ctx)
        now = table[table["period"] == ctx.year]
        if now.empty:
            return [_lead(self.lead) + vocab.history("not_available", year=ctx.year)]
        shown, hidden = {}, {}
        for row in table.itertuples(index=False):
            category = getattr(row, self.category)
            key = (row.period, category)
            shown[key], hidden[key] = _state_cell(
                ctx, self.section, self.indicator(category), f"{self.subject}: {row.label}", row,
                self.unit, self.people, self.decimals, self.span)
        if self.rank and ctx.reg.available(self.rank):
            ctx.reg.measure(self.section, self.rank)
        order = now["label"].tolist()
        now = now.sort_values("count", ascending=False, kind="stable")
        top = now.head(self.top)
        listed = _join([f"{label} ({self.prefix}{shown[(ctx.year, cat)]})"
                        for cat, label in zip(top[self.category], top["label"], strict=True)])
        if not self.in_order:
            order = now["label"].tolist()
        what = "shares" if self.unit == "percent" else "numbers"
        text = _lead(self.lead) + self.sentence.format(what=what, noun=self.noun, year=ctx.year,
                                                       listed=listed)
        if self.note:
            text += " " + self.note
        return [text, self._chart(ctx, table, now, order, shown, hidden)]

    def _chart(self, ctx: Context, table: pd.DataFrame, now: pd.DataFrame, order: list[str],
               shown: dict, hidden: dict) -> charts.Chart:
        percent = self.unit == "percent"
        value = "pct" if percent else "count"
        keys = list(zip(table["period"], table[self.category], strict=True))
        # A guard column the chart reads as a numerator: 1 (a small count, so the cell is
        # hidden) exactly where the register hid the figure, never elsewhere.
        plot = table.assign(_guard=[1 if hidden[k] else 10 ** 9 for k in keys])
        leader, periods = now["label"].iloc[0], sorted(table["period"].unique())
        title = self.title.format(leader=leader, noun=self.noun, year=ctx.year)
        title = title[:1].upper() + title[1:]
        ylabel = self.ylabel or ("Share (%)" if percent else "Number")
        alt_value = shown[(ctx.year, now[self.category].iloc[0])]
        if self.periods == "all" and len(periods) >= 2:
            return charts.line_chart(
                plot, "period", value, "label", percent=percent, counts=False, numerator="_guard",
                order=order, title=title, decimals=self.decimals,
                alt=(f"Line chart of the {self.noun} in each category per year, {periods[0]} "
                     f"to {ctx.year}; the largest in {ctx.year} was {leader} at {alt_value}."),
                source=ctx.source(), xlabel="Year", ylabel=ylabel)
        return charts.bar_chart(
            plot, "label", value, "period" if len(periods) > 1 else None,
            horizontal=self.horizontal, percent=percent, counts=False, numerator="_guard",
            order=order,
            hue_order=periods if len(periods) > 1 else None, decimals=self.decimals,
            title=title, source=ctx.source(), xlabel=self.xlabel, ylabel=ylabel,
            alt=(f"{'Horizontal bar' if self.horizontal else 'Bar'} chart of the {self.noun} "
                 f"in each category, "
                 f"{' and '.join(periods)}; in {ctx.year} {leader} was {alt_value}."))


@dataclass(frozen=True)
class DataTable:
    """A table of a return's rows for the year, each number stated through the register.

    ``frame(data)`` gives the year's rows: text ``columns`` (header -> column) and, if
    ``value`` is set, a number per row stated as ``indicator(row key)`` (a measure where the
    report states it). ``total`` names the measure of the stated total: it is shown as a
    last row, and lines that do not add up to it raise ``DataQualityError`` (the return
    contradicts itself). ``group`` splits the rows into one table per group, captioned by
    the group's label. ``prefix`` goes before each number (``"£"``).
    """

    section: str
    frame: Callable[[ReportData], pd.DataFrame]
    caption: str
    columns: tuple[tuple[str, str], ...]
    value: str | None = None
    value_header: str = "Value"
    key: str = "key"
    indicator: Callable[[str], str] = str
    people: bool = True
    total: str | None = None
    group: str | None = None
    prefix: str = ""
    lead: str | None = None

    def render(self, ctx: Context) -> list[Output]:
        from helpers.report.tables import Table

        frame = self.frame(ctx.data)
        frame = frame[frame["period"] == ctx.year] if "period" in frame.columns else frame
        if frame.empty:
            return [_lead(self.lead) + vocab.history("not_available", year=ctx.year)]
        groups = frame.groupby(self.group, sort=False) if self.group else [(None, frame)]
        out: list[Output] = [_lead(self.lead).strip()] if self.lead else []
        for name, rows in groups:
            shown = rows[[c for _, c in self.columns]].copy()
            shown.columns = [h for h, _ in self.columns]
            if self.value:
                shown[self.value_header] = [self._cell(ctx, row) for row in rows.itertuples()]
                if self.total:
                    shown = pd.concat([shown, self._total_row(ctx, rows)], ignore_index=True)
            caption = f"{self.caption}: {name}" if name is not None else self.caption
            out.append(Table(shown.reset_index(drop=True), caption=f"{caption}, {ctx.year}"))
        return out

    def _cell(self, ctx: Context, row: Any) -> str:
        from helpers.indicators.base import MEASURES

        indicator = self.indicator(getattr(row, self.key))
        number = float(getattr(row, self.value))
        if indicator in MEASURES:
            _agrees(ctx, indicator, ctx.year, number)
            return self.prefix + ctx.reg.measure(self.section, indicator)
        label = f"{self.caption}: {getattr(row, self.key)}"
        return self.prefix + ctx.reg.count(self.section, indicator, label, number,
                                           people=self.people)

    def _total_row(self, ctx: Context, rows: pd.DataFrame) -> pd.DataFrame:
        stated = float(ctx.reg.value(self.total))
        added = float(rows[self.value].astype(float).sum())
        if abs(added - stated) > 0.005:
            raise DataQualityError(f"{self.caption}, {ctx.year}: the lines add up to {added:,.2f} "
                                   f"but the return states a total of {stated:,.2f}")
        first = self.columns[0][0]
        row = {h: "" for h, _ in self.columns} | {first: "Total"}
        row[self.value_header] = self.prefix + ctx.reg.measure(self.section, self.total)
        return pd.DataFrame([row])


@dataclass(frozen=True)
class DataQualityNote:
    """A note on a problem in the year's data, shown only when there is one.

    ``check(data)`` returns the problems as short phrases built from the data (an empty
    list when the data are clean); ``measure``, if given, counts them through the register
    and the ``sentence`` may use ``{value}`` and ``{problems}``.
    """

    section: str
    check: Callable[[ReportData], list[str]]
    sentence: str
    measure: str | None = None

    def render(self, ctx: Context) -> list[Output]:
        problems = self.check(ctx.data)
        if not problems:
            return []
        value = ctx.reg.measure(self.section, self.measure) if self.measure else ""
        text = _say(ctx, self.section, self.sentence, value=value, problems=_join(problems))
        return [f"> **Data quality.** {text}"]


# --------------------------------------------------------------------------- partner periods
#
# Added for chapters 8 and 9. Partner returns carry their own period (an earlier financial
# year, a calendar year, a five-year window) inside the report year's folder. The types
# below state such figures with that period, read from the return's rows, so the page says
# what each figure covers and the register files it under the period the report quotes.

#: Where a partner figure's own period is read from: (table, measure code) or
#: (table, measure code, breakdown) of the return.
Source = tuple[str, ...]


def return_period(data: ReportData, source: Source | None) -> str | None:
    """The period a partner figure covers, from its return's rows; None for the LA's own
    records (their period is the report year) or when the return has no such rows."""
    if source is None:
        return None
    from helpers.indicators.partner_returns import returned_period

    table, code, *breakdown = source
    try:
        return returned_period(data, table, code, *breakdown)
    except (LookupError, FileNotFoundError):
        return None


def _view(ctx: Context, period: str | None) -> ReportData:
    return ctx.data if period in (None, ctx.year) else ctx.data.for_year(period)


def _state_return(ctx: Context, section: str, indicator: str, period: str | None = None,
           source: Source | None = None) -> tuple[str, str]:
    """State a measure for a report year, labelled with its own period; (text, period)."""
    label = return_period(_view(ctx, period), source)
    shown = ctx.reg.measure(section, indicator, period=period, as_period=label)
    return shown, label or period or ctx.year


def _cell_hidden(ctx: Context) -> bool:
    """Whether the figure the register stated last was hidden by disclosure control."""
    return bool(ctx.reg.figures and ctx.reg.figures[-1].suppressed)


def _run_on(parts: Sequence[str]) -> str:
    """Sentences joined into a paragraph; a part starting in lower case ("and 6% were...")
    continues the sentence before it."""
    text = ""
    for part in parts:
        if text:
            text += ", " if part[:1].islower() else ". "
        text += part
    return text + "." if text else text


def _lower_first(label: str) -> str:
    """'Took up Youth Diversion' -> 'took up Youth Diversion'; acronyms ('SEND') stay."""
    if len(label) > 1 and label[1].isupper():
        return label
    return label[:1].lower() + label[1:]


# --------------------------------------------------------------------------- paired bars


@dataclass(frozen=True)
class PairedBars:
    """A whole and its parts (each part a percentage measure), this year beside last.

    For splits the report states as separate figures, such as the sex of the children given
    a risk assessment: ``total`` (a count measure, optional) is stated with last year's
    value, then each part of ``parts`` ((label, measure), ...) this year and last, ranked
    largest first unless ``ranked`` is False. The chart pairs the two years' bars for each
    part; a part the register hid (a small number) is hidden in the chart as well.
    ``source`` names the return for a partner figure's own period.
    """

    section: str
    parts: tuple[tuple[str, str], ...]
    subject: str
    noun: str
    total: str | None = None
    lead: str | None = None
    source: Source | None = None
    rank: str | None = None
    ranked: bool = True
    note: str = ""
    xlabel: str = "Group"
    ylabel: str = "Share (%)"
    sentence: str = "Of the {noun} in {period}: {listed}."
    title: str = "{leader} was the largest share of {noun} in {period}"

    def _year(self, ctx: Context, period: str | None) -> tuple[str, list[dict]]:
        """The figures of one report year: its period label and one row per part."""
        label = return_period(_view(ctx, period), self.source) or period or ctx.year
        rows = []
        base = (float(ctx.reg.value(self.total, period))
                if self.total and ctx.reg.available(self.total, period) else None)
        for name, indicator in self.parts:
            if not ctx.reg.available(indicator, period):
                continue
            shown, _ = _state_return(ctx, self.section, indicator, period, self.source)
            value = float(ctx.reg.value(indicator, period))
            count = round(value * base / 100) if base is not None else None
            rows.append({"label": name, "period": label, "pct": value, "shown": shown,
                         "numerator": 1 if _cell_hidden(ctx) else (count if count is not None else 10)})
        return label, rows

    def render(self, ctx: Context) -> list[Output]:
        if not any(ctx.reg.available(m) for _, m in self.parts):
            return [_lead(self.lead) + vocab.history("not_available", year=ctx.year)]
        previous = ctx.data.previous if ctx.data.has_previous else None
        text = _lead(self.lead)
        if self.total and ctx.reg.available(self.total):
            now_total, label = _state_return(ctx, self.section, self.total, source=self.source)
            text += f"{self.subject}: **{now_total}** in {label}"
            if previous and ctx.reg.available(self.total, previous):
                before, before_label = _state_return(ctx, self.section, self.total, previous, self.source)
                same = ctx.reg.value(self.total) == ctx.reg.value(self.total, previous)
                text += (f", the same as in {before_label}" if same
                         else f", against {before} in {before_label}")
            text += ". "
        label, now = self._year(ctx, None)
        before_label, before = self._year(ctx, previous) if previous else (None, [])
        if self.ranked:
            now = sorted(now, key=lambda r: -r["pct"])
        said = {r["label"]: r["shown"] for r in before}
        parts = [f"{_lower_first(r['label'])} {r['shown']}"
                 + (f" ({before_label}: {said[r['label']]})" if r["label"] in said else "")
                 for r in now]
        text += self.sentence.format(noun=self.noun, period=label, listed=_join(parts))
        if self.rank and ctx.reg.available(self.rank):
            _state_return(ctx, self.section, self.rank, source=self.source)
        if self.note:
            text += " " + self.note
        frame = pd.DataFrame(before + now)
        order = [r["label"] for r in now]
        periods = [p for p in (before_label, label) if p]
        leader = max(now, key=lambda r: r["pct"])
        chart = charts.bar_chart(
            frame, "label", "pct", "period", horizontal=True, percent=True, order=order,
            hue_order=periods, decimals=0, numerator="numerator",
            title=self.title.format(leader=leader["label"], noun=self.noun, period=label),
            alt=(f"Horizontal bar chart of the share of {self.noun} in each group, "
                 f"{' and '.join(periods)}; in {label} {leader['label'].lower()} was "
                 f"{leader['shown']}."),
            source=ctx.source(), xlabel=self.xlabel, ylabel=self.ylabel)
        return [text, chart]


@dataclass(frozen=True)
class Cascade:
    """A cohort and what happened to it, in the order of the journey (a funnel).

    ``cohort`` is the count measure of everyone who started; ``stages`` ((label, measure),
    ...) are percentage measures of that cohort, in journey order (not ranked): where they
    came from, how many engaged, what they went on to. Drawn as bars of the share of the
    cohort at each stage, below a first bar for the whole cohort.
    """

    section: str
    cohort: str
    stages: tuple[tuple[str, str], ...]
    subject: str
    noun: str
    lead: str | None = None
    source: Source | None = None
    first: str = "All"

    def render(self, ctx: Context) -> list[Output]:
        if not ctx.reg.available(self.cohort):
            return [_lead(self.lead) + vocab.history("not_available", year=ctx.year)]
        total, label = _state_return(ctx, self.section, self.cohort, source=self.source)
        rows = [{"stage": f"{self.first} {self.noun}", "pct": 100.0, "numerator": 10}]
        said = []
        for name, indicator in self.stages:
            if not ctx.reg.available(indicator):
                continue
            shown, _ = _state_return(ctx, self.section, indicator, source=self.source)
            value = float(ctx.reg.value(indicator))
            count = round(value * float(ctx.reg.value(self.cohort)) / 100)
            rows.append({"stage": name, "pct": value,
                         "numerator": 1 if _cell_hidden(ctx) else count})
            said.append(f"{_lower_first(name)} {shown}")
        text = (_lead(self.lead) + f"{self.subject}: **{total}** {self.noun} in {label}. "
                + (f"Of these: {_join(said)}." if said else ""))
        frame = pd.DataFrame(rows)
        chart = charts.bar_chart(
            frame, "stage", "pct", horizontal=True, percent=True, order=frame["stage"].tolist(),
            decimals=0, numerator="numerator",
            title=f"What happened to the {total} {self.noun} of {label}",
            alt=(f"Horizontal bar chart following the {total} {self.noun} of {label} through "
                 f"each stage, as a share of all of them: " + "; ".join(said) + "."),
            source=ctx.source(), xlabel="Stage", ylabel=f"Share of {self.noun}")
        return [text, chart]


# --------------------------------------------------------------------------- return breakdowns


@dataclass(frozen=True)
class ReturnBreakdown:
    """The categories of one measure of a partner return, ranked, as bars.

    Cells come from ``partners.breakdown_shares`` (the function the return's share measures
    use); a category whose ``indicator(category)`` names a measure is stated through it
    (and so gets its published ref), any other is recorded under that name with disclosure
    control. ``values`` is "pct" (share of ``total_code``'s total) or "count";
    ``against_previous`` adds last year's return, ``over_time`` every year's (one column of
    bars per year, for a trend by category).
    """

    section: str
    table: str
    code: str
    subject: str
    noun: str
    indicator: Callable[[str], str] | None = None
    total_code: str | None = None
    values: str = "pct"
    lead: str | None = None
    against_previous: bool = False
    over_time: bool = False
    rank: str | None = None
    top: int = 3
    order: tuple[str, ...] | None = None
    note: str = ""
    xlabel: str = "Category"
    ylabel: str = "Share (%)"

    def _name(self, category: str) -> str:
        return self.indicator(category) if self.indicator else f"{self.code}.{category}"

    def _folders(self, ctx: Context) -> list[str]:
        if self.over_time:
            return list(ctx.data.periods)
        wanted = (ctx.data.previous, ctx.year) if self.against_previous else (ctx.year,)
        return [p for p in wanted if p in ctx.data.periods]

    def render(self, ctx: Context) -> list[Output]:
        from helpers.indicators.base import MEASURES
        from helpers.indicators.partner_returns import breakdown_shares
        from helpers.indicators.partner_returns import rows_period as figure_period

        try:
            table = ctx.data.table(self.table)
        except FileNotFoundError:
            table = pd.DataFrame(columns=["period", "measure", "breakdown", "value"])
        rows = []
        for folder in self._folders(ctx):
            here = table[table["period"] == folder]
            try:
                shares = breakdown_shares(here, self.code, self.total_code)
                label = figure_period(here, self.code)
            except (LookupError, ZeroDivisionError):
                continue
            for cell in shares.itertuples(index=False):
                name = self._name(cell.breakdown)
                cat = f"{self.subject}: {cell.breakdown}"
                if name in MEASURES:
                    shown, _ = _state_return(ctx, self.section, name, folder, (self.table, self.code))
                elif self.values == "count":
                    shown = ctx.reg.count(self.section, name, cat, cell.value, period=label)
                else:
                    base = cell.value / cell.pct * 100 if cell.pct else 0.0
                    shown = ctx.reg.percent(self.section, name, cat, cell.pct, base,
                                            period=label, numerator=cell.value)
                rows.append({"folder": folder, "period": label, "category": cell.breakdown,
                             "value": cell.value, "pct": cell.pct, "shown": shown,
                             "hidden": _cell_hidden(ctx)})
        frame = pd.DataFrame(rows, columns=["folder", "period", "category", "value", "pct",
                                            "shown", "hidden"])
        now = frame[frame["folder"] == ctx.year]
        if now.empty:
            return [_lead(self.lead) + vocab.history("not_available", year=ctx.year)]
        if self.rank and ctx.reg.available(self.rank):
            _state_return(ctx, self.section, self.rank, source=(self.table, self.code))
        label = now["period"].iloc[0]
        # Hidden cells are not ranked: their order would say more than "<5". Nor are empty
        # categories: a group of none is not one of the largest.
        ranked = now[~now["hidden"] & (now["value"] > 0)].sort_values("value", ascending=False,
                                                                      kind="stable")
        if ranked.empty:
            return [_lead(self.lead) + f"In {label}, every group of {self.noun} was too small "
                    "to show." + (f" {self.note}" if self.note else ""),
                    self._chart(ctx, frame, now, label)]
        before = frame[frame["folder"] == ctx.data.previous] if self.against_previous else frame.iloc[:0]
        then = dict(zip(before["category"], before["shown"], strict=True))
        before_label = before["period"].iloc[0] if len(before) else ""
        listed = [f"{c} ({s}" + (f"; {before_label}: {then[c]}" if c in then else "") + ")"
                  for c, s in zip(ranked["category"].head(self.top), ranked["shown"].head(self.top),
                                  strict=True)]
        text = (_lead(self.lead) + f"The largest groups of {self.noun} in {label} were "
                f"{_join(listed)}." + (f" {self.note}" if self.note else ""))
        return [text, self._chart(ctx, frame, ranked, label)]

    def _chart(self, ctx: Context, frame: pd.DataFrame, ranked: pd.DataFrame,
               label: str) -> charts.Chart:
        percent = self.values == "pct"
        column = "pct" if percent else "value"
        order = list(self.order) if self.order else ranked["category"].tolist()
        periods = list(dict.fromkeys(frame["period"]))
        plot = frame.assign(numerator=frame["value"].where(~frame["hidden"], 1))
        leader = ranked.iloc[0]
        source = _return_source(ctx, self.table)
        if self.over_time:
            return charts.bar_chart(
                plot, "period", column, "category", percent=percent, order=periods,
                hue_order=order, decimals=0, numerator="numerator" if percent else None,
                counts=not percent,
                title=f"{self.subject} by category, {period_span(periods[0], label)}",
                alt=(f"Grouped bar chart of {self.noun} in each category per year, "
                     f"{period_span(periods[0], label)}; small numbers are shown as <5."),
                source=source, xlabel="Period", ylabel=self.ylabel)
        return charts.bar_chart(
            plot, "category", column, "period", horizontal=True, percent=percent, order=order,
            hue_order=periods, decimals=0, numerator="numerator" if percent else None,
            counts=not percent,
            title=f"{leader['category']} was the largest group of {self.noun} in {label}",
            alt=(f"Horizontal bar chart of {self.noun} by category, {' and '.join(periods)}; "
                 f"in {label} {leader['category']} was {leader['shown']}."),
            source=source, xlabel=self.xlabel, ylabel=self.ylabel)


def _return_source(ctx: Context, table: str) -> str:
    """The source line of a chart drawn from a partner return."""
    from helpers.data.schema_partners import DESCRIPTIONS

    what = DESCRIPTIONS.get(table, table).split(" (")[0].rstrip(".")
    note = f"Source: partner return, {what[:1].lower() + what[1:]}"
    return note + (" (synthetic demo data)." if ctx.data.meta.get("synthetic") else ".")


@dataclass(frozen=True)
class ReturnSeries:
    """A series a partner sends inside one year's return (calendar years of a dashboard).

    ``frame(data)`` gives one row per point (``label``, ``figure_period``, ``value``) from
    the function the measure uses; the latest point is stated through ``measure`` and the
    others are recorded as ``indicator`` for their own period. Each point's period is said
    in words (a calendar year is not the report year).
    """

    section: str
    frame: Callable[[ReportData], pd.DataFrame]
    measure: str
    indicator: str
    subject: str
    table: str
    lead: str | None = None
    ylabel: str = "Count"

    def render(self, ctx: Context) -> list[Output]:
        try:
            points = self.frame(ctx.data).reset_index(drop=True)
        except (LookupError, FileNotFoundError):
            points = pd.DataFrame()
        if points.empty or not ctx.reg.available(self.measure):
            return [_lead(self.lead) + vocab.history("not_available", year=ctx.year)]
        last = points.iloc[-1]
        shown = [ctx.reg.count(self.section, self.indicator, f"{self.subject}: {row.label}",
                               row.value, period=row.figure_period)
                 for row in points.iloc[:-1].itertuples(index=False)]
        now = ctx.reg.measure(self.section, self.measure, as_period=last["figure_period"])
        shown.append(now)
        text = _lead(self.lead) + f"{self.subject}: **{now}** in {last['figure_period']}"
        if len(points) > 1:
            text += f", against {shown[-2]} in {points['figure_period'].iloc[-2]}"
        text += "."
        if len(points) >= vocab.MIN_TREND_YEARS:
            shape = direction(points["value"].astype(float))
            text += (f" Over the {len(points)} years from {points['label'].iloc[0]}, the "
                     f"figure has {vocab.direction(shape)}.")
        chart = charts.bar_chart(
            points, "label", "value", counts=True, order=points["label"].tolist(),
            title=f"{self.subject}: {now} in {last['label']}",
            alt=(f"Bar chart of {self.subject.lower()} per year, "
                 f"{period_span(points['label'].iloc[0], last['label'])}; {last['label']}: {now}."),
            source=_return_source(ctx, self.table), xlabel="Year", ylabel=self.ylabel)
        return [text, chart]


# --------------------------------------------------------------------------- panel


@dataclass(frozen=True)
class PanelTile:
    """One figure of a ``Panel``: its measure and the words under it. ``one_in`` shows a
    ratio measure (1/N) as "1 in N"."""

    measure: str
    caption: str
    one_in: bool = False


@dataclass(frozen=True)
class Panel:
    """Key figures as an infographic-style panel of tiles, with the same figures in a sentence.

    Every tile's figure is stated through its measure; the period is the return's own
    (``source``). A "1 in N" tile is worded from the measure's value, never typed.
    """

    section: str
    tiles: tuple[PanelTile, ...]
    title: str
    lead: str | None = None
    source: Source | None = None

    def render(self, ctx: Context) -> list[Output]:
        from IPython.display import HTML

        shown = []
        label = ctx.year
        for tile in self.tiles:
            if not ctx.reg.available(tile.measure):
                continue
            text, label = _state_return(ctx, self.section, tile.measure, source=self.source)
            if tile.one_in and not _cell_hidden(ctx):
                text = one_in_words(float(ctx.reg.value(tile.measure)))
            shown.append((text, tile.caption))
        if not shown:
            return [_lead(self.lead) + vocab.history("not_available", year=ctx.year)]
        from html import escape

        cells = "".join(
            '<div class="lscp-tile" style="flex:1 1 10em;border:2px solid #0072B2;'
            'border-radius:6px;padding:0.6em;text-align:center">'
            f'<p style="font-size:1.8em;font-weight:bold;margin:0">{escape(v)}</p>'
            f'<p style="margin:0.3em 0 0">{escape(c)}</p></div>' for v, c in shown)
        panel = HTML(f'<section class="lscp-panel" aria-label="{escape(self.title)}">'
                     f"<p><strong>{escape(self.title)} ({escape(label)})</strong></p>"
                     f'<div style="display:flex;flex-wrap:wrap;gap:0.6em">{cells}</div>'
                     "</section>")
        sentence = _lead(self.lead) + f"{self.title} ({label}): " + "; ".join(
            f"**{v}** {c}" for v, c in shown) + "."
        return [sentence, panel]


def one_in_words(ratio: float) -> str:
    """A ratio the report words as '1 in N' (0.333... -> '1 in 3')."""
    if ratio <= 0:
        raise ValueError("'1 in N' needs a positive ratio")
    return f"1 in {round(1 / ratio)}"


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
        figure, axes = charts._new_axes((9.0, 0.6 * len(rows) + 2.2), "constrained")
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


# --------------------------------------------------------------------------- added for chapter 02
# A structure drawn from a table (who reports to whom): the partnership's governance.

DIAGRAM_ROW = 46
DIAGRAM_INDENT = 28
DIAGRAM_BOX = (360, 36)
DIAGRAM_FILLS = ("#e8f0fa", "#fdf1e2", "#e9f5ec", "#f3e9f7", "#f7f7e4", "#e6f4f5", "#f4e6e6")


def tree_order(frame: pd.DataFrame, node: str, parent: str) -> list[tuple[int, int, int | None]]:
    """The rows of a who-reports-to-whom table in drawing order: (row, depth, parent row).

    Depth-first from each top (a row whose parent is blank or not in the table), children in
    table order, so the diagram reads in the order the partnership lists its bodies. A row on
    a loop (which validation rejects) is never reached, so it cannot hang the drawing.
    """
    names = [str(v) for v in frame[node]]
    parents = ["" if pd.isna(v) else str(v) for v in frame[parent]]
    index = {name: i for i, name in enumerate(names)}
    children: dict[int | None, list[int]] = {}
    for i, up in enumerate(parents):
        children.setdefault(index.get(up) if up else None, []).append(i)
    out: list[tuple[int, int, int | None]] = []

    def walk(row: int, depth: int, up: int | None) -> None:
        out.append((row, depth, up))
        for child in children.get(row, []):
            walk(child, depth + 1, row)

    for top in children.get(None, []):
        walk(top, 0, None)
    return out


def diagram_list(frame: pd.DataFrame, order: Sequence[tuple[int, int, int | None]],
                 label: Callable[[Any], str]) -> str:
    """The structure as nested HTML lists: what a screen reader announces, level by level."""
    from html import escape

    parts, depth_now = ["<ul>"], 0
    for n, (row, depth, _) in enumerate(order):
        if n and depth > depth_now:
            parts.append("<ul>")
        elif n:
            parts.append("</li>" + "</ul></li>" * (depth_now - depth))
        parts.append(f"<li>{escape(label(frame.iloc[row]))}")
        depth_now = depth
    parts.append("</li>" + "</ul></li>" * depth_now + "</ul>")
    return "".join(parts)


def diagram_svg(frame: pd.DataFrame, order: Sequence[tuple[int, int, int | None]],
                node: str, kind: str, kinds: dict[str, str], title: str) -> str:
    """The structure as an indented tree of boxes joined by elbow lines (inline SVG).

    An indented tree keeps every box the same width, so long names fit at any page width;
    each box says its kind in words, so colour is never the only cue.
    """
    from html import escape

    width, height = DIAGRAM_BOX
    fills = {code: DIAGRAM_FILLS[i % len(DIAGRAM_FILLS)] for i, code in enumerate(kinds)}
    place = {row: (depth * DIAGRAM_INDENT + 2, n * DIAGRAM_ROW + 2)
             for n, (row, depth, _) in enumerate(order)}
    lines, boxes = [], []
    for row, _, up in order:
        x, y = place[row]
        if up is not None:
            px, py = place[up]
            sx = px + DIAGRAM_INDENT // 2
            lines.append(f'<path d="M{sx},{py + height} V{y + height // 2} H{x}" '
                         'fill="none" stroke="#555" stroke-width="1.5"/>')
        item = frame.iloc[row]
        code = str(item[kind])
        boxes.append(
            f'<g><rect x="{x}" y="{y}" width="{width}" height="{height}" rx="4" '
            f'fill="{fills.get(code, "#fff")}" stroke="#333"/>'
            f'<text x="{x + 8}" y="{y + 15}" font-size="13" font-weight="bold">'
            f"{escape(str(item[node]))}</text>"
            f'<text x="{x + 8}" y="{y + 30}" font-size="11">'
            f"{escape(kinds.get(code, code))}</text></g>")
    depth = max((d for _, d, _ in order), default=0)
    total_w = depth * DIAGRAM_INDENT + width + 4
    total_h = len(order) * DIAGRAM_ROW
    return (f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {total_w} {total_h}" '
            f'width="100%" style="max-width:{total_w}px" aria-hidden="true" '
            f'focusable="false"><title>{escape(title)}</title>'
            + "".join(lines) + "".join(boxes) + "</svg>")


@dataclass(frozen=True)
class Diagram:
    """A structure from a table of who reports to whom, drawn as a tree and given as a list.

    ``frame_fn(data)`` returns one row per body with the columns ``node`` (its name),
    ``parent`` (the body it reports to; blank at the top), ``kind`` (a code of ``kinds``)
    and ``note`` (what it does). The page shows an inline SVG tree for sighted readers
    (hidden from screen readers) and the same structure as a nested list, which is what a
    screen reader reads. No figures: a structure, not a count (counts go through measures).
    """

    section: str
    frame_fn: Callable[[ReportData], pd.DataFrame]
    title: str
    kinds: dict[str, str]
    node: str = "body"
    parent: str = "reports_to"
    kind: str = "kind"
    note: str = "role"
    lead: str | None = None

    def _label(self, item: Any) -> str:
        kind = self.kinds.get(str(item[self.kind]), str(item[self.kind]))
        return f"{item[self.node]} ({kind.lower()}): {item[self.note]}"

    def render(self, ctx: Context) -> list[Output]:
        from html import escape

        from IPython.display import HTML

        frame = self.frame_fn(ctx.data).reset_index(drop=True)
        order = tree_order(frame, self.node, self.parent) if len(frame) else []
        if not order:
            return [_lead(self.lead) + vocab.history("not_available", year=ctx.year)]
        svg = diagram_svg(frame, order, self.node, self.kind, self.kinds, self.title)
        html = (f'<figure class="lscp-diagram" aria-label="{escape(self.title)}">'
                f"<figcaption><strong>{escape(self.title)}</strong></figcaption>{svg}"
                f'<div class="lscp-diagram-list"><p>The same structure as a list, each body '
                f"under the one it reports to:</p>"
                f"{diagram_list(frame, order, self._label)}</div>"
                f'<p class="lscp-source" style="font-size:0.85em">Source: '
                f"{escape(ctx.source())}</p></figure>")
        out: list[Output] = []
        if self.lead:
            out.append(_lead(self.lead).strip())
        out.append(HTML(html))
        return out


# --------------------------------------------------------------------------- added for chapters 7 and 9
# A count worded by whether disclosure control hides it, and a table of a partner's words
# (one row per review) shown only when its number of rows can itself be published.


def _text_rows(frame: Callable[[ReportData], pd.DataFrame], data: ReportData) -> pd.DataFrame:
    """A text table's rows for the year; empty when the (optional) return is not held."""
    try:
        return frame(data)
    except (FileNotFoundError, LookupError):
        return pd.DataFrame()


@dataclass(frozen=True)
class TextTable:
    """A partner's words for the year as a table, one row per item (what each review found).

    ``frame(data)`` gives the year's rows; ``columns`` maps each header to a text column.
    ``count`` is the measure counting the rows, stated in ``sentence``: when the register
    hides that count (one to four), the table is not shown, since its rows would give the
    number away, and ``withheld`` is said instead. Rows whose ``demo`` column is "yes" are
    the demo's placeholder words and are marked as such, as narrative blocks are.
    """

    section: str
    frame: Callable[[ReportData], pd.DataFrame]
    caption: str
    columns: tuple[tuple[str, str], ...]
    count: str
    sentence: str
    withheld: str
    lead: str | None = None

    def render(self, ctx: Context) -> list[Output]:
        from helpers.report.tables import Table

        rows = _text_rows(self.frame, ctx.data)
        if rows.empty or not ctx.reg.available(self.count):
            return [_lead(self.lead) + vocab.history("not_available", year=ctx.year)]
        value = ctx.reg.measure(self.section, self.count)
        if _hidden(ctx.reg, self.section, self.count, ctx.year):
            return [_lead(self.lead) + _say(ctx, self.section, self.withheld, value=value)]
        out: list[Output] = []
        if "demo" in rows.columns and (rows["demo"] == "yes").any():
            out.append(f"*{narrative_blocks.DEMO_MARK}.*")
        shown = rows[[c for _, c in self.columns]].fillna("").astype(str)
        shown.columns = [h for h, _ in self.columns]
        out += [_lead(self.lead) + _say(ctx, self.section, self.sentence, value=value),
                Table(shown.reset_index(drop=True), caption=f"{self.caption}, {ctx.year}")]
        return out


# --------------------------------------------------------------------------- added for chapter 05
# A table of the partnership's words set side by side (the priorities' progress beside
# their challenges): rows of cells, each cell a list of items. (``TextTable`` above is the
# flat form: one row per item, its columns the item's fields.)


@dataclass(frozen=True)
class SidesTable:
    """A table of words from a text table: one row per ``row`` value, one column per side,
    each cell that side's items in order (a theme in bold, then the text).

    ``frame(data)`` gives this table's rows with the columns ``row``, ``side``, ``item``,
    ``lead``, ``text``, ``figure_period`` (the period the item is about) and ``demo``
    ("yes" for placeholder wording). ``columns`` maps each side's code to its header, in
    which ``{period}`` is the period that side's rows are about, read from the data (so the
    headers follow the year). No figures: a number the words mention is stated from its
    measure beside the table. All text is escaped.
    """

    section: str
    frame: Callable[[ReportData], pd.DataFrame]
    caption: str
    columns: tuple[tuple[str, str], ...]
    lead: str | None = None

    def render(self, ctx: Context) -> list[Output]:
        from html import escape

        from IPython.display import HTML

        from helpers.report.navigation import nowrap_years

        rows = _text_rows(self.frame, ctx.data)
        sides = [(code, header) for code, header in self.columns
                 if not rows.empty and (rows["side"] == code).any()]
        if not sides:
            return [_lead(self.lead) + vocab.history("not_available", year=ctx.year)]
        heads = []
        for code, header in sides:
            period = str(rows.loc[rows["side"] == code, "figure_period"].iloc[0])
            heads.append(f'<th scope="col" style="text-align:left">'
                         f"{nowrap_years(escape(header.format(period=period)))}</th>")
        body = []
        for _, block in rows.sort_values(["row", "item"]).groupby("row", sort=True):
            cells = []
            for code, _header in sides:
                items = block[block["side"] == code]
                listed = "".join(
                    f"<li>{self._item(item.lead, item.text)}</li>" for item in items.itertuples())
                cells.append(f'<td style="text-align:left">'
                             f'{f"<ul>{listed}</ul>" if listed else ""}</td>')
            body.append(f"<tr>{''.join(cells)}</tr>")
        caption = escape(self.caption.format(year=ctx.year))
        demo = ""
        if "demo" in rows.columns and (rows["demo"].astype(str) == "yes").any():
            demo = f"<p><em>{escape(narrative_blocks.DEMO_MARK)}.</em></p>"
        html = (f"{demo}<div class=\"table-box\" role=\"region\" aria-label=\"{caption}\" "
                f'tabindex="0"><table class="data-table"><caption>{nowrap_years(caption)}'
                f"</caption><thead><tr>{''.join(heads)}</tr></thead><tbody>{''.join(body)}"
                "</tbody></table></div>")
        out: list[Output] = [_lead(self.lead).strip()] if self.lead else []
        out.append(HTML(html))
        return out

    @staticmethod
    def _item(lead: object, text: object) -> str:
        from html import escape

        from helpers.report.navigation import nowrap_years

        theme = "" if pd.isna(lead) or not str(lead).strip() else str(lead).strip()
        return nowrap_years((f"<strong>{escape(theme)}.</strong> " if theme else "")
                            + escape(str(text)))

"""Section types of the "How we compare" chapter: an LA against England from DfE's files.

The annual report's sections read the partnership's own records; these read only the
national table (``helpers.benchmarks.national``), so the same chapter runs for any of the
153 LAs. Every figure shown is stated through a ``FigureRegister`` (its text and the row
in the page's ``figures.csv`` are the same object); the figures are DfE's published
values, or rates computed from DfE's counts by the one definition in
``helpers.benchmarks.indicators``.

- ``Compared``: one indicator: the LA's value this year against its region, statistical
  neighbours and England, its rank among LAs, its direction since the first year, and a
  line chart of the four series;
- ``Standing``: a dot plot of where the LA stands on several indicators: every LA as a
  grey dot, relative to England (= 100), the LA, its region and neighbours marked.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from helpers.benchmarks.indicators import Indicator, indicator
from helpers.benchmarks.rows import NEIGHBOURS_MEAN, neighbour_mean, region_of, resolve_la
from helpers.chapters import vocabulary as vocab
from helpers.indicators.trends import direction
from helpers.report import charts
from helpers.report.figure_register import FigureRegister

Output = Any
ENGLAND = "England"


#: The columns of a series: one area's published value (or DfE's marker) in one year.
SERIES_COLUMNS = ["period", "area", "value", "status", "source"]


@dataclass
class Place:
    """The LA a comparison page is about, with the national table it reads.

    A page asks for some forty series and cells. Each is looked up in the page's own rows
    (picked from the national table once, see ``_local_rows``) and kept, because a
    filter of a pandas frame costs more than the arithmetic of a whole section.
    """

    code: str
    name: str
    region: str
    year: str
    table: pd.DataFrame
    neighbours: Sequence[str]
    reg: FigureRegister
    everyone: Mapping[tuple[str, str], np.ndarray] | None = None
    _local: dict[str, pd.DataFrame] | None = field(default=None, init=False, repr=False)
    _cells: dict[str, dict[str, Any]] = field(default_factory=dict, init=False, repr=False)
    _kept: dict[tuple[str, str], Any] = field(default_factory=dict, init=False, repr=False)

    @classmethod
    def of(cls, table: pd.DataFrame, neighbours: Mapping[str, Sequence[str]], la: str,
           year: str, reg: FigureRegister,
           everyone: Mapping[tuple[str, str], np.ndarray] | None = None) -> Place:
        """``everyone`` (:func:`every_la`, made once) saves filtering the whole table for
        every dot plot when many LAs are built."""
        code, name = resolve_la(table, la)
        return cls(code, name, region_of(table, code), year, table,
                   list(neighbours.get(code, [])), reg, everyone)

    @property
    def areas(self) -> list[str]:
        """The areas a series shows, in legend order."""
        return [self.name, self.region, NEIGHBOURS_MEAN, ENGLAND]

    def _local_rows(self) -> dict[str, pd.DataFrame]:
        """The page's rows of every indicator up to its year, split by indicator.

        The LA's, its region's and England's rows and its neighbours' mean, sorted by
        area and year; and the LA's row of each indicator in the page's year.
        """
        if self._local is None:
            table, level = self.table, self.table["level"]
            picked = table[((level == "Local authority") & (table["code"] == self.code))
                           | ((level == "Regional") & (table["area"] == self.region))
                           | (level == "National")]
            parts = [picked]
            if self.neighbours:
                parts.append(neighbour_mean(table, self.neighbours))
            local = pd.concat(parts, ignore_index=True)
            local = local[local["period"] <= self.year].sort_values(
                ["indicator", "area", "period"], ignore_index=True)
            self._local = {code: rows.reset_index(drop=True) for code, rows
                           in local[SERIES_COLUMNS].groupby(local["indicator"], sort=False)}
            now = local[(local["level"] == "Local authority") & (local["period"] == self.year)]
            self._cells = {row["indicator"]: row for row in now.to_dict("records")}
        return self._local

    def _keep(self, kind: str, code: str, make: Callable[[str], Any]) -> Any:
        if (kind, code) not in self._kept:
            self._kept[kind, code] = make(code)
        return self._kept[kind, code]

    def series(self, code: str) -> pd.DataFrame:
        """``period``, ``area``, ``value``, ``status``, ``source`` up to the page's year."""
        def make(code: str) -> pd.DataFrame:
            rows = self._local_rows().get(code)
            return pd.DataFrame(columns=SERIES_COLUMNS) if rows is None else rows
        return self._keep("series", code, make)

    def published(self, code: str) -> pd.DataFrame:
        """The series' rows with a published value."""
        def make(code: str) -> pd.DataFrame:
            series = self.series(code)
            return series[series["value"].notna()]
        return self._keep("published", code, make)

    def values(self, code: str) -> dict[str, dict[str, float]]:
        """The published values as area -> {year: value}, years in order."""
        def make(code: str) -> dict[str, dict[str, float]]:
            rows = self.published(code)
            out: dict[str, dict[str, float]] = {}
            for area, period, value in zip(rows["area"], rows["period"], rows["value"],
                                           strict=True):
                out.setdefault(area, {}).setdefault(period, float(value))
            return out
        return self._keep("values", code, make)

    def cell(self, code: str) -> Mapping[str, Any] | None:
        """The LA's row of the national table for the page's year (value, status, rank)."""
        self._local_rows()
        return self._cells.get(code)

    def all_las(self, code: str) -> np.ndarray:
        """Every LA's published value of the indicator in the page's year."""
        everyone = self.everyone
        if everyone is None:  # one page: split only the rows it needs
            everyone = every_la(self.table[(self.table["indicator"] == code)
                                           & (self.table["period"] == self.year)])
        return everyone.get((code, self.year), np.empty(0))


def every_la(table: pd.DataFrame) -> dict[tuple[str, str], np.ndarray]:
    """Every LA's published value of each indicator and year, in the table's order.

    What a dot plot draws in grey; the same for every LA's page, so a run of many pages
    splits the national table this way once.
    """
    rows = table[(table["level"] == "Local authority") & table["value"].notna()]
    return {(str(code), str(period)): values.to_numpy(dtype=float) for (code, period), values
            in rows["value"].groupby([rows["indicator"], rows["period"]], sort=False)}


def ordinal(n: int) -> str:
    """1 -> '1st', 12 -> '12th', 23 -> '23rd'."""
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def _slug(area: str) -> str:
    return {ENGLAND: "national", NEIGHBOURS_MEAN: "statistical_neighbours"}.get(
        area, area.lower().replace(" ", "_"))


def state(reg: FigureRegister, section: str, spec: Indicator, name: str, area: str,
          value: float, period: str) -> str:
    """State one published value through the register, formatted as DfE shows it."""
    key = spec.code if area == name else f"{spec.code}.{_slug(area)}"
    label = f"{spec.short}, {area}"
    if spec.unit == "count":
        return reg.count(section, key, label, value, period)
    return reg.rate(section, key, label, value, period, spec.decimals,
                    unit="percent" if spec.unit == "percent" else "rate")


@dataclass(frozen=True)
class Compared:
    """One indicator: sentence, rank and a line chart of the LA, region, SN and England."""

    section: str
    code: str
    count: str | None = None

    def render(self, place: Place) -> list[Output]:
        spec, reg, year = indicator(self.code), place.reg, place.year
        values = place.values(self.code)
        mine = values.get(place.name, {})
        cell = place.cell(self.code)
        lead = f"**{spec.short}.** "
        if year not in mine:
            why = f" (DfE's marker: {cell['status']})" if cell is not None and cell["status"] else ""
            return [lead + f"DfE did not publish this figure for {place.name} in {year}{why}."]
        now = state(reg, self.section, spec, place.name, place.name, mine[year], year)
        text = lead + f"{place.name}: **{now}** in {year}"
        if self.count:
            counted = place.cell(self.count)
            if counted is not None and counted["value"] == counted["value"]:
                count_spec = indicator(self.count)
                shown = state(reg, self.section, count_spec, place.name, place.name,
                              float(counted["value"]), year)
                text += f" ({shown} {count_spec.label})"
        others = []
        for area in place.areas[1:]:
            value = values.get(area, {}).get(year)
            if value is not None:
                where = "for its statistical neighbours" if area == NEIGHBOURS_MEAN else f"in {area}"
                shown = state(reg, self.section, spec, place.name, area, value, year)
                others.append(f"{shown} {where}")
        if others:
            text += ", against " + _join(others)
        text += "."
        if cell is not None and cell["rank"] == cell["rank"]:
            rank = reg.category(self.section, f"{self.code}_rank", f"{spec.short}: rank among LAs",
                                f"{ordinal(int(cell['rank']))} highest of {int(cell['of'])}",
                                unit="rank", period=year)
            text += f" That is the {rank} local authorities with a published figure."
        shape = (direction(pd.Series(list(mine.values()), dtype=float))
                 if len(mine) >= vocab.MIN_TREND_YEARS else None)
        if shape:
            text += f" Since {next(iter(mine))}, {place.name}'s figure has {vocab.direction(shape)}."
        return [text, self._chart(place, spec, place.published(self.code), now, shape)]

    def _chart(self, place: Place, spec: Indicator, published: pd.DataFrame,
               now: str, shape: str | None) -> charts.Chart:
        order = [a for a in place.areas if a in set(published["area"])]
        first = published["period"].min()
        title = (f"{spec.short} in {place.name} {vocab.direction_title(shape)} since {first}"
                 if shape else f"{spec.short}: {now} in {place.name} in {place.year}")
        return trend_lines(
            published, order, percent=spec.unit == "percent", decimals=spec.decimals,
            title=title,
            alt=(f"Line chart of {spec.label} per year, {first} to {place.year}, for "
                 f"{', '.join(order)}; {place.name} {place.year}: {now}."),
            source=source_note(published, place.table, spec), ylabel=_axis_label(spec))


class FixedChart(charts.Chart):
    """A house chart laid out with fixed margins instead of a layout engine.

    savefig's tight bounding box draws every figure twice (once only to measure it); with
    153 LAs times twenty charts that was most of the build. These charts' margins are
    fixed when they are made, so each is measured without drawing and drawn once into
    the same tight box (``charts.tight_box``), then inlined like every other chart.
    """

    def _svg_document(self) -> str:
        return charts.svg_document(self.figure, charts.tight_box(self.figure))

    def png(self) -> bytes:
        if self._png is None:
            import io

            import matplotlib as mpl

            buffer = io.BytesIO()
            with mpl.rc_context(charts.STYLE):
                self.figure.savefig(buffer, format="png", dpi=charts.DPI, facecolor="white",
                                    metadata={"Software": None},
                                    pil_kwargs={"compress_level": 3})
            self._png = buffer.getvalue()
        return self._png


MARKERS = ("o", "s", "D", "^", "v", "P")
#: Where a trend chart's axes sit in its figure (fractions of it): the key is on the right.
TREND_MARGINS = {"left": 0.09, "right": 0.72, "bottom": 0.14, "top": 0.96}


@dataclass(frozen=True)
class TrendDrawing:
    """What a trend chart shows: its years, a line per area (area, values, colour) in
    legend order, and its value axis."""

    periods: tuple[str, ...]
    lines: tuple[tuple[str, np.ndarray, str], ...]
    percent: bool
    ylabel: str


class TrendCanvas:
    """The one figure a process draws its trend charts on, a chart at a time.

    Making a figure's axes, ticks and spines cost as much as drawing them. Every trend
    chart has the same size, margins, grid and x label, so those are made once; each
    chart takes the lines, years, value axis and key of the one before out and puts its
    own in (:meth:`draw`), and is rendered before the next is drawn.
    """

    def __init__(self) -> None:
        import matplotlib as mpl

        with mpl.rc_context(charts.STYLE):
            self.figure = Figure(figsize=charts.FIGSIZE, dpi=charts.DPI)
            FigureCanvasAgg(self.figure)
            self.axes = self.figure.add_subplot()
            self.axes.grid(True, axis="y")
            self.axes.set_xlabel("Year")
            self.figure.subplots_adjust(**TREND_MARGINS)
        self._plain = self.axes.yaxis.get_major_formatter()

    def draw(self, drawing: TrendDrawing) -> Figure:
        """The figure, showing ``drawing`` and nothing of the chart drawn before."""
        import matplotlib as mpl
        from matplotlib.ticker import PercentFormatter

        axes = self.axes
        for line in list(axes.lines):
            line.remove()
        with mpl.rc_context(charts.STYLE):
            axes.set_prop_cycle(None)
            axes.set_autoscale_on(True)
            x = np.arange(len(drawing.periods))
            for i, (area, values, colour) in enumerate(drawing.lines):
                axes.plot(x, values, marker=MARKERS[i % len(MARKERS)], color=colour, label=area)
            axes.relim()  # the data limits of these lines only
            step = max(1, int(np.ceil(len(drawing.periods) / 7)))
            axes.set_xticks(x[::step], list(drawing.periods)[::step])
            axes.set_xlim(-0.3, len(drawing.periods) - 0.7)
            axes.set_ylim(0, None)
            axes.yaxis.set_major_formatter(PercentFormatter(xmax=100, decimals=0)
                                           if drawing.percent else self._plain)
            axes.set_ylabel(drawing.ylabel)
            axes.legend(loc="upper left", bbox_to_anchor=(1.01, 1), frameon=False)
        return self.figure


@functools.cache
def trend_canvas() -> TrendCanvas:
    """This process's trend canvas (each forked worker draws on its own copy)."""
    return TrendCanvas()


@dataclass(repr=False)
class TrendChart(FixedChart):
    """A trend chart kept as what it draws, drawn on the :class:`TrendCanvas` when it is
    rendered. Its ``figure`` is the canvas's, so it shows this chart only while the
    chart is being rendered; the rendering is kept."""

    drawing: TrendDrawing | None = None

    def _svg_document(self) -> str:
        self.figure = trend_canvas().draw(self.drawing)  # type: ignore[arg-type]
        return super()._svg_document()

    def png(self) -> bytes:
        if self._png is None:
            self.figure = trend_canvas().draw(self.drawing)  # type: ignore[arg-type]
        return super().png()


def trend_lines(data: pd.DataFrame, order: Sequence[str], *, percent: bool, decimals: int,
                title: str, alt: str, source: str, ylabel: str) -> charts.Chart:
    """Lines per area over the years (house colours and markers, value axis from 0).

    Drawn with plain matplotlib rather than ``charts.line_chart``'s seaborn, which is
    several times slower and matters for 153 pages; the figure, colours, marker per line,
    legend and data table follow the same house rules. Nothing here is a count of
    children, so no cell needs hiding.
    """
    wide = _wide(data, order)
    colours = charts.colour_map(order, order)
    drawing = TrendDrawing(
        tuple(wide.index), tuple((area, wide[area].to_numpy(dtype=float), colours[area])
                                 for area in order), percent, ylabel)
    table = wide.reset_index().rename(columns={"period": "Year"})
    table.columns = [str(c) for c in table.columns]
    columns = tuple(table.columns[1:])
    return TrendChart(figure=trend_canvas().figure, title=title, alt=alt, source=source,
                      data=table, percent_columns=columns if percent else (),
                      decimals=decimals, table_caption=f"{title} ({ylabel})", drawing=drawing)


def _wide(data: pd.DataFrame, order: Sequence[str]) -> pd.DataFrame:
    """A year per row and an area per column (``order``): each area's first published
    value that year. Built from plain tuples: for a series of a few dozen values
    ``pivot_table`` costs more than drawing the chart's lines."""
    first: dict[tuple[str, str], float] = {}
    for area, period, value in zip(data["area"], data["period"], data["value"], strict=True):
        if value == value:  # NaN is no value
            first.setdefault((area, period), float(value))
    periods = sorted(set(data["period"]))
    return pd.DataFrame({area: [first.get((area, p), np.nan) for p in periods] for area in order},
                        index=pd.Index(periods, name="period"), columns=list(order), dtype=float)


def _axis_label(spec: Indicator) -> str:
    return "Per 10,000 children" if spec.unit == "rate" else (
        "Share (%)" if spec.unit == "percent" else "Number")


def source_note(rows: pd.DataFrame, table: pd.DataFrame, spec: Indicator) -> str:
    files = sorted(set(rows["source"].dropna())) if "source" in rows.columns else []
    rate = (" Rates: DfE's counts per 10,000 children aged 0-17 (ONS mid-year estimate of "
            "the previous year).") if spec.per == "population" else ""
    return f"Source: DfE published statistics ({', '.join(files)}).{rate}"


def _join(parts: Sequence[str]) -> str:
    return parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]


@dataclass(frozen=True)
class Standing:
    """Where the LA stands on several indicators: a dot plot against every LA.

    Each row is an indicator; every LA's value is a grey dot, drawn as a percentage of
    England's value (England = 100), so rates and shares share one axis. The LA is blue,
    its region orange, its statistical neighbours' mean purple.
    """

    section: str
    codes: tuple[str, ...]
    title: str

    def render(self, place: Place) -> list[Output]:
        rows, dots = [], []
        for code in self.codes:
            spec = indicator(code)
            values = {area: years[place.year] for area, years in place.values(code).items()
                      if place.year in years}
            england = values.get(ENGLAND)
            if england is None or not england or place.name not in values:
                continue
            dots.append((spec.short, place.all_las(code) / england * 100))
            rows.append({"Indicator": spec.short,
                         **{a: values.get(a, np.nan) / england * 100 for a in place.areas[:3]}})
        if not rows:
            return []
        frame = pd.DataFrame(rows)
        return [dot_plot(frame, dots, place, self.title)]


def dot_plot(frame: pd.DataFrame, dots: list[tuple[str, np.ndarray]], place: Place,
             title: str) -> charts.Chart:
    """The dot chart: a row per indicator, all LAs grey, the LA, region and SN marked."""
    colours = charts.colour_map(place.areas, place.areas)
    height = max(2.4, 0.55 * len(dots) + 1.3)
    figure = Figure(figsize=(charts.FIGSIZE[0], height), dpi=charts.DPI)
    FigureCanvasAgg(figure)
    import matplotlib as mpl

    with mpl.rc_context(charts.STYLE):
        axes = figure.add_subplot()
        # Every row's grey dots are one collection: the same drawing, and a scatter
        # call per row cost more than the row's 153 dots.
        rows_y = [i + np.linspace(-0.12, 0.12, len(values)) for i, (_, values) in enumerate(dots)]
        axes.scatter(np.concatenate([values for _, values in dots]), np.concatenate(rows_y),
                     s=10, color="#BBBBBB", zorder=1, label="Every local authority")
        # The LA is drawn last, on top, so its marker is never hidden by its comparators'.
        markers = {NEIGHBOURS_MEAN: "D", place.region: "s", place.name: "o"}
        for z, (area, marker) in enumerate(markers.items()):
            if area in frame.columns:
                axes.scatter(frame[area], range(len(frame)), s=70 if z == 2 else 55,
                             marker=marker, color=colours[area], zorder=3 + z, label=area,
                             edgecolors="white")
        axes.axvline(100, color=colours[ENGLAND], linewidth=1.5, label="England (= 100)")
        axes.set_yticks(range(len(frame)), [_wrap(t) for t in frame["Indicator"]])
        axes.invert_yaxis()
        axes.set_xlabel("Value as % of England's")
        axes.grid(True, axis="x")
        axes.legend(loc="upper left", bbox_to_anchor=(1.01, 1), frameon=False)
    figure.subplots_adjust(left=0.36, right=0.74, bottom=0.8 / height, top=1 - 0.2 / height)
    table = frame.rename(columns={a: f"{a} (England = 100)" for a in place.areas[:3]}).round(0)
    return FixedChart(
        figure=figure, title=f"{title}: where {place.name} stands among local authorities",
        alt=(f"Dot plot of {len(frame)} indicators in {place.year}, each local authority's "
             f"value as a percentage of England's; {place.name}: " + ", ".join(
                 f"{r['Indicator'].lower()} {r[place.name]:.0f}" for _, r in frame.iterrows())
             + "."),
        source="Source: DfE published statistics; England's value = 100.",
        data=table, decimals=0)


def _wrap(text: str, width: int = 30) -> str:
    words, lines, line = text.split(), [], ""
    for word in words:
        if len(line) + len(word) + 1 > width and line:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}".strip()
    return "\n".join([*lines, line])
